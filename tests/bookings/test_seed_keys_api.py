"""Seed 000's response keys beside ours: verify names the booking and its status, an online order's notes carry the
booking's id and number, and a booking's detail has the seed's single ``payment`` object beside ``payments``."""

import pytest

from bookings.models import Booking
from payments.gateways import get_gateway
from payments.models import Payment
from tests.bookings.test_checkout_api import address, catalog, client, confirm, prepare, shopper  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def book_online(client, catalog, address):  # noqa: F811
    preview = prepare(client, catalog, "Facial - Minimal").json()["data"]
    response = confirm(client, preview, address)
    assert response.status_code == 201, response.json()
    return response.json()["data"]


def verify(client, order_id):  # noqa: F811
    paid = get_gateway().simulate_checkout(order_id)
    return client.post(
        "/api/v1/payments/verify",
        {k: paid[k] for k in ("razorpay_order_id", "razorpay_payment_id", "razorpay_signature")},
        format="json",
    )


def test_verify_answers_the_booking_id_number_and_status(client, catalog, address):  # noqa: F811
    data = book_online(client, catalog, address)

    response = verify(client, data["payment"]["order_id"])

    assert response.status_code == 200, response.json()
    body = response.json()["data"]
    booking = Booking.objects.get(pk=data["booking"]["id"])
    assert (body["booking_id"], body["booking_number"]) == (str(booking.pk), booking.booking_number)
    assert body["booking_status"] == booking.status
    assert (body["payment_status"], body["payable_id"]) == ("success", str(booking.pk))  # our keys stay


def test_an_online_orders_notes_carry_the_booking_id_and_number(client, catalog, address):  # noqa: F811
    data = book_online(client, catalog, address)

    notes = data["payment"]["notes"]

    assert notes["booking_id"] == data["booking"]["id"]
    assert notes["booking_number"] == data["booking"]["booking_number"]
    assert notes["payable_type"] == "bookings.booking"


def test_booking_detail_has_the_seeds_payment_object_beside_payments(client, catalog, address):  # noqa: F811
    data = book_online(client, catalog, address)
    booking_id = data["booking"]["id"]

    before = client.get(f"/api/v1/bookings/{booking_id}").json()["data"]
    verify(client, data["payment"]["order_id"])
    after = client.get(f"/api/v1/bookings/{booking_id}").json()["data"]

    assert before["payment"]["status"] == "pending"  # the open order, until it is paid
    assert before["payment"]["razorpay_payment_id"] is None
    payment = Payment.objects.get(payable_id=booking_id)
    assert after["payment"] == {
        "payment_id": str(payment.pk),
        "razorpay_payment_id": payment.gateway_payment_id,
        "payment_method": payment.method,
        "status": "success",
        "amount": float(payment.amount),
        "paid_at": after["payments"][0]["paid_at"],
    }
    assert after["payment"]["razorpay_payment_id"].startswith("pay_")
    assert [row["payment_id"] for row in after["payments"]] == [str(payment.pk)]


def test_a_cash_bookings_detail_has_no_payment_object_until_cash_is_recorded(client, catalog, address):  # noqa: F811
    preview = prepare(client, catalog, "Facial - Minimal").json()["data"]
    booking_id = confirm(client, preview, address, payment_method="cash").json()["data"]["booking"]["id"]

    detail = client.get(f"/api/v1/bookings/{booking_id}").json()["data"]

    assert detail["payment"] is None
    assert detail["payments"] == []


def test_a_refund_by_booking_id_finds_the_bookings_payment(client, catalog, address):  # noqa: F811
    from accounts.roles import Role
    from tests.conftest import client_for, make_user

    data = book_online(client, catalog, address)
    verify(client, data["payment"]["order_id"])
    finance = client_for(make_user(Role.FINANCE))

    response = finance.post(
        "/api/v1/payments/refund",
        {"booking_id": data["booking"]["id"], "refund_type": "full"},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY="refund-by-booking-id",
    )

    assert response.status_code == 201, response.json()
    payment = Payment.objects.get(payable_id=data["booking"]["id"])
    refund = response.json()["data"]
    assert (refund["payment_id"], refund["amount"], refund["refund_type"]) == (str(payment.pk), 1180.0, "full")
    assert payment.status == "refunded"
