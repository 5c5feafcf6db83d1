"""The Razorpay gateway through the official SDK, with Razorpay's HTTP API stubbed (``responses``), nothing else."""

import json
import time
import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import pytest
import requests
import responses
from django.utils import timezone

from accounts.roles import Role
from core.models import IdempotencyKey
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


def test_an_order_that_failed_at_razorpay_can_be_retried_with_the_same_key(razorpay, payer, payer_client, invoices):
    # A 502 is not kept under the idempotency key: the key is released, so the client's retry runs again.
    invoice = invoices.add(payer, amount="1180.00")
    key = str(uuid.uuid4())
    razorpay.post(f"{API}/orders", status=500, json={"error": {"code": "SERVER_ERROR", "description": "oops"}})
    razorpay.post(f"{API}/orders", body=requests.ConnectionError("connection reset"))
    razorpay.post(f"{API}/orders", json={"id": "order_RZ4", "amount": 118000, "currency": "INR", "status": "created"})

    refused = create_order(payer_client, invoice, key=key)
    unreachable = create_order(payer_client, invoice, key=key)
    created = create_order(payer_client, invoice, key=key)
    replayed = create_order(payer_client, invoice, key=key)

    assert assert_error(refused, 502, "PAYMENT_GATEWAY_ERROR")["details"]["reason"] == "gateway_refused"
    # asked Razorpay again (which was unreachable this time), not the first failure replayed
    assert assert_error(unreachable, 502, "PAYMENT_GATEWAY_ERROR")["details"]["reason"] == "gateway_unreachable"
    assert "Idempotent-Replayed" not in unreachable
    assert created.status_code == 201, created.content
    assert "Idempotent-Replayed" not in created
    assert created.json()["data"]["order_id"] == "order_RZ4"
    assert len(razorpay.calls) == 3  # one call per attempt until one succeeded; the success is then replayed
    assert replayed.content == created.content
    assert replayed["Idempotent-Replayed"] == "true"
    assert Payment.objects.get().gateway_order_id == "order_RZ4"
    assert IdempotencyKey.objects.get(key=key).response_status == 201


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
    # Three of our orders, each paid at Razorpay with no webhook reaching us; Razorpay lists them among 198
    # payments of others, 100 a page: one of ours on each of the three pages (100, 100 and 1 items).
    ours = []
    for n in range(3):
        razorpay.post(f"{API}/orders", json={"id": f"order_PG{n}", "amount": 118000, "currency": "INR"})
        ours.append(create_order(payer_client, invoices.add(payer, amount="1180.00")).json()["data"])
    moment = int(time.time())

    def listed(payment_id, order_id):
        return {**payment_entity(payment_id, order_id), "created_at": moment}

    others = [listed(f"pay_other{n}", f"order_other{n}") for n in range(198)]
    pages = [
        [listed("pay_PG0", "order_PG0"), *others[:99]],
        [*others[99:], listed("pay_PG1", "order_PG1")],
        [listed("pay_PG2", "order_PG2")],
    ]
    for page in pages:
        razorpay.get(f"{API}/payments", json={"items": page, "count": len(page)})
    day = timezone.localdate(datetime.fromtimestamp(moment, tz=UTC))  # the payments' day, not the clock's now

    report = reconcile_day(day=day)

    asked_for = [parse_qs(urlparse(c.request.url).query) for c in razorpay.calls if "/payments?" in c.request.url]
    assert [(q["skip"], q["count"]) for q in asked_for] == [(["0"], ["100"]), (["100"], ["100"]), (["200"], ["100"])]
    for asked in asked_for:
        assert int(asked["from"][0]) <= moment < int(asked["to"][0])
        assert int(asked["to"][0]) - int(asked["from"][0]) == 24 * 3600
    assert report.gateway_payments == 201
    assert report.fixed == 3
    assert sorted(fix["gateway_payment_id"] for fix in report.details["fixes"]) == ["pay_PG0", "pay_PG1", "pay_PG2"]
    assert report.discrepancies == 198  # the others' payments: no order of ours
    assert {p["gateway_payment_id"] for p in report.details["discrepancies"]} == {f"pay_other{n}" for n in range(198)}
    for checkout in ours:
        assert Payment.objects.get(pk=checkout["payment_id"]).status == PaymentStatus.SUCCESS


def test_razorpay_webhook_signature_uses_the_webhook_secret(razorpay, api_client):
    body = json.dumps({"event": "payment.captured", "payload": {}}).encode()

    good = get_gateway().verify_webhook_signature(body, hmac_hex("rzp-webhook-secret", body))
    bad = get_gateway().verify_webhook_signature(body, hmac_hex(SECRET, body))

    assert good is True
    assert bad is False
