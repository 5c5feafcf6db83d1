"""Booking numbers ``BK-YYYYMMDD-NNNNNN``: one counter row per day, incremented under its row lock.

Concurrent confirms take numbers one after the other (the counter row is
locked until their transaction commits), so numbers are unique and gapless
for committed bookings; a rolled-back confirm gives its number back.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F

from bookings.models import BookingSequence


def next_booking_number(*, day: date) -> str:
    """Call inside the confirm transaction."""
    with transaction.atomic():
        updated = BookingSequence.objects.filter(day=day).update(last=F("last") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    BookingSequence.objects.create(day=day, last=1)
            except IntegrityError:  # another confirm created today's row first
                BookingSequence.objects.filter(day=day).update(last=F("last") + 1)
        last = BookingSequence.objects.values_list("last", flat=True).get(day=day)
    return f"BK-{day:%Y%m%d}-{last:06d}"
