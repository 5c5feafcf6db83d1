"""Booking numbers ``BK-YYYYMMDD-NNNNNN``: one counter row per day, incremented under its row lock.

On PostgreSQL it is one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``.
Concurrent confirms take numbers one after the other (the counter row is
locked until their transaction commits), so numbers are unique and gapless
for committed bookings; a rolled-back confirm gives its number back.
"""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.db.models import F

from bookings.models import BookingSequence


def next_booking_number(*, day: date) -> str:
    """Call inside the confirm transaction; the day's row stays locked until commit."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(BookingSequence._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (day, last) VALUES (%s, 1) "  # noqa: S608 - our table name; values are bound
                f"ON CONFLICT (day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
                [day],
            )
            (last,) = cursor.fetchone()
    else:  # SQLite (the embedded default) serialises writers anyway; older versions lack RETURNING
        with transaction.atomic():
            if not BookingSequence.objects.filter(day=day).update(last=F("last") + 1):
                BookingSequence.objects.create(day=day, last=1)
            last = BookingSequence.objects.values_list("last", flat=True).get(day=day)
    return f"BK-{day:%Y%m%d}-{last:06d}"
