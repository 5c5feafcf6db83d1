"""Smart scheduling (issue #20, seed 002 SC1, SC2, SC4): one partner's slots of a day, counted with travel and buffer.

``day_slots`` lists every slot of ``SLOT_MINUTES`` steps inside the partner's
working hours of that weekday (``PartnerAvailability``), each long enough for the
service, and says which are free (SC1): a slot ``[start, end)`` is free when it has
not begun, meets none of the partner's time off, and
``[start - travel_to - buffer, end + travel_from + buffer)`` overlaps none of their
live jobs (``LIVE_STATUSES``: checkout's ``held`` time, offers, jobs, done jobs).
``travel_to`` is the trip from the previous job's pincode (or the partner's base: the
day's ``primary_pincode``, else their location) to the customer's pincode,
``travel_from`` the trip on to the next job's pincode (none after the last job);
``buffer`` is the partner's own ``preferred_buffer_minutes`` of that weekday, not the
global ``PARTNER_TRAVEL_BUFFER_MINUTES`` that checkout's slot filter still uses.
A trip whose pincode has no known place counts 0 minutes and is said so.

Each free slot is scored 0-10 (SC2): ``TRAVEL_WEIGHT`` x (1 - travel / 2 hours) +
``EARLY_WEIGHT`` x (1 at opening … 0 at the last start) + ``PACKING_WEIGHT`` x
(1 right next to a job … 0 two hours away; 0.5 on a day with no jobs), x 10, one
decimal; ``reasoning`` says the same in words. ``best_slot`` is the highest score,
the earlier on a tie. Six queries whatever the number of jobs, and one cache read: every trip the
day may ask is read at once (``travel.travel_times``) before the slots are walked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from catalog.models import Service
from core.errors import DomainError, ErrorCode
from core.types import Id
from partners import travel
from partners.errors import PartnerErrorCode
from partners.models import (
    LIVE_STATUSES,
    OnboardingStatus,
    Partner,
    PartnerAssignment,
    PartnerAvailability,
    PartnerTimeOff,
    tier_mask,
)

TRAVEL_WEIGHT, EARLY_WEIGHT, PACKING_WEIGHT = 0.5, 0.3, 0.2
FAR_MINUTES = 120  # travel or an idle gap this long scores 0 on its part

Origin = str | tuple[float, float] | None


@dataclass(frozen=True)
class JobSpan:
    """A live job of the partner: its booked time and where it is."""

    start: datetime
    end: datetime
    pincode: str


@dataclass(frozen=True)
class Slot:
    start_time: datetime
    end_time: datetime
    is_available: bool
    score: float
    travel_time_minutes: int
    buffer_time_minutes: int
    reasoning: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DayPlan:
    partner: Partner
    service: Service
    slots: list[Slot]
    hours: PartnerAvailability | None


def leg_minutes(origin: Origin, to_pincode: str, *, hour: int, memo: dict | None = None) -> int | None:
    """Minutes from ``origin`` (a pincode, or a (lat, lng) base) to ``to_pincode``; ``None`` when a place is unknown.

    ``memo`` keeps the answers of one request, so a day's slots ask the cache once per trip and hour."""
    if memo is not None:
        key = (origin, to_pincode, hour)
        if key not in memo:
            memo[key] = leg_minutes(origin, to_pincode, hour=hour)
        return memo[key]
    if origin is None:
        return None
    if isinstance(origin, str):
        trip = travel.travel_time(origin, to_pincode, hour=hour)
        return trip.duration_minutes if trip else None
    end = travel.centroid(to_pincode)
    return None if end is None else travel.trip_minutes(travel.distance_km(origin, end), hour)


def base_of(partner: Partner, hours: PartnerAvailability | None) -> Origin:
    """Where the partner starts the day: that day's primary pincode, else their location, else unknown."""
    if hours is not None and hours.primary_pincode:
        return hours.primary_pincode
    if partner.current_lat is not None and partner.current_lng is not None:
        return float(partner.current_lat), float(partner.current_lng)
    return None


def jobs_around(partner_id: Id, since: datetime, until: datetime, *, statuses=LIVE_STATUSES) -> list[JobSpan]:
    """The partner's jobs meeting ``[since, until)``, in time order (one query)."""
    rows = (
        PartnerAssignment.objects.filter(
            partner_id=partner_id, status__in=statuses, busy_from__lt=until, busy_until__gt=since
        )
        .order_by("booking__scheduled_start")
        .values_list("booking__scheduled_start", "booking__scheduled_end", "booking__address_snapshot")
    )
    return [JobSpan(start, end, str((snapshot or {}).get("pincode") or "")) for start, end, snapshot in rows]


def _partner_and_service(vendor_id: Id, service_id: Id) -> tuple[Partner, Service]:
    partner = (
        Partner.objects.filter(pk=vendor_id, is_active=True, onboarding_status=OnboardingStatus.VERIFIED)
        .order_by()
        .first()
    )
    if partner is None:
        raise DomainError("Vendor not found.", code=PartnerErrorCode.PARTNER_NOT_FOUND, field="vendor_id")
    service = Service.objects.filter(pk=service_id, is_active=True).order_by().first()
    if service is None:
        raise DomainError("Service not found.", code=ErrorCode.NOT_FOUND, field="service_id")
    mask = tier_mask([service.tier])
    if partner.tiers & mask != mask or not partner.categories.filter(pk=service.category_id).exists():
        raise DomainError(
            "This vendor does not offer this service.",
            code=ErrorCode.VALIDATION_ERROR,
            field="service_id",
            reason="not_offered_by_vendor",
        )
    return partner, service


def _time_off(partner_id: Id, since: datetime, until: datetime) -> list[tuple[datetime, datetime]]:
    """The partner's time off meeting ``[since, until)``, weekly repeats at the same local wall time included."""
    zone = timezone.get_current_timezone()
    rows = PartnerTimeOff.objects.filter(partner_id=partner_id, starts_at__lt=until).exclude(
        ends_at__lte=since, weekly_until__isnull=True
    )
    spans = []
    for row in rows:
        spans.append((row.starts_at, row.ends_at))
        if row.weekly_until is not None:
            local_start, local_end = timezone.localtime(row.starts_at, zone), timezone.localtime(row.ends_at, zone)
            weeks = max((since.date() - local_start.date()).days // 7, 1)
            for k in (weeks, weeks + 1):
                shifted = local_start.replace(tzinfo=None) + timedelta(weeks=k)
                if shifted.date() <= row.weekly_until:
                    end = local_end.replace(tzinfo=None) + timedelta(weeks=k)
                    spans.append((shifted.replace(tzinfo=zone), end.replace(tzinfo=zone)))
    return spans


def _clock(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def day_slots(*, vendor_id: Id, service_id: Id, customer_pincode: str, day: date) -> DayPlan:
    """Every slot of the partner's working hours on ``day`` for the service, free or not, scored (module docstring)."""
    if travel.centroid(customer_pincode) is None:
        raise DomainError(
            "We do not know where this pincode is.",
            code=ErrorCode.VALIDATION_ERROR,
            field="customer_pincode",
            reason="unknown_pincode",
        )
    partner, service = _partner_and_service(vendor_id, service_id)
    hours = (
        PartnerAvailability.objects.filter(partner=partner, day_of_week=day.isoweekday(), is_active=True)
        .order_by()
        .first()
    )
    if hours is None:
        return DayPlan(partner, service, [], None)
    zone = timezone.get_current_timezone()
    opens = datetime.combine(day, hours.start_time, tzinfo=zone)
    closes = datetime.combine(day, hours.end_time, tzinfo=zone)
    margin = timedelta(hours=12)
    jobs = jobs_around(partner.pk, opens - margin, closes + margin)
    time_off = _time_off(partner.pk, opens, closes)
    buffer, base = hours.preferred_buffer_minutes, base_of(partner, hours)
    length, step = timedelta(minutes=service.duration_minutes), timedelta(minutes=settings.SLOT_MINUTES)
    last_start = closes - length
    memo = _prefetched(jobs, base, customer_pincode, opens, last_start, length, step)
    now, slots, start = timezone.now(), [], opens
    while start <= last_start:
        slots.append(
            _slot(start, start + length, jobs, time_off, now, customer_pincode, base, buffer, opens, last_start, memo)
        )
        start += step
    return DayPlan(partner, service, slots, hours)


def _prefetched(
    jobs: list[JobSpan],
    base: Origin,
    pincode: str,
    opens: datetime,
    last_start: datetime,
    length: timedelta,
    step: timedelta,
) -> dict:
    """Every trip the day's slots may ask, read from the cache at once: to the customer from the base or any job
    at each start hour, and from the customer on to any job at each end hour."""
    starts, ends, moment = set(), set(), opens
    while moment <= last_start:
        starts.add(timezone.localtime(moment).hour)
        ends.add(timezone.localtime(moment + length).hour)
        moment += step
    places = {job.pincode for job in jobs if job.pincode}
    origins = places | ({base} if isinstance(base, str) else set())
    trips = [(origin, pincode, hour) for origin in origins for hour in starts]
    trips += [(pincode, place, hour) for place in places for hour in ends]
    found = travel.travel_times(trips)
    return {trip: (answer.duration_minutes if answer else None) for trip, answer in found.items()}


def _slot(
    start: datetime,
    end: datetime,
    jobs: list[JobSpan],
    time_off: list[tuple[datetime, datetime]],
    now: datetime,
    pincode: str,
    base: Origin,
    buffer: int,
    opens: datetime,
    last_start: datetime,
    memo: dict,
) -> Slot:
    before = [job for job in jobs if job.end <= start]
    after = [job for job in jobs if job.start >= end]
    previous, following = (before[-1] if before else None), (after[0] if after else None)
    origin: Origin = (previous.pincode or None) if previous else base
    to_minutes = leg_minutes(origin, pincode, hour=timezone.localtime(start).hour, memo=memo)
    from_minutes = (
        leg_minutes(pincode, following.pincode, hour=timezone.localtime(end).hour, memo=memo)
        if following and following.pincode
        else None
    )
    travel_to, travel_from = to_minutes or 0, from_minutes or 0
    since = start - timedelta(minutes=travel_to + buffer)
    until = end + timedelta(minutes=travel_from + buffer)
    free = (
        start > now
        and not any(off_start < end and start < off_end for off_start, off_end in time_off)
        and not any(job.start < until and since < job.end for job in jobs)
    )
    if not free:
        return Slot(start, end, False, 0.0, travel_to, buffer)
    reasons: list[str] = []
    leaving = f"the previous job at {_clock(previous.end)}" if previous else "the partner's base"
    if to_minutes is None:
        reasons.append(f"Travel from {leaving} is unknown (no place for its pincode); counted as 0 minutes.")
    else:
        reasons.append(f"{travel_to} minutes of travel from {leaving}.")
    if following is not None:
        reasons.append(f"{travel_from} minutes on to the next job at {_clock(following.start)}.")
    travel_part = 1 - min(travel_to + travel_from, FAR_MINUTES) / FAR_MINUTES
    span = (last_start - opens).total_seconds()
    early_part = 1 - (start - opens).total_seconds() / span if span > 0 else 1.0
    reasons.append(
        "The first start of the working day." if start == opens else f"Starts {_clock(start)}, later in the day."
    )
    gaps = []
    if previous is not None:
        gaps.append((since - previous.end).total_seconds() / 60)
    if following is not None:
        gaps.append((following.start - until).total_seconds() / 60)
    if gaps:
        gap = min(gaps)
        packing_part = 1 - min(gap, FAR_MINUTES) / FAR_MINUTES
        reasons.append(
            "Right next to another job: no idle time between them."
            if gap < settings.SLOT_MINUTES
            else f"{round(gap)} minutes idle next to the nearest job."
        )
    else:
        packing_part = 0.5
        reasons.append("No other job that day to pack it next to.")
    reasons.append(f"{buffer} minutes of buffer before and after, the partner's own setting.")
    score = 10 * (TRAVEL_WEIGHT * travel_part + EARLY_WEIGHT * early_part + PACKING_WEIGHT * packing_part)
    return Slot(start, end, True, round(score, 1), travel_to, buffer, reasons)


def best_slot(plan: DayPlan) -> Slot:
    """The highest-scoring free slot (the earlier on a tie); 422 naming ``preferred_date`` when none is free."""
    free = [slot for slot in plan.slots if slot.is_available]
    if not free:
        reason = "not_working" if plan.hours is None else "no_free_slot"
        message = (
            "The vendor does not work that day."
            if plan.hours is None
            else "The vendor has no free time for this service that day."
        )
        raise DomainError(message, code=ErrorCode.VALIDATION_ERROR, field="preferred_date", reason=reason)
    return max(free, key=lambda slot: (slot.score, -slot.start_time.timestamp()))


def slot_row(slot: Slot) -> dict[str, Any]:
    return {
        "start_time": slot.start_time,
        "end_time": slot.end_time,
        "is_available": slot.is_available,
        "score": slot.score,
        "travel_time_minutes": slot.travel_time_minutes,
        "buffer_time_minutes": slot.buffer_time_minutes,
    }


__all__ = ["DayPlan", "JobSpan", "Slot", "base_of", "best_slot", "day_slots", "jobs_around", "leg_minutes", "slot_row"]
