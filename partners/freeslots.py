"""Free-slot arithmetic for providers with a chosen time (issue #18, "Availability"): pure, no database.

A provider works by weekly rules (``WeeklyRule``: an ISO weekday and a
wall-clock window in the provider's zone). ``free_slots`` answers the start
instants (UTC, ascending) of every slot of a given duration that:

* lies inside one rule window of its local day (days are the provider's local
  dates, ``first_day`` to ``last_day`` inclusive);
* starts at the window's start plus a whole number of ``step`` (default: the
  duration), counted in WALL-CLOCK time;
* does not overlap a busy interval (``Interval``: live appointments, unpaid
  holds) or a time-off occurrence (``TimeOff``, optionally weekly);
* starts at or after ``not_before`` (the caller's now plus lead time; the
  caller also caps ``last_day`` by the booking horizon).

Every interval is half-open ``[start, end)``: touching edges do not overlap.
Overlap is always decided on UTC instants, and a slot ends ``duration`` of
real elapsed time after it starts (UTC arithmetic), so a 60-minute slot at
01:30 EDT on the fall-back day ends at 01:30 EST.

Daylight-saving rules (one rule for wall times, "the first instant at which
the provider's clock reads that time or later"):

* a slot start whose wall time does not exist (02:30 on a spring-forward day
  in New York) gives NO slot; it is never shifted to 03:30;
* a slot start whose wall time happens twice (01:30 on a fall-back day) gives
  ONE slot, at the first occurrence (``fold=0``);
* a window bound or time-off bound whose wall time does not exist resolves to
  the transition instant (the clock jumps from 02:00 to 03:00, so a window
  ending "02:30" ends at 03:00 EDT = 07:00 UTC, after two real hours when it
  starts at 00:00); an ambiguous bound resolves to its first occurrence;
* a weekly time off keeps its wall-clock times: a block at 10:00 local stays
  at 10:00 local across a change. Its first occurrence is the given
  ``[start, end)`` itself; later ones are its local wall times plus 7, 14, ...
  days whose local start date is on or before ``weekly_until`` (inclusive).

Complexity: O(B log B + T log T) to sort the busy intervals (B) and the
time-off occurrences in range (T), then O(D x S + B + T) for D days with S
candidate slots a day: blocked time is merged once and walked with a single
pointer as the (ascending) candidates advance, never rescanned per slot.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

__all__ = [
    "Interval",
    "TimeOff",
    "WeeklyRule",
    "free_slots",
    "local_label",
    "slots_by_local_day",
    "validate_rules",
]

_WEEK = timedelta(days=7)
_DAY = timedelta(days=1)


def _require_aware(value: datetime, name: str) -> None:
    """A naive datetime has no instant: refuse it rather than guess a zone."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got naive {value.isoformat()}")


@dataclass(frozen=True)
class WeeklyRule:
    """A weekly working window: ISO ``day`` (1 = Monday .. 7 = Sunday), ``start`` to ``end`` wall-clock, local zone.

    Checked as a set by ``validate_rules`` (end after start, day in 1..7, no
    overlap on one day), so the API can report every bad rule the same way.
    """

    day: int
    start: time
    end: time


@dataclass(frozen=True)
class Interval:
    """Busy time ``[start, end)`` in any zone (live appointment, unpaid hold); both aware, end after start."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        _require_aware(self.start, "Interval.start")
        _require_aware(self.end, "Interval.end")
        if self.end <= self.start:
            raise ValueError(f"Interval end {self.end.isoformat()} must be after start {self.start.isoformat()}")


@dataclass(frozen=True)
class TimeOff:
    """Blocked time ``[start, end)``; with ``weekly_until`` it repeats every 7 days at the same local wall times.

    The repeat is inclusive: an occurrence whose local start date is
    ``weekly_until`` still blocks. The first occurrence is always the given
    interval.
    """

    start: datetime
    end: datetime
    weekly_until: date | None = None

    def __post_init__(self) -> None:
        _require_aware(self.start, "TimeOff.start")
        _require_aware(self.end, "TimeOff.end")
        if self.end <= self.start:
            raise ValueError(f"TimeOff end {self.end.isoformat()} must be after start {self.start.isoformat()}")


def validate_rules(rules: Iterable[WeeklyRule]) -> None:
    """Raise ``ValueError`` naming the first bad rule: day outside 1..7, end not after start, or two rules overlapping.

    Two windows on one day that only touch or are apart (a split shift,
    09:00-12:00 and 14:00-18:00) are fine. A window cannot cross midnight:
    a night shift is two rules.
    """
    by_day: dict[int, list[WeeklyRule]] = {}
    for rule in rules:
        if isinstance(rule.day, bool) or not isinstance(rule.day, int) or not 1 <= rule.day <= 7:
            raise ValueError(f"rule day must be an ISO weekday 1 (Monday) to 7 (Sunday), got {rule.day!r}")
        if rule.end <= rule.start:
            raise ValueError(
                f"rule on day {rule.day}: end {rule.end.isoformat('minutes')} must be after "
                f"start {rule.start.isoformat('minutes')}"
            )
        by_day.setdefault(rule.day, []).append(rule)
    for day, day_rules in by_day.items():
        day_rules.sort(key=lambda r: r.start)
        for before, after in pairwise(day_rules):
            if after.start < before.end:
                raise ValueError(
                    f"rules on day {day} overlap: {before.start.isoformat('minutes')}-"
                    f"{before.end.isoformat('minutes')} and {after.start.isoformat('minutes')}-"
                    f"{after.end.isoformat('minutes')}"
                )


def _exists(wall: datetime, zone: ZoneInfo) -> bool:
    """Whether the naive wall time ``wall`` is ever shown by a clock in ``zone`` (False inside a spring-forward gap)."""
    there_and_back = wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return there_and_back == wall


def _resolve(wall: datetime, zone: ZoneInfo) -> datetime:
    """The first UTC instant at which the clock in ``zone`` reads ``wall`` or later.

    An existing wall time gives its first occurrence (``fold=0``); a wall time
    in a gap gives the transition instant, found by bisection between the two
    readings of ``wall`` (one per offset), which bracket it.
    """
    if _exists(wall, zone):
        return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    readings = (wall.replace(tzinfo=zone, fold=0).timestamp(), wall.replace(tzinfo=zone, fold=1).timestamp())
    lo, hi = int(min(readings)), int(max(readings))  # the clock reads before wall at lo, after it at hi
    while hi - lo > 1:  # offsets change on whole seconds
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, zone).replace(tzinfo=None) >= wall:
            hi = mid
        else:
            lo = mid
    return datetime.fromtimestamp(hi, UTC)


def _time_off_occurrences(
    item: TimeOff, zone: ZoneInfo, first_day: date, last_day: date
) -> list[tuple[datetime, datetime]]:
    """UTC ``(start, end)`` of ``item``'s occurrences that can touch local days ``first_day`` .. ``last_day``."""
    start_utc, end_utc = item.start.astimezone(UTC), item.end.astimezone(UTC)
    out = [(start_utc, end_utc)]
    if item.weekly_until is None:
        return out
    local_start = item.start.astimezone(zone).replace(tzinfo=None, fold=0)
    local_end = item.end.astimezone(zone).replace(tzinfo=None, fold=0)
    span_days = (local_end.date() - local_start.date()).days
    # Occurrence k starts on local_start.date() + 7k; keep the k whose days can meet the range (a day of margin).
    lowest = (first_day - local_start.date()).days - span_days - 1
    k = max(1, -(-lowest // 7))
    stop = min(item.weekly_until, last_day + _DAY)
    while (local_start + k * _WEEK).date() <= stop:
        occ_start = _resolve(local_start + k * _WEEK, zone)
        occ_end = _resolve(local_end + k * _WEEK, zone)
        if occ_end > occ_start:
            out.append((occ_start, occ_end))
        k += 1
    return out


def _merged_blocks(
    busy: Sequence[Interval], time_off: Sequence[TimeOff], zone: ZoneInfo, first_day: date, last_day: date
) -> list[tuple[datetime, datetime]]:
    """Busy and time-off occurrences as sorted, disjoint UTC intervals (touching ones joined)."""
    raw = [(b.start.astimezone(UTC), b.end.astimezone(UTC)) for b in busy]
    for item in time_off:
        raw.extend(_time_off_occurrences(item, zone, first_day, last_day))
    raw.sort()
    merged: list[tuple[datetime, datetime]] = []
    for start, end in raw:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _candidates(
    rules_by_day: dict[int, list[WeeklyRule]],
    zone: ZoneInfo,
    first_day: date,
    last_day: date,
    duration: timedelta,
    step: timedelta,
) -> Iterable[datetime]:
    """Every slot start (UTC, ascending) that fits a rule window; busy time and ``not_before`` are applied later."""
    day = first_day
    while day <= last_day:
        for rule in rules_by_day.get(day.isoweekday(), ()):
            wall = datetime.combine(day, rule.start)
            wall_end = datetime.combine(day, rule.end)
            window_end = _resolve(wall_end, zone)
            while wall < wall_end:
                if _exists(wall, zone):  # a wall time in the gap gives no slot, never a shifted one
                    start = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)  # a repeated time: first one
                    if start + duration > window_end:
                        break
                    yield start
                wall += step
        day += _DAY


def free_slots(
    *,
    rules: Sequence[WeeklyRule],
    zone: ZoneInfo,
    first_day: date,
    last_day: date,
    duration: timedelta,
    step: timedelta | None = None,
    busy: Sequence[Interval] = (),
    time_off: Sequence[TimeOff] = (),
    not_before: datetime,
) -> list[datetime]:
    """Start instants (UTC, ascending) of the free slots of ``duration`` on local days ``first_day``..``last_day``.

    See the module docstring for the rules (wall-clock steps from each
    window's start, UTC overlap, half-open intervals, the DST choices) and
    the complexity. ``rules`` are checked with ``validate_rules``;
    ``duration`` and ``step`` must be positive; an empty range gives ``[]``.
    """
    validate_rules(rules)
    _require_aware(not_before, "not_before")
    if duration <= timedelta(0):
        raise ValueError(f"duration must be positive, got {duration}")
    step = duration if step is None else step
    if step <= timedelta(0):
        raise ValueError(f"step must be positive, got {step}")
    if last_day < first_day:
        return []
    rules_by_day: dict[int, list[WeeklyRule]] = {}
    for rule in sorted(rules, key=lambda r: r.start):
        rules_by_day.setdefault(rule.day, []).append(rule)
    blocks = _merged_blocks(busy, time_off, zone, first_day, last_day)
    floor = not_before.astimezone(UTC)

    free: list[datetime] = []
    i = 0
    for start in _candidates(rules_by_day, zone, first_day, last_day, duration, step):
        if start < floor:
            continue
        while i < len(blocks) and blocks[i][1] <= start:  # blocks ending by this start end by every later one
            i += 1
        if i < len(blocks) and blocks[i][0] < start + duration:
            continue
        free.append(start)
    return free


def slots_by_local_day(starts: Iterable[datetime], zone: ZoneInfo) -> dict[date, list[datetime]]:
    """Group slot starts by the provider's local date: days in order, each day's starts ascending (as given)."""
    grouped: dict[date, list[datetime]] = {}
    for start in sorted(starts):
        _require_aware(start, "slot start")
        grouped.setdefault(start.astimezone(zone).date(), []).append(start)
    return grouped


def local_label(instant: datetime, zone: ZoneInfo) -> str:
    """The provider's wall-clock ``HH:MM`` for an aware instant (01:30 twice on a fall-back day reads the same)."""
    _require_aware(instant, "instant")
    return instant.astimezone(zone).strftime("%H:%M")
