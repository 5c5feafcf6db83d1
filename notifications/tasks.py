"""Delivery task: one message on one channel, retried with backoff, every attempt logged."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications.backends import DeliveryFailed, Outgoing, UnregisteredDevice, backend_for
from notifications.models import Delivery, DeliveryAttempt, DeliveryStatus, DeviceToken

logger = logging.getLogger(__name__)


def attempt_delivery(delivery_id, *, body: str | None = None, final: bool = False) -> str:
    """One try; returns the delivery's status. Raises ``DeliveryFailed`` when a retry should follow.

    ``body`` replaces the logged text when the log holds a masked copy (a
    one-time code); ``final`` makes this try the last whatever its outcome.
    """
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status != DeliveryStatus.PENDING:
            return delivery.status if delivery else "missing"
        Delivery.objects.filter(pk=delivery.pk).update(attempts=F("attempts") + 1)
        delivery.refresh_from_db(fields=["attempts"])
        attempt = DeliveryAttempt.objects.create(
            delivery=delivery, number=delivery.attempts, status=DeliveryStatus.PENDING, started_at=timezone.now()
        )
    message = Outgoing(
        to=delivery.destination,
        body=delivery.body if body is None else body,
        subject=delivery.subject,
        data={
            "notification_id": str(delivery.notification_id or ""),
            "type": delivery.event_type,
            "delivery_id": str(delivery.pk),
            "endpoint_id": str(delivery.endpoint_id or ""),
        },
    )
    backend = None
    try:
        backend = backend_for(delivery.channel)
        provider_id = backend.send(message)
    except DeliveryFailed as exc:
        failure = exc
    except Exception as exc:  # a misconfigured backend or a library's own error: logged and retried, never lost
        logger.exception("delivery %s over %s raised", delivery.pk, delivery.channel)
        failure = DeliveryFailed(
            f"{type(exc).__name__}: {exc}", retryable=True, provider=getattr(backend, "provider", "")
        )
    else:
        provider = getattr(backend, "provider", "")
        _finish(delivery, attempt, DeliveryStatus.SENT, provider=provider, provider_id=provider_id or "")
        return DeliveryStatus.SENT
    last = final or not failure.retryable or delivery.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
    _finish(delivery, attempt, DeliveryStatus.FAILED, error=str(failure), provider=failure.provider, final=last)
    if isinstance(failure, UnregisteredDevice):
        DeviceToken.objects.filter(token=delivery.destination).update(is_active=False)
    if last:
        return DeliveryStatus.FAILED
    raise failure


def _finish(delivery, attempt, status: str, *, error: str = "", provider: str = "", provider_id: str = "", final=True):
    now = timezone.now()
    DeliveryAttempt.objects.filter(pk=attempt.pk).update(
        status=status, error=error, provider=provider, provider_message_id=provider_id, finished_at=now
    )
    fields = {"provider": provider, "error": error, "provider_message_id": provider_id, "updated_at": now}
    if status == DeliveryStatus.SENT:
        fields.update(status=status, sent_at=now)
    elif final:
        fields.update(status=status)
    Delivery.objects.filter(pk=delivery.pk).update(**fields)


@shared_task(bind=True, max_retries=None, acks_late=True)
def deliver(self, delivery_id: str) -> str:
    try:
        return attempt_delivery(delivery_id)
    except DeliveryFailed as exc:
        countdown = settings.NOTIFICATION_RETRY_BASE_SECONDS * (2 ** (self.request.retries or 0))
        raise self.retry(exc=exc, countdown=countdown) from exc


BROADCAST_CHUNK = 500


@shared_task(acks_late=True)
def broadcast_chunk(user_ids: list[str], title: str, message: str, data: dict | None = None) -> int:
    """One chunk of a staff broadcast: an inbox entry (and deliveries) per person, as the ``promotion`` event."""
    from django.contrib.auth import get_user_model

    from notifications.services import notify

    sent = 0
    for person in get_user_model().objects.filter(pk__in=user_ids, is_active=True):
        with transaction.atomic():
            notify("promotion", user=person, context={"title": title, "message": message}, data=data or {})
        sent += 1
    return sent


def broadcast(user_ids: list[str], *, title: str, message: str, data: dict | None = None) -> int:
    """Queue a broadcast in chunks; returns the number of chunks."""
    chunks = [user_ids[i : i + BROADCAST_CHUNK] for i in range(0, len(user_ids), BROADCAST_CHUNK)]
    for chunk in chunks:
        broadcast_chunk.delay(chunk, title, message, data)
    return len(chunks)
