"""A partner's day, looked at after the fact (issue #20, seed 002 SC): the day optimised, and a booking's estimates.

``vendor_day`` answers seed 002's vendor optimisation for the signed-in partner:
the day's jobs they know of (offers and jobs, done ones included; checkout's
``held`` time is not theirs yet) in time order, the work and travel they add up
to (base → first job → … → last job, each trip at the hour it starts), an
efficiency score, and suggestions:

* ``route_optimization``: another order of the same visits travels at least
  ``MIN_SAVING`` minutes less (every order is tried up to ``MAX_REORDER`` jobs;
  all trips compared at the first job's hour, so only the order differs);
* ``tight_schedule``: the time between two jobs is shorter than the trip plus the
  partner's buffer (they will be late);
* ``short_gap``: the idle time between two jobs (after the trip and buffer) is too
  short for another job (shorter than the day's shortest job) but worth closing
  (``MIN_SAVING`` minutes or more);
* ``idle_gap``: ``LONG_GAP`` minutes or more idle between two jobs, room for more.

The efficiency score is 10 x work / (work + travel + idle time between jobs),
one decimal (10: back to back with no travel; 0 with no jobs).

``booking_estimates`` (SC3) is what ``create_assignment`` stores on a booking when
a partner's time is held or given for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise, permutations
from typing import Any

from django.db import connection
from django.utils import timezone

from bookings.models import Booking
from partners.models import KNOWN_TO_PARTNER, LIVE_STATUSES, Partner, PartnerAvailability
from partners.scheduling import JobSpan, Origin, base_of, jobs_around, leg_minutes

MAX_REORDER = 6
MIN_SAVING = 5
LONG_GAP = 120
DEFAULT_BUFFER = 15  # the model's default, for a day without hours


@dataclass(frozen=True)
class Suggestion:
    type: str
    message: str
    potential_savings_minutes: int


@dataclass
class DayReport:
    optimization_date: date
    total_bookings: int = 0
    total_duration_minutes: int = 0
    total_travel_time_minutes: int = 0
    efficiency_score: float = 0.0
    suggestions: list[Suggestion] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "optimization_date": self.optimization_date,
            "total_bookings": self.total_bookings,
            "total_duration_minutes": self.total_duration_minutes,
            "total_travel_time_minutes": self.total_travel_time_minutes,
            "efficiency_score": self.efficiency_score,
            "suggestions": [vars(s) for s in self.suggestions],
        }


def _minutes(span: timedelta) -> int:
    return round(span.total_seconds() / 60)


def _clock(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _route_minutes(origin: Origin, pincodes: list[str], hour: int) -> int:
    total, here = 0, origin
    for pincode in pincodes:
        if pincode:
            total += leg_minutes(here, pincode, hour=hour) or 0
            here = pincode
    return total


def vendor_day(partner: Partner, day: date) -> DayReport:
    """Seed 002's vendor optimisation of ``day`` (module docstring). Two queries whatever the number of jobs."""
    zone = timezone.get_current_timezone()
    day_start = datetime.combine(day, time.min, tzinfo=zone)
    day_end = day_start + timedelta(days=1)
    jobs = [
        job
        for job in jobs_around(partner.pk, day_start, day_end, statuses=(*KNOWN_TO_PARTNER, "completed"))
        if day_start <= job.start < day_end
    ]
    report = DayReport(optimization_date=day)
    if not jobs:
        return report
    hours = PartnerAvailability.objects.filter(partner=partner, day_of_week=day.isoweekday()).order_by().first()
    buffer = hours.preferred_buffer_minutes if hours else DEFAULT_BUFFER
    base = base_of(partner, hours)
    work = sum(_minutes(job.end - job.start) for job in jobs)
    shortest = min(_minutes(job.end - job.start) for job in jobs)
    travel = leg_minutes(base, jobs[0].pincode, hour=timezone.localtime(jobs[0].start).hour) or 0
    idle = 0
    for previous, following in pairwise(jobs):
        trip = leg_minutes(previous.pincode, following.pincode, hour=timezone.localtime(previous.end).hour) or 0
        travel += trip
        gap = _minutes(following.start - previous.end) - trip - buffer
        idle += max(gap, 0)
        report.suggestions.extend(_gap_advice(previous, following, gap, trip, buffer, shortest))
    report.total_bookings, report.total_duration_minutes, report.total_travel_time_minutes = len(jobs), work, travel
    report.efficiency_score = round(10 * work / (work + travel + idle), 1)
    route = _reorder(base, jobs)
    if route is not None:
        report.suggestions.insert(0, route)
    return report


def _gap_advice(
    previous: JobSpan, following: JobSpan, gap: int, trip: int, buffer: int, shortest: int
) -> list[Suggestion]:
    between = f"between the {_clock(previous.end)} finish and the {_clock(following.start)} start"
    if gap < 0:
        message = (
            f"Only {_minutes(following.start - previous.end)} minutes {between}, but the trip takes {trip} "
            f"and your buffer is {buffer}: ask to move the later job by {-gap} minutes."
        )
        return [Suggestion("tight_schedule", message, 0)]
    if MIN_SAVING <= gap < shortest:
        message = f"The {gap}-minute gap {between} is too short for another job; moving them together frees it."
        return [Suggestion("short_gap", message, gap)]
    if gap >= LONG_GAP:
        message = f"{gap} idle minutes {between}: room for another job nearby."
        return [Suggestion("idle_gap", message, gap)]
    return []


def _reorder(base: Origin, jobs: list[JobSpan]) -> Suggestion | None:
    """A visiting order that travels at least ``MIN_SAVING`` minutes less, as a suggestion; ``None`` otherwise."""
    pincodes = [job.pincode for job in jobs]
    if len(pincodes) < 2 or len(pincodes) > MAX_REORDER:
        return None
    hour = timezone.localtime(jobs[0].start).hour
    current = _route_minutes(base, pincodes, hour)
    best = min(permutations(pincodes), key=lambda order: _route_minutes(base, list(order), hour))
    saving = current - _route_minutes(base, list(best), hour)
    if saving < MIN_SAVING:
        return None
    message = (
        f"Visiting {' → '.join(p or '?' for p in best)} instead of {' → '.join(p or '?' for p in pincodes)} "
        f"would save about {saving} minutes of travel; consider rearranging the bookings."
    )
    return Suggestion("route_optimization", message, saving)


def booking_estimates(booking: Booking, partner: Partner) -> dict[str, int | None]:
    """SC3: what the booking stores once a partner's time is kept for it (one query; two on SQLite).

    ``estimated_duration_minutes`` is the booked length (the items' durations, as checkout set the end),
    ``buffer_before_minutes`` / ``buffer_after_minutes`` the partner's own buffer of that weekday, and
    ``travel_time_to_minutes`` the trip from their previous job that day (or their base), ``None`` when a place
    is unknown.
    """
    start = booking.scheduled_start
    local = timezone.localtime(start)
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    read = _before_on_postgresql if connection.vendor == "postgresql" else _before
    hours, previous = read(partner, local.isoweekday(), day_start, start)
    pincode = str((booking.address_snapshot or {}).get("pincode") or "")
    origin: Origin = (previous or None) if previous is not None else base_of(partner, hours)
    travel = leg_minutes(origin, pincode, hour=local.hour) if pincode else None
    buffer = hours.preferred_buffer_minutes if hours else None
    return {
        "estimated_duration_minutes": _minutes(booking.scheduled_end - start),
        "buffer_before_minutes": buffer,
        "buffer_after_minutes": buffer,
        "travel_time_to_minutes": travel,
    }


def _before(
    partner: Partner, weekday: int, day_start: datetime, start: datetime
) -> tuple[PartnerAvailability | None, str | None]:
    """The partner's hours that weekday, and the pincode of their last job that day ending by ``start`` (``""``:
    one with no pincode; ``None``: no such job)."""
    hours = PartnerAvailability.objects.filter(partner=partner, day_of_week=weekday).order_by().first()
    earlier = [job for job in jobs_around(partner.pk, day_start, start) if job.end <= start and job.start >= day_start]
    return hours, (earlier[-1].pincode if earlier else None)


# ``_before`` as one statement (checkout's hold runs it on every confirm: the ORM built two queries in Python
# for most of a millisecond each). ``tests/scheduling`` compare the two. The partner's jobs are found first, by
# their index, and each one's booking by its key (``OFFSET 0`` keeps the planner from merging the two): planned
# freely, PostgreSQL chose to walk that day's bookings of every partner by start time, and planned it again on
# every run (0.3-0.55 ms, more than running it) because the cached plan looked dearer (issue #21).
_BEFORE = f"""
SELECT w.id IS NOT NULL, w.preferred_buffer_minutes, w.primary_pincode, (
  SELECT b.pincode FROM partners_partnerassignment a CROSS JOIN LATERAL (
    SELECT COALESCE(j.address_snapshot ->> 'pincode', '') AS pincode, j.scheduled_start FROM bookings_booking j
    WHERE j.id = a.booking_id AND j.scheduled_end <= %(start)s AND j.scheduled_start >= %(day_start)s OFFSET 0
  ) b
  WHERE a.partner_id = %(partner)s AND a.status IN ({", ".join(f"'{status}'" for status in LIVE_STATUSES)})
    AND a.busy_from < %(start)s AND a.busy_until > %(day_start)s
  ORDER BY b.scheduled_start DESC LIMIT 1
) FROM (SELECT 1) one LEFT JOIN LATERAL (
  SELECT id, preferred_buffer_minutes, primary_pincode FROM partners_partneravailability
  WHERE partner_id = %(partner)s AND day_of_week = %(weekday)s ORDER BY id LIMIT 1
) w ON true"""  # noqa: S608 - fixed text; every value is a parameter


def _before_on_postgresql(
    partner: Partner, weekday: int, day_start: datetime, start: datetime
) -> tuple[PartnerAvailability | None, str | None]:
    with connection.cursor() as cursor:
        cursor.execute(_BEFORE, {"partner": partner.pk, "weekday": weekday, "day_start": day_start, "start": start})
        found, buffer, primary, previous = cursor.fetchone()
    hours = PartnerAvailability(preferred_buffer_minutes=buffer, primary_pincode=primary) if found else None
    return hours, previous
