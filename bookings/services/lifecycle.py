"""Booking state changes: one transition function, and cancel, reschedule and rate on top of it.

:func:`booking_transition` locks the booking row, checks
``BOOKING_TRANSITIONS``, writes the timeline entry and sends seed 002's
``booking_status_change`` to ``ws/bookings/{id}/`` (and seed 004's
``booking:status_changed`` to the customer's ``ws/notifications/`` channel) after commit. An illegal
change is ``422 INVALID_BOOKING_STATUS``.

Cancellation (seed 000 settings): free within ``FREE_CANCELLATION_MINUTES`` of
booking, otherwise ``CANCELLATION_FEE_PERCENTAGE`` of the total is kept; a
paid booking is refunded the rest through the payments layer, after the
cancellation commits (the gateway call is not made under the row lock). No
cancelling once the job is in progress or done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from bookings import hooks
from bookings import notify as booking_notify
from bookings.errors import BookingErrorCode
from bookings.models import (
    BOOKING_PAYABLE,
    BOOKING_STATES,
    Booking,
    BookingEvent,
    BookingPaymentStatus,
    BookingStatus,
    CancelledBy,
)
from bookings.services import slots
from catalog.pricing import ZERO, money
from core import system_settings
from core.errors import DomainError, ErrorCode
from core.events import send_event_on_commit
from core.statemachine import Transition
from core.types import Id
from payments.errors import PaymentErrorCode
from payments.gateways.base import GatewayError
from payments.models import PAID_STATUSES, Payment, RefundType
from payments.services.refunds import refund_create, refund_pending_total

CANCELLABLE = {BookingStatus.PENDING, BookingStatus.PARTNER_ASSIGNED, BookingStatus.CONFIRMED}
RESCHEDULABLE = CANCELLABLE


def booking_group(booking_id: Id) -> str:
    return f"booking.{booking_id}"


def booking_lock(booking_id: Id) -> Booking:
    booking = Booking.objects.select_for_update().filter(pk=booking_id).first()
    if booking is None:
        raise DomainError("Booking not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="id")
    return booking


def booking_transition(
    booking: Booking,
    new_status: str,
    *,
    actor: User | None = None,
    action: str = "status_changed",
    note: str = "",
    event_extra: dict[str, Any] | None = None,
    **fields: Any,
) -> Booking:
    """Move a locked booking to ``new_status`` (call inside a transaction; ``BOOKING_STATES``).

    ``new_status`` equal to the current status records a step that does not
    change the booking's status (a partner arriving), with the same event.
    """

    def record(change: Transition[Booking]) -> None:
        BookingEvent.objects.create(
            booking=booking, old_status=change.old, new_status=change.new, action=action, actor=actor, note=note
        )
        booking_notify.on_transition(booking, action, event_extra)
        booking_notify.status_changed_live(booking, change.old, change.new)
        booking_notify.webhooks_on_transition(booking, change.old, action, event_extra)
        send_event_on_commit(
            booking_group(booking.pk),
            "booking_status_change",
            {
                "booking_id": str(booking.pk),
                "old_status": change.old,
                "new_status": change.new,
                "timestamp": timezone.now().isoformat().replace("+00:00", "Z"),
                "action": action,
                **(event_extra or {}),
            },
        )

    BOOKING_STATES.move(booking, new_status, changes=fields, on_change=record)
    return booking


@dataclass(frozen=True)
class Cancellation:
    booking: Booking
    fee: Decimal
    refund_amount: Decimal
    refund_status: str  # none | processing | processed | failed


def _own(user: User, booking: Booking) -> None:
    if booking.user_id != user.pk:
        raise DomainError("Booking not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="id")


def _refundable(booking: Booking) -> Decimal:
    """What the booking's successful payments still hold (paid less refunded and pending refunds)."""
    payments = Payment.objects.filter(
        payable_type=BOOKING_PAYABLE, payable_id=str(booking.pk), status__in=PAID_STATUSES
    )
    return sum((p.amount - p.amount_refunded - refund_pending_total(p) for p in payments), ZERO)


def booking_cancel(
    *,
    user: User,
    booking_id: Id,
    reason: str = "",
    by: str = CancelledBy.CUSTOMER,
    refund_amount: Decimal | None = None,
) -> Cancellation:
    """Cancel under the policy (free window, then the fee); staff may set ``refund_amount`` themselves.

    A staff refund may be anything from 0 to what the payments still hold;
    above that it is ``422 REFUND_EXCEEDS_REFUNDABLE`` and nothing changes.
    """
    override = refund_amount
    with transaction.atomic():
        booking = booking_lock(booking_id)
        if by == CancelledBy.CUSTOMER:
            _own(user, booking)
        if booking.status not in CANCELLABLE:
            raise DomainError(
                "This booking can no longer be cancelled.",
                code=BookingErrorCode.CANCELLATION_NOT_ALLOWED,
                reason="too_late",
                context={"status": booking.status},
            )
        free_until = booking.created_at + timedelta(minutes=system_settings.value("free_cancellation_minutes"))
        paid = booking.payment_status == BookingPaymentStatus.PAID
        fee = (
            ZERO
            if timezone.now() <= free_until
            else money(booking.grand_total * system_settings.value("cancellation_fee_percentage") / 100)
        )
        refund_amount = money(booking.grand_total - fee) if paid else ZERO
        if override is not None:
            refundable = _refundable(booking)
            if money(override) > refundable:
                raise DomainError(
                    f"At most {refundable} can be refunded for this booking.",
                    code=PaymentErrorCode.REFUND_EXCEEDS_REFUNDABLE,
                    field="refund_amount",
                    reason="exceeds_refundable",
                    context={"refundable": str(refundable)},
                )
            refund_amount = money(override)
            fee = money(booking.grand_total - refund_amount) if paid else ZERO
        booking_transition(
            booking,
            BookingStatus.CANCELLED,
            actor=user,
            action="cancelled",
            note=reason,
            cancelled_at=timezone.now(),
            cancelled_by=by,
            cancellation_reason=reason,
            cancellation_fee=fee if paid else ZERO,
            refund_amount=refund_amount,
        )
        hooks.partners().booking_cancelled(booking_id=booking.pk, by=by)
    refund_status = "none"
    if refund_amount > 0:
        payment = (
            Payment.objects.filter(payable_type=BOOKING_PAYABLE, payable_id=str(booking.pk), status__in=PAID_STATUSES)
            .order_by("-captured_at")
            .first()
        )
        try:
            if payment is None:
                raise DomainError("No captured payment to refund.", code=PaymentErrorCode.PAYMENT_NOT_FOUND)
            refund = refund_create(
                payment_pk=payment.pk,
                refund_type=RefundType.FULL if fee == 0 else RefundType.PARTIAL,
                amount=refund_amount,
                reason=f"Cancellation of {booking.booking_number}",
                requested_by=user,
            )
            refund_status = "processed" if refund.status == "processed" else "processing"
        except (GatewayError, DomainError):
            refund_status = "failed"  # staff see the failed refund in the admin and retry it
    booking.refresh_from_db()
    return Cancellation(
        booking=booking, fee=fee if paid else ZERO, refund_amount=refund_amount, refund_status=refund_status
    )


def booking_reschedule(*, user: User, booking_id: Id, new_date: date, new_time: str) -> Booking:
    """Seed 004: move the booking to another offered slot, before the partner is on the way.

    A booking that had a partner goes back to ``pending``; ``hooks.PartnerPort.booking_rescheduled``
    lets the partners engine ask the same partner again or find another.
    """
    slot = slots.parse_slot(new_time)
    current = Booking.objects.filter(pk=booking_id, user=user).first()
    if current is None:
        raise DomainError("Booking not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="id")
    if slot not in slots.available_slots(new_date, slot_request_of(current)):
        raise DomainError(
            "That time is not available. Please choose one of the offered slots.",
            code=BookingErrorCode.SLOT_UNAVAILABLE,
            field="new_time",
            reason="not_offered",
        )
    with transaction.atomic():
        booking = booking_lock(booking_id)
        _own(user, booking)
        if booking.status not in RESCHEDULABLE:
            raise DomainError(
                "This booking can no longer be rescheduled.",
                code=BookingErrorCode.INVALID_BOOKING_STATUS,
                reason="too_late",
                context={"status": booking.status},
            )
        length = booking.scheduled_end - booking.scheduled_start
        start = slots.slot_start(new_date, slot)
        fields: dict[str, Any] = {
            "booking_date": new_date,
            "booking_time": slot,
            "scheduled_start": start,
            "scheduled_end": start + length,
        }
        old_start = booking.scheduled_start
        note = f"from {old_start.isoformat()}"
        # A pending booking stays pending (a recorded step); a partner's job goes back to pending for dispatch.
        booking_transition(booking, BookingStatus.PENDING, actor=user, action="rescheduled", note=note, **fields)
        hooks.partners().booking_rescheduled(booking_id=booking.pk, old_start=old_start)
    return booking


def slot_request_of(booking: Booking) -> hooks.SlotRequest:
    """What a booking's slot must fit (its services, length and address), its own partner time not counted."""
    rows = [
        {
            "category_id": item.service.category_id,
            "tier": item.service.tier,
            "duration_minutes": item.duration_minutes,
            "quantity": item.quantity,
        }
        for item in booking.items.select_related("service")
    ]
    return slots.request_for(rows, booking.address_snapshot, exclude_booking_id=booking.pk)


def booking_rate(*, user: User, booking_id: Id, rating: int, feedback: str = "") -> Booking:
    with transaction.atomic():
        booking = booking_lock(booking_id)
        _own(user, booking)
        if booking.status != BookingStatus.COMPLETED:
            raise DomainError(
                "Only a completed booking can be rated.",
                code=BookingErrorCode.INVALID_BOOKING_STATUS,
                reason="not_completed",
                context={"status": booking.status},
            )
        if booking.customer_rating is not None:
            raise DomainError("You have already rated this booking.", code=ErrorCode.CONFLICT, reason="already_rated")
        booking.customer_rating, booking.customer_feedback, booking.rated_at = rating, feedback, timezone.now()
        booking.save(update_fields=["customer_rating", "customer_feedback", "rated_at", "updated_at"])
        BookingEvent.objects.create(booking=booking, action="rated", actor=user, note=str(rating))
        hooks.partners().booking_rated(booking_id=booking.pk, rating=rating)
    return booking
