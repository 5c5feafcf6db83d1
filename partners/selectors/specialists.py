"""Reads of seed 004's specialist self-service (issue #19): the profile, the own services, the availability grid.

Readings taken where the seed is silent (notes 2.3, rules SP1-SP3):

* **Who.** Only a signed-in user whose ``partner_profile`` is of kind ``specialist``; anyone else is
  ``403 NOT_A_PARTNER`` (the partners app's code for "no partner profile").
* **Profile.** ``description`` is ``Partner.description``. ``experience`` = ``years_of_experience``,
  ``total_reviews`` = ``rating_count``, ``base_rate`` = ``consultation_fee``, ``currency`` is always
  ``INR``, ``total_bookings`` = the partner's counter. ``working_hours`` lists the active weekly rows by day
  name (``monday``...), ``{start, end}`` as ``HH:MM``.
* **Revenue (SP3).** The ``grand_total`` of the specialist's completed appointments, bucketed by the
  month of their start in the specialist's own time zone: ``this_month`` is the local calendar month of
  ``now``, ``last_month`` the one before, ``total`` all time; one aggregate query.
* **Availability grid.** Dates ``start_date``..``end_date`` (at most 31 days) are read in the display zone
  (``timezone`` given, else the specialist's); every slot of the weekly rules
  (``partners.selectors.agenda.day_grid``) whose start falls on those display dates is listed, with
  ``available`` when ``agenda.free_slots_of`` offers it. Otherwise ``reason`` is ``past`` (before now plus
  the booking lead time), ``booked`` (it overlaps a live assignment, which includes unpaid holds), else
  ``blocked`` (time off, or beyond the booking horizon). The display zone re-renders times only: the slots
  are the specialist's and never shift.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import User
from bookings.models import Booking, BookingStatus
from catalog.models import Service
from core.errors import DomainError, ErrorCode
from core.types import Id
from partners.errors import PartnerErrorCode
from partners.models import BUSY_STATUSES, Partner, PartnerAssignment, PartnerKind, PartnerTimeOff
from partners.selectors import agenda
from partners.selectors.search import response_time

DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_RANGE_DAYS = 31
ZERO = Decimal("0.00")


def specialist_of(user: User) -> Partner:
    """The signed-in user's own specialist profile (403 ``NOT_A_PARTNER`` otherwise)."""
    partner = Partner.objects.filter(user_id=user.pk, kind=PartnerKind.SPECIALIST).first()
    if partner is None:
        raise DomainError("Only a specialist has a specialist profile.", code=PartnerErrorCode.NOT_A_PARTNER)
    return partner


def _month_start(day: date) -> date:
    return day.replace(day=1)


def revenue_of(partner: Partner, *, now: datetime | None = None) -> dict[str, Decimal]:
    """Completed appointments' totals this local month, last local month and all time (one query)."""
    now = now or timezone.now()
    zone = agenda.zone_of(partner)
    this_first = _month_start(now.astimezone(zone).date())
    last_first = _month_start(this_first - timedelta(days=1))
    this_start = datetime.combine(this_first, time.min, tzinfo=zone)
    last_start = datetime.combine(last_first, time.min, tzinfo=zone)
    sums = Booking.objects.filter(requested_partner=partner, status=BookingStatus.COMPLETED).aggregate(
        total=Sum("grand_total"),
        this_month=Sum("grand_total", filter=Q(scheduled_start__gte=this_start)),
        last_month=Sum("grand_total", filter=Q(scheduled_start__gte=last_start, scheduled_start__lt=this_start)),
    )
    return {key: sums[key] or ZERO for key in ("this_month", "last_month", "total")}


def working_hours_of(partner: Partner) -> dict[str, dict[str, str]]:
    return {
        DAY_NAMES[row.day_of_week - 1]: {
            "start": row.start_time.strftime("%H:%M"),
            "end": row.end_time.strftime("%H:%M"),
        }
        for row in partner.availability.filter(is_active=True).order_by("day_of_week")
    }


def profile_of(partner: Partner, *, now: datetime | None = None) -> dict[str, Any]:
    return {
        "id": partner.pk,
        "user_id": partner.user_id,
        "business_name": partner.business_name,
        "description": partner.description,
        "specialties": list(partner.specialties or []),
        "experience": partner.years_of_experience,
        "rating": partner.rating,
        "total_reviews": partner.rating_count,
        "total_bookings": partner.total_bookings,
        "is_verified": partner.onboarding_status == "verified",
        "response_time": response_time(partner),
        "availability": {"timezone": partner.timezone, "working_hours": working_hours_of(partner)},
        "pricing": {"base_rate": partner.consultation_fee, "currency": "INR", "deposit_amount": partner.deposit_amount},
        "revenue": revenue_of(partner, now=now),
    }


def services_of(partner: Partner) -> QuerySet[Service]:
    return Service.objects.filter(partner=partner).select_related("category").order_by("created_at")


def own_service(partner: Partner, service_id: Id) -> Service:
    """The specialist's own service (someone else's or none: 404)."""
    found = services_of(partner).filter(pk=service_id).first()
    if found is None:
        raise DomainError("Service not found.", code=ErrorCode.NOT_FOUND, field="service_id")
    return found


def own_block(partner: Partner, block_id: Id) -> PartnerTimeOff:
    found = PartnerTimeOff.objects.filter(partner=partner, pk=block_id).first()
    if found is None:
        raise DomainError("Block not found.", code=ErrorCode.NOT_FOUND, field="block_id")
    return found


def display_zone(name: str | None, partner: Partner) -> ZoneInfo:
    if not name:
        return agenda.zone_of(partner)
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise DomainError(
            f"{name} is not an IANA time zone, e.g. America/New_York.",
            code=ErrorCode.VALIDATION_ERROR,
            field="timezone",
            reason="invalid_timezone",
        ) from exc


@dataclass(frozen=True)
class GridSlot:
    start: datetime
    end: datetime
    available: bool
    reason: str | None


def _check_range(first: date, last: date) -> None:
    if last < first:
        raise DomainError(
            "endDate is before startDate.", code=ErrorCode.VALIDATION_ERROR, field="end_date", reason="before_start"
        )
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise DomainError(
            f"Ask for at most {MAX_RANGE_DAYS} days at a time.",
            code=ErrorCode.VALIDATION_ERROR,
            field="end_date",
            reason="range_too_long",
        )


def availability_grid(
    partner: Partner, *, first: date, last: date, zone_name: str | None = None, now: datetime | None = None
) -> tuple[ZoneInfo, dict[date, list[GridSlot]]]:
    """Every rule slot on the display dates ``first``..``last``, each free or with its reason."""
    _check_range(first, last)
    zone = display_zone(zone_name, partner)
    now = now or timezone.now()
    own = agenda.zone_of(partner)
    # The specialist's local days that can hold a slot starting on the display dates.
    lo = datetime.combine(first, time.min, tzinfo=zone)
    hi = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    own_first, own_last = lo.astimezone(own).date(), (hi - timedelta(microseconds=1)).astimezone(own).date()
    free = set(agenda.free_slots_of([partner], first_day=own_first, last_day=own_last, now=now)[partner.pk])
    busy = list(
        PartnerAssignment.objects.filter(
            partner=partner, status__in=BUSY_STATUSES, busy_from__lt=hi, busy_until__gt=lo - timedelta(days=1)
        ).values_list("busy_from", "busy_until")
    )
    length = timedelta(minutes=partner.default_session_minutes)
    not_before = now + timedelta(minutes=settings.APPOINTMENT_LEAD_MINUTES)
    days: dict[date, list[GridSlot]] = {first + timedelta(days=n): [] for n in range((last - first).days + 1)}
    day = own_first
    while day <= own_last:
        for start in agenda.day_grid(partner, day):
            if not lo <= start < hi:
                continue
            start = start.astimezone(UTC)
            end = start + length
            reason = None
            if start not in free:
                if start < not_before:
                    reason = "past"
                elif any(b_from < end and b_until > start for b_from, b_until in busy):
                    reason = "booked"
                else:
                    reason = "blocked"
            days[start.astimezone(zone).date()].append(GridSlot(start, end, reason is None, reason))
        day += timedelta(days=1)
    return zone, days
