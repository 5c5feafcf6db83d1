"""Smart scheduling (issue #20, seed 002 SC1, SC2, SC4): a vendor's slots with travel and their own buffer, scored."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from partners import travel
from partners.models import AssignmentStatus, PartnerTimeOff
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.partners import helpers as h
from tests.scheduling.helpers import anyone, at, free_at, job, slot_at, slots, the_day, vendor

pytestmark = pytest.mark.django_db

NEAR_PIN, FAR_PIN = "700091", "711101"  # Salt Lake Sector V; Howrah, ~18 km away


@pytest.fixture
def facial():
    return h.service("FACIAL", minutes=60)


def test_the_slots_of_an_empty_day_fill_the_working_hours(facial):
    partner = vendor(buffer=15, start=h.time(9), end=h.time(12))
    data = slots(anyone(), partner, facial, NEAR_PIN)
    assert [row["is_available"] for row in data["available_slots"]] == [True] * 5  # 09:00 ... 11:00, 30-min steps
    assert data["total_slots"] == 5
    first = data["available_slots"][0]
    assert set(first) == {"start_time", "end_time", "is_available", "score", "travel_time_minutes",
                          "buffer_time_minutes"}  # fmt: skip
    assert first["buffer_time_minutes"] == 15
    assert datetime.fromisoformat(first["end_time"]) - datetime.fromisoformat(first["start_time"]) == timedelta(
        minutes=60
    )
    scores = [row["score"] for row in data["available_slots"]]
    assert scores == sorted(scores, reverse=True)  # earlier is better, all else equal
    assert scores[0] > scores[-1]
    assert all(0 <= s <= 10 for s in scores)


def test_the_vendors_own_buffer_is_used(facial):
    """A partner with a 45-minute buffer loses the slots next to a job that a 0-minute buffer keeps (SC1)."""
    tight, relaxed = vendor(buffer=0), vendor(buffer=45)
    for partner in (tight, relaxed):
        job(partner, "10:00", NEAR_PIN)
    client = anyone()
    kept = free_at(slots(client, tight, facial, NEAR_PIN))
    lost = free_at(slots(client, relaxed, facial, NEAR_PIN))
    assert {"09:00", "11:00"} <= kept
    assert {"10:00", "10:30", "09:30"}.isdisjoint(kept)
    assert {"09:00", "11:00", "11:30"}.isdisjoint(lost)  # 45 minutes each side of 10:00-11:00
    assert {"08:00", "12:00"} <= lost
    assert slot_at(slots(client, relaxed, facial, NEAR_PIN), "12:00")["buffer_time_minutes"] == 45


def test_travel_from_the_previous_job_is_counted(facial):
    """A customer far from the previous job loses the slot right after it; one next door keeps it (SC1)."""
    partner = vendor(buffer=0)
    job(partner, "10:00", NEAR_PIN)
    client = anyone()
    near, far = slots(client, partner, facial, NEAR_PIN), slots(client, partner, facial, FAR_PIN)
    trip = travel.travel_time(NEAR_PIN, FAR_PIN, hour=11)
    assert trip is not None
    assert 30 < trip.duration_minutes <= 60
    assert "11:00" in free_at(near)
    assert slot_at(near, "11:00")["travel_time_minutes"] == 0
    assert {"11:00", "11:30"}.isdisjoint(free_at(far))
    assert "12:00" in free_at(far)
    assert slot_at(far, "12:00")["travel_time_minutes"] == trip.duration_minutes
    # and the trip on to the next job: 09:00-10:00 at Howrah cannot reach 10:00 in Salt Lake
    assert "09:00" in free_at(near)
    assert "09:00" not in free_at(far)


def test_held_time_and_time_off_take_slots_and_the_past_is_gone(facial):
    partner = vendor(buffer=0)
    job(partner, "10:00", NEAR_PIN, status=AssignmentStatus.HELD)
    PartnerTimeOff.objects.create(partner=partner, starts_at=at("14:00"), ends_at=at("15:00"))
    free = free_at(slots(anyone(), partner, facial, NEAR_PIN))
    assert "10:00" not in free
    assert "11:00" in free
    assert {"13:30", "14:00", "14:30"}.isdisjoint(free)
    assert "15:00" in free
    today = timezone.localdate()
    past = slots(anyone(), partner, facial, NEAR_PIN, day=today - timedelta(days=1))
    assert not free_at(past)
    assert past["total_slots"] > 0


def test_weekly_time_off_repeats(facial):
    partner = vendor(buffer=0)
    week_before = the_day() - timedelta(days=7)
    PartnerTimeOff.objects.create(
        partner=partner, starts_at=at("16:00", week_before), ends_at=at("17:00", week_before), weekly_until=the_day()
    )
    free = free_at(slots(anyone(), partner, facial, NEAR_PIN))
    assert {"15:30", "16:00", "16:30"}.isdisjoint(free)
    assert "17:00" in free


def test_scores_prefer_less_travel_and_packing_next_to_a_job(facial):
    partner = vendor(buffer=0)
    job(partner, "12:00", NEAR_PIN)
    client = anyone()
    near = slots(client, partner, facial, NEAR_PIN)
    far = slots(client, partner, facial, FAR_PIN)
    assert slot_at(near, "14:00")["score"] > slot_at(far, "14:00")["score"]  # same time, less travel
    assert slot_at(near, "13:00")["score"] > slot_at(near, "16:00")["score"]  # right after the job
    best = anyone().post(
        "/api/v1/smart-scheduling",
        {"vendorId": str(partner.pk), "serviceId": str(facial.pk), "customerPincode": NEAR_PIN,
         "preferredDate": the_day().isoformat()},
        format="json",
    )  # fmt: skip
    assert best.status_code == 200, best.json()
    optimal = best.json()["data"]["optimal_slot"]
    top = max((row for row in near["available_slots"] if row["is_available"]), key=lambda r: r["score"])
    assert optimal["score"] == top["score"]
    assert datetime.fromisoformat(optimal["recommended_time"]) == datetime.fromisoformat(top["start_time"])
    assert optimal["estimated_duration_minutes"] == 60
    assert optimal["travel_time_minutes"] == top["travel_time_minutes"]
    assert optimal["reasoning"]
    assert all(isinstance(line, str) for line in optimal["reasoning"])
    assert any("buffer" in line for line in optimal["reasoning"])


def _params(partner, service, **changes):
    params = {
        "vendor_id": str(partner.pk),
        "service_id": str(service.pk),
        "customer_pincode": NEAR_PIN,
        "preferred_date": the_day().isoformat(),
    }
    params.update(changes)
    return {k: v for k, v in params.items() if v is not None}


@pytest.mark.parametrize("missing", ["vendor_id", "service_id", "customer_pincode", "preferred_date"])
def test_each_missing_parameter_is_422_naming_it(facial, missing):
    partner = vendor()
    params = _params(partner, facial, **{missing: None})
    client = anyone()
    assert_error(client.get("/api/v1/smart-scheduling", params), 422, "VALIDATION_ERROR", missing)
    assert_error(client.post("/api/v1/smart-scheduling", params, format="json"), 422, "VALIDATION_ERROR", missing)


def test_unknown_vendor_service_or_pincode(facial):
    partner, client = vendor(), anyone()
    other = h.partner()
    unknown = "00000000-0000-0000-0000-000000000000"
    get = lambda **c: client.get("/api/v1/smart-scheduling", _params(partner, facial, **c))  # noqa: E731
    assert_error(get(vendor_id=unknown), 404, "PARTNER_NOT_FOUND", "vendor_id")
    assert_error(get(service_id=unknown), 404, "NOT_FOUND", "service_id")
    error = assert_error(get(customer_pincode="999999"), 422, "VALIDATION_ERROR", "customer_pincode")
    assert error["details"]["reason"] == "unknown_pincode"
    assert_error(get(preferred_date="15-01-2024"), 422, "VALIDATION_ERROR", "preferred_date")
    waxing = h.service("WAXING")
    assert_error(get(vendor_id=str(other.pk), service_id=str(waxing.pk)), 422, "VALIDATION_ERROR", "service_id")


def test_no_free_slot_that_day_is_422_with_a_reason(facial):
    resting = vendor(days=[d for d in range(1, 8) if d != the_day().isoweekday()])
    client = anyone()
    assert slots(client, resting, facial, NEAR_PIN) == {"available_slots": [], "total_slots": 0}
    error = assert_error(
        client.post("/api/v1/smart-scheduling", _params(resting, facial), format="json"),
        422,
        "VALIDATION_ERROR",
        "preferred_date",
    )
    assert error["details"]["reason"] == "not_working"
    busy = vendor(buffer=0, start=h.time(10), end=h.time(11))
    job(busy, "10:00", NEAR_PIN)
    error = assert_error(
        client.post("/api/v1/smart-scheduling", _params(busy, facial), format="json"),
        422,
        "VALIDATION_ERROR",
        "preferred_date",
    )
    assert error["details"]["reason"] == "no_free_slot"


def test_slots_take_the_same_queries_whatever_the_number_of_jobs(facial):
    small, large = vendor(buffer=0), vendor(buffer=0)
    job(small, "09:00", NEAR_PIN)
    for clock, pincode in (("09:00", NEAR_PIN), ("11:00", FAR_PIN), ("14:00", "700001"), ("17:00", "700156")):
        job(large, clock, pincode)
    client = anyone()
    paths = [
        "/api/v1/smart-scheduling?" + "&".join(f"{k}={v}" for k, v in _params(p, facial).items())
        for p in (small, large)
    ]
    client.get(paths[1])  # warm the travel cache, as production runs
    client.get(paths[0])
    counts = query_counts(client, paths)
    assert counts[paths[0]] == counts[paths[1]]


def test_the_day_reads_its_trips_from_the_cache_at_once(facial):
    partner = vendor(buffer=0, base="700001")
    job(partner, "10:00", NEAR_PIN)
    job(partner, "15:00", FAR_PIN)
    client = anyone()
    travel.STATS.reset()
    first = slots(client, partner, facial, "700064")
    asked = travel.STATS.misses
    assert asked > 0
    assert travel.STATS.hits == 0
    travel.STATS.reset()
    assert slots(client, partner, facial, "700064") == first
    assert (travel.STATS.hits, travel.STATS.misses) == (asked, 0)
