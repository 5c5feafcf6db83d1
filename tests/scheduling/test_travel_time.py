"""Travel time between pincodes (issue #20, seed 002 SC): the formula, the centroids, the cache, the endpoint."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from django.test import override_settings

from partners import travel
from tests.accounts.helpers import assert_error
from tests.conftest import make_user
from tests.scheduling.helpers import anyone

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_stats():
    travel.STATS.reset()


def test_the_formula_by_hand():
    # one degree of longitude on the equator: 2 x pi x 6371 / 360 = 111.19 km
    assert travel.distance_km((0.0, 0.0), (0.0, 1.0)) == pytest.approx(111.19, abs=0.01)
    # 10 km x 1.3 / 25 km/h = 0.52 h = 31.2 min -> 32 off peak; x 1.4 at 09:00 = 43.68 -> 44; x 1.5 at 18:00 -> 47
    assert travel.trip_minutes(10, 12) == 32
    assert travel.trip_minutes(10, 9) == 44
    assert travel.trip_minutes(10, 18) == 47
    assert travel.traffic_multiplier(3) == 1.0
    assert travel.trip_minutes(0, 9) == 0


@override_settings(TRAVEL_SPEED_KMH=50, TRAVEL_ROAD_FACTOR=1.0, TRAVEL_TRAFFIC=[(0, 24, 2.0)])
def test_the_settings_drive_the_formula():
    assert travel.trip_minutes(10, 12) == 24  # 10 / 50 h = 12 min, x 2


def test_a_pair_of_shipped_pincodes():
    trip = travel.travel_time("700001", "700091", hour=12)
    expected_km = travel.distance_km((22.5726, 88.3510), (22.5760, 88.4330))
    assert trip is not None
    assert trip.distance_km == round(expected_km, 2)
    assert trip.duration_minutes == math.ceil(round(trip.distance_km * 1.3 / 25 * 60, 6))
    assert (trip.estimated_traffic_multiplier, trip.cached) == (1.0, False)


def test_an_unknown_pincode_is_derived_from_saved_addresses_then_partners():
    assert travel.centroid("799001") is None
    from accounts.services.addresses import address_create

    for lat in ("23.8000", "23.9000"):
        address_create(
            user=make_user(),
            data={"name": "Home", "address_line1": "x", "city": "Agartala", "state": "Tripura", "pincode": "799002",
                  "lat": float(lat), "lng": 91.28},
        )  # fmt: skip
    assert travel.centroid("799002") == pytest.approx((23.85, 91.28))
    from tests.partners import helpers as h

    h.partner(pincodes=("799003",), at=(Decimal("23.5"), Decimal("91.5")))
    assert travel.centroid("799003") == pytest.approx((23.5, 91.5))


def test_travel_time_over_http_then_from_the_cache():
    client = anyone()
    first = client.get("/api/v1/travel-time", {"from_pincode": "700001", "to_pincode": "700091"})
    assert first.status_code == 200, first.json()
    body = first.json()["data"]
    assert set(body) == {
        "from_pincode",
        "to_pincode",
        "duration_minutes",
        "distance_km",
        "estimated_traffic_multiplier",
        "cached",
    }
    assert (body["from_pincode"], body["to_pincode"], body["cached"]) == ("700001", "700091", False)
    assert body["distance_km"] > 8
    again = client.get("/api/v1/travel-time", {"from_pincode": "700001", "to_pincode": "700091"}).json()["data"]
    back = client.get("/api/v1/travel-time", {"from_pincode": "700091", "to_pincode": "700001"}).json()["data"]
    assert again["cached"] is True
    assert back["cached"] is True  # one trip both ways
    assert back["duration_minutes"] == body["duration_minutes"]
    assert (travel.STATS.misses, travel.STATS.hits) == (1, 2)


@pytest.mark.parametrize("missing", ["from_pincode", "to_pincode"])
def test_each_missing_pincode_is_422_naming_it(missing):
    params = {"from_pincode": "700001", "to_pincode": "700091"}
    del params[missing]
    assert_error(anyone().get("/api/v1/travel-time", params), 422, "VALIDATION_ERROR", missing)


@pytest.mark.parametrize("field", ["from_pincode", "to_pincode"])
def test_an_unknown_or_malformed_pincode_is_422_naming_it(field):
    params = {"from_pincode": "700001", "to_pincode": "700091", field: "999999"}
    error = assert_error(anyone().get("/api/v1/travel-time", params), 422, "VALIDATION_ERROR", field)
    assert error["details"]["reason"] == "unknown_pincode"
    params[field] = "70A"
    assert_error(anyone().get("/api/v1/travel-time", params), 422, "VALIDATION_ERROR", field)


def test_travel_time_needs_a_signed_in_user(api_client):
    response = api_client.get("/api/v1/travel-time", {"from_pincode": "700001", "to_pincode": "700091"})
    assert response.status_code == 401
