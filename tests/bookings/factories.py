"""Test data for bookings written directly (for tests that need many bookings or a promo code fast)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from bookings.models import Booking, PaymentMode, PromoCode
from bookings.services.numbers import next_booking_number


def make_booking(user, *, total="2000.00") -> Booking:
    day = timezone.localdate() + timedelta(days=2)
    start = timezone.make_aware(datetime.combine(day, time(10, 0)))
    return Booking.objects.create(
        booking_number=next_booking_number(day=day),
        user=user,
        booking_date=day,
        booking_time=time(10, 0),
        scheduled_start=start,
        scheduled_end=start + timedelta(hours=1),
        payment_method=PaymentMode.CASH,
        total_price=Decimal(total),
        tax=Decimal("0.00"),
        grand_total=Decimal(total),
    )


def make_promo(**fields) -> PromoCode:
    defaults = {"code": "SAVE10", "discount_type": "percentage", "discount_value": Decimal("10")}
    return PromoCode.objects.create(**{**defaults, **fields})
