"""Sending one delivery: one try on its channel, every attempt logged, and whether to try again.

A delivery still pending ``NOTIFICATION_MAX_AGE_HOURS`` after it was written is not sent but ``expired``
(a worker that was down for a day, or ``seed_demo``'s past history, must not send yesterday's "on the way").

``attempt_delivery`` is the try (``notifications.tasks.deliver`` runs it and
retries with :func:`retry_countdown`; ``notifications.tasks.deliver_many`` runs
:func:`attempt_deliveries`, first tries of several); ``send_logged`` sends a message outside
the inbox (a one-time code, a staff alert) through the same log.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from core.jobs import enqueue, task_named
from core.types import Id
from notifications.backends import DeliveryFailed, Outgoing, UnregisteredDevice, backend_for
from notifications.models import Channel, Delivery, DeliveryAttempt, DeliveryStatus, DeviceToken
from notifications.services.inbox import DELIVER_TASK, queue_quietly

logger = logging.getLogger(__name__)

# A try whose send began this long ago and never finished is taken as dead (its worker was lost):
# until then another task for the same delivery does not send it a second time.
IN_FLIGHT = timedelta(minutes=5)
# A pending delivery is queued again by the sweep once its next try is this late.
SWEEP_GRACE = timedelta(minutes=2)
SWEEP_BATCH = 500


def attempt_delivery(delivery_id: Id, *, body: str | None = None, final: bool = False) -> str:
    """One try; returns the delivery's status. Raises ``DeliveryFailed`` when a retry should follow.

    ``body`` replaces the logged text when the log holds a masked copy (a
    one-time code); ``final`` makes this try the last whatever its outcome.
    """
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status != DeliveryStatus.PENDING:
            return delivery.status if delivery else "missing"
        now = timezone.now()
        if delivery.created_at < now - timedelta(hours=settings.NOTIFICATION_MAX_AGE_HOURS):
            error = f"Not sent: written {delivery.created_at:%Y-%m-%d %H:%M} UTC, too old to matter now."
            Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.EXPIRED, error=error, updated_at=now)
            return DeliveryStatus.EXPIRED
        sending = DeliveryAttempt.objects.filter(
            delivery=delivery, finished_at__isnull=True, started_at__gt=now - IN_FLIGHT
        )
        if sending.exists():  # another task is sending it right now (a re-queued copy): never twice
            return delivery.status
        Delivery.objects.filter(pk=delivery.pk).update(attempts=F("attempts") + 1, updated_at=now)
        delivery.refresh_from_db(fields=["attempts"])
        attempt = DeliveryAttempt.objects.create(
            delivery=delivery, number=delivery.attempts, status=DeliveryStatus.PENDING, started_at=now
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


def attempt_deliveries(delivery_ids: list[str]) -> dict[str, int]:
    """A try of each delivery, one after the other; returns how many ended in each status.

    Each goes through :func:`attempt_delivery`, so each is sent at most once whoever else holds its id (a copy
    of this message, the sweep's). One whose try should be retried goes on alone: its ``deliver`` task is
    queued as that task's own first retry would be (``retry_countdown(0)`` later, counted as retry 1). One that
    raised anything else is logged and left pending for the sweep; the rest are still tried.
    """
    outcome: dict[str, int] = {}
    for delivery_id in delivery_ids:
        try:
            status = attempt_delivery(delivery_id)
        except DeliveryFailed:
            status = "retrying" if _queue_retry(delivery_id) else "left to the sweep"
        except Exception:
            logger.exception("delivery %s raised: left to the sweep", delivery_id)
            status = "left to the sweep"
        outcome[status] = outcome.get(status, 0) + 1
    return outcome


def _queue_retry(delivery_id: str) -> bool:
    try:
        task_named(DELIVER_TASK).apply_async(args=(delivery_id,), countdown=retry_countdown(0), retries=1)
    except Exception:  # the broker is down: the failed try is logged, the sweep queues the retry
        logger.exception("could not queue the retry of delivery %s: left to the sweep", delivery_id)
        return False
    return True


def _finish(
    delivery: Delivery,
    attempt: DeliveryAttempt,
    status: str,
    *,
    error: str = "",
    provider: str = "",
    provider_id: str = "",
    final: bool = True,
) -> None:
    now = timezone.now()
    fields = {"provider": provider, "error": error, "provider_message_id": provider_id, "updated_at": now}
    if status == DeliveryStatus.SENT:
        fields.update(status=status, sent_at=now)
    elif final:
        fields.update(status=status)
    # One transaction: a copy of the task that reads the delivery between the two would find it pending with
    # no try in flight, and send it again.
    with transaction.atomic():
        DeliveryAttempt.objects.filter(pk=attempt.pk).update(
            status=status, error=error, provider=provider, provider_message_id=provider_id, finished_at=now
        )
        Delivery.objects.filter(pk=delivery.pk).update(**fields)


def retry_countdown(retries: int) -> float:
    """Seconds before the next try after ``retries`` retries: the base delay, doubled each time."""
    return float(settings.NOTIFICATION_RETRY_BASE_SECONDS * (2 ** (retries or 0)))


def lost_deliveries(now: datetime | None = None) -> list[str]:
    """Pending deliveries whose next try is more than :data:`SWEEP_GRACE` late: their task was lost.

    Not tried yet: created (or last touched) before the grace. Tried and failed
    ``n`` times: the retry was due ``retry_countdown(n - 1)`` after the last
    try. ``send_logged``'s messages are sent in the request, and their log may
    hold only a masked copy (a one-time code): one is swept only once a try of
    it has finished and failed, which a one-time code's never leaves pending.
    """
    now = now or timezone.now()
    due = Q(attempts=0, updated_at__lt=now - SWEEP_GRACE)
    last = max(settings.NOTIFICATION_MAX_ATTEMPTS, 1)
    for tries in range(1, last + 1):
        late = now - SWEEP_GRACE - timedelta(seconds=retry_countdown(tries - 1))
        due |= Q(attempts__gte=tries, updated_at__lt=late) if tries == last else Q(attempts=tries, updated_at__lt=late)
    unfinished = DeliveryAttempt.objects.filter(delivery=OuterRef("pk"), finished_at__isnull=True)
    queued_by_task = Q(notification__isnull=False) | Q(endpoint__isnull=False)
    retry_lost = Q(attempts__gt=0) & ~Exists(unfinished)
    rows = Delivery.objects.filter(due, status=DeliveryStatus.PENDING).filter(queued_by_task | retry_lost)
    return [str(pk) for pk in rows.order_by("created_at").values_list("pk", flat=True)[:SWEEP_BATCH]]


def sweep_lost_deliveries(now: datetime | None = None) -> int:
    """Queue again the deliveries whose task was lost (broker down, worker gone); returns how many.

    A copy that meets the original still sends once: :func:`attempt_delivery`
    locks the row, skips one no longer pending and one being sent.
    """
    return queue_quietly(lost_deliveries(now))


def send_logged(
    *,
    channel: str,
    to: str,
    body: str,
    subject: str = "",
    event_type: str,
    secret: str = "",
    user: User | None = None,
    fallback: str = "",
) -> Delivery:
    """``core.messaging``'s sender: a message outside the inbox (a one-time code, a staff alert), logged.

    Sent at commit in this process, as before the log existed, so a code
    arrives while the person waits; a failure that may pass is retried by the
    delivery task, except for a message carrying a ``secret``: the log keeps
    only a masked copy, so that one try is the only one. Such a message that
    fails over its channel is sent once more over ``fallback`` (a WhatsApp code
    goes by SMS), as a second logged delivery.
    """
    stored = body.replace(secret, "•" * len(secret)) if secret else body
    if user is None:  # a code to sign in: the account it belongs to, if any, for the staff history
        from django.contrib.auth import get_user_model

        match = {"phone": to} if channel in (Channel.SMS, Channel.WHATSAPP) else {"email": to.lower()}
        user = get_user_model().objects.filter(**match).first()
    delivery = Delivery.objects.create(
        user=user, event_type=event_type, channel=channel, destination=to, subject=subject, body=stored
    )

    def after_commit() -> None:
        try:
            status = attempt_delivery(delivery.pk, body=body, final=bool(secret))
            if status == DeliveryStatus.FAILED and fallback and fallback != channel:
                again = Delivery.objects.create(
                    user=user, event_type=event_type, channel=fallback, destination=to, subject=subject, body=stored
                )
                attempt_delivery(again.pk, body=body, final=True)
        except DeliveryFailed:
            try:
                enqueue(DELIVER_TASK, str(delivery.pk), countdown=retry_countdown(0))
            except Exception:  # the broker is down: the change is committed, the failed try is logged
                logger.exception("could not queue the retry of delivery %s", delivery.pk)

    transaction.on_commit(after_commit)
    return delivery
