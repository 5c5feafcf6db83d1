"""Seed 002's ``POST /bookings`` ``{service, pincode, scheduled_date, customer_notes}`` (issue #20): booked through
checkout at the customer's address in the pincode, priced by the server, told apart from seed 004's body."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from accounts.services.addresses import address_create
from bookings.models import Booking, BookingStatus
from payments.models import Payment
from tests.accounts.helpers import assert_error
from tests.conftest import client_for, make_user
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

PINCODE = "700016"


def place(pincode: str = PINCODE, **extra) -> dict:
    return {
        "name": "Home",
        "address_line1": "12 Park Street",
        "city": "Kolkata",
        "state": "West Bengal",
        "pincode": pincode,
        "lat": 22.55,
        "lng": 88.35,
        **extra,
    }


@pytest.fixture
def customer(db):
    return make_user(full_name="Sia Shopper")


@pytest.fixture
def client(customer):
    return client_for(customer)


@pytest.fixture
def home(customer):
    return address_create(user=customer, data=place())


@pytest.fixture
def service(db):
    return ServiceFactory()


def at(hour: int, minute: int = 0, days: int = 1) -> str:
    day = timezone.localdate() + timedelta(days=days)
    return (
        datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone())
        .replace(hour=hour, minute=minute)
        .isoformat()
    )


def body(service, **extra) -> dict:
    return {
        "service": str(service.pk),
        "pincode": PINCODE,
        "scheduled_date": at(10),
        "customer_notes": "Please arrive on time",
        **extra,
    }


def book(client, payload, **headers):
    return client.post("/api/v1/bookings", payload, format="json", **headers)


def test_the_seeds_body_books_a_dispatched_cash_booking_at_my_address(client, customer, home, service):
    response = book(client, body(service))

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    booking = Booking.objects.get(pk=data["booking"]["id"])
    assert booking.user_id == customer.pk
    assert booking.address_id == home.pk
    assert booking.address_snapshot["pincode"] == PINCODE
    assert booking.payment_method == "cash"
    assert booking.customer_notes == "Please arrive on time"
    assert timezone.localtime(booking.scheduled_start).isoformat() == at(10)
    assert booking.requested_partner_id is None  # dispatched, not a chosen specialist
    assert float(booking.total_price) == 1000.0  # the catalog's price
    assert data["payment_intent"] is None
    detail = client.get(f"/api/v1/bookings/{booking.pk}").json()["data"]
    assert data["booking"] == detail  # the same booking output as GET /bookings/{id}
    assert detail["vendor_notes"] == ""
    assert detail["services"][0]["service_id"] == str(service.pk)


def test_camel_case_and_online_answer_the_payment_order(client, home, service):
    payload = {"service": str(service.pk), "pincode": PINCODE, "scheduledDate": at(11), "paymentMethod": "online"}

    response = book(client, payload)

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["booking"]["payment_method"] == "online"
    assert data["payment_intent"]["order_id"]
    assert Payment.objects.filter(payable_id=data["booking"]["id"]).count() == 1


def test_a_client_price_is_ignored(client, home, service):
    response = book(client, body(service, total_price="1.00", grand_total=1))

    assert response.status_code == 201, response.content
    assert response.json()["data"]["booking"]["total_price"] == 1000.0


def test_the_default_address_in_the_pincode_is_used_first(client, customer, home, service):
    other = address_create(user=customer, data=place(name="Office", is_default=True))

    response = book(client, body(service))

    assert response.status_code == 201, response.content
    assert response.json()["data"]["booking"]["address"]["id"] == str(other.pk)


def test_an_address_chosen_must_be_mine_and_in_the_pincode(client, customer, home, service):
    elsewhere = address_create(user=customer, data=place(pincode="700091"))
    stranger = address_create(user=make_user(), data=place())

    assert_error(book(client, body(service, address=str(elsewhere.pk))), 422, "VALIDATION_ERROR", "pincode")
    assert_error(book(client, body(service, address=str(stranger.pk))), 404, "NOT_FOUND", "address")
    chosen = book(client, body(service, address=str(home.pk)))
    assert chosen.status_code == 201, chosen.content


def test_no_address_in_the_pincode_is_422_naming_it(client, service):
    error = assert_error(book(client, body(service)), 422, "VALIDATION_ERROR", "pincode")

    assert error["details"]["reason"] == "no_address_in_pincode"
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"service": "not-a-uuid"}, "service"),
        ({"pincode": "70001"}, "pincode"),
        ({"scheduled_date": "2026-01-15T10:00:00"}, "scheduled_date"),  # no offset
        ({"scheduled_date": "tomorrow"}, "scheduled_date"),
        ({"payment_method": "card"}, "payment_method"),
        ({"customer_notes": "x" * 2001}, "customer_notes"),
        ({"address": "nope"}, "address"),
    ],
)
def test_bad_input_is_422_naming_the_field(client, home, service, change, field):
    assert_error(book(client, {**body(service), **change}), 422, "VALIDATION_ERROR", field)
    assert not Booking.objects.exists()


@pytest.mark.parametrize("missing", ["service", "pincode", "scheduled_date"])
def test_a_missing_seed_field_is_named(client, home, service, missing):
    payload = {key: value for key, value in body(service).items() if key != missing}

    assert_error(book(client, payload), 400, "INVALID_REQUEST", missing)  # a missing field, as everywhere


def test_an_unknown_service_is_422_naming_service(client, home, service):
    response = book(client, {**body(service), "service": str(uuid.uuid4())})

    assert_error(response, 422, "VALIDATION_ERROR", "service")


def test_a_time_off_the_grid_or_in_the_past_is_refused_naming_scheduled_date(client, home, service):
    off_grid = assert_error(book(client, body(service, scheduled_date=at(10, 7))), 409, "SLOT_UNAVAILABLE")
    assert off_grid["details"]["field"] == "scheduled_date"
    assert off_grid["details"]["context"]["available_time_slots"]
    assert_error(book(client, body(service, scheduled_date=at(23))), 409, "SLOT_UNAVAILABLE", "scheduled_date")
    assert_error(book(client, body(service, scheduled_date=at(10, days=-2))), 422, "VALIDATION_ERROR", "scheduled_date")
    assert not Booking.objects.exists()


def test_refusing_the_policy_is_422_naming_it(client, home, service):
    response = book(client, body(service, cancellation_policy_accepted=False))

    assert_error(response, 422, "VALIDATION_ERROR", "cancellation_policy_accepted")


def test_both_bodies_at_once_is_422_naming_specialist_id(client, home, service):
    response = book(client, body(service, specialist_id=str(uuid.uuid4())))

    error = assert_error(response, 422, "VALIDATION_ERROR", "specialist_id")
    assert error["details"]["reason"] == "two_kinds"


def test_neither_body_names_what_the_specialists_body_misses(client):
    assert book(client, {}).status_code == 400
    error = book(client, {"service_id": str(uuid.uuid4()), "scheduled_at": at(10)}).json()["error"]
    assert error["details"]["field"] == "specialist_id"


def test_an_idempotency_key_replays_the_first_answer(client, home, service):
    key = {"HTTP_X_IDEMPOTENCY_KEY": str(uuid.uuid4())}

    first = book(client, body(service), **key)
    again = book(client, body(service), **key)

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Booking.objects.count() == 1
    reused = book(client, body(service, customer_notes="other"), **key)
    assert_error(reused, 409, "IDEMPOTENCY_KEY_REUSED")


def test_without_a_key_two_posts_make_two_bookings_and_the_list_shows_them(client, home, service):
    assert book(client, body(service)).status_code == 201
    assert book(client, body(service, scheduled_date=at(12))).status_code == 201

    rows = client.get("/api/v1/bookings").json()["data"]["bookings"]
    assert len(rows) == 2
    assert {row["status"] for row in rows} == {BookingStatus.PENDING}
    assert all("vendor_notes" in row for row in rows)


def test_anonymous_is_401(api_client, service):
    assert api_client.post("/api/v1/bookings", body(service), format="json").status_code == 401
