"""GET and POST /dynamic-pricing through HTTP (seed 002's shapes)."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Tier
from tests import factories
from tests.accounts.helpers import assert_error
from tests.conftest import client_for, make_user
from tests.pricing.helpers import PINCODE, bookings_at, day_ahead, moment, partners_at

pytestmark = pytest.mark.django_db
URL = "/api/v1/dynamic-pricing"


@pytest.fixture
def client():
    return client_for(make_user(email="asker@example.com", phone="+919800000301"))


@pytest.fixture
def facial():
    return factories.ServiceFactory(service_key="FACIAL", tier=Tier.MINIMAL, product_cost=Decimal("500.00"))


@pytest.fixture
def seed_example(settings):
    """Four partners and six recent bookings at the pincode: demand 1.15 (6 / 4 against a lower threshold), four
    partners working 1.05, a weekday noon 1.0."""
    settings.DYNAMIC_PRICING_ENABLED = True
    settings.SURGE_DEMAND = [(0, "1.00"), (1.5, "1.15")]
    partners_at(4)
    bookings_at(6)


def test_the_price_as_the_seed_shows(client, facial, seed_example):
    when = moment(day_ahead(weekend=False), 12)

    response = client.get(
        URL, {"service_id": str(facial.pk), "pincode": PINCODE, "scheduled_datetime": when.isoformat()}
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["service"] == {"id": str(facial.pk), "name": facial.name, "category": facial.category.name}
    assert data["pincode"] == PINCODE
    assert data["enabled"] is True
    assert data["pricing"] == {
        "base_price": 500.0,
        "surge_multiplier": 1.2,
        "final_price": 600.0,
        "demand_level": "high",
        "factors": {
            "time_based_multiplier": 1.0,
            "demand_based_multiplier": 1.15,
            "vendor_availability_multiplier": 1.05,
        },
        "breakdown": {"base": 500.0, "surge": 100.0, "total": 600.0},
    }
    assert data["timestamp"]


def test_a_peak_hour_costs_more(client, facial, seed_example):
    when = moment(day_ahead(weekend=False), 10)

    data = client.get(URL, {"serviceId": str(facial.pk), "pincode": PINCODE, "scheduledDatetime": when.isoformat()})

    pricing = data.json()["data"]["pricing"]
    assert pricing["factors"]["time_based_multiplier"] == 1.1
    assert pricing["surge_multiplier"] == 1.35  # 1.1 x 1.15 x 1.05 = 1.328
    assert pricing["final_price"] == 675.0


def test_off_answers_the_catalog_price_and_says_so(client, facial, settings):
    settings.DYNAMIC_PRICING_ENABLED = False
    bookings_at(10)

    data = client.get(URL, {"service_id": str(facial.pk), "pincode": PINCODE}).json()["data"]

    assert data["enabled"] is False
    assert data["pricing"]["surge_multiplier"] == 1.0
    assert data["pricing"]["final_price"] == 500.0
    assert data["pricing"]["breakdown"] == {"base": 500.0, "surge": 0.0, "total": 500.0}


@pytest.mark.parametrize("missing", ["service_id", "pincode"])
def test_a_missing_parameter_is_422_naming_it(client, facial, missing):
    params = {"service_id": str(facial.pk), "pincode": PINCODE}
    del params[missing]

    assert_error(client.get(URL, params), 422, "VALIDATION_ERROR", missing)
    assert_error(client.post(URL, params, format="json"), 422, "VALIDATION_ERROR", missing)


def test_a_bad_pincode_is_422(client, facial):
    assert_error(client.get(URL, {"service_id": str(facial.pk), "pincode": "7000"}), 422, "VALIDATION_ERROR", "pincode")


def test_an_unknown_service_is_404(client):
    response = client.get(URL, {"service_id": str(uuid.uuid4()), "pincode": PINCODE})

    assert_error(response, 404, "NOT_FOUND", "service_id")


def test_strangers_are_401(facial):
    from rest_framework.test import APIClient

    assert APIClient().get(URL, {"service_id": str(facial.pk), "pincode": PINCODE}).status_code == 401


def test_predictions_one_a_day(client, facial, seed_example):
    response = client.post(URL, {"service_id": str(facial.pk), "pincode": PINCODE, "days": 7}, format="json")

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["service"]["base_price"] == 500.0
    assert data["enabled"] is True
    rows = data["predictions"]
    assert [row["date"] for row in rows] == [
        (timezone.localdate() + timedelta(days=n)).isoformat() for n in range(1, 8)
    ]
    for row in rows:
        assert set(row) == {"date", "predicted_price", "surge_multiplier", "confidence", "demand_level"}
        assert row["predicted_price"] == round(500 * row["surge_multiplier"], 2)
        assert 0 < row["confidence"] <= 1


def test_predictions_default_to_seven_days(client, facial):
    data = client.post(URL, {"serviceId": str(facial.pk), "pincode": PINCODE}, format="json").json()["data"]

    assert len(data["predictions"]) == 7
    assert data["enabled"] is False
    assert {row["surge_multiplier"] for row in data["predictions"]} == {1.0}


@pytest.mark.parametrize(("days", "ok"), [(0, False), (1, True), (30, True), (31, False)])
def test_days_between_1_and_30(client, facial, days, ok):
    response = client.post(URL, {"service_id": str(facial.pk), "pincode": PINCODE, "days": days}, format="json")

    if ok:
        assert len(response.json()["data"]["predictions"]) == days
    else:
        assert_error(response, 422, "VALIDATION_ERROR", "days")
