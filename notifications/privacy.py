"""The notifications app's personal data (core.privacy): the inbox, preferences and devices; the anonymiser;
and the retention scan of delivery payloads.

Anonymised: the inbox entries' texts and data (titles stay blank too: they may carry a name), the body,
subject, destination (phone, email, device token, chat id) and error of every delivery to the person and the
errors of its attempts (a provider's error names the address it refused: "SMTPRecipientsRefused: {'a@b.c':
...}"), their preferences and their push devices. A delivery's channel, event, status and dates stay for the
statistics.

Retention: a delivery older than ``DELIVERY_RETENTION_DAYS`` loses its body, subject, destination and errors
(its attempts' too; the status stays), and so does a Telegram update's payload; each run is a plain ``UPDATE``
of rows not yet blanked, so two runs at once leave the same rows as one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core import privacy
from notifications.models import (
    Delivery,
    DeliveryAttempt,
    DeviceToken,
    Notification,
    NotificationPreference,
    TelegramUpdate,
)

BLANK = ""


def export(user: Any) -> dict[str, Any]:
    """Three queries whatever the history's size."""
    inbox = list(
        Notification.objects.filter(user_id=user.pk)
        .order_by("created_at")
        .values("id", "event_type", "title", "message", "data", "is_read", "read_at", "created_at")
    )
    preferences = list(
        NotificationPreference.objects.filter(user_id=user.pk).values("event_type", "channel", "enabled")
    )
    devices = list(DeviceToken.objects.filter(user_id=user.pk).values("platform", "is_active", "created_at"))
    return {"notifications": inbox, "notification_preferences": preferences, "devices": devices}


def anonymise(user: Any) -> None:
    privacy.blank(Notification.objects.filter(user_id=user.pk), title=BLANK, message=BLANK, data={})
    contacts = [value for value in (user.email, user.phone, user.telegram_id) if value]
    theirs = Delivery.objects.filter(Q(user_id=user.pk) | Q(destination__in=contacts))
    DeliveryAttempt.objects.filter(delivery__in=theirs.values("pk")).exclude(error=BLANK).update(error=BLANK)
    privacy.blank(theirs, body=BLANK, subject=BLANK, destination=BLANK, error=BLANK)
    NotificationPreference.objects.filter(user_id=user.pk).delete()
    DeviceToken.objects.filter(user_id=user.pk).delete()


def purge_delivery_payloads() -> int:
    """Blank the payloads and errors of deliveries (and their attempts) and Telegram updates past
    ``DELIVERY_RETENTION_DAYS``; rows changed."""
    cutoff = timezone.now() - timedelta(days=settings.DELIVERY_RETENTION_DAYS)
    blanked = (
        Delivery.objects.filter(created_at__lt=cutoff)
        .exclude(body=BLANK, subject=BLANK, destination=BLANK, error=BLANK)
        .update(body=BLANK, subject=BLANK, destination=BLANK, error=BLANK)
    )
    # by the deliveries' ids, not a join: the UPDATE then rechecks ``error`` on a row another run changed meanwhile
    old = Delivery.objects.filter(created_at__lt=cutoff).values("pk")
    blanked += DeliveryAttempt.objects.filter(delivery__in=old).exclude(error=BLANK).update(error=BLANK)
    blanked += TelegramUpdate.objects.filter(received_at__lt=cutoff).exclude(payload={}).update(payload={})
    return blanked


def register() -> None:
    privacy.register("notifications", export=export, anonymise=anonymise)
    privacy.register_retention("notification_deliveries", purge_delivery_payloads)
