"""Checkout with dynamic pricing (seed 002 PR5-PR7): surge -> promo -> tax, the quote locked for the preview,
stored on the booking and shown on its list row and detail; off, nothing changes."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest

from accounts.services.addresses import address_create
from bookings.models import Booking
from tests.accounts.helpers import assert_error
from tests.bookings.factories import make_promo
from tests.conftest import client_for, make_user
from tests.partners import helpers as h
from tests.partners.test_checkout_dispatch import home_of, prepare
from tests.pricing.helpers import bookings_at, day_ahead, partners_at

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def _on(settings):
    settings.DYNAMIC_PRICING_ENABLED = True
    settings.SLOTS_REQUIRE_PARTNER = False


@pytest.fixture
def shopper():
    return make_user(email="surge@example.com", phone="+919800000401", full_name="Sam Surge")


@pytest.fixture
def address(shopper):
    return home_of(shopper)


@pytest.fixture
def day():
    """A weekday, so the time factor is 1.0; two partners working at the pincode that day: availability 1.10."""
    partners_at(2)
    return day_ahead(weekend=False, after=2)


def confirm(shopper, preview, address, slot):
    body = {
        "preview_id": preview["preview_id"],
        "payment_method": "cash",
        "address_id": str(address.pk),
        "booking_date": preview["booking_date"],
        "booking_time": slot,
        "cancellation_policy_accepted": True,
    }
    return client_for(shopper).post(
        "/api/v1/checkout/confirm", body, format="json", HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )


def _prepare(shopper, address, day, **extra):
    body = {"service_ids": [str(h.service().pk)], "booking_date": day.isoformat(), "address_id": str(address.pk)}
    response = client_for(shopper).post("/api/v1/checkout/prepare", {**body, **extra}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["data"]


def test_surge_then_promo_then_tax(shopper, address, day):
    make_promo(min_order_amount=D("1050"))  # the surged 1,100 reaches it; the catalog's 1,000 would not

    preview = _prepare(shopper, address, day, promo_code="SAVE10")

    assert preview["promo"]["valid"] is True
    assert preview["pricing"] == {
        "subtotal": 1100.0,  # 1,000 x 1.10
        "savings": 100.0,  # the market price 1,200 less the surged price
        "discount": 110.0,  # 10 % of the surged subtotal
        "tax": 178.2,  # 18 % of 1,100 - 110
        "grand_total": 1168.2,
    }
    assert preview["services"][0]["unit_price"] == 1100.0
    assert preview["dynamic_pricing"] == {
        "base_price": 1000.0,
        "surge_multiplier": 1.1,
        "final_price": 1100.0,
        "demand_level": "normal",
        "factors": {
            "time_based_multiplier": 1.0,
            "demand_based_multiplier": 1.0,
            "vendor_availability_multiplier": 1.1,
        },
        "pincode": h.PINCODE,
        "date": day.isoformat(),
        "breakdown": {"base": 1000.0, "surge": 100.0, "total": 1100.0},
    }


def test_confirm_charges_the_quote_even_when_demand_moved(shopper, address, day):
    preview = _prepare(shopper, address, day)
    bookings_at(20)  # 20 bookings / 2 partners: demand 1.30 from now on
    assert _prepare(shopper, address, day)["dynamic_pricing"]["surge_multiplier"] == 1.45  # 1.1 x 1.3 = 1.43

    response = confirm(shopper, preview, address, preview["available_time_slots"][4])

    assert response.status_code == 201, response.content
    booking = Booking.objects.get(pk=response.json()["data"]["booking"]["id"])
    assert booking.grand_total == D("1298.00")  # 1,100 + 18 %, as quoted
    assert (booking.total_price, booking.tax) == (D("1100.00"), D("198.00"))
    assert booking.surge_multiplier == D("1.10")
    assert booking.dynamic_price_breakdown == preview["dynamic_pricing"]
    assert [item.unit_price for item in booking.items.all()] == [D("1100.00")]


def test_the_breakdown_is_on_the_list_row_and_the_detail(shopper, address, day):
    preview = _prepare(shopper, address, day)
    booking_id = confirm(shopper, preview, address, preview["available_time_slots"][4]).json()["data"]["booking"]["id"]
    client = client_for(shopper)

    row = client.get("/api/v1/bookings").json()["data"]["bookings"][0]
    detail = client.get(f"/api/v1/bookings/{booking_id}").json()["data"]

    for shown in (row, detail):
        assert shown["surge_multiplier"] == 1.1
        assert shown["dynamic_price_breakdown"] == preview["dynamic_pricing"]


def test_the_quote_holds_for_its_pincode_and_day(shopper, address, day):
    preview = _prepare(shopper, address, day)
    elsewhere = address_create(
        user=shopper,
        data={"name": "Office", "address_line1": "1 Camac St", "city": "Kolkata", "state": "WB", "pincode": "700016"},
    )
    slot = preview["available_time_slots"][4]

    assert_error(confirm(shopper, preview, elsewhere, slot), 422, "VALIDATION_ERROR", "address_id")
    later = {**preview, "booking_date": (day + timedelta(days=7)).isoformat()}
    assert_error(confirm(shopper, later, address, slot), 422, "VALIDATION_ERROR", "booking_date")
    assert confirm(shopper, preview, address, slot).status_code == 201  # the preview was not used up


def test_prepared_without_an_address_cannot_be_confirmed_while_on(shopper, address, day):
    body = {"service_ids": [str(h.service().pk)], "booking_date": day.isoformat()}
    preview = client_for(shopper).post("/api/v1/checkout/prepare", body, format="json").json()["data"]

    assert "dynamic_pricing" not in preview
    assert preview["pricing"]["subtotal"] == 1000.0
    response = confirm(shopper, preview, address, preview["available_time_slots"][4])
    assert response.status_code == 422, response.content


def test_off_nothing_changes(settings, shopper, address, day):
    settings.DYNAMIC_PRICING_ENABLED = False
    bookings_at(20)

    preview = prepare(shopper, address, h.service(), day)
    response = confirm(shopper, preview, address, preview["available_time_slots"][4])

    assert "dynamic_pricing" not in preview
    assert preview["pricing"]["subtotal"] == 1000.0
    booking = Booking.objects.get(pk=response.json()["data"]["booking"]["id"])
    assert (booking.grand_total, booking.surge_multiplier, booking.dynamic_price_breakdown) == (
        D("1180.00"), D("1.00"), {},
    )  # fmt: skip
