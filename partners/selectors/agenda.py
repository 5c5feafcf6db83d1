"""Free slots of providers booked by name (issue #18): the database read around ``partners.freeslots``.

:func:`free_slots_of` answers, for any number of providers at once, the
start instants (UTC) of their free slots on a range of their local days, in
three queries whatever the number of providers or days: their weekly rules
(``PartnerAvailability``, read in each provider's IANA zone), their time off
(``PartnerTimeOff``, once or weekly) and their busy time (live
``PartnerAssignment`` rows, which include unpaid appointment holds until the
hold expires and frees them). The past and the lead time
(``APPOINTMENT_LEAD_MINUTES``) are left out, and no day after the booking
horizon (``max_booking_advance_days`` from the provider's today) is offered.

A slot is the provider's ``default_session_minutes`` grid from the start of
each rule window; a longer service takes consecutive grid time. Whether one
given start is bookable is :func:`is_free` (the same arithmetic, so the list a
client was shown and the check its booking meets never disagree).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core import system_settings
from core.types import Id
from partners import freeslots
from partners.models import BUSY_STATUSES, Partner, PartnerAssignment, PartnerAvailability, PartnerTimeOff


def zone_of(partner: Partner) -> ZoneInfo:
    return ZoneInfo(partner.timezone)


def horizon(partner: Partner, now: datetime, *, days: int | None = None) -> date:
    """The provider's last bookable local date (``days``: the horizon setting, when the caller read it already)."""
    days = system_settings.value("max_booking_advance_days") if days is None else days
    return now.astimezone(zone_of(partner)).date() + timedelta(days=days)


def free_slots_of(
    partners: Sequence[Partner],
    *,
    first_day: date,
    last_day: date,
    duration_minutes: int | None = None,
    exclude_booking_id: Id | None = None,
    now: datetime | None = None,
) -> dict[Id, list[datetime]]:
    """Each provider's free slot starts (UTC, ascending) on their local days ``first_day``..``last_day``.

    ``duration_minutes`` defaults to each provider's session length; ``exclude_booking_id`` leaves that
    booking's own time out of the busy time (a reschedule may land on, or overlap, its own slot).
    """
    now = now or timezone.now()
    if not partners or last_day < first_day:
        return {p.pk: [] for p in partners}
    ids = [p.pk for p in partners]
    lo = datetime.combine(first_day - timedelta(days=1), time.min, tzinfo=UTC)
    hi = datetime.combine(last_day + timedelta(days=2), time.min, tzinfo=UTC)
    rules: dict[Id, list[freeslots.WeeklyRule]] = defaultdict(list)
    for row in PartnerAvailability.objects.filter(partner_id__in=ids, is_active=True).values_list(
        "partner_id", "day_of_week", "start_time", "end_time"
    ):
        rules[row[0]].append(freeslots.WeeklyRule(day=row[1], start=row[2], end=row[3]))
    off: dict[Id, list[freeslots.TimeOff]] = defaultdict(list)
    for block in PartnerTimeOff.objects.filter(partner_id__in=ids, starts_at__lt=hi).filter(
        Q(ends_at__gt=lo) | Q(weekly_until__gte=first_day - timedelta(days=1))
    ):
        off[block.partner_id].append(block.as_freeslot())
    busy: dict[Id, list[freeslots.Interval]] = defaultdict(list)
    taken = PartnerAssignment.objects.filter(
        partner_id__in=ids, status__in=BUSY_STATUSES, busy_from__lt=hi, busy_until__gt=lo
    )
    if exclude_booking_id is not None:
        taken = taken.exclude(booking_id=exclude_booking_id)
    for partner_id, start, end in taken.values_list("partner_id", "busy_from", "busy_until"):
        busy[partner_id].append(freeslots.Interval(start=start, end=end))
    not_before = now + timedelta(minutes=settings.APPOINTMENT_LEAD_MINUTES)
    days_ahead = system_settings.value("max_booking_advance_days")  # read once for every provider
    answer: dict[Id, list[datetime]] = {}
    for partner in partners:
        step = timedelta(minutes=partner.default_session_minutes)
        answer[partner.pk] = freeslots.free_slots(
            rules=rules.get(partner.pk, []),
            zone=zone_of(partner),
            first_day=first_day,
            last_day=min(last_day, horizon(partner, now, days=days_ahead)),
            duration=timedelta(minutes=duration_minutes) if duration_minutes else step,
            step=step,
            busy=busy.get(partner.pk, []),
            time_off=off.get(partner.pk, []),
            not_before=not_before,
        )
    return answer


def is_free(
    partner: Partner,
    start: datetime,
    *,
    duration_minutes: int,
    exclude_booking_id: Id | None = None,
    now: datetime | None = None,
) -> bool:
    """Whether ``start`` is one of the provider's free slots for ``duration_minutes`` (what the lists offer)."""
    day = start.astimezone(zone_of(partner)).date()
    slots = free_slots_of(
        [partner],
        first_day=day,
        last_day=day,
        duration_minutes=duration_minutes,
        exclude_booking_id=exclude_booking_id,
        now=now,
    )
    return start.astimezone(UTC) in slots[partner.pk]


def day_grid(partner: Partner, day: date, *, duration_minutes: int | None = None) -> list[datetime]:
    """Every slot start the provider's rules make on their local ``day``, free or not (seed 003 lists booked
    slots as ``available: false``): the rules alone, nothing busy, no lead time."""
    step = timedelta(minutes=partner.default_session_minutes)
    rules = [
        freeslots.WeeklyRule(day=d, start=s, end=e)
        for d, s, e in partner.availability.filter(is_active=True, day_of_week=day.isoweekday()).values_list(
            "day_of_week", "start_time", "end_time"
        )
    ]
    return freeslots.free_slots(
        rules=rules,
        zone=zone_of(partner),
        first_day=day,
        last_day=day,
        duration=timedelta(minutes=duration_minutes) if duration_minutes else step,
        step=step,
        not_before=datetime.min.replace(tzinfo=UTC),
    )
