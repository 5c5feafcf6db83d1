"""Booking state changes: one transition function, and cancel, reschedule and rate on top of it.

:func:`booking_transition` locks the booking row, checks
``BOOKING_TRANSITIONS``, writes the timeline entry and sends seed 002's
``booking_status_change`` to ``ws/bookings/{id}/`` (and seed 004's
``booking:status_changed`` to the customer's ``ws/notifications/`` channel) after commit. An illegal
change is ``422 INVALID_BOOKING_STATUS``.

Cancellation follows ``bookings.policy`` (seed 000's free window then a fee
for dispatched services; seed 004's notice before the start for
appointments); a paid booking is refunded what the policy returns through the
payments layer, after the cancellation commits (the gateway call is not made
under the row lock). No cancelling once the job is in progress or done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from bookings import hooks, policy
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
from bookings.services import loyalty, slots
from catalog.pricing import ZERO, money
from core.errors import DomainError, ErrorCode
from core.events import send_event_on_commit
from core.statemachine import Transition
from core.types import Id
from payments.errors import PaymentErrorCode
from payments.gateways.base import GatewayError
from payments.models import PAID_STATUSES, Payment, RefundType
from payments.services.refunds import refund_create, refund_pending_total

SETTLED = (BookingPaymentStatus.PAID, BookingPaymentStatus.DEPOSIT_PAID)


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

    old_status = booking.status
    BOOKING_STATES.move(booking, new_status, changes=fields, on_change=record)
    if new_status == BookingStatus.COMPLETED and old_status != BookingStatus.COMPLETED:
        loyalty.loyalty_award_completion(booking=booking)  # seed 004: same transaction, once per booking
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
        paid = booking.payment_status in SETTLED
        captured = _refundable(booking) if paid else ZERO
        answer = policy.terms(booking, now=timezone.now(), captured=captured, by=by)
        if not answer.can_cancel:
            too_late = answer.reason == "past_deadline"
            raise DomainError(
                (
                    f"Cancelling is possible until {answer.deadline:%Y-%m-%d %H:%M} UTC."
                    if too_late and answer.deadline
                    else "This booking can no longer be cancelled."
                ),
                code=BookingErrorCode.CANCELLATION_NOT_ALLOWED,
                reason="past_deadline" if too_late else "too_late",
                context={
                    "status": booking.status,
                    **({"cancellation_deadline": answer.deadline.isoformat()} if answer.deadline else {}),
                },
            )
        fee, refund_amount = answer.fee, answer.refund
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
            fee = money(captured - refund_amount) if paid else ZERO
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


def booking_reschedule(
    *,
    user: User,
    booking_id: Id,
    new_date: date | None = None,
    new_time: str | None = None,
    new_start: datetime | None = None,
    reason: str = "",
) -> Booking:
    """Seed 004: move the booking to another offered slot, before the partner is on the way.

    A booking that had a partner goes back to ``pending``; ``hooks.PartnerPort.booking_rescheduled``
    lets the partners engine ask the same partner again or find another. An appointment (a chosen
    provider) moves on its provider's agenda instead (``hooks.PartnerPort.appointment_move``), while
    ``bookings.policy`` lets the customer (until the notice deadline); ``new_start`` is an instant, or
    ``new_date`` and ``new_time`` are read in the provider's zone.
    """
    current = Booking.objects.select_related("requested_partner").filter(pk=booking_id, user=user).first()
    if current is None:
        raise DomainError("Booking not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="id")
    if current.is_appointment:
        return _appointment_reschedule(current, user, new_date, new_time, new_start, reason)
    if new_date is None or new_time is None:
        raise DomainError("Choose a day and a time.", code=ErrorCode.VALIDATION_ERROR, field="new_date")
    slot = slots.parse_slot(new_time)
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
        if not policy.terms(booking, now=timezone.now(), captured=ZERO).can_reschedule:
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


def _appointment_reschedule(
    booking: Booking,
    user: User,
    new_date: date | None,
    new_time: str | None,
    new_start: datetime | None,
    reason: str,
) -> Booking:
    answer = policy.terms(booking, now=timezone.now(), captured=ZERO)
    if not answer.can_reschedule:
        raise DomainError(
            "This appointment can no longer be moved."
            + (f" Changes were possible until {answer.deadline:%Y-%m-%d %H:%M} UTC." if answer.deadline else ""),
            code=BookingErrorCode.INVALID_BOOKING_STATUS,
            reason=answer.reason,
            context={"status": booking.status},
        )
    if new_start is None:
        if new_date is None or new_time is None:
            raise DomainError("Choose the new time.", code=ErrorCode.VALIDATION_ERROR, field="new_scheduled_at")
        zone = ZoneInfo(booking.requested_partner.timezone if booking.requested_partner else "UTC")
        new_start = datetime.combine(new_date, slots.parse_slot(new_time), tzinfo=zone)
    hooks.partners().appointment_move(booking_id=booking.pk, start=new_start, actor=user, reason=reason)
    booking.refresh_from_db()
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
    """Seed 000's rating is seed 004's review (``bookings.services.reviews``): the same rules and row."""
    from bookings.services.reviews import review_create  # reviews builds on this module

    review = review_create(user=user, booking_id=booking_id, rating=rating, comment=feedback)
    return review.booking
