"""Dynamic pricing's factors from the platform's data (issue #20, seed 002 PR4); the math is ``catalog.pricing``.

The factors live here, not in ``catalog``, because they read bookings and partners (``catalog`` sits below both
in the import layers). Each factor's thresholds are settings (``config/settings/proof.py``):

* **time**: ``SURGE_PEAK_FACTOR`` when the local hour falls in ``SURGE_PEAK_HOURS``, times
  ``SURGE_WEEKEND_FACTOR`` on Saturdays and Sundays; 1.0 otherwise.
* **demand**: the bookings made for an address at the pincode over the last ``SURGE_DEMAND_DAYS`` days per
  verified, active partner serving that pincode (the ``demand_index`` of vendor search, the
  ``demand_intensity`` of the staff's pincode report; with nobody serving it, the bookings themselves), looked
  up in ``SURGE_DEMAND`` (the factor of the highest threshold reached).
* **availability**: the verified, active partners who serve the pincode that weekday, work at that hour and do
  the services' categories, looked up in ``SURGE_AVAILABILITY`` (the fewer, the higher).

Off (``DYNAMIC_PRICING_ENABLED`` false, the default): every quote is the catalog's price, multiplier 1.00 and
every factor 1.0, and the answers say ``enabled: false``, so a client is never shown a price checkout would
not charge.

Checkout quotes a day, not an hour (:func:`day_surge`): the preview is priced before the customer picks a slot,
and the price is locked for the preview, so the time factor there is the weekend's alone and availability
counts the partners working at the pincode that weekday at any hour. ``GET /dynamic-pricing`` with a
``scheduled_datetime`` prices that hour; without one, now.

Predictions (:func:`predictions`) are a heuristic, not a model: the day's demand is the recent demand scaled by
the share of the window's bookings that fell on that weekday; availability and time as for checkout. Their
``confidence`` grows with the bookings the window holds at the pincode (0.5 with none, up to 0.9 from
``CONFIDENCE_FULL_AT`` bookings) and falls by 0.02 for each day further ahead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractIsoWeekDay
from django.utils import timezone

from bookings.models import Booking
from catalog.models import Service
from catalog.pricing import ONE, Factors, Surge, demand_level, no_surge, surge, surge_multiplier
from partners.models import OnboardingStatus, ServiceAreaPincode

CONFIDENCE_FULL_AT = 50  # bookings in the window at which a prediction's confidence stops growing
WEEKEND = (6, 7)  # ISO weekdays


def enabled() -> bool:
    return bool(settings.DYNAMIC_PRICING_ENABLED)


def time_factor(moment: datetime | None, day: date) -> Decimal:
    """Peak hour (when ``moment`` is given) times weekend, from the settings."""
    factor = ONE
    if moment is not None:
        hour = timezone.localtime(moment).hour if timezone.is_aware(moment) else moment.hour
        if any(start <= hour < end for start, end in settings.SURGE_PEAK_HOURS):
            factor *= Decimal(settings.SURGE_PEAK_FACTOR)
    if day.isoweekday() in WEEKEND:
        factor *= Decimal(settings.SURGE_WEEKEND_FACTOR)
    return factor


def demand_factor(intensity: float) -> Decimal:
    factor = ONE
    for threshold, value in settings.SURGE_DEMAND:
        if intensity >= threshold:
            factor = Decimal(value)
    return factor


def availability_factor(available: int) -> Decimal:
    for most, value in settings.SURGE_AVAILABILITY:
        if available <= most:
            return Decimal(value)
    return ONE


def _serving(pincode: str) -> QuerySet[ServiceAreaPincode]:
    return ServiceAreaPincode.objects.filter(
        pincode=pincode,
        availability__is_active=True,
        partner__is_active=True,
        partner__onboarding_status=OnboardingStatus.VERIFIED,
    )


def _able(rows: QuerySet[ServiceAreaPincode], category_ids: Iterable[int]) -> QuerySet[ServiceAreaPincode]:
    for category_id in set(category_ids):  # a partner who can do every service of the cart
        rows = rows.filter(partner__categories=category_id)
    return rows


def _recent(pincode: str) -> QuerySet[Booking]:
    since = timezone.now() - timedelta(days=settings.SURGE_DEMAND_DAYS)
    return Booking.objects.filter(address_snapshot__pincode=pincode, created_at__gte=since)


@dataclass(frozen=True)
class Demand:
    bookings: int
    partners: int

    @property
    def intensity(self) -> float:
        return self.bookings / self.partners if self.partners else float(self.bookings)


def demand_at(pincode: str) -> Demand:
    """Recent bookings at the pincode and the partners serving it (any day): two counts."""
    partners = _serving(pincode).values("partner_id").distinct().count()
    return Demand(bookings=_recent(pincode).count(), partners=partners)


def available_at(pincode: str, category_ids: Iterable[int], day: date, at: time | None) -> int:
    """Partners serving the pincode on ``day``'s weekday (working at ``at`` when given) who do the categories."""
    rows = _able(_serving(pincode).filter(day_of_week=day.isoweekday()), category_ids)
    if at is not None:
        rows = rows.filter(availability__start_time__lte=at, availability__end_time__gt=at)
    return rows.values("partner_id").distinct().count()


def factors_at(pincode: str, category_ids: Iterable[int], moment: datetime) -> Factors:
    """The three factors for an hour (``GET /dynamic-pricing``)."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return Factors(
        time=time_factor(local, local.date()),
        demand=demand_factor(demand_at(pincode).intensity),
        availability=availability_factor(available_at(pincode, category_ids, local.date(), local.time())),
    )


def price_at(service: Service, pincode: str, moment: datetime) -> Surge:
    if not enabled():
        return no_surge(service.product_cost)
    return surge(service.product_cost, factors_at(pincode, [service.category_id], moment))


def day_surge(*, service_ids: list[str], pincode: str, day: date) -> tuple[Decimal, dict[str, Any]]:
    """Checkout's multiplier for a cart at a pincode on a day, with its demand level, factors, pincode and date.

    ``(1.00, {})`` when pricing is off or there is no pincode to price by.
    """
    if not enabled() or not pincode:
        return ONE, {}
    categories = Service.objects.filter(pk__in=service_ids).values_list("category_id", flat=True)
    factors = Factors(
        time=time_factor(None, day),
        demand=demand_factor(demand_at(pincode).intensity),
        availability=availability_factor(available_at(pincode, list(categories), day, None)),
    )
    multiplier = surge_multiplier(factors)
    return multiplier, {
        "demand_level": demand_level(multiplier),
        "factors": factors.as_dict(),
        "pincode": pincode,
        "date": day.isoformat(),
    }


def predictions(service: Service, pincode: str, days: int) -> list[dict[str, Any]]:
    """One row a day for the ``days`` days after today (four queries, whatever ``days``)."""
    today = timezone.localdate()
    dates = [today + timedelta(days=n) for n in range(1, days + 1)]
    if not enabled():
        return [_prediction(day, no_surge(service.product_cost), 1.0) for day in dates]
    demand = demand_at(pincode)
    by_weekday = dict(
        _recent(pincode)
        .annotate(weekday=ExtractIsoWeekDay("booking_date"))
        .order_by()
        .values_list("weekday")
        .annotate(n=Count("id"))
    )
    working = dict(
        _able(_serving(pincode), [service.category_id])
        .order_by()
        .values_list("day_of_week")
        .annotate(n=Count("partner_id", distinct=True))
    )
    total = sum(by_weekday.values())
    base_confidence = 0.5 + 0.4 * min(1.0, demand.bookings / CONFIDENCE_FULL_AT)
    rows = []
    for ahead, day in enumerate(dates):
        share = 7 * by_weekday.get(day.isoweekday(), 0) / total if total else 1.0
        factors = Factors(
            time=time_factor(None, day),
            demand=demand_factor(demand.intensity * share),
            availability=availability_factor(working.get(day.isoweekday(), 0)),
        )
        rows.append(_prediction(day, surge(service.product_cost, factors), max(0.3, base_confidence - 0.02 * ahead)))
    return rows


def _prediction(day: date, quoted: Surge, confidence: float) -> dict[str, Any]:
    return {
        "date": day.isoformat(),
        "predicted_price": float(quoted.final),
        "surge_multiplier": float(quoted.multiplier),
        "confidence": round(confidence, 2),
        "demand_level": quoted.demand_level,
    }
