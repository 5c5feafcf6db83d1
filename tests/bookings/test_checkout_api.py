"""Checkout prepare and confirm, and the bookings list and detail, through HTTP."""

import io
import json
import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.utils.encoders import JSONEncoder

from accounts.roles import Role
from accounts.services.addresses import address_create
from bookings.models import Booking, BookingEvent, BookingPaymentStatus, BookingService, PromoCodeUsage
from bookings.selectors import bookings_of
from bookings.serializers import BookingOutput, booking_row
from catalog.demo import seed
from catalog.models import Service
from payments.gateways import get_gateway
from payments.models import Payment
from tests.accounts.helpers import assert_error
from tests.accounts.test_concurrency import run_together
from tests.adminpanel.helpers import query_counts
from tests.bookings.factories import make_booking, make_promo
from tests.conftest import client_for, make_user
from tests.factories import BookingFactory, PartnerAssignmentFactory, PaymentFactory, next_weekday_at

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = {
    "name": "Home",
    "address_line1": "12 Park Street",
    "city": "Kolkata",
    "state": "West Bengal",
    "pincode": "700016",
    "lat": 22.55,
    "lng": 88.35,
}


@pytest.fixture
def catalog():
    seed(io.StringIO())
    return {service.name: service for service in Service.objects.all()}


@pytest.fixture
def shopper(db):
    return make_user(email="shopper@example.com", phone="+919800000201", full_name="Sia Shopper")


@pytest.fixture
def client(shopper):
    return client_for(shopper)


@pytest.fixture
def address(shopper):
    return address_create(user=shopper, data=ADDRESS)


def tomorrow():
    return (timezone.localdate() + timedelta(days=1)).isoformat()


def prepare(client, catalog, *names, **extra):
    body = {"service_ids": [str(catalog[name].pk) for name in names], "booking_date": tomorrow(), **extra}
    return client.post("/api/v1/checkout/prepare", body, format="json")


def confirm(client, preview, address, *, key=None, **extra):
    body = {
        "preview_id": preview["preview_id"],
        "payment_method": "online",
        "address_id": str(address.pk),
        "booking_date": preview["booking_date"],
        "booking_time": preview["available_time_slots"][4],
        "cancellation_policy_accepted": True,
        **extra,
    }
    return client.post("/api/v1/checkout/confirm", body, format="json", HTTP_X_IDEMPOTENCY_KEY=key or str(uuid.uuid4()))


def test_prepare_prices_from_the_catalog_with_the_rule(client, catalog, address):
    make_promo(max_discount=Decimal("160"))

    response = prepare(
        client, catalog, "Facial - Minimal", "Hair - Minimal", promo_code="save10", address_id=str(address.pk)
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["pricing"] == {
        "subtotal": 1800.0,
        "savings": 360.0,
        "discount": 160.0,
        "tax": 295.2,
        "grand_total": 1935.2,
    }
    assert data["promo"]["valid"] is True
    assert data["available_time_slots"][0] == "08:00 AM"
    assert data["available_time_slots"][-1] == "07:30 PM"
    assert data["address"]["id"] == str(address.pk)


def test_prepare_ignores_client_prices(client, catalog):
    body = {
        "services": [{"service_id": str(catalog["Facial - Minimal"].pk), "quantity": 2, "unit_price": 1}],
        "booking_date": tomorrow(),
        "pricing": {"grand_total": 1},
    }

    data = client.post("/api/v1/checkout/prepare", body, format="json").json()["data"]

    assert data["pricing"]["subtotal"] == 2000.0


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"service_ids": []}, "service_ids", "empty"),
        ({"service_ids": [str(uuid.uuid4())]}, "service_ids", "unknown_or_inactive"),
        ({"booking_date": "2020-01-01"}, "booking_date", "past"),
        ({"booking_date": "2099-01-01"}, "booking_date", "too_far_ahead"),
    ],
)
def test_prepare_bad_input(client, catalog, body, field, reason):
    base = {"service_ids": [str(catalog["Facial - Minimal"].pk)], "booking_date": tomorrow()}

    error = assert_error(
        client.post("/api/v1/checkout/prepare", {**base, **body}, format="json"), 422, "VALIDATION_ERROR", field
    )

    assert error["details"]["reason"] == reason


def test_prepare_duplicate_and_inactive_services(client, catalog):
    facial = str(catalog["Facial - Minimal"].pk)
    duplicate = client.post("/api/v1/checkout/prepare", {"service_ids": [facial, facial]}, format="json")
    Service.objects.filter(pk=facial).update(is_active=False)
    inactive = client.post("/api/v1/checkout/prepare", {"service_ids": [facial]}, format="json")

    assert assert_error(duplicate, 422, "VALIDATION_ERROR", "service_ids")["details"]["reason"] == "duplicate"
    assert assert_error(inactive, 422, "VALIDATION_ERROR", "service_ids")["details"]["reason"] == "unknown_or_inactive"


def test_prepare_with_someone_elses_address(client, catalog):
    theirs = address_create(user=make_user(), data=ADDRESS)

    assert_error(
        prepare(client, catalog, "Facial - Minimal", address_id=str(theirs.pk)), 404, "NOT_FOUND", "address_id"
    )


def test_an_invalid_promo_is_shown_not_applied(client, catalog):
    data = prepare(client, catalog, "Facial - Minimal", promo_code="NOPE").json()["data"]

    assert data["promo"]["valid"] is False
    assert data["promo"]["reason"] == "PROMO_NOT_FOUND"
    assert data["pricing"]["discount"] == 0.0


def test_confirm_online_creates_the_booking_and_the_payment_order(shopper, client, catalog, address):
    make_promo(max_discount=Decimal("160"))
    preview = prepare(client, catalog, "Facial - Minimal", "Hair - Minimal", promo_code="SAVE10").json()["data"]

    response = confirm(client, preview, address, customer_notes="Ring twice")

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    booking = Booking.objects.get(pk=data["booking"]["id"])
    assert data["booking"]["booking_number"].startswith("BK-")
    assert data["booking"]["status"] == "pending"
    assert data["booking"]["grand_total"] == 1935.2
    assert data["payment"]["amount"] == 193520
    assert data["payment"]["description"] == f"Booking {booking.booking_number}"
    assert data["payment"]["prefill"]["contact"] == "+919800000201"
    assert booking.items.count() == 2
    assert booking.customer_notes == "Ring twice"
    assert booking.address_snapshot["address_line1"] == "12 Park Street"
    assert PromoCodeUsage.objects.get().booking == booking


def test_paying_the_booking_marks_it_paid(shopper, client, catalog, address):
    preview = prepare(client, catalog, "Facial - Minimal").json()["data"]
    order_id = confirm(client, preview, address).json()["data"]["payment"]["order_id"]
    paid = get_gateway().simulate_checkout(order_id)

    client.post(
        "/api/v1/payments/verify",
        {k: paid[k] for k in ("razorpay_order_id", "razorpay_payment_id", "razorpay_signature")},
        format="json",
    )

    booking = Booking.objects.get()
    assert booking.payment_status == BookingPaymentStatus.PAID
    assert "payment_success" in set(booking.events.values_list("action", flat=True))
    paid_note = shopper.notifications.get(event_type="payment_succeeded")
    assert paid_note.message == f"We received ₹{booking.grand_total:.2f} for booking {booking.booking_number}."


def test_a_failed_payment_leaves_the_booking_payable(shopper, client, catalog, address):
    preview = prepare(client, catalog, "Facial - Minimal").json()["data"]
    order_id = confirm(client, preview, address).json()["data"]["payment"]["order_id"]
    failed = get_gateway().simulate_checkout(order_id, succeed=False)
    client.post(
        "/api/v1/payments/verify",
        {k: failed[k] for k in ("razorpay_order_id", "razorpay_payment_id", "razorpay_signature")},
        format="json",
    )
    booking = Booking.objects.get()

    retry = client.post(
        "/api/v1/payments/orders",
        {"payable_type": "bookings.booking", "payable_id": str(booking.pk)},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )

    assert booking.payment_status == BookingPaymentStatus.FAILED
    assert retry.status_code == 201


def test_confirm_cash(shopper, client, catalog, address):
    preview = prepare(client, catalog, "Nail - Minimal").json()["data"]

    response = confirm(client, preview, address, payment_method="cash")

    assert response.json()["data"]["message"] == "Booking created. Partner will be assigned shortly."
    assert "payment" not in response.json()["data"]
    assert "assignment_requested" in set(Booking.objects.get().events.values_list("action", flat=True))
    created = shopper.notifications.get(event_type="booking_created")
    assert Booking.objects.get().booking_number in created.message


def test_confirm_records_where_the_booking_was_made(client, catalog, address):
    preview = prepare(client, catalog, "Nail - Minimal").json()["data"]

    response = confirm(client, preview, address, payment_method="cash", source="web")

    assert response.status_code == 201, response.content
    assert Booking.objects.get().source == "web"


@pytest.mark.parametrize("source", ["front_desk", "admin"])
def test_a_customer_cannot_claim_a_staff_source(client, catalog, address, source):
    preview = prepare(client, catalog, "Nail - Minimal").json()["data"]

    response = confirm(client, preview, address, payment_method="cash", source=source)

    assert_error(response, 422, "VALIDATION_ERROR", "source")
    assert not Booking.objects.exists()


def test_confirm_needs_the_policy_accepted(client, catalog, address):
    preview = prepare(client, catalog, "Nail - Minimal").json()["data"]

    response = confirm(client, preview, address, cancellation_policy_accepted=False)

    assert_error(response, 422, "VALIDATION_ERROR", "cancellation_policy_accepted")
    assert not Booking.objects.exists()


def test_confirm_a_slot_not_offered(client, catalog, address):
    preview = prepare(client, catalog, "Nail - Minimal").json()["data"]

    response = confirm(client, preview, address, booking_time="03:15 AM")

    error = assert_error(response, 409, "SLOT_UNAVAILABLE", "booking_time")
    assert error["details"]["context"]["available_time_slots"]


def test_confirm_an_expired_preview(client, catalog, address):
    preview = prepare(client, catalog, "Nail - Minimal").json()["data"]
    cache.delete(f"checkout:preview:{preview['preview_id']}")

    assert_error(confirm(client, preview, address), 422, "PREVIEW_EXPIRED", "preview_id")


def test_confirm_someone_elses_preview_or_address(client, catalog, address):
    other = make_user()
    their_preview = prepare(client_for(other), catalog, "Nail - Minimal").json()["data"]
    mine = prepare(client, catalog, "Nail - Minimal").json()["data"]
    their_address = address_create(user=other, data=ADDRESS)

    assert_error(confirm(client, their_preview, address), 404, "NOT_FOUND", "preview_id")
    assert_error(confirm(client, mine, their_address), 404, "NOT_FOUND", "address_id")
    assert not Booking.objects.exists()


def test_confirm_without_an_idempotency_key(client, catalog, address):
    preview = prepare(client, catalog, "Nail - Minimal").json()["data"]

    response = client.post("/api/v1/checkout/confirm", {"preview_id": preview["preview_id"]}, format="json")

    assert_error(response, 400, "IDEMPOTENCY_KEY_REQUIRED")


def test_twenty_confirms_with_one_idempotency_key_make_one_booking(shopper, client, catalog, address):
    preview = prepare(client, catalog, "Nail - Minimal").json()["data"]
    key = str(uuid.uuid4())

    responses = run_together(
        20, lambda _: confirm(client_for(shopper), preview, address, key=key, payment_method="cash")
    )

    assert Booking.objects.count() == 1
    assert {r.status_code for r in responses} <= {201, 409}
    assert len({r.content for r in responses if r.status_code == 201}) == 1  # the first answer, replayed
    for late in (r for r in responses if r.status_code == 409):  # asked while the first was still running
        assert_error(late, 409, "REQUEST_IN_PROGRESS", "X-Idempotency-Key")


def test_bookings_list_and_detail_are_owner_only(shopper, client, catalog, address, django_assert_num_queries):
    for _ in range(3):
        preview = prepare(client, catalog, "Nail - Minimal", "Hair - Minimal").json()["data"]
        confirm(client, preview, address, payment_method="cash")
    booking = Booking.objects.first()
    stranger = client_for(make_user())

    # the token's user, then the page of bookings with the total, their services and partners in one statement
    # (bookings.list_rows): whatever the page size
    with django_assert_num_queries(2):
        small = client.get("/api/v1/bookings?limit=1")
    with django_assert_num_queries(2):
        listed = client.get("/api/v1/bookings?limit=20")
    detail = client.get(f"/api/v1/bookings/{booking.pk}")

    assert small.json()["data"]["pagination"]["total"] == 3
    rows = listed.json()["data"]["bookings"]
    assert len(rows) == 3
    assert [s["name"] for s in rows[0]["services"]] == ["Nail - Minimal", "Hair - Minimal"]
    assert detail.json()["data"]["timeline"][0]["action"] == "created"
    assert detail.json()["data"]["payments"] == []
    assert_error(stranger.get(f"/api/v1/bookings/{booking.pk}"), 404, "BOOKING_NOT_FOUND")
    assert stranger.get("/api/v1/bookings").json()["data"]["bookings"] == []
    assert client.get("/api/v1/bookings?status=cancelled").json()["data"]["bookings"] == []
    assert_error(client.get("/api/v1/bookings?status=nope"), 400, "INVALID_REQUEST", "status")
    assert BookingService.objects.count() == 6


def test_at_most_ten_bookings_per_customer_per_hour(shopper, client, catalog, address):
    # the default limit (BOOKINGS_MAX_PER_USER_PER_HOUR, seed 000), not overridden
    for _ in range(10):
        preview = prepare(client, catalog, "Nail - Minimal").json()["data"]
        assert confirm(client, preview, address, payment_method="cash").status_code == 201
    preview = prepare(client, catalog, "Nail - Minimal").json()["data"]

    eleventh = confirm(client, preview, address, payment_method="cash")

    assert_error(eleventh, 429, "RATE_LIMIT_EXCEEDED")
    assert Booking.objects.filter(user=shopper).count() == 10
    other = make_user()  # the limit is per customer
    theirs = prepare(client_for(other), catalog, "Nail - Minimal").json()["data"]
    their_address = address_create(user=other, data=ADDRESS)
    assert confirm(client_for(other), theirs, their_address, payment_method="cash").status_code == 201


def test_the_bookings_list_costs_the_same_queries_at_20_and_100_per_page(
    shopper, client, catalog, django_assert_num_queries
):
    service = catalog["Facial - Minimal"]
    for _ in range(120):
        booking = make_booking(shopper)
        BookingService.objects.create(
            booking=booking, service=service, name=service.name, unit_price=1000, duration_minutes=60
        )

    # the token's user, then one statement: a page of bookings with the total (a window count), their services and
    # their partners (bookings.list_rows); the runtime settings the cancellation policy reads (can_cancel,
    # cancellation_deadline) are cached after the first request (and read once per page, not per row)
    client.get("/api/v1/bookings?limit=1")
    with django_assert_num_queries(2):
        twenty = client.get("/api/v1/bookings?limit=20")
    with django_assert_num_queries(2):
        hundred = client.get("/api/v1/bookings?limit=100")

    assert len(twenty.json()["data"]["bookings"]) == 20
    assert len(hundred.json()["data"]["bookings"]) == 100


def test_the_booking_detail_costs_the_same_queries_however_much_it_holds(shopper, client, catalog):
    plain = BookingFactory(user=shopper, services=[catalog["Nail - Minimal"]])
    full = BookingFactory(
        user=shopper,
        online=True,
        start=next_weekday_at(14),
        services=[
            catalog[name] for name in ("Facial - Minimal", "Hair - Minimal", "Nail - Minimal", "Waxing - Minimal")
        ],
    )
    for action in ("created", "payment_failed", "payment_success", "partner_offered", "partner_accepted"):
        BookingEvent.objects.create(booking=full, action=action, new_status=full.status, actor=shopper)
    PaymentFactory.create_batch(2, booking=full, status="failed")
    PaymentFactory(booking=full, captured=True)
    PartnerAssignmentFactory(booking=full, accepted=True)
    plain_path, full_path = f"/api/v1/bookings/{plain.pk}", f"/api/v1/bookings/{full.pk}"

    # the token's user, the booking, its services, its timeline, its live partner (with the partner's user), its
    # payments: the same for a bare booking as for one with four services, five events, three payments and a partner
    counts = query_counts(client, [plain_path, full_path])

    assert counts[plain_path] == counts[full_path]
    shown = client.get(full_path).json()["data"]
    assert (len(shown["services"]), len(shown["timeline"]), len(shown["payments"])) == (4, 5, 3)
    assert shown["partner"]["assignment_status"] == "accepted"
    assert shown["partner"]["phone"]  # read from the partner's user
    assert client.get(plain_path).json()["data"]["partner"] is None


def test_the_fast_list_row_matches_the_documented_serializer(shopper, client, catalog, address):
    preview = prepare(client, catalog, "Nail - Minimal", "Hair - Minimal").json()["data"]
    confirm(client, preview, address, payment_method="cash", customer_notes="gate 2")
    booking = bookings_of(shopper).get()

    assert booking_row(booking) == json.loads(json.dumps(BookingOutput(booking).data, cls=JSONEncoder))


def inline_rows(html: str, group: str) -> list[dict[str, str]]:
    """The saved rows of an admin inline (``group``: its formset prefix), each as {field: its cell's text}."""
    section = html.split(f'id="{group}-group"', 1)[1].split('class="js-inline-admin-formset', 1)[0]
    rows = []
    for row in re.findall(r'<tr class="form-row has_original".*?</tr>', section, re.S):
        cells = re.findall(r'<td class="field-(\w+)">\s*<p>(.*?)</p>', row, re.S)
        rows.append({name: re.sub(r"<[^>]+>", "", text).strip() for name, text in cells})
    return rows


def test_the_booking_admin_shows_services_timeline_and_payments(shopper, client, catalog, address):
    preview = prepare(client, catalog, "Nail - Minimal").json()["data"]
    booking_id = confirm(client, preview, address).json()["data"]["booking"]["id"]
    payment = Payment.objects.get(payable_id=booking_id)
    stranger = make_user()  # another customer's booking and payment, not shown on this page
    theirs = prepare(client_for(stranger), catalog, "Nail - Minimal").json()["data"]
    confirm(client_for(stranger), theirs, address_create(user=stranger, data=ADDRESS))
    other_payment = Payment.objects.exclude(pk=payment.pk).get()
    browser = APIClient()
    browser.force_login(make_user(Role.SUPPORT, email="help@example.com"))

    page = browser.get(f"/admin/bookings/booking/{booking_id}/change/")

    assert page.status_code == 200
    html = page.content.decode()
    assert inline_rows(html, "items") == [
        {"name": "Nail - Minimal", "quantity": "1", "unit_price": "500.00", "duration_minutes": "50"}
    ]
    timeline = [{k: v for k, v in row.items() if k != "created_at"} for row in inline_rows(html, "events")]
    assert timeline == [
        {"action": "created", "old_status": "-", "new_status": "pending", "actor": "Sia Shopper", "note": "-"}
    ]
    link = reverse("admin:payments_payment_change", args=[payment.pk])
    assert f'<a href="{link}">{payment.receipt}</a>: 590.00 INR (pending)' in html  # the booking's own payment
    assert reverse("admin:payments_payment_change", args=[other_payment.pk]) not in html


def test_one_preview_makes_one_booking_even_with_two_keys_at_once(shopper, catalog, address):
    preview = prepare(client_for(shopper), catalog, "Nail - Minimal").json()["data"]

    responses = run_together(2, lambda _: confirm(client_for(shopper), preview, address, payment_method="cash"))

    assert sorted(r.status_code for r in responses) == [201, 422]
    assert_error(next(r for r in responses if r.status_code == 422), 422, "PREVIEW_EXPIRED", "preview_id")
    assert Booking.objects.count() == 1
