"""Test data for bookings written directly (for tests that need many bookings or a promo code fast)."""

from __future__ import annotations

from decimal import Decimal

from bookings.models import Booking, PromoCode
from tests.factories import BookingFactory


def make_booking(user, *, total="2000.00") -> Booking:
    """``BookingFactory(user=user, total=total, tax=0)``: cash, one 60-minute facial, two days ahead at 10:00."""
    return BookingFactory(user=user, total=total, tax=Decimal("0.00"))


def make_promo(**fields) -> PromoCode:
    defaults = {"code": "SAVE10", "discount_type": "percentage", "discount_value": Decimal("10")}
    return PromoCode.objects.create(**{**defaults, **fields})
