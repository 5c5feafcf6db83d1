"""Seed 002's ``POST /bookings`` ``{service, pincode, scheduled_date, customer_notes}``: one service at a time,
booked through checkout (``bookings.services.checkout``: prepare, then confirm), priced by the server.

Decisions:

* Address: the seed sends a pincode, checkout needs one of the customer's addresses. ``address`` (an address id)
  when sent must be the customer's (else 404 naming ``address``) and in that pincode (else 422 naming
  ``pincode``); otherwise the customer's address in that pincode is used, the default one first, then the
  newest. No address there: ``422 VALIDATION_ERROR`` naming ``pincode`` (reason ``no_address_in_pincode``): add
  one with ``POST /users/addresses`` first. No address is made from a bare pincode (checkout, partners' travel
  and the invoice need the street).
* Time: ``scheduled_date`` is an instant (with its offset); its local day and time must be one of checkout's
  slots that a partner can take, else ``409 SLOT_UNAVAILABLE`` naming ``scheduled_date`` with the day's slots in
  ``context.available_time_slots`` (checkout's own answer, its field renamed to the seed's).
* Price: checkout's, from the catalog and the pricing module (dynamic pricing included when it is on); the
  client sends no price. ``payment_method`` is ``cash`` unless sent (``online`` answers the payment order, as
  confirm does).
* Policy: the seed's request has no ``cancellation_policy_accepted``; booking here accepts the cancellation
  policy (the answer shows ``can_cancel`` and ``cancellation_deadline``); a client sending ``false`` gets
  checkout's ``422`` naming it.
* Idempotency: ``X-Idempotency-Key`` (optional here, the seed sends none) replays the first answer (the view);
  the key also reaches the payment order.
* Errors otherwise as checkout gives them (an unknown or inactive service is 422 naming ``service``; the hourly
  booking limit; a day that cannot be booked is 422 naming ``scheduled_date``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from accounts.models import Address, User
from bookings.errors import BookingErrorCode
from bookings.models import Booking, PaymentMode
from bookings.services import checkout, slots
from core.errors import DomainError, ErrorCode
from core.types import Id

# checkout's field names → the seed's
SEED_FIELDS = {
    "booking_time": "scheduled_date",
    "booking_date": "scheduled_date",
    "service_ids": "service",
    "address_id": "address",
    "customer_notes": "customer_notes",
}


@dataclass(frozen=True)
class QuickBooked:
    booking: Booking
    payment: dict[str, Any] | None
    payment_error: str | None = None


def address_for(user: User, pincode: str, address_id: Id | None = None) -> Address:
    """The customer's address to book at ``pincode`` (the module docstring says which)."""
    mine = Address.objects.filter(user=user)
    if address_id is not None:
        address = mine.filter(pk=address_id).first()
        if address is None:
            raise DomainError("Address not found.", code=ErrorCode.NOT_FOUND, field="address", reason="not_found")
        if address.pincode != pincode:
            raise DomainError(
                f"That address is in {address.pincode}, not {pincode}.",
                code=ErrorCode.VALIDATION_ERROR,
                field="pincode",
                reason="address_elsewhere",
            )
        return address
    address = mine.filter(Q(pincode=pincode)).order_by("-is_default", "-created_at").first()
    if address is None:
        raise DomainError(
            f"You have no address in {pincode}. Add one, then book.",
            code=ErrorCode.VALIDATION_ERROR,
            field="pincode",
            reason="no_address_in_pincode",
        )
    return address


@contextmanager
def _seed_fields() -> Iterator[None]:
    """Checkout's errors, naming the seed's fields."""
    try:
        yield
    except DomainError as exc:
        if exc.field in SEED_FIELDS:
            exc.field = SEED_FIELDS[exc.field]
        raise


def quick_book(
    *,
    user: User,
    service_id: Id,
    pincode: str,
    scheduled: datetime,
    customer_notes: str = "",
    address_id: Id | None = None,
    payment_method: str = PaymentMode.CASH,
    cancellation_policy_accepted: bool = True,
    idempotency_key: str | None = None,
) -> QuickBooked:
    address = address_for(user, pincode, address_id)
    local = timezone.localtime(scheduled)
    day, at = local.date(), local.time()
    if at.second or at.microsecond:
        raise DomainError(
            "Choose a slot on the minute (10:00, 10:30...).",
            code=BookingErrorCode.SLOT_UNAVAILABLE,
            field="scheduled_date",
            reason="not_offered",
        )
    with _seed_fields():
        preview = checkout.checkout_prepare(
            user=user, items=[{"service_id": service_id, "quantity": 1}], address_id=address.pk, booking_date=day
        )
        confirmed = checkout.checkout_confirm(
            user=user,
            preview_id=preview["preview_id"],
            payment_method=payment_method,
            address_id=address.pk,
            booking_date=day,
            booking_time=slots.label(at),
            cancellation_policy_accepted=cancellation_policy_accepted,
            customer_notes=customer_notes,
            idempotency_key=idempotency_key,
        )
    return QuickBooked(booking=confirmed.booking, payment=confirmed.payment, payment_error=confirmed.payment_error)
