"""Bookings as a payable of the payments layer (``payments.registry``), registered in ``BookingsConfig.ready``.

A captured payment marks the booking paid and asks for a partner
(``hooks.assignment_requested``); a failed one leaves it pending and payable again; refunds set the
booking's payment status. Each change is on the booking's timeline.
"""

from __future__ import annotations

import uuid

from django.db import transaction

from bookings import hooks
from bookings.models import Booking, BookingEvent, BookingPaymentStatus, BookingStatus, PaymentMode
from bookings.notify import PAYMENT_EVENTS, notify_booking, payment_changed_live
from bookings.services.lifecycle import booking_group
from core.events import send_event_on_commit
from payments.registry import Payable, PayableAdapter, PaymentEvent

PAYMENT_STATUS = {
    "success": BookingPaymentStatus.PAID,
    "failed": BookingPaymentStatus.FAILED,
    "partially_refunded": BookingPaymentStatus.PARTIALLY_REFUNDED,
    "refunded": BookingPaymentStatus.REFUNDED,
}


class BookingPayable(PayableAdapter):
    def describe(self, payable_id: str) -> Payable | None:
        booking = Booking.objects.filter(pk=payable_id).first() if _is_uuid(payable_id) else None
        if booking is None:
            return None
        return Payable(
            type="bookings.booking",
            id=str(booking.pk),
            amount_due=booking.grand_total,
            owner_id=booking.user_id,
            reference=booking.booking_number,
            description=f"Booking {booking.booking_number}",
            prefill={"name": booking.contact_name, "email": booking.contact_email, "contact": booking.contact_phone},
        )

    def on_payment_event(self, event: PaymentEvent) -> None:
        new = PAYMENT_STATUS.get(event.new_status)
        if new is None:
            return
        with transaction.atomic():
            booking = Booking.objects.select_for_update().filter(pk=event.payable_id).first()
            if booking is None or booking.payment_status == new:
                return
            if booking.payment_status == BookingPaymentStatus.PAID and new == BookingPaymentStatus.FAILED:
                return  # a failed retry after a success changes nothing
            booking.payment_status = new
            booking.save(update_fields=["payment_status", "updated_at"])
            BookingEvent.objects.create(booking=booking, action=f"payment_{event.new_status}", note=event.payment_id)
            refunded = "refunded" in event.new_status
            amount = event.amount_refunded if refunded else event.amount
            event_type = PAYMENT_EVENTS.get("refunded" if refunded else event.new_status)
            if event_type:
                notify_booking(event_type, booking, amount=f"{amount:.2f}")
            send_event_on_commit(
                booking_group(booking.pk),
                "payment_status_change",
                {"booking_id": str(booking.pk), "payment_id": event.payment_id, "payment_status": new},
            )
            payment_changed_live(booking, payment_id=event.payment_id, status=event.new_status, amount=amount)
            if (
                new == BookingPaymentStatus.PAID
                and booking.payment_method == PaymentMode.ONLINE
                and booking.status == BookingStatus.PENDING
            ):
                BookingEvent.objects.create(booking=booking, action="assignment_requested", note="paid online")
                hooks.assignment_requested.send(sender=Booking, booking_id=booking.pk)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
