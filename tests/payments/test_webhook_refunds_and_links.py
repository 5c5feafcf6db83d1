"""Refund and payment-link webhooks, through the real bookings payable (``bookings.booking``).

- ``refund.failed`` releases the amount a pending refund had reserved.
- A refund made in Razorpay's dashboard (``refund.created`` / ``refund.processed`` for a refund id we never
  created) is recorded, with its ledger leg.
- ``payment_link.paid`` captures the payment behind the link.
"""

import json
import time
import uuid
from decimal import Decimal

import pytest
import responses
from rest_framework.test import APIClient

from accounts.roles import Role
from bookings.models import BOOKING_PAYABLE, BookingPaymentStatus
from payments.gateways import get_gateway
from payments.gateways.base import hmac_hex
from payments.models import (
    LedgerEntry,
    Payment,
    PaymentLink,
    PaymentStatus,
    PaymentWebhook,
    Refund,
    RefundStatus,
    WebhookStatus,
)
from payments.services.ledger import ledger_balance
from tests.accounts.helpers import assert_error
from tests.conftest import client_for, make_user
from tests.factories import BookingFactory
from tests.payments.conftest import post_webhook, webhook_body

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("celery_eager")]

AMOUNT = Decimal("1180.00")
FEE = Decimal("23.60")  # 2 % (2360 paise), as the offline gateway and the stubbed Razorpay both charge
RAZORPAY_API = "https://api.razorpay.com/v1"
RAZORPAY_SECRET = "rzp-test-secret"


@pytest.fixture
def booking():
    return BookingFactory(online=True, total=str(AMOUNT))


@pytest.fixture
def finance():
    return client_for(make_user(Role.FINANCE, email="fin@example.com"))


def order_for(booking):
    response = client_for(booking.user).post(
        "/api/v1/payments/orders",
        {"payable_type": BOOKING_PAYABLE, "payable_id": str(booking.pk)},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 201, response.json()
    return response.json()["data"]


def verify(booking, order_id, payment_id, signature):
    response = client_for(booking.user).post(
        "/api/v1/payments/verify",
        {"razorpay_order_id": order_id, "razorpay_payment_id": payment_id, "razorpay_signature": signature},
        format="json",
    )
    assert response.status_code == 200, response.json()
    return Payment.objects.get(gateway_order_id=order_id)


def refund(client, payment, **body):
    return client.post(
        "/api/v1/payments/refund",
        {"payment_id": str(payment.pk), **body},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )


def refund_webhook(event, payment, refund_id, amount_paise, status):
    body = webhook_body(
        event,
        order_id=payment.gateway_order_id,
        payment_id=payment.gateway_payment_id,
        status="refunded",
        refund={"id": refund_id, "payment_id": payment.gateway_payment_id, "amount": amount_paise, "status": status},
    )
    return post_webhook(APIClient(), body)


def refund_legs(refund_row):
    return sorted((e.account.code, e.amount) for e in LedgerEntry.objects.filter(refund=refund_row))


@pytest.fixture
def razorpay(settings):
    settings.PAYMENT_GATEWAY = "razorpay"
    settings.RAZORPAY_KEY_ID = "rzp_test_key"
    settings.RAZORPAY_KEY_SECRET = RAZORPAY_SECRET
    settings.RAZORPAY_WEBHOOK_SECRET = "rzp-webhook-secret"
    with responses.RequestsMock() as stub:
        yield stub


def test_refund_failed_releases_the_reserved_amount(razorpay, booking, finance):
    razorpay.post(f"{RAZORPAY_API}/orders", json={"id": "order_R1", "amount": 118000, "currency": "INR"})
    razorpay.get(
        f"{RAZORPAY_API}/payments/pay_R1",
        json={
            "id": "pay_R1",
            "order_id": "order_R1",
            "amount": 118000,
            "currency": "INR",
            "status": "captured",
            "method": "upi",
            "fee": 2360,
            "created_at": int(time.time()),
        },
    )
    razorpay.post(
        f"{RAZORPAY_API}/payments/pay_R1/refund", json={"id": "rfnd_R1", "amount": 118000, "status": "pending"}
    )
    razorpay.post(
        f"{RAZORPAY_API}/payments/pay_R1/refund", json={"id": "rfnd_R2", "amount": 118000, "status": "pending"}
    )
    order_for(booking)
    payment = verify(booking, "order_R1", "pay_R1", hmac_hex(RAZORPAY_SECRET, b"order_R1|pay_R1"))

    first = refund(finance, payment, refund_type="full", reason="Customer cancelled")
    while_pending = refund(finance, payment, refund_type="full")
    failed = refund_webhook("refund.failed", payment, "rfnd_R1", 118000, "failed")
    again = refund(finance, payment, refund_type="full", reason="Second try")

    assert first.status_code == 201, first.json()
    assert first.json()["data"]["status"] == "pending"
    assert_error(while_pending, 422, "NOTHING_TO_REFUND", "amount")  # the whole amount is reserved
    assert failed.status_code == 200
    assert PaymentWebhook.objects.get(gateway_refund_id="rfnd_R1").status == WebhookStatus.PROCESSED
    assert Refund.objects.get(gateway_refund_id="rfnd_R1").status == RefundStatus.FAILED
    assert again.status_code == 201, again.json()
    assert again.json()["data"]["amount"] == float(AMOUNT)  # the failed refund no longer holds any of it
    assert json.loads(razorpay.calls[-1].request.body)["amount"] == 118000
    second = Refund.objects.get(gateway_refund_id="rfnd_R2")
    assert second.status == RefundStatus.PENDING
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == (PaymentStatus.SUCCESS, 0)  # nothing paid out yet
    assert LedgerEntry.objects.filter(refund__isnull=False).count() == 0
    assert ledger_balance("customer_funds") == -AMOUNT


@pytest.fixture
def paid_offline(booking):
    """The booking paid through the offline gateway's Checkout and /payments/verify."""
    paid = get_gateway().simulate_checkout(order_for(booking)["order_id"])
    return verify(booking, paid["razorpay_order_id"], paid["razorpay_payment_id"], paid["razorpay_signature"])


def test_a_refund_made_in_the_razorpay_dashboard_is_recorded_with_its_ledger_leg(booking, paid_offline):
    payment = paid_offline

    created = refund_webhook("refund.created", payment, "rfnd_dash1", 30000, "pending")
    processed = refund_webhook("refund.processed", payment, "rfnd_dash1", 30000, "processed")
    repeated = refund_webhook("refund.processed", payment, "rfnd_dash1", 30000, "processed")

    assert created.status_code == processed.status_code == repeated.status_code == 200
    assert repeated.json()["data"]["status"] == "duplicate"
    assert PaymentWebhook.objects.get(event_type="refund.created").status == WebhookStatus.IGNORED
    recorded = Refund.objects.get()  # one refund, though three deliveries spoke of it
    assert (recorded.gateway_refund_id, recorded.amount, recorded.status) == (
        "rfnd_dash1",
        Decimal("300.00"),
        "processed",
    )
    assert recorded.payment_id == payment.pk
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == (PaymentStatus.PARTIALLY_REFUNDED, Decimal("300.00"))
    assert refund_legs(recorded) == [("customer_funds", Decimal("300.00")), ("gateway_receivable", Decimal("-300.00"))]
    assert ledger_balance("customer_funds") == -AMOUNT + Decimal("300.00")
    assert ledger_balance("gateway_receivable") == AMOUNT - FEE - Decimal("300.00")
    booking.refresh_from_db()
    assert booking.payment_status == BookingPaymentStatus.PARTIALLY_REFUNDED


def test_a_refund_processed_webhook_for_a_refund_already_paid_out_moves_nothing(booking, paid_offline, finance):
    """The offline gateway pays our refund out at once; Razorpay's later webhook for it changes nothing."""
    payment = paid_offline
    requested = refund(finance, payment, refund_type="partial", amount="180.00")
    ours = Refund.objects.get()
    assert requested.status_code == 201
    assert ours.status == RefundStatus.PROCESSED  # the offline gateway pays out at once: its ledger leg is written

    delivered = refund_webhook("refund.processed", payment, ours.gateway_refund_id, 18000, "processed")

    assert delivered.json()["data"]["status"] == "received"
    assert Refund.objects.count() == 1  # ours, not a second "dashboard" refund
    assert refund_legs(ours) == [("customer_funds", Decimal("180.00")), ("gateway_receivable", Decimal("-180.00"))]
    payment.refresh_from_db()
    assert payment.amount_refunded == Decimal("180.00")
    assert ledger_balance("customer_funds") == -AMOUNT + Decimal("180.00")


def test_payment_link_paid_captures_the_linked_payment(booking):
    desk = client_for(make_user(Role.FRONT_DESK))
    created = desk.post(
        "/api/v1/payments/create-link",
        {"payable_type": BOOKING_PAYABLE, "payable_id": str(booking.pk), "amount": str(AMOUNT)},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert created.status_code == 201, created.json()
    link_id = created.json()["data"]["payment_link_id"]
    body = json.dumps(
        {
            "entity": "event",
            "event": "payment_link.paid",
            "payload": {
                "payment_link": {"entity": {"id": link_id, "status": "paid", "amount": 118000, "amount_paid": 118000}},
                "payment": {
                    "entity": {
                        "id": "pay_link1",
                        "order_id": "order_link1",
                        "amount": 118000,
                        "currency": "INR",
                        "status": "captured",
                        "method": "upi",
                        "fee": 2360,
                    }
                },
            },
        }
    ).encode()

    response = post_webhook(APIClient(), body)

    assert response.status_code == 200
    assert PaymentWebhook.objects.get().status == WebhookStatus.PROCESSED
    link = PaymentLink.objects.select_related("payment").get(gateway_link_id=link_id)
    assert (link.status, link.amount_paid) == ("paid", AMOUNT)
    payment = link.payment
    assert (payment.status, payment.gateway_payment_id, payment.method) == (PaymentStatus.SUCCESS, "pay_link1", "upi")
    assert sorted((e.account.code, e.amount) for e in LedgerEntry.objects.filter(payment=payment)) == [
        ("customer_funds", -AMOUNT),
        ("gateway_fees", FEE),
        ("gateway_receivable", -FEE),
        ("gateway_receivable", AMOUNT),
    ]
    booking.refresh_from_db()
    assert booking.payment_status == BookingPaymentStatus.PAID
    assert booking.events.filter(action="payment_success").count() == 1
