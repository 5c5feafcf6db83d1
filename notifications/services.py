"""Notifying people: the inbox entry, the live push, and a delivery per channel they want.

``notify`` is called by domain services inside their transaction. It writes
the inbox entry; after commit it sends ``notification:new`` to the person's
WebSocket group (``ws/notifications/{user_id}/``) and queues one delivery task
per channel the person has not switched off (catalogue defaults, then their
choice for the event's category, then their choice for the event) and that
can be sent on (a chosen channel with no backend yet, Telegram today, is kept
and used once it has one). A rolled-back change notifies nobody.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.events import send_event, user_group
from notifications import catalogue
from notifications.backends import channel_available
from notifications.models import (
    DELIVERY_CHANNELS,
    Channel,
    Delivery,
    DeviceToken,
    Notification,
    NotificationPreference,
)

WS_EVENT = "notification:new"


def enabled_channels(user, event_type: str) -> list[str]:
    """The catalogue's channels for the event, changed by this person's choices for its category, then for it."""
    spec = catalogue.event(event_type)
    wanted = set(spec.channels)
    rows = NotificationPreference.objects.filter(user=user, event_type__in=[event_type, spec.category])
    chosen = {(key, channel): enabled for key, channel, enabled in rows.values_list("event_type", "channel", "enabled")}
    for channel in DELIVERY_CHANNELS:
        for key in (spec.category, event_type):  # the event's own choice is applied last, so it wins
            if (key, channel) in chosen:
                (wanted.add if chosen[key, channel] else wanted.discard)(channel)
    return [c for c in DELIVERY_CHANNELS if c in wanted]


def _destinations(user, channel: str) -> list[str]:
    if not channel_available(channel):
        return []
    if channel in (Channel.SMS, Channel.WHATSAPP):
        return [user.phone] if user.phone else []
    if channel == Channel.EMAIL:
        return [user.email] if user.email else []
    if channel == Channel.PUSH:
        return list(DeviceToken.objects.filter(user=user, is_active=True).values_list("token", flat=True))
    if channel == Channel.TELEGRAM:  # set only by a verified Telegram sign-in (accounts.services.social)
        return [user.telegram_id] if user.telegram_id else []
    return []


def notification_payload(notification: Notification) -> dict[str, Any]:
    return {
        "id": str(notification.pk),
        "type": notification.event_type,
        "title": notification.title,
        "message": notification.message,
        "data": notification.data,
        "is_read": notification.is_read,
        "created_at": notification.created_at.isoformat(),
    }


def notify(event_type: str, *, user, context: dict[str, Any], data: dict[str, Any] | None = None) -> Notification:
    """Inbox entry now; live push and deliveries after commit."""
    spec = catalogue.event(event_type)
    title, message = spec.render(context)
    notification = Notification.objects.create(
        user=user, event_type=event_type, title=title, message=message, data=data or {}
    )
    deliveries = [
        Delivery(
            notification=notification,
            user=user,
            event_type=event_type,
            channel=channel,
            destination=destination,
            subject=title,
            body=message,
        )
        for channel in enabled_channels(user, event_type)
        for destination in _destinations(user, channel)
    ]
    payload = notification_payload(notification)
    transaction.on_commit(lambda: send_event(user_group(user.pk), WS_EVENT, payload))
    deliveries_queue(deliveries)
    return notification


def deliveries_queue(deliveries: list[Delivery]) -> list[Delivery]:
    """Save ``deliveries``; the delivery task gets each once the current transaction commits."""
    Delivery.objects.bulk_create(deliveries)
    ids = [str(d.pk) for d in deliveries]

    def after_commit() -> None:
        from notifications.tasks import deliver

        for delivery_id in ids:
            deliver.delay(delivery_id)

    if ids:
        transaction.on_commit(after_commit)
    return deliveries


def send_logged(
    *, channel: str, to: str, body: str, subject: str = "", event_type: str, secret: str = "", user=None
) -> Delivery:
    """``core.messaging``'s sender: a message outside the inbox (a one-time code, a staff alert), logged.

    Sent at commit in this process, as before the log existed, so a code
    arrives while the person waits; a failure that may pass is retried by the
    delivery task, except for a message carrying a ``secret``: the log keeps
    only a masked copy, so that one try is the only one.
    """
    stored = body.replace(secret, "•" * len(secret)) if secret else body
    if user is None:  # a code to sign in: the account it belongs to, if any, for the staff history
        from django.contrib.auth import get_user_model

        match = {"phone": to} if channel == Channel.SMS else {"email": to.lower()}
        user = get_user_model().objects.filter(**match).first()
    delivery = Delivery.objects.create(
        user=user, event_type=event_type, channel=channel, destination=to, subject=subject, body=stored
    )

    def after_commit() -> None:
        from notifications.backends import DeliveryFailed
        from notifications.tasks import attempt_delivery, deliver

        try:
            attempt_delivery(delivery.pk, body=body, final=bool(secret))
        except DeliveryFailed:
            deliver.apply_async((str(delivery.pk),), countdown=settings.NOTIFICATION_RETRY_BASE_SECONDS)

    transaction.on_commit(after_commit)
    return delivery


def mark_read(*, user, notification_id) -> Notification | None:
    notification = Notification.objects.filter(pk=notification_id, user=user).first()
    if notification is not None and not notification.is_read:
        notification.is_read, notification.read_at = True, timezone.now()
        notification.save(update_fields=["is_read", "read_at", "updated_at"])
    return notification


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, is_read=False).update(
        is_read=True, read_at=timezone.now(), updated_at=timezone.now()
    )


def preferences_of(user) -> dict[str, dict[str, dict[str, bool]]]:
    """The person's preferences, read both ways, with their choices or the catalogue's defaults.

    ``preferences``: every event type and channel, as it will be sent
    (``{"booking_confirmed": {"sms": true, ...}}``). ``channels``: seed 004's
    shape, every channel and category (``{"email": {"reminders": true, ...}}``);
    a category with events shows whether all of them go out on the channel,
    one without events (``messages``) shows the choice stored for it.
    """
    chosen = {
        (key, channel): enabled
        for key, channel, enabled in NotificationPreference.objects.filter(user=user).values_list(
            "event_type", "channel", "enabled"
        )
    }

    def resolve(key: str, spec: catalogue.EventType, channel: str) -> bool:
        default = chosen.get((spec.category, channel), channel in spec.channels)
        return chosen.get((key, channel), default)

    by_event = {
        key: {channel: resolve(key, spec, channel) for channel in DELIVERY_CHANNELS}
        for key, spec in catalogue.EVENTS.items()
        if not spec.transactional
    }
    by_channel: dict[str, dict[str, bool]] = {}
    for channel in DELIVERY_CHANNELS:
        by_channel[channel] = {}
        for key, category in catalogue.CATEGORIES.items():
            members = catalogue.events_in(key)
            if members:
                by_channel[channel][key] = all(by_event[member][channel] for member in members)
            else:
                by_channel[channel][key] = chosen.get((key, channel), channel in category.channels)
    return {"preferences": by_event, "channels": by_channel}


def preferences_set(*, user, changes: dict[str, dict[str, bool]]) -> dict[str, dict[str, dict[str, bool]]]:
    """Store choices keyed by event type or category; a category's choice replaces its events' own on that channel.

    Categories are applied before event types, so a body that names both ends
    with the event's choice winning for that event.
    """
    categories = {key: channels for key, channels in changes.items() if key in catalogue.CATEGORIES}
    events = {key: channels for key, channels in changes.items() if key not in catalogue.CATEGORIES}
    given_way = Q()  # the category's events' own choices on the channels the category was just set for
    for key, channels in categories.items():
        given_way |= Q(event_type__in=catalogue.events_in(key), channel__in=list(channels))
    with transaction.atomic():
        if given_way:
            NotificationPreference.objects.filter(given_way, user=user).delete()
        rows = [
            NotificationPreference(user=user, event_type=key, channel=channel, enabled=enabled)
            for batch in (categories, events)
            for key, channels in batch.items()
            for channel, enabled in channels.items()
        ]
        NotificationPreference.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["user", "event_type", "channel"],
            update_fields=["enabled", "updated_at"],
        )
    return preferences_of(user)


def device_register(*, user, token: str, platform: str) -> tuple[DeviceToken, bool]:
    """Register (or move to this person, and switch back on) a phone's push token."""
    return DeviceToken.objects.update_or_create(
        token=token, defaults={"user": user, "platform": platform, "is_active": True}
    )


def device_remove(*, user, token: str) -> int:
    return DeviceToken.objects.filter(user=user, token=token).update(is_active=False)
