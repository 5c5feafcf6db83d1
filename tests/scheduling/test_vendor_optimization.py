"""The vendor's day optimised (issue #20, seed 002 SC): totals, efficiency and suggestions for the signed-in partner."""

from __future__ import annotations

import pytest

from partners import travel
from partners.models import AssignmentStatus
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.conftest import client_for
from tests.scheduling.helpers import anyone, job, the_day, vendor

pytestmark = pytest.mark.django_db

DHAKURIA, BALLYGUNGE, NEW_TOWN = "700029", "700019", "700156"


def day_of(partner, day=None):
    response = client_for(partner.user).get("/api/v1/vendor-optimization", {"date": (day or the_day()).isoformat()})
    assert response.status_code == 200, response.json()
    return response.json()["data"]


def by_type(data) -> dict[str, dict]:
    return {s["type"]: s for s in data["suggestions"]}


def test_totals_and_a_better_route():
    """Dhakuria, New Town, Ballygunge: going Dhakuria, Ballygunge, New Town saves the trip across town and back."""
    partner = vendor(buffer=15, base=DHAKURIA)
    job(partner, "09:00", DHAKURIA)
    job(partner, "11:00", NEW_TOWN)
    job(partner, "14:00", BALLYGUNGE)
    data = day_of(partner)
    assert set(data) == {"optimization_date", "total_bookings", "total_duration_minutes",
                         "total_travel_time_minutes", "efficiency_score", "suggestions"}  # fmt: skip
    assert (data["optimization_date"], data["total_bookings"], data["total_duration_minutes"]) == (
        the_day().isoformat(),
        3,
        180,
    )
    out = travel.travel_time(DHAKURIA, NEW_TOWN, hour=10)
    back = travel.travel_time(NEW_TOWN, BALLYGUNGE, hour=12)
    assert out is not None
    assert back is not None
    assert data["total_travel_time_minutes"] == out.duration_minutes + back.duration_minutes  # base is Dhakuria
    assert 0 < data["efficiency_score"] < 10
    route = by_type(data)["route_optimization"]
    assert route["potential_savings_minutes"] >= 5
    assert f"{DHAKURIA} → {BALLYGUNGE} → {NEW_TOWN}" in route["message"]
    assert {"type", "message", "potential_savings_minutes"} == set(route)


def test_gaps_too_short_too_long_and_too_tight():
    partner = vendor(buffer=15, base=DHAKURIA)
    job(partner, "09:00", DHAKURIA)  # 10:00 -> 10:30 at the same place: 30 - 0 - 15 = 15 idle, too short
    job(partner, "10:30", DHAKURIA)  # 11:30 -> 14:00: 150 - 15 = 135 idle, long
    job(partner, "14:00", DHAKURIA)  # 15:00 -> 15:10 in New Town: too tight
    job(partner, "15:10", NEW_TOWN)
    kinds = by_type(day_of(partner))
    assert kinds["short_gap"]["potential_savings_minutes"] == 15
    assert kinds["idle_gap"]["potential_savings_minutes"] == 135
    assert kinds["tight_schedule"]["potential_savings_minutes"] == 0
    assert "15:10" in kinds["tight_schedule"]["message"]


def test_back_to_back_at_one_place_is_fully_efficient_and_held_time_is_not_shown():
    partner = vendor(buffer=0, base=DHAKURIA)
    job(partner, "09:00", DHAKURIA)
    job(partner, "10:00", DHAKURIA, status=AssignmentStatus.COMPLETED)
    job(partner, "16:00", NEW_TOWN, status=AssignmentStatus.HELD)  # checkout's hold: not the partner's yet
    data = day_of(partner)
    assert (data["total_bookings"], data["total_travel_time_minutes"], data["efficiency_score"]) == (2, 0, 10.0)
    assert data["suggestions"] == []
    empty = day_of(partner, the_day().replace(year=the_day().year + 1))
    assert (empty["total_bookings"], empty["efficiency_score"], empty["suggestions"]) == (0, 0.0, [])


def test_only_partners_and_the_date_is_required():
    assert_error(anyone().get("/api/v1/vendor-optimization", {"date": the_day().isoformat()}), 403, "FORBIDDEN")
    partner = vendor()
    client = client_for(partner.user)
    assert_error(client.get("/api/v1/vendor-optimization"), 422, "VALIDATION_ERROR", "date")
    assert_error(client.get("/api/v1/vendor-optimization", {"date": "tomorrow"}), 422, "VALIDATION_ERROR", "date")


def test_the_same_queries_whatever_the_number_of_jobs():
    small, large = vendor(base=DHAKURIA), vendor(base=DHAKURIA)
    job(small, "09:00", DHAKURIA)
    for clock, pincode in (("09:00", DHAKURIA), ("11:00", NEW_TOWN), ("13:00", BALLYGUNGE), ("15:00", "700001")):
        job(large, clock, pincode)
    path = f"/api/v1/vendor-optimization?date={the_day().isoformat()}"
    for partner in (small, large):
        client_for(partner.user).get(path)  # warm the travel cache
    small_count = query_counts(client_for(small.user), [path])[path]
    large_count = query_counts(client_for(large.user), [path])[path]
    assert small_count == large_count


def test_a_few_idle_minutes_are_not_worth_a_suggestion():
    partner = vendor(buffer=15, base=DHAKURIA)
    job(partner, "09:00", DHAKURIA)
    job(partner, "10:20", DHAKURIA)  # 20 - 0 - 15 = 5 idle minutes: worth it; 4 would not be
    assert by_type(day_of(partner))["short_gap"]["potential_savings_minutes"] == 5
    tighter = vendor(buffer=16, base=DHAKURIA)
    job(tighter, "09:00", DHAKURIA)
    job(tighter, "10:20", DHAKURIA)
    assert day_of(tighter)["suggestions"] == []
