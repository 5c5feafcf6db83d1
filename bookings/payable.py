"""Bookings as a payable of the payments layer (``payments.registry``), registered in ``BookingsConfig.ready``.

A captured payment marks the booking paid and asks for a partner
(``hooks.PartnerPort.assignment_requested``); an appointment (issue #18) has its provider already, so a
capture of its full price or its deposit (``deposit_paid``) turns its unpaid hold into ``confirmed``, or
``pending`` when the specialist confirms it (seed 004); a failed one leaves it pending and payable again;
refunds set the booking's payment status. Each change is on the booking's timeline.

Loyalty points (seed 004, ``bookings.services.loyalty``): what is due is the grand total less the booking's
``loyalty_discount``; a captured payment commits the points reserved on the booking, a failed one releases them
and a full refund reverses the points the booking earned. That runs first, before any early return, so a failed
balance after a paid deposit still gives the points back.

A booking that is already cancelled reacts differently: a capture is a *late
capture*, refunded in full (``bookings.services.expiry``); a failed or closed
order tells the customer nothing (there is nothing left to pay for); and once
a cancelled booking's payments are all refunded it becomes ``refunded``
(seed 000's status, reached only this way).

The payments layer calls :meth:`BookingPayable.on_payment_event` inside a
transaction that also records that the booking heard the change, so a failure
here is retried by that layer and never lost (``payments.services.payable_sync``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import User
from bookings import hooks
from bookings.models import (
    BOOKING_PAYABLE,
    Booking,
    BookingEvent,
    BookingPaymentStatus,
    BookingStatus,
    PaymentMode,
)
from bookings.notify import PAYMENT_EVENTS, notify_booking, payment_changed_live
from bookings.services import loyalty
from bookings.services.expiry import CLOSED, booking_record_late_capture
from bookings.services.lifecycle import booking_group, booking_transition
from core.errors import DomainError
from core.events import send_event_on_commit
from core.types import is_uuid
from payments.models import Payment, PaymentKind, PaymentStatus
from payments.registry import Payable, PayableAdapter, PaymentEvent

GONE = (BookingStatus.CANCELLED, BookingStatus.EXPIRED)  # closed, not yet marked refunded
SETTLED = (BookingPaymentStatus.PAID, BookingPaymentStatus.DEPOSIT_PAID)
PAYMENT_STATUS = {
    "success": BookingPaymentStatus.PAID,
    "failed": BookingPaymentStatus.FAILED,
    "partially_refunded": BookingPaymentStatus.PARTIALLY_REFUNDED,
    "refunded": BookingPaymentStatus.REFUNDED,
}


class BookingPayable(PayableAdapter):
    def describe(self, payable_id: str) -> Payable | None:
        booking = Booking.objects.filter(pk=payable_id).first() if is_uuid(payable_id) else None
        if booking is None:
            return None
        return Payable(
            type=BOOKING_PAYABLE,
            id=str(booking.pk),
            amount_due=booking.grand_total - booking.loyalty_discount,  # seed 004: points reserved or spent
            deposit_amount=booking.deposit_amount,
            owner_id=booking.user_id,
            reference=booking.booking_number,
            description=f"Booking {booking.booking_number}",
            prefill={"name": booking.contact_name, "email": booking.contact_email, "contact": booking.contact_phone},
            gateway_notes={"booking_id": str(booking.pk), "booking_number": booking.booking_number},
            client_fields={
                "booking_id": str(booking.pk),
                "booking_number": booking.booking_number,
                "booking_status": booking.status,
            },
            # Seed 004: an appointment's balance (the price less the deposit) is paid after the session.
            balance_open=not booking.is_appointment or booking.status == BookingStatus.COMPLETED,
            loyalty_discount=booking.loyalty_discount,
            loyalty_points_earned=loyalty.earned_for(booking) if booking.status == BookingStatus.COMPLETED else 0,
        )

    def apply_loyalty_points(self, payable_id: str, *, user_id: Any, points: int) -> None:
        customer = User.objects.get(pk=user_id)
        try:
            loyalty.loyalty_redeem(user=customer, booking_id=payable_id, points=points, up_to=True)
        except DomainError as exc:
            if exc.field == "points":  # the payment request names them loyalty_points_used
                exc.field = "loyalty_points_used"
            raise

    def on_payment_event(self, event: PaymentEvent) -> None:
        new = PAYMENT_STATUS.get(event.new_status)
        if new is None:
            return
        if new == BookingPaymentStatus.PAID and event.kind == PaymentKind.DEPOSIT:
            new = BookingPaymentStatus.DEPOSIT_PAID
        with transaction.atomic():
            booking = Booking.objects.select_for_update().filter(pk=event.payable_id).first()
            if booking is None:
                return
            loyalty.loyalty_on_payment(booking=booking, new_status=event.new_status, payment_id=event.payment_id)
            if booking.payment_status == new:
                if booking.status in GONE and new == BookingPaymentStatus.REFUNDED:
                    _mark_refunded_when_nothing_is_held(booking)  # the last of several payments refunded
                return
            if booking.payment_status in SETTLED and new == BookingPaymentStatus.FAILED:
                return  # a failed retry after a success changes nothing (nor a failed balance after the deposit)
            booking.payment_status = new
            booking.save(update_fields=["payment_status", "updated_at"])
            BookingEvent.objects.create(booking=booking, action=f"payment_{event.new_status}", note=event.payment_id)
            closed = booking.status in CLOSED
            refunded = "refunded" in event.new_status
            amount = event.amount_refunded if refunded else event.amount
            event_type = PAYMENT_EVENTS.get("refunded" if refunded else event.new_status)
            if event_type and not (closed and new == BookingPaymentStatus.FAILED):
                notify_booking(event_type, booking, amount=f"{amount:.2f}")
            send_event_on_commit(
                booking_group(booking.pk),
                "payment_status_change",
                {"booking_id": str(booking.pk), "payment_id": event.payment_id, "payment_status": new},
            )
            payment_changed_live(booking, payment_id=event.payment_id, status=event.new_status, amount=amount)
            if closed and new in SETTLED:
                booking_record_late_capture(booking, payment_id=event.payment_id)
            if new in SETTLED and booking.status == BookingStatus.PENDING_PAYMENT:
                _hold_paid(booking)
            if booking.status in GONE and new == BookingPaymentStatus.REFUNDED:
                _mark_refunded_when_nothing_is_held(booking)
            if (
                new == BookingPaymentStatus.PAID
                and booking.payment_method == PaymentMode.ONLINE
                and booking.status == BookingStatus.PENDING
                and not booking.is_appointment  # an appointment has its provider already
            ):
                BookingEvent.objects.create(booking=booking, action="assignment_requested", note="paid online")
                hooks.partners().assignment_requested(booking_id=booking.pk)


def _hold_paid(booking: Booking) -> None:
    """An appointment hold is paid (in full or its deposit): the slot is the customer's. A specialist
    (seed 004) still confirms it (``pending``); otherwise it is ``confirmed``."""
    new_status = BookingStatus.PENDING if booking.provider_confirms else BookingStatus.CONFIRMED
    booking_transition(booking, new_status, action="hold_paid", note="payment captured", hold_expires_at=None)


def _mark_refunded_when_nothing_is_held(booking: Booking) -> None:
    """A cancelled booking whose every payment has been refunded in full is ``refunded``."""
    holding = Payment.objects.filter(
        payable_type=BOOKING_PAYABLE,
        payable_id=str(booking.pk),
        status__in=[PaymentStatus.SUCCESS, PaymentStatus.PARTIALLY_REFUNDED],
    )
    if not holding.exists():
        booking_transition(booking, BookingStatus.REFUNDED, action="refunded", note="Every payment refunded in full.")
