"""Resolving and closing a dispute (issue #20, seed 002 D5, D6); the rules are in ``bookings.services.disputes``'s
docstring.

Resolution types: ``full_refund`` (what the booking's payments still hold), ``partial_refund`` (an amount above 0
and at most that: 422 ``REFUND_EXCEEDS_REFUNDABLE`` naming ``resolution_amount`` above it), ``revisit`` and
``no_action`` (no amount: 422 naming it when one is given). The refund goes through
``payments.services.refunds.refund_create`` (newest payment first when there are several); the partner's earning
is reduced by their part (``hooks.PartnerPort.earning_share_refund``), then released. A gateway that refuses the
refund leaves it ``failed`` for staff to retry in the admin, and the resolution stands.

Locks: the booking, then the dispute, then (through the port) the partner and the earning; the refund is made
after the commit (``refund_create`` locks each payment). Two resolutions of one dispute serialise on the dispute
row; the second finds it resolved and gets 422 ``INVALID_DISPUTE_STATUS``, so one refund is made.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from bookings import hooks
from bookings.models import BOOKING_PAYABLE, DISPUTE_STATES, Booking, Dispute, DisputeResolution, DisputeStatus
from bookings.models.disputes import ACTIVE_DISPUTE_STATUSES
from bookings.services.disputes import DISPUTE_HOLD, dispute_lock, move, system_message
from bookings.services.lifecycle import booking_lock
from catalog.pricing import ZERO, money
from core.errors import DomainError, ErrorCode
from core.types import Id
from payments.errors import PaymentErrorCode
from payments.gateways.base import GatewayError
from payments.models import PAID_STATUSES, Payment, Refund, RefundType
from payments.services.refunds import refund_create, refund_pending_total

CLOSE_BATCH = 500
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Resolution:
    dispute: Dispute
    refunds: list[Refund]
    earning: dict[str, Any]


def _paid_payments(booking: Booking) -> list[Payment]:
    return list(
        Payment.objects.filter(
            payable_type=BOOKING_PAYABLE, payable_id=str(booking.pk), status__in=PAID_STATUSES
        ).order_by("-captured_at")
    )


def refundable_of(booking: Booking) -> Decimal:
    """What the booking's successful payments still hold (paid less refunded and refunds on their way)."""
    return sum((p.amount - p.amount_refunded - refund_pending_total(p) for p in _paid_payments(booking)), ZERO)


def _resolution_amount(booking: Booking, resolution_type: str, amount: Decimal | None) -> Decimal:
    refundable = refundable_of(booking)
    if resolution_type == DisputeResolution.FULL_REFUND:
        if refundable <= 0:
            raise DomainError(
                "Nothing is left to refund on this booking.",
                code=PaymentErrorCode.NOTHING_TO_REFUND,
                field="resolution_amount",
            )
        return refundable
    if resolution_type == DisputeResolution.PARTIAL_REFUND:
        if amount is None or amount <= 0:
            raise DomainError(
                "Say how much to refund.", code=ErrorCode.VALIDATION_ERROR, field="resolution_amount", reason="required"
            )
        if money(amount) > refundable:
            raise DomainError(
                f"At most {refundable} can be refunded for this booking.",
                code=PaymentErrorCode.REFUND_EXCEEDS_REFUNDABLE,
                field="resolution_amount",
                reason="exceeds_refundable",
                context={"refundable": str(refundable)},
            )
        return money(amount)
    if amount:
        raise DomainError(
            f"A {resolution_type.replace('_', ' ')} resolution refunds nothing.",
            code=ErrorCode.VALIDATION_ERROR,
            field="resolution_amount",
            reason="not_a_refund",
        )
    return ZERO


def _refund(booking: Booking, amount: Decimal, *, actor: User, reason: str) -> list[Refund]:
    """``amount`` from the booking's payments, newest first; a gateway refusal leaves that refund failed."""
    refunds: list[Refund] = []
    left = amount
    for payment in _paid_payments(booking):
        if left <= 0:
            break
        part = min(left, payment.amount - payment.amount_refunded - refund_pending_total(payment))
        if part <= 0:
            continue
        try:
            refunds.append(
                refund_create(
                    payment_pk=payment.pk,
                    refund_type=RefundType.FULL if part == payment.amount else RefundType.PARTIAL,
                    amount=part,
                    reason=reason,
                    requested_by=actor,
                )
            )
        except GatewayError:
            failed = Refund.objects.filter(payment=payment, status="failed").order_by("-created_at").first()
            if failed is not None:
                refunds.append(failed)
        except DomainError:  # another refund took the money between the resolution and now: staff settle it
            logger.warning("dispute refund not made", extra={"payment_id": str(payment.pk), "amount": str(part)})
        left -= part
    return refunds


def dispute_resolve(
    *,
    actor: User,
    dispute_id: Id,
    resolution_type: str,
    resolution_notes: str,
    resolution_amount: Decimal | None = None,
) -> Resolution:
    """D5, D6: resolve with a refund (full or partial), a revisit or no action; the earning follows."""
    if resolution_type not in DisputeResolution.values:
        raise DomainError(
            "Choose full_refund, partial_refund, revisit or no_action.",
            code=ErrorCode.VALIDATION_ERROR,
            field="resolution_type",
            reason="invalid_choice",
        )
    with transaction.atomic():
        dispute = dispute_lock(actor, dispute_id, manage=True)
        if dispute.status not in ACTIVE_DISPUTE_STATUSES:  # resolved twice, or closed: 422 before anything
            raise DISPUTE_STATES.refuse(dispute.status, DisputeStatus.RESOLVED)
        amount = _resolution_amount(dispute.booking, resolution_type, resolution_amount)
        now = timezone.now()
        move(
            dispute,
            DisputeStatus.RESOLVED,
            actor=actor,
            changes={
                "resolution_type": resolution_type,
                "resolution_notes": resolution_notes,
                "resolution_amount": amount,
                "resolved_by": actor,
                "resolved_at": now,
            },
            what=f"Resolved: {DisputeResolution(resolution_type).label.lower()}"
            + (f" of ₹{amount}" if amount > 0 else ""),
        )
        booking = dispute.booking
        earning: dict[str, Any] = {"outcome": "unchanged"}
        if amount > 0:
            earning = hooks.partners().earning_share_refund(
                booking_id=booking.pk,
                refund_amount=amount,
                grand_total=booking.grand_total,
                memo=f"Dispute refund on {booking.booking_number}",
            )
        hooks.partners().earning_release(booking_id=booking.pk, reason=DISPUTE_HOLD)
        dispute.evidence = {**dispute.evidence, "resolution": {"type": resolution_type, "earning": earning}}
        dispute.save(update_fields=["evidence", "updated_at"])
    # The money moves once the resolution is committed, as a cancellation's refund does: a gateway call made inside
    # the transaction could not be taken back if it then rolled back. The second of two resolutions never gets here.
    refunds = _refund(booking, amount, actor=actor, reason=f"Dispute on {booking.booking_number}") if amount else []
    if refunds:
        dispute.refund = refunds[0]
        Dispute.objects.filter(pk=dispute.pk).update(refund=refunds[0])
    return Resolution(dispute=dispute, refunds=refunds, earning=earning)


def dispute_close(*, actor: User, dispute_id: Id) -> Dispute:
    with transaction.atomic():
        dispute = dispute_lock(actor, dispute_id, manage=True)
        move(dispute, DisputeStatus.CLOSED, actor=actor, changes={"closed_at": timezone.now()}, what="Closed")
    return dispute


def disputes_close_resolved(*, now: datetime | None = None) -> int:
    """The daily scan: close disputes resolved more than ``DISPUTE_CLOSE_DAYS`` ago, each under its lock."""
    now = now or timezone.now()
    due = Dispute.objects.filter(
        status=DisputeStatus.RESOLVED, resolved_at__lte=now - timedelta(days=settings.DISPUTE_CLOSE_DAYS)
    )
    closed = 0
    for pk, booking_id in list(due.values_list("pk", "booking_id")[:CLOSE_BATCH]):
        with transaction.atomic():
            booking_lock(booking_id)
            dispute = due.select_for_update().filter(pk=pk).first()
            if dispute is None:
                continue
            DISPUTE_STATES.move(dispute, DisputeStatus.CLOSED, changes={"closed_at": now})
            system_message(dispute, f"Closed automatically {settings.DISPUTE_CLOSE_DAYS} days after the resolution.")
            closed += 1
    return closed
