"""The payment races, with real threads on PostgreSQL (each thread its own connection)."""

import uuid
from collections import Counter

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from payments.gateways import get_gateway
from payments.models import LedgerEntry, Payment, PaymentStatus, PaymentWebhook, Refund, WebhookStatus
from tests.accounts.test_concurrency import run_together
from tests.conftest import client_for, make_user
from tests.payments.conftest import create_order, post_webhook, webhook_body

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.usefixtures("celery_eager")
def test_one_webhook_delivered_ten_times_at_once_has_one_effect(payer, payer_client, invoices):
    invoice = invoices.add(payer, amount="1180.00")
    order_id = create_order(payer_client, invoice).json()["data"]["order_id"]
    body = webhook_body("payment.captured", order_id=order_id, payment_id="pay_race")

    statuses = run_together(10, lambda _: post_webhook(APIClient(), body, event_id="evt_race").status_code)

    assert statuses == [200] * 10
    assert PaymentWebhook.objects.count() == 10
    assert Counter(PaymentWebhook.objects.values_list("status", flat=True)) == {
        WebhookStatus.PROCESSED: 1,
        WebhookStatus.DUPLICATE: 9,
    }
    assert Payment.objects.get().status == PaymentStatus.SUCCESS
    assert LedgerEntry.objects.filter(memo__startswith="Captured").count() == 2
    assert invoices.events_for(invoice.id) == [("pending", "success")]


def test_twenty_requests_with_one_idempotency_key_make_one_order(payer, invoices):
    invoice = invoices.add(payer)
    key = str(uuid.uuid4())

    responses = run_together(20, lambda _: create_order(client_for(payer), invoice, key=key))

    assert Payment.objects.count() == 1
    created = [r for r in responses if r.status_code == 201]
    assert created
    assert len({r.content for r in created}) == 1
    assert {r.status_code for r in responses} <= {201, 409}
    in_progress = [r for r in responses if r.status_code == 409]
    assert all(r.json()["error"]["code"] == "REQUEST_IN_PROGRESS" for r in in_progress)


def test_two_refunds_that_together_exceed_the_payment_one_succeeds(payer, payer_client, invoices):
    data = create_order(payer_client, invoices.add(payer, amount="1000.00")).json()["data"]
    paid = get_gateway().simulate_checkout(data["order_id"])
    payer_client.post(
        "/api/v1/payments/verify",
        {k: paid[k] for k in ("razorpay_order_id", "razorpay_payment_id", "razorpay_signature")},
        format="json",
    )
    finance = make_user(Role.FINANCE, email="finance@example.com")

    def refund(_):
        return client_for(finance).post(
            "/api/v1/payments/refund",
            {"payment_id": data["payment_id"], "refund_type": "partial", "amount": "600.00"},
            format="json",
            HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )

    responses = run_together(2, refund)

    assert sorted(r.status_code for r in responses) == [201, 422]
    refused = next(r for r in responses if r.status_code == 422)
    assert refused.json()["error"]["code"] == "REFUND_EXCEEDS_REFUNDABLE"
    assert Refund.objects.filter(status="processed").count() == 1
    assert Payment.objects.get().amount_refunded == 600
