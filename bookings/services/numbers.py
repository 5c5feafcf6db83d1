"""Booking numbers ``BK-YYYYMMDD-NNNNNN``: one gapless counter per day (``core.sequences``)."""

from __future__ import annotations

from datetime import date

from core.sequences import next_value


def next_booking_number(*, day: date) -> str:
    """Call inside the confirm transaction; the day's counter stays locked until commit."""
    return f"BK-{day:%Y%m%d}-{next_value(f'booking:{day:%Y%m%d}'):06d}"
