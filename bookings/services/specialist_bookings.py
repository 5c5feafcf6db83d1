"""Seed 004's booking of a chosen specialist at an instant, and a customer's notes on a booking.

:func:`specialist_book` asks the partners side (``hooks.PartnerPort.appointment_book``) for the booking: it
checks that the specialist is bookable, that ``duration`` is the service's own length (422, field
``duration``), that a client ``total_amount`` is the service's price (422 ``INVALID_PAYMENT_AMOUNT``) and
that the instant is one of the specialist's free slots (409 ``BOOKING_CONFLICT``: taken, blocked, off the
grid or in the past), and writes an online ``pending_payment`` hold with the specialist's held time. Then
the gateway order that pays the hold is made through the payments layer: the specialist's fixed deposit
(``kind deposit``), or the whole price when they take none (``kind full``). The order is made after the
booking commits (no gateway call under a lock); if no order can be made (the gateway cannot be reached, the
customer's payment attempts are rate limited) the booking stands as a hold with no order
(``payment_intent`` null) and the customer pays it with ``POST /payments/process-deposit`` (or the hold
expires).

:func:`booking_notes_update`: the customer's notes change while the booking is still open (the policy's
``can_cancel`` statuses), with a timeline entry; a closed booking is ``422 INVALID_BOOKING_STATUS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from accounts.models import User
from bookings import hooks, policy
from bookings.errors import BookingErrorCode
from bookings.models import BOOKING_PAYABLE, Booking, BookingEvent
from bookings.services.lifecycle import booking_lock
from core.errors import DomainError
from core.types import Id
from payments.models import PaymentKind
from payments.services.payments import payment_create_order


@dataclass(frozen=True)
class SpecialistBooking:
    booking: Booking
    payment_intent: dict[str, Any] | None  # the gateway order's checkout data; None when the gateway was down


def specialist_book(
    *,
    customer: User,
    specialist_id: Id,
    service_id: Id,
    start: datetime,
    duration_minutes: int | None,
    notes: str = "",
    total_amount: Decimal | None = None,
    idempotency_key: str | None = None,
) -> SpecialistBooking:
    """Hold the specialist's slot for ``customer`` and open the order that pays the deposit (or the price)."""
    booking: Booking = hooks.partners().appointment_book(
        customer=customer,
        provider_id=specialist_id,
        service_id=service_id,
        start=start,
        duration_minutes=duration_minutes,
        notes=notes,
        total_amount=total_amount,
    )
    kind = PaymentKind.DEPOSIT if booking.deposit_amount is not None else PaymentKind.FULL
    try:
        checkout = payment_create_order(
            user=customer,
            payable_type=BOOKING_PAYABLE,
            payable_id=str(booking.pk),
            kind=kind,
            idempotency_key=idempotency_key,
        )
    except DomainError:  # GatewayError, RATE_LIMITED...: the hold stands; process-deposit pays it later
        return SpecialistBooking(booking=booking, payment_intent=None)
    return SpecialistBooking(booking=booking, payment_intent={**checkout.data, "kind": kind})


def booking_notes_update(*, user: User, booking_id: Id, notes: str) -> Booking:
    """The customer's own notes on their open booking."""
    with transaction.atomic():
        booking = booking_lock(booking_id)
        if booking.user_id != user.pk:
            raise DomainError("Booking not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="id")
        if booking.status not in policy.OPEN:
            raise DomainError(
                "A closed booking's notes can no longer change.",
                code=BookingErrorCode.INVALID_BOOKING_STATUS,
                field="notes",
                reason="closed",
                context={"status": booking.status},
            )
        booking.customer_notes = notes
        booking.save(update_fields=["customer_notes", "updated_at"])
        BookingEvent.objects.create(booking=booking, action="notes_updated", actor=user)
    return booking
