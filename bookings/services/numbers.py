"""Booking numbers ``BK-YYYYMMDD-NNNNNN``: one gapless counter per day (``core.sequences``).

The day's counter row stays locked from the number's statement until the transaction commits, so every confirm
of that day waits for the one before it to commit. Checkout confirm therefore writes its booking under a
:func:`provisional_number` and takes the real one with :func:`number_booking` as late as it can (after the
partner's hold, the slow part), so the lock is held for a few statements rather than the whole transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from core.sequences import next_value, number_row


def next_booking_number(*, day: date) -> str:
    """Call inside the confirm transaction; the day's counter stays locked until commit."""
    return f"BK-{day:%Y%m%d}-{next_value(f'booking:{day:%Y%m%d}'):06d}"


def provisional_number(booking_id: Any) -> str:
    """Unique until :func:`number_booking` replaces it in the same transaction: never committed, never shown."""
    return f"~{str(booking_id).replace('-', '')[:19]}"


def number_booking(booking: Any, *, also: Iterable[str] = ()) -> None:
    """Give ``booking`` (written under a provisional number in this transaction) its day's real number; the
    fields named in ``also`` are stored from ``booking`` by the same statement."""
    day = booking.booking_date
    booking.booking_number = number_row(
        booking,
        field="booking_number",
        counter=f"booking:{day:%Y%m%d}",
        prefix=f"BK-{day:%Y%m%d}-",
        width=6,
        also=also,
    )
