"""Every committed payment change reaches its payable, exactly once (seed 000: a captured payment confirms its booking).

A transition (``payments.services.payments.payment_transition``) bumps the
payment's ``event_version`` in its own transaction and, once that commits,
calls :func:`payable_sync_after_commit`. :func:`payable_sync` locks the
payment, builds the event from what the payable last heard
(``payable_status``) and the payment's state now, calls the adapter, and
records the acknowledgement in the same transaction as the adapter's own
writes: either both commit or neither does. So a payable never hears a change
twice, and a callback that fails (a bug, a lock timeout, a database restart)
leaves the payment visibly lagging instead of silently lost.

A lagging payment is retried by ``payments.tasks.sync_payable`` (backoff), and
``payments.tasks.sweep_lagging_payables`` re-queues any whose task was lost.
Changes that commit before a retry reaches the payable are told as one event
(the latest status, with the status the payable last heard as ``old_status``):
adapters react to the state, not to the path.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.jobs import enqueue
from core.types import Id
from payments import registry
from payments.models import Payment, PaymentStatus

logger = logging.getLogger(__name__)

SYNC_TASK = "payments.tasks.sync_payable"
RETRY_AFTER_SECONDS = 30
SWEEP_AFTER = timedelta(minutes=2)
SWEEP_BATCH = 500


def payable_sync(*, payment_pk: Id) -> bool:
    """Tell the payable the payment's latest committed state unless it has heard it; returns whether it told."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(pk=payment_pk).first()
        if payment is None or payment.payable_version >= payment.event_version:
            return False
        event = registry.PaymentEvent(
            payable_type=payment.payable_type,
            payable_id=payment.payable_id,
            payment_id=str(payment.pk),
            kind=payment.kind,
            old_status=payment.payable_status or PaymentStatus.PENDING,  # every payment starts pending
            new_status=payment.status,
            amount=payment.amount,
            amount_refunded=payment.amount_refunded,
        )
        registry.adapter_for(payment.payable_type).on_payment_event(event)
        Payment.objects.filter(pk=payment.pk).update(
            payable_version=payment.event_version, payable_status=payment.status
        )
    return True


def payable_sync_after_commit(payment_pk: Id) -> None:
    """Right after a transition commits: tell the payable now, so the request's answer already shows it.

    A failure is logged and handed to the retried task; the caller's committed payment stands. If the broker
    cannot take the task either, the sweep finds the lagging payment.
    """
    try:
        payable_sync(payment_pk=payment_pk)
    except Exception:
        logger.exception("The payable of payment %s did not take its change; retrying in the worker", payment_pk)
        try:
            enqueue(SYNC_TASK, str(payment_pk), countdown=RETRY_AFTER_SECONDS)
        except Exception:
            logger.exception("Could not queue the retry for payment %s; the sweep will find it", payment_pk)


def lagging_payments(*, older_than: timedelta = SWEEP_AFTER, limit: int = SWEEP_BATCH) -> list[str]:
    """Payments whose payable has not heard their latest change, untouched for ``older_than``."""
    stale = timezone.now() - older_than
    rows = Payment.objects.filter(event_version__gt=F("payable_version"), updated_at__lt=stale)
    return [str(pk) for pk in rows.order_by("updated_at").values_list("pk", flat=True)[:limit]]
