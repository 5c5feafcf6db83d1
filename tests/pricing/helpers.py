"""Data for dynamic pricing tests: partners serving a pincode, recent bookings there, weekday and weekend times."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from tests import factories
from tests.factories import PINCODE

__all__ = ["PINCODE", "bookings_at", "day_ahead", "moment", "partners_at"]


def day_ahead(*, weekend: bool, after: int = 1) -> date:
    """The first day at least ``after`` days from today that is (or is not) a Saturday or Sunday."""
    day = timezone.localdate() + timedelta(days=after)
    while (day.isoweekday() >= 6) != weekend:
        day += timedelta(days=1)
    return day


def moment(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def partners_at(count: int, *, pincode: str = PINCODE, start: time = time(8), end: time = time(20), **extra) -> list:
    """``count`` verified partners doing facials and serving ``pincode`` every day from ``start`` to ``end``."""
    return [factories.PartnerFactory(pincodes=(pincode,), start=start, end=end, **extra) for _ in range(count)]


def bookings_at(count: int, *, pincode: str = PINCODE) -> list:
    return [factories.BookingFactory(pincode=pincode) for _ in range(count)]
