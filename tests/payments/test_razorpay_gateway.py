"""The Razorpay gateway through the official SDK, with Razorpay's HTTP API stubbed (``responses``), nothing else."""

import json
import time
import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import pytest
import responses
from django.utils import timezone

from accounts.roles import Role
from payments.gateways import get_gateway
from payments.gateways.base import hmac_hex
from payments.models import Payment, PaymentStatus, Refund
from payments.services.reconciliation import reconcile_day
from tests.accounts.helpers import assert_error
from tests.conftest import client_for, make_user
from tests.payments.conftest import create_order, order_body

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


def payment_entity(payment_id, order_id, status="captured", amount=118000):
    return {
        "id": payment_id,
        "entity": "payment",
        "order_id": order_id,
        "amount": amount,
        "currency": "INR",
        "status": status,
        "method": "card",
        "fee": 2360,
        "created_at": int(time.time()),
    }


def test_order_verify_and_refund_through_razorpay(razorpay, payer, payer_client, invoices):
    invoice = invoices.add(payer, amount="1180.00")
    razorpay.post(f"{API}/orders", json={"id": "order_RZ1", "amount": 118000, "currency": "INR", "status": "created"})
    razorpay.get(f"{API}/payments/pay_RZ1", json=payment_entity("pay_RZ1", "order_RZ1", status="authorized"))
    razorpay.post(f"{API}/payments/pay_RZ1/capture", json=payment_entity("pay_RZ1", "order_RZ1"))
    razorpay.post(f"{API}/payments/pay_RZ1/refund", json={"id": "rfnd_RZ1", "amount": 18000, "status": "pending"})

    checkout = create_order(payer_client, invoice).json()["data"]
    verified = payer_client.post(
        "/api/v1/payments/verify",
        {
            "razorpay_order_id": "order_RZ1",
            "razorpay_payment_id": "pay_RZ1",
            "razorpay_signature": hmac_hex(SECRET, b"order_RZ1|pay_RZ1"),
        },
        format="json",
    )
    finance = client_for(make_user(Role.FINANCE, email="finance@example.com"))
    refunded = finance.post(
        "/api/v1/payments/refund",
        {"payment_id": checkout["payment_id"], "refund_type": "partial", "amount": "180.00"},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )

    assert checkout["order_id"] == "order_RZ1"
    assert checkout["key"] == "rzp_test_key"
    sent_order = json.loads(razorpay.calls[0].request.body)
    assert sent_order["amount"] == 118000
    assert sent_order["receipt"] == checkout["receipt"]
    assert sent_order["notes"]["payable_id"] == invoice.id
    assert verified.json()["data"]["payment_status"] == "success"
    assert json.loads(razorpay.calls[2].request.body)["amount"] == 118000  # the capture
    assert refunded.json()["data"]["status"] == "pending"  # until Razorpay's refund.processed webhook
    assert Refund.objects.get().gateway_refund_id == "rfnd_RZ1"


def test_razorpay_refusing_a_refund_releases_it(razorpay, payer, payer_client, invoices):
    invoice = invoices.add(payer, amount="1180.00")
    razorpay.post(f"{API}/orders", json={"id": "order_RZ2", "amount": 118000, "currency": "INR"})
    razorpay.get(f"{API}/payments/pay_RZ2", json=payment_entity("pay_RZ2", "order_RZ2"))
    razorpay.post(
        f"{API}/payments/pay_RZ2/refund",
        status=400,
        json={"error": {"code": "BAD_REQUEST_ERROR", "description": "Refund amount is invalid"}},
    )
    checkout = create_order(payer_client, invoice).json()["data"]
    payer_client.post(
        "/api/v1/payments/verify",
        {
            "razorpay_order_id": "order_RZ2",
            "razorpay_payment_id": "pay_RZ2",
            "razorpay_signature": hmac_hex(SECRET, b"order_RZ2|pay_RZ2"),
        },
        format="json",
    )
    finance = client_for(make_user(Role.FINANCE, email="finance@example.com"))

    response = finance.post(
        "/api/v1/payments/refund",
        {"payment_id": checkout["payment_id"], "refund_type": "full"},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )

    assert_error(response, 502, "PAYMENT_GATEWAY_ERROR")
    assert Refund.objects.get().status == "failed"
    assert Payment.objects.get().status == PaymentStatus.SUCCESS


def test_razorpay_down_when_creating_an_order(razorpay, payer, payer_client, invoices):
    razorpay.post(f"{API}/orders", status=500, json={"error": {"code": "SERVER_ERROR", "description": "oops"}})

    response = create_order(payer_client, invoices.add(payer))

    assert_error(response, 502, "PAYMENT_GATEWAY_ERROR")
    assert not Payment.objects.exists()


def test_payment_link_through_razorpay(razorpay, payer, invoices):
    invoice = invoices.add(payer, amount="1500.00")
    razorpay.post(
        f"{API}/payment_links",
        json={
            "id": "plink_1",
            "short_url": "https://rzp.io/i/abc",
            "status": "created",
            "amount": 150000,
            "amount_paid": 0,
            "expire_by": int(time.time()) + 3600,
        },
    )
    desk = client_for(make_user(Role.FRONT_DESK))

    response = desk.post(
        "/api/v1/payments/links",
        {**order_body(invoice), "customer_email": "jane@example.com"},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )

    assert response.json()["data"]["short_url"] == "https://rzp.io/i/abc"
    sent = json.loads(razorpay.calls[0].request.body)
    assert sent["amount"] == 150000
    assert sent["customer"] == {"email": "jane@example.com"}


def test_reconciliation_pages_through_razorpay_payments(razorpay, payer, payer_client, invoices):
    invoice = invoices.add(payer, amount="1180.00")
    razorpay.post(f"{API}/orders", json={"id": "order_RZ3", "amount": 118000, "currency": "INR"})
    checkout = create_order(payer_client, invoice).json()["data"]
    captured = payment_entity("pay_RZ3", "order_RZ3")
    razorpay.get(f"{API}/payments", json={"items": [captured], "count": 1})
    day = timezone.localdate(datetime.fromtimestamp(captured["created_at"], tz=UTC))  # its day, not the clock's now

    report = reconcile_day(day=day)

    assert report.fixed == 1
    assert Payment.objects.get(pk=checkout["payment_id"]).status == PaymentStatus.SUCCESS
    assert "from=" in razorpay.calls[-1].request.url
    asked = parse_qs(urlparse(razorpay.calls[-1].request.url).query)
    assert int(asked["from"][0]) <= captured["created_at"] < int(asked["to"][0])


def test_razorpay_webhook_signature_uses_the_webhook_secret(razorpay, api_client):
    body = json.dumps({"event": "payment.captured", "payload": {}}).encode()

    good = get_gateway().verify_webhook_signature(body, hmac_hex("rzp-webhook-secret", body))
    bad = get_gateway().verify_webhook_signature(body, hmac_hex(SECRET, body))

    assert good is True
    assert bad is False
