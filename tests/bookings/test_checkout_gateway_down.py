"""Online checkout when Razorpay fails to make the order: the booking is kept, pending and payable, the answer says the
payment could not be started, and paying it later works once Razorpay answers again (Razorpay's HTTP API stubbed with
``responses``, nothing else)."""

import uuid

import pytest
import requests
import responses

from bookings.models import Booking, BookingPaymentStatus, BookingStatus
from payments.gateways.base import hmac_hex
from payments.models import Payment
from tests.bookings.test_checkout_api import address, catalog, client, confirm, prepare, shopper  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

API = "https://api.razorpay.com/v1"
SECRET = "rzp-test-secret"


@pytest.fixture(autouse=True)
def razorpay(settings):
    settings.PAYMENT_GATEWAY = "razorpay"
    settings.RAZORPAY_KEY_ID = "rzp_test_key"
    settings.RAZORPAY_KEY_SECRET = SECRET
    settings.RAZORPAY_WEBHOOK_SECRET = "rzp-webhook-secret"
    with responses.RequestsMock() as stub:
        yield stub


OUTAGES = {
    "server_error": {"status": 503, "json": {"error": {"code": "SERVER_ERROR", "description": "Service unavailable"}}},
    "unreachable": {"body": requests.ConnectionError("connection refused")},
}


@pytest.mark.parametrize(
    ("outage", "reason"),
    [("server_error", "Razorpay refused the request"), ("unreachable", "Razorpay could not be reached")],
)
def test_a_gateway_failure_keeps_the_booking_payable_and_a_later_payment_goes_through(
    razorpay,
    shopper,  # noqa: F811
    client,  # noqa: F811
    catalog,  # noqa: F811
    address,  # noqa: F811
    outage,
    reason,
):
    razorpay.post(f"{API}/orders", **OUTAGES[outage])
    preview = prepare(client, catalog, "Nail - Minimal").json()["data"]
    key = str(uuid.uuid4())

    response = confirm(client, preview, address, key=key)

    assert response.status_code == 201, response.content
    body = response.json()
    booking = Booking.objects.get()
    assert body["data"] == {
        "booking": {
            "id": str(booking.pk),
            "booking_number": booking.booking_number,
            "status": "pending",
            "grand_total": 590.0,
        }
    }  # no payment order to open
    assert body["message"].startswith("Booking created, but the payment could not be started (")
    assert reason in body["message"]
    assert body["message"].endswith("Retry it.")
    assert (booking.status, booking.payment_status) == (BookingStatus.PENDING, BookingPaymentStatus.PENDING)
    assert not Payment.objects.exists()
    assert len(razorpay.calls) == 1  # the order was asked for once
    # The same confirm again (the app retrying the request) answers the same booking: nothing is booked twice.
    replay = confirm(client, preview, address, key=key)
    assert (replay.status_code, replay.json()["data"]) == (201, body["data"])
    assert Booking.objects.count() == 1

    # Razorpay is back: the customer pays the booking they were given.
    razorpay.replace(
        responses.POST,
        f"{API}/orders",
        json={"id": "order_RZ9", "amount": 59000, "currency": "INR", "status": "created"},
    )
    order = client.post(
        "/api/v1/payments/create-order",
        {"payable_type": "bookings.booking", "payable_id": str(booking.pk)},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert order.status_code == 201, order.content
    assert (order.json()["data"]["order_id"], order.json()["data"]["amount"]) == ("order_RZ9", 59000)
    razorpay.get(
        f"{API}/payments/pay_RZ9",
        json={
            "id": "pay_RZ9",
            "entity": "payment",
            "order_id": "order_RZ9",
            "amount": 59000,
            "currency": "INR",
            "status": "captured",
            "method": "upi",
            "fee": 1180,
        },
    )
    verified = client.post(
        "/api/v1/payments/verify",
        {
            "razorpay_order_id": "order_RZ9",
            "razorpay_payment_id": "pay_RZ9",
            "razorpay_signature": hmac_hex(SECRET, b"order_RZ9|pay_RZ9"),
        },
        format="json",
    )

    assert verified.status_code == 200, verified.content
    assert verified.json()["data"]["booking_id"] == str(booking.pk)
    booking.refresh_from_db()
    assert booking.payment_status == BookingPaymentStatus.PAID
    payment = Payment.objects.get()
    assert (payment.payable_id, payment.status, payment.amount) == (str(booking.pk), "success", booking.grand_total)
