"""Seed 002's "Advanced AI Features" as what they are: heuristics over the platform's own data (issue #20).

No model is trained or called; every answer says ``"method": "heuristic"`` and, in ``based_on``, what it read.
Each report takes a fixed number of queries (counts and averages in SQL), whatever the data's size.

**Pincode analytics** (``pincode_analytics``): bookings at the pincode (the address snapshot's ``pincode``),
per service day, over the ``days`` days ending yesterday, without expired holds and unpaid checkouts.

* Forecast: the least-squares line through the daily counts, extended over the next 7 days (never below 0, one
  decimal). ``confidence`` starts at 0.5 + 0.45 x the share of days that had a booking (at most 0.95) and loses
  0.05 per day ahead (at least 0.1). ``trend`` is ``increasing`` / ``decreasing`` when the line moves by more
  than 10 % of the daily average over a week, else ``stable``; ``seasonal_factor`` is the last 7 days' average
  over the whole window's (1.0 without bookings).
* Vendors: ``current_vendor_count`` is the active, verified partners serving the pincode (their service area);
  one partner takes :data:`JOBS_PER_VENDOR_PER_DAY` jobs a day, so ``optimal_vendor_count`` = ⌈forecast daily
  average ÷ that⌉ and ``shortage`` the difference; ``vendor_shortage`` when the forecast per partner exceeds it
  (or nobody serves a pincode with demand).
* Surge: 1 + half the load above capacity (forecast per partner ÷ capacity - 1), rounded to ``SURGE_STEP`` and
  kept within [1, ``SURGE_MAX``] (the dynamic pricing settings); ``SURGE_MAX`` when nobody serves a pincode
  with demand. ``peak_hours``: the two booked hours with the most bookings.

**Dispute advice** and **vendor bonus**: ``adminpanel.selectors.ai_advice``.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import ExtractHour
from django.utils import timezone

from bookings.models import Booking, BookingStatus
from partners.models import OnboardingStatus, ServiceAreaPincode

HEURISTIC = "heuristic"
FORECAST_DAYS = 7
JOBS_PER_VENDOR_PER_DAY = 4
NOT_DEMAND = (BookingStatus.EXPIRED, BookingStatus.PENDING_PAYMENT)


def _bookings_at(pincode: str, start: date, end: date) -> QuerySet[Booking]:
    return (
        Booking.objects.annotate(pincode=KeyTextTransform("pincode", "address_snapshot"))
        .filter(pincode=pincode, booking_date__gte=start, booking_date__lt=end)
        .exclude(status__in=NOT_DEMAND)
        .order_by()
    )


def _line(series: list[int]) -> tuple[float, float]:
    """Intercept and slope of the least-squares line through ``(i, series[i])``."""
    n = len(series)
    mean_x, mean_y = (n - 1) / 2, sum(series) / n
    spread = sum((x - mean_x) ** 2 for x in range(n))
    slope = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(series)) / spread if spread else 0.0
    return mean_y - slope * mean_x, slope


def _step(value: Decimal, step: Decimal) -> Decimal:
    return ((value / step).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * step).quantize(Decimal("0.01"))


def _surge(per_vendor: float | None, demand: float) -> float:
    top, step = Decimal(str(settings.SURGE_MAX)), Decimal(str(settings.SURGE_STEP))
    if demand <= 0:
        return 1.0
    if per_vendor is None:
        return float(top)
    load = Decimal(str(per_vendor)) / JOBS_PER_VENDOR_PER_DAY
    wanted = Decimal("1") + (load - 1) / 2
    return float(min(top, max(Decimal("1.00"), _step(wanted, step))))


def _hour(h: int) -> str:
    return f"{h:02d}:00-{(h + 1) % 24:02d}:00"


def pincode_analytics(*, pincode: str, days: int = 30) -> dict[str, Any]:
    today = timezone.localdate()
    start = today - timedelta(days=days)
    rows = _bookings_at(pincode, start, today)
    daily = dict(rows.values_list("booking_date").annotate(n=Count("id")))
    busiest = list(rows.annotate(hour=ExtractHour("booking_time")).values_list("hour").annotate(n=Count("id")))
    vendors = (
        ServiceAreaPincode.objects.filter(
            pincode=pincode, partner__is_active=True, partner__onboarding_status=OnboardingStatus.VERIFIED
        )
        .values("partner_id")
        .distinct()
        .count()
    )
    series = [daily.get(start + timedelta(days=i), 0) for i in range(days)]
    mean = sum(series) / days
    intercept, slope = _line(series)
    base = min(0.95, 0.5 + 0.45 * sum(1 for n in series if n) / days)
    predicted = [round(max(0.0, intercept + slope * (days + k)), 1) for k in range(FORECAST_DAYS)]
    forecast = [
        {
            "date": (today + timedelta(days=k)).isoformat(),
            "predicted_bookings": value,
            "confidence": round(max(0.1, base - 0.05 * k), 2),
        }
        for k, value in enumerate(predicted)
    ]
    weekly_move = slope * 7 / mean if mean else 0.0
    trend = "increasing" if weekly_move > 0.1 else "decreasing" if weekly_move < -0.1 else "stable"
    recent = series[-7:]
    seasonal = round((sum(recent) / len(recent)) / mean, 2) if mean else 1.0
    demand = sum(predicted) / FORECAST_DAYS
    per_vendor = round(demand / vendors, 2) if vendors else None
    optimal = math.ceil(round(demand, 6) / JOBS_PER_VENDOR_PER_DAY)
    peaks = sorted(busiest, key=lambda row: (-row[1], row[0]))[:2]
    return {
        "pincode_analysis": {
            "pincode": pincode,
            "days": days,
            "demand_forecast": {
                "next_7_days": forecast,
                "trend": trend,
                "seasonal_factor": seasonal,
                "daily_average": round(mean, 2),
                "bookings_in_period": sum(series),
            },
            "vendor_recommendations": {
                "optimal_vendor_count": optimal,
                "current_vendor_count": vendors,
                "shortage": max(0, optimal - vendors),
                "demand_per_vendor": per_vendor,
                "vendor_shortage": demand > 0 and (per_vendor is None or per_vendor > JOBS_PER_VENDOR_PER_DAY),
            },
            "pricing_insights": {
                "recommended_surge_multiplier": _surge(per_vendor, demand),
                "peak_hours": [_hour(hour) for hour, _ in peaks],
            },
        },
        "method": HEURISTIC,
        "based_on": (
            f"Bookings at pincode {pincode} per day over the last {days} days (a straight-line trend), and the "
            f"active verified partners serving it at {JOBS_PER_VENDOR_PER_DAY} jobs a day each."
        ),
        "timestamp": timezone.now(),
    }
