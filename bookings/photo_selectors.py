"""Reads of a booking's photos (seed 002 rule P1): its customer, the partner on it and staff with
``bookings.view_booking`` (``hooks.may_read``); anyone else gets 404 ``BOOKING_NOT_FOUND``.

The list is one query whatever its size (the booking check before it costs one or two: the booking, and the
partners side's question when the reader is neither the customer nor staff).
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from bookings import hooks
from bookings.errors import BookingErrorCode
from bookings.models import Booking, BookingPhoto
from core.errors import DomainError
from core.types import Id


def booking_photos(*, user: User, booking_id: Id) -> QuerySet[BookingPhoto]:
    """The booking's photos, oldest first (before and after together; ``image_type`` tells them apart)."""
    booking = Booking.objects.filter(pk=booking_id).first()
    if booking is None or not hooks.may_read(user, booking):
        raise DomainError("Booking not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="booking")
    return BookingPhoto.objects.filter(booking_id=booking.pk).order_by("created_at", "id")
