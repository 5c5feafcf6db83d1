"""Staff moving a booking along its state machine (``PATCH /admin/bookings/{id}/status``).

``cancelled`` and ``refunded`` are refused here with the endpoint to use: cancelling and refunding move
money (``bookings.services.staff``). ``completed`` is the partner's completion done by staff (cash,
earning, ledger), so this service writes through ``partners`` and lives in ``adminpanel``. Audited.
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from bookings.errors import BookingErrorCode
from bookings.models import Booking, BookingStatus
from bookings.selectors import booking_by_id
from bookings.services import lifecycle
from core import audit
from core.errors import DomainError, ErrorCode
from core.types import Id
from partners.services.jobs import job_complete_by_staff


def booking_set_status(*, booking_id: Id, status: str, notes: str = "", actor: User) -> Booking:
    if status in (BookingStatus.CANCELLED, BookingStatus.REFUNDED):
        endpoint = "cancel" if status == BookingStatus.CANCELLED else "refund"
        raise DomainError(
            f"Use POST /admin/bookings/{{id}}/{endpoint} to make a booking {status}: it moves money.",
            code=BookingErrorCode.INVALID_BOOKING_STATUS,
            field="status",
            reason=f"use_{endpoint}_endpoint",
        )
    if status not in BookingStatus.values:
        raise DomainError(
            f"Unknown status. Use one of: {', '.join(BookingStatus.values)}.",
            code=ErrorCode.VALIDATION_ERROR,
            field="status",
            reason="unknown_value",
        )
    booking = booking_by_id(booking_id)
    extra = {"notes": notes} if notes else None
    with transaction.atomic(), audit.track(booking, action="update_booking_status", actor=actor, extra=extra):
        locked = lifecycle.booking_lock(booking_id)
        if locked.status == status:
            raise DomainError(
                f"The booking is already {status}.",
                code=BookingErrorCode.INVALID_BOOKING_STATUS,
                reason="unchanged",
                context={"status": status},
            )
        if status == BookingStatus.COMPLETED:  # the partner's completion: cash, earning, ledger
            job_complete_by_staff(booking_id=locked.pk, actor=actor, note=notes)
        else:
            lifecycle.booking_transition(locked, status, actor=actor, action="status_set_by_staff", note=notes)
    booking.refresh_from_db()
    return booking
