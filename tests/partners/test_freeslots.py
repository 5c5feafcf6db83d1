"""The free-slot arithmetic of issue #18: weekly rules, busy time, time off, lead time and daylight saving."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from partners.freeslots import (
    Interval,
    TimeOff,
    WeeklyRule,
    free_slots,
    local_label,
    slots_by_local_day,
    validate_rules,
)

KOLKATA = ZoneInfo("Asia/Kolkata")
NEW_YORK = ZoneInfo("America/New_York")
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)
HALF_HOUR = timedelta(minutes=30)

SPRING_FORWARD = date(2024, 3, 10)  # a Sunday: 02:00 EST jumps to 03:00 EDT
FALL_BACK = date(2024, 11, 3)  # a Sunday: 02:00 EDT falls back to 01:00 EST


def rule(day: int, start: str, end: str) -> WeeklyRule:
    return WeeklyRule(day=day, start=time.fromisoformat(start), end=time.fromisoformat(end))


def local(zone: ZoneInfo, day: date, hhmm: str, fold: int = 0) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm)).replace(tzinfo=zone, fold=fold)


def labels(starts: list[datetime], zone: ZoneInfo) -> list[str]:
    return [local_label(s, zone) for s in starts]


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# --- plain arithmetic ---------------------------------------------------------------------------------------------


def test_plain_week_in_kolkata_gives_each_weekday_its_window_and_nothing_at_the_weekend() -> None:
    rules = [rule(d, "09:00", "12:00") for d in range(1, 6)]
    starts = free_slots(
        rules=rules,
        zone=KOLKATA,
        first_day=date(2024, 1, 1),  # a Monday
        last_day=date(2024, 1, 7),
        duration=HOUR,
        not_before=LONG_AGO,
    )
    grouped = slots_by_local_day(starts, KOLKATA)
    assert list(grouped) == [date(2024, 1, d) for d in range(1, 6)]
    for day_starts in grouped.values():
        assert labels(day_starts, KOLKATA) == ["09:00", "10:00", "11:00"]
    assert starts[0] == utc("2024-01-01T03:30")
    assert all(s.tzinfo == UTC for s in starts)
    assert starts == sorted(starts)


def test_step_smaller_than_duration_starts_every_step_and_still_fits_the_window() -> None:
    starts = free_slots(
        rules=[rule(1, "09:00", "11:00")],
        zone=KOLKATA,
        first_day=date(2024, 1, 1),
        last_day=date(2024, 1, 1),
        duration=HOUR,
        step=HALF_HOUR,
        not_before=LONG_AGO,
    )
    assert labels(starts, KOLKATA) == ["09:00", "09:30", "10:00"]


def test_split_shift_gives_slots_in_both_windows_and_none_between() -> None:
    starts = free_slots(
        rules=[rule(1, "14:00", "16:00"), rule(1, "09:00", "11:00")],
        zone=KOLKATA,
        first_day=date(2024, 1, 1),
        last_day=date(2024, 1, 1),
        duration=HOUR,
        not_before=LONG_AGO,
    )
    assert labels(starts, KOLKATA) == ["09:00", "10:00", "14:00", "15:00"]


def test_busy_interval_removes_exactly_the_overlapping_slots_and_touching_edges_do_not_overlap() -> None:
    day = date(2024, 1, 1)
    busy = [
        Interval(local(KOLKATA, day, "10:00"), local(KOLKATA, day, "11:00")),  # touches 09:00's end and 11:00's start
        Interval(utc("2024-01-01T06:00"), utc("2024-01-01T06:15")),  # 11:30-11:45 IST, given in UTC
    ]
    starts = free_slots(
        rules=[rule(1, "09:00", "13:00")],
        zone=KOLKATA,
        first_day=day,
        last_day=day,
        duration=HOUR,
        busy=busy,
        not_before=LONG_AGO,
    )
    assert labels(starts, KOLKATA) == ["09:00", "12:00"]


def test_overlapping_and_unsorted_busy_intervals_are_all_honoured() -> None:
    day = date(2024, 1, 1)
    busy = [
        Interval(local(KOLKATA, day, "15:10"), local(KOLKATA, day, "15:20")),
        Interval(local(KOLKATA, day, "09:00"), local(KOLKATA, day, "13:00")),  # a long one swallowing short ones
        Interval(local(KOLKATA, day, "10:00"), local(KOLKATA, day, "10:30")),
    ]
    starts = free_slots(
        rules=[rule(1, "09:00", "17:00")],
        zone=KOLKATA,
        first_day=day,
        last_day=day,
        duration=HOUR,
        busy=busy,
        not_before=LONG_AGO,
    )
    assert labels(starts, KOLKATA) == ["13:00", "14:00", "16:00"]


def test_single_time_off_blocks_only_its_own_day() -> None:
    off = TimeOff(local(KOLKATA, date(2024, 1, 2), "10:30"), local(KOLKATA, date(2024, 1, 2), "11:15"))
    starts = free_slots(
        rules=[rule(d, "09:00", "12:00") for d in (1, 2, 3)],
        zone=KOLKATA,
        first_day=date(2024, 1, 1),
        last_day=date(2024, 1, 3),
        duration=HOUR,
        time_off=[off],
        not_before=LONG_AGO,
    )
    grouped = {d: labels(s, KOLKATA) for d, s in slots_by_local_day(starts, KOLKATA).items()}
    assert grouped == {
        date(2024, 1, 1): ["09:00", "10:00", "11:00"],
        date(2024, 1, 2): ["09:00"],
        date(2024, 1, 3): ["09:00", "10:00", "11:00"],
    }


@pytest.mark.parametrize(
    ("weekly_until", "blocked_mondays"),
    [
        (date(2024, 1, 15), [1, 8, 15]),  # inclusive: the occurrence on the 15th still blocks
        (date(2024, 1, 14), [1, 8]),
        (date(2023, 12, 1), [1]),  # a bound before the start leaves the first occurrence only
    ],
)
def test_weekly_time_off_repeats_every_seven_days_up_to_and_including_weekly_until(
    weekly_until: date, blocked_mondays: list[int]
) -> None:
    off = TimeOff(
        local(KOLKATA, date(2024, 1, 1), "10:00"), local(KOLKATA, date(2024, 1, 1), "11:00"), weekly_until=weekly_until
    )
    starts = free_slots(
        rules=[rule(1, "09:00", "12:00")],
        zone=KOLKATA,
        first_day=date(2024, 1, 1),
        last_day=date(2024, 1, 29),
        duration=HOUR,
        time_off=[off],
        not_before=LONG_AGO,
    )
    grouped = {d.day: labels(s, KOLKATA) for d, s in slots_by_local_day(starts, KOLKATA).items()}
    for monday in (1, 8, 15, 22, 29):
        expected = ["09:00", "11:00"] if monday in blocked_mondays else ["09:00", "10:00", "11:00"]
        assert grouped[monday] == expected, monday


def test_weekly_time_off_started_long_before_the_range_still_blocks_in_it() -> None:
    off = TimeOff(
        local(KOLKATA, date(2023, 1, 2), "10:00"),
        local(KOLKATA, date(2023, 1, 2), "11:00"),
        weekly_until=date(2025, 1, 1),
    )
    starts = free_slots(
        rules=[rule(1, "09:00", "12:00")],
        zone=KOLKATA,
        first_day=date(2024, 1, 1),
        last_day=date(2024, 1, 1),
        duration=HOUR,
        time_off=[off],
        not_before=LONG_AGO,
    )
    assert labels(starts, KOLKATA) == ["09:00", "11:00"]


def test_weekly_time_off_across_the_new_york_dst_change_stays_at_the_same_wall_time() -> None:
    mondays = [date(2024, 3, 4), date(2024, 3, 11), date(2024, 3, 18)]  # EST, then EDT after March 10
    off = TimeOff(local(NEW_YORK, mondays[0], "10:00"), local(NEW_YORK, mondays[0], "11:00"), weekly_until=mondays[-1])
    starts = free_slots(
        rules=[rule(1, "09:00", "12:00")],
        zone=NEW_YORK,
        first_day=mondays[0],
        last_day=mondays[-1],
        duration=HOUR,
        time_off=[off],
        not_before=LONG_AGO,
    )
    grouped = {d: labels(s, NEW_YORK) for d, s in slots_by_local_day(starts, NEW_YORK).items()}
    assert grouped == {monday: ["09:00", "11:00"] for monday in mondays}
    assert utc("2024-03-04T16:00") in starts  # 11:00 EST
    assert utc("2024-03-11T15:00") in starts  # 11:00 EDT


def test_not_before_cuts_the_past_and_the_lead_time_and_a_slot_starting_exactly_then_stays() -> None:
    day = date(2024, 1, 1)
    common = {
        "rules": [rule(1, "09:00", "13:00")],
        "zone": KOLKATA,
        "first_day": day,
        "last_day": day,
        "duration": HOUR,
    }
    assert labels(free_slots(**common, not_before=local(KOLKATA, day, "10:15")), KOLKATA) == ["11:00", "12:00"]
    assert labels(free_slots(**common, not_before=utc("2024-01-01T05:30")), KOLKATA) == ["11:00", "12:00"]
    assert free_slots(**common, not_before=local(KOLKATA, day, "12:01")) == []


def test_rule_on_a_weekday_not_in_the_range_gives_nothing() -> None:
    starts = free_slots(
        rules=[rule(6, "09:00", "12:00")],  # Saturdays only
        zone=KOLKATA,
        first_day=date(2024, 1, 1),
        last_day=date(2024, 1, 5),  # Monday to Friday
        duration=HOUR,
        not_before=LONG_AGO,
    )
    assert starts == []


def test_empty_range_gives_nothing() -> None:
    starts = free_slots(
        rules=[rule(1, "09:00", "12:00")],
        zone=KOLKATA,
        first_day=date(2024, 1, 8),
        last_day=date(2024, 1, 1),
        duration=HOUR,
        not_before=LONG_AGO,
    )
    assert starts == []


# --- daylight saving (America/New_York), and India with none -------------------------------------------------------


def test_spring_forward_gap_gives_no_0230_slot_and_never_a_shifted_one() -> None:
    starts = free_slots(
        rules=[rule(7, "01:30", "05:00")],
        zone=NEW_YORK,
        first_day=SPRING_FORWARD,
        last_day=SPRING_FORWARD,
        duration=HOUR,
        not_before=LONG_AGO,
    )
    assert labels(starts, NEW_YORK) == ["01:30", "03:30"]
    assert starts == [utc("2024-03-10T06:30"), utc("2024-03-10T07:30")]


def test_spring_forward_gap_with_half_hour_slots_skips_the_missing_hour_without_duplicates() -> None:
    starts = free_slots(
        rules=[rule(7, "00:00", "04:00")],
        zone=NEW_YORK,
        first_day=SPRING_FORWARD,
        last_day=SPRING_FORWARD,
        duration=HALF_HOUR,
        not_before=LONG_AGO,
    )
    assert labels(starts, NEW_YORK) == ["00:00", "00:30", "01:00", "01:30", "03:00", "03:30"]


def test_window_ending_in_the_gap_ends_at_the_transition_instant() -> None:
    # "02:30" does not exist on 2024-03-10: the window ends when the clock jumps, 03:00 EDT = 07:00 UTC.
    common = {
        "rules": [rule(7, "00:00", "02:30")],
        "zone": NEW_YORK,
        "first_day": SPRING_FORWARD,
        "last_day": SPRING_FORWARD,
        "not_before": LONG_AGO,
    }
    hourly = free_slots(**common, duration=HOUR)
    assert labels(hourly, NEW_YORK) == ["00:00", "01:00"]  # 01:00 EST ends at 07:00 UTC exactly
    ninety = free_slots(**common, duration=timedelta(minutes=90), step=HALF_HOUR)
    assert labels(ninety, NEW_YORK) == ["00:00", "00:30"]  # 01:00 would end at 07:30 UTC, after the window


def test_window_starting_in_the_gap_steps_from_its_wall_start() -> None:
    starts = free_slots(
        rules=[rule(7, "02:30", "06:00")],
        zone=NEW_YORK,
        first_day=SPRING_FORWARD,
        last_day=SPRING_FORWARD,
        duration=HOUR,
        not_before=LONG_AGO,
    )
    assert labels(starts, NEW_YORK) == ["03:30", "04:30"]


def test_fall_back_repeat_gives_one_0130_slot_at_the_first_occurrence() -> None:
    starts = free_slots(
        rules=[rule(7, "00:30", "04:00")],
        zone=NEW_YORK,
        first_day=FALL_BACK,
        last_day=FALL_BACK,
        duration=HOUR,
        not_before=LONG_AGO,
    )
    assert labels(starts, NEW_YORK) == ["00:30", "01:30", "02:30"]
    assert starts == [utc("2024-11-03T04:30"), utc("2024-11-03T05:30"), utc("2024-11-03T07:30")]


def test_fall_back_repeat_with_half_hour_slots_lists_each_wall_time_once() -> None:
    starts = free_slots(
        rules=[rule(7, "00:00", "03:00")],
        zone=NEW_YORK,
        first_day=FALL_BACK,
        last_day=FALL_BACK,
        duration=HALF_HOUR,
        not_before=LONG_AGO,
    )
    assert labels(starts, NEW_YORK) == ["00:00", "00:30", "01:00", "01:30", "02:00", "02:30"]
    assert utc("2024-11-03T06:30") not in starts  # 01:30 EST, the second reading


def test_sixty_minute_slot_across_fall_back_ends_one_real_hour_later_and_overlaps_in_utc() -> None:
    common = {
        "rules": [rule(7, "01:30", "02:30")],  # two real hours on this day: 05:30 to 07:30 UTC
        "zone": NEW_YORK,
        "first_day": FALL_BACK,
        "last_day": FALL_BACK,
        "duration": HOUR,
        "not_before": LONG_AGO,
    }
    assert free_slots(**common) == [utc("2024-11-03T05:30")]  # 01:30 EDT to 01:30 EST
    # 01:00-01:30 EST (06:00-06:30 UTC) is inside the slot's real hour though its wall time is before 01:30.
    inside = Interval(local(NEW_YORK, FALL_BACK, "01:00", fold=1), local(NEW_YORK, FALL_BACK, "01:30", fold=1))
    assert inside.start.astimezone(UTC) == utc("2024-11-03T06:00")  # PEP 495: compare a fold=1 time in UTC
    assert free_slots(**common, busy=[inside]) == []
    # 01:30-02:30 EST starts when the slot ends: touching, no overlap.
    after = Interval(local(NEW_YORK, FALL_BACK, "01:30", fold=1), local(NEW_YORK, FALL_BACK, "02:30"))
    assert free_slots(**common, busy=[after]) == [utc("2024-11-03T05:30")]


def test_kolkata_has_no_dst_and_gives_the_plain_answer_on_the_new_york_change_days() -> None:
    for day in (SPRING_FORWARD, FALL_BACK):
        starts = free_slots(
            rules=[rule(7, "00:00", "04:00")],
            zone=KOLKATA,
            first_day=day,
            last_day=day,
            duration=HALF_HOUR,
            not_before=LONG_AGO,
        )
        assert labels(starts, KOLKATA) == ["00:00", "00:30", "01:00", "01:30", "02:00", "02:30", "03:00", "03:30"]
        assert [b - a for a, b in pairwise(starts)] == [HALF_HOUR] * 7


# --- rules --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([rule(1, "09:00", "09:00")], "must be after start"),
        ([rule(1, "12:00", "09:00")], "must be after start"),
        ([rule(0, "09:00", "12:00")], "ISO weekday"),
        ([rule(8, "09:00", "12:00")], "ISO weekday"),
        ([rule(2, "09:00", "12:00"), rule(2, "11:00", "14:00")], "overlap"),
        ([rule(2, "09:00", "18:00"), rule(2, "11:00", "12:00")], "overlap"),
    ],
)
def test_validate_rules_refuses_bad_windows_days_and_overlaps(rules: list[WeeklyRule], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_rules(rules)
    with pytest.raises(ValueError, match=message):
        free_slots(
            rules=rules,
            zone=KOLKATA,
            first_day=date(2024, 1, 1),
            last_day=date(2024, 1, 7),
            duration=HOUR,
            not_before=LONG_AGO,
        )


def test_validate_rules_accepts_a_split_shift_touching_windows_and_the_same_hours_on_other_days() -> None:
    validate_rules(
        [
            rule(1, "09:00", "12:00"),
            rule(1, "14:00", "18:00"),
            rule(2, "09:00", "12:00"),
            rule(2, "12:00", "13:00"),
            rule(3, "09:00", "12:00"),
        ]
    )


def test_naive_datetimes_and_non_positive_lengths_are_refused() -> None:
    naive = datetime(2024, 1, 1, 10, 0)
    with pytest.raises(ValueError, match="aware"):
        Interval(naive, naive + HOUR)
    with pytest.raises(ValueError, match="aware"):
        TimeOff(naive, naive + HOUR)
    with pytest.raises(ValueError, match="after start"):
        Interval(utc("2024-01-01T10:00"), utc("2024-01-01T10:00"))
    common = {"rules": [], "zone": KOLKATA, "first_day": date(2024, 1, 1), "last_day": date(2024, 1, 1)}
    with pytest.raises(ValueError, match="aware"):
        free_slots(**common, duration=HOUR, not_before=naive)
    with pytest.raises(ValueError, match="duration"):
        free_slots(**common, duration=timedelta(0), not_before=LONG_AGO)
    with pytest.raises(ValueError, match="step"):
        free_slots(**common, duration=HOUR, step=timedelta(0), not_before=LONG_AGO)


# --- grouping and labels ------------------------------------------------------------------------------------------


def test_multi_day_range_is_grouped_by_the_providers_local_day_not_the_utc_date() -> None:
    # Evening slots in New York fall on the next UTC date; they belong to the local day.
    days = [date(2024, 6, 3), date(2024, 6, 4), date(2024, 6, 5)]
    starts = free_slots(
        rules=[rule(d.isoweekday(), "22:00", "23:30") for d in days],
        zone=NEW_YORK,
        first_day=days[0],
        last_day=days[-1],
        duration=HALF_HOUR,
        not_before=LONG_AGO,
    )
    grouped = slots_by_local_day(starts, NEW_YORK)
    assert list(grouped) == days
    assert {d: labels(s, NEW_YORK) for d, s in grouped.items()} == {d: ["22:00", "22:30", "23:00"] for d in days}
    assert grouped[days[0]][0] == utc("2024-06-04T02:00")
    assert sum(len(s) for s in grouped.values()) == len(starts)


def test_local_label_reads_the_providers_wall_clock() -> None:
    assert local_label(utc("2024-01-01T03:30"), KOLKATA) == "09:00"
    assert local_label(utc("2024-11-03T05:30"), NEW_YORK) == "01:30"
    assert local_label(utc("2024-11-03T06:30"), NEW_YORK) == "01:30"


# --- a month of busy time -----------------------------------------------------------------------------------------


def test_a_31_day_range_with_100_busy_intervals_returns_the_slots_a_plain_scan_finds() -> None:
    first_day, last_day = date(2024, 1, 1), date(2024, 1, 31)
    rules = [rule(d, "09:00", "13:00") for d in range(1, 8)] + [rule(d, "14:00", "18:00") for d in range(1, 6)]
    duration, step = HALF_HOUR, timedelta(minutes=15)
    rng = random.Random(18)
    month_start = local(KOLKATA, first_day, "00:00")
    busy = []
    for _ in range(100):
        start = month_start + timedelta(minutes=5 * rng.randrange(31 * 24 * 12))
        busy.append(Interval(start.astimezone(UTC), start + timedelta(minutes=5 * rng.randint(1, 24))))
    not_before = local(KOLKATA, date(2024, 1, 3), "11:07")

    expected = []  # the obvious way: every candidate checked against every busy interval
    for n in range(31):
        day = first_day + timedelta(days=n)
        for r in rules:
            if r.day != day.isoweekday():
                continue
            start = datetime.combine(day, r.start, tzinfo=KOLKATA)
            while start + duration <= datetime.combine(day, r.end, tzinfo=KOLKATA):
                clash = any(b.start < start + duration and start < b.end for b in busy)
                if start >= not_before and not clash:
                    expected.append(start.astimezone(UTC))
                start += step
    expected.sort()

    starts = free_slots(
        rules=rules,
        zone=KOLKATA,
        first_day=first_day,
        last_day=last_day,
        duration=duration,
        step=step,
        busy=busy,
        not_before=not_before,
    )
    all_candidates = 31 * 15 + 23 * 15  # 15 quarter-hour starts per four-hour window; 23 weekdays in January 2024
    assert len(expected) < all_candidates - 100  # the busy time and not_before really remove slots
    assert len(starts) == len(expected)
    assert starts == expected
