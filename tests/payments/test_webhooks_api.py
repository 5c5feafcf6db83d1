"""Webhooks through the HTTP endpoint: signature, storage, deduplication, ordering, retries, unknown orders."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from payments.models import LedgerEntry, Payment, PaymentStatus, PaymentWebhook, Refund, WebhookStatus
from payments.services.ledger import ledger_account, ledger_balance
from payments.services.webhooks import webhook_reprocess
from tests.accounts.helpers import assert_error
from tests.payments.conftest import create_order, post_webhook, webhook_body

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("celery_eager")]


@pytest.fixture
def order(payer, payer_client, invoices):
    invoice = invoices.add(payer, amount="1180.00")
    data = create_order(payer_client, invoice).json()["data"]
    return invoice, data["order_id"], Payment.objects.get(pk=data["payment_id"])


def test_payment_captured_marks_success_once_with_one_ledger_pair(api_client, order, invoices):
    invoice, order_id, payment = order

    response = post_webhook(api_client, webhook_body("payment.captured", order_id=order_id, payment_id="pay_1"))

    assert response.status_code == 200
    assert response.json() == {"success": True, "data": {"received": True, "status": "received"}}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS
    assert payment.gateway_payment_id == "pay_1"
    assert payment.method == "upi"
    assert invoices.events_for(invoice.id) == [("pending", "success")]
    capture = LedgerEntry.objects.filter(payment=payment, memo__startswith="Captured")
    assert sorted(e.amount for e in capture) == [-payment.amount, payment.amount]
    assert PaymentWebhook.objects.get().status == WebhookStatus.PROCESSED


def test_the_same_event_delivered_again_is_stored_but_not_processed(api_client, order, invoices):
    invoice, order_id, payment = order
    body = webhook_body("payment.captured", order_id=order_id, payment_id="pay_1")

    post_webhook(api_client, body, event_id="evt_1")
    again = post_webhook(api_client, body, event_id="evt_1")
    same_event_new_id = post_webhook(api_client, body, event_id="evt_2")

    assert again.json()["data"]["status"] == "duplicate"
    assert same_event_new_id.json()["data"]["status"] == "duplicate"
    assert PaymentWebhook.objects.count() == 3
    assert LedgerEntry.objects.filter(payment=payment, memo__startswith="Captured").count() == 2
    assert invoices.events_for(invoice.id) == [("pending", "success")]


def test_a_late_failure_never_moves_a_captured_payment_back(api_client, order, invoices):
    invoice, order_id, payment = order
    post_webhook(api_client, webhook_body("payment.captured", order_id=order_id, payment_id="pay_1"))

    post_webhook(api_client, webhook_body("payment.failed", order_id=order_id, payment_id="pay_1"))

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS
    assert invoices.events_for(invoice.id) == [("pending", "success")]


def test_payment_failed_keeps_the_reason(api_client, order):
    _, order_id, payment = order

    post_webhook(api_client, webhook_body("payment.failed", order_id=order_id, payment_id="pay_9"))

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert payment.failure_reason == "Bank declined"


def test_order_paid_also_captures(api_client, order):
    _, order_id, payment = order
    body = json.loads(webhook_body("payment.captured", order_id=order_id, payment_id="pay_2"))
    body["event"] = "order.paid"
    body["payload"]["order"] = {"entity": {"id": order_id, "status": "paid"}}

    post_webhook(api_client, json.dumps(body).encode())

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS


@pytest.mark.parametrize("signature", ["", "0" * 64, "not-hex"])
def test_bad_or_missing_signature_is_400_and_nothing_is_processed(api_client, order, signature):
    _, order_id, payment = order
    body = webhook_body("payment.captured", order_id=order_id, payment_id="pay_1")

    response = post_webhook(api_client, body, signature=signature)

    assert_error(response, 400, "INVALID_SIGNATURE", "X-Razorpay-Signature")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    stored = PaymentWebhook.objects.get()
    assert stored.is_verified is False
    assert stored.status == WebhookStatus.IGNORED


def test_an_event_for_an_unknown_order_is_acknowledged_and_flagged(api_client):
    response = post_webhook(api_client, webhook_body("payment.captured", order_id="order_nope", payment_id="pay_x"))

    assert response.status_code == 200
    webhook = PaymentWebhook.objects.get()
    assert webhook.status == WebhookStatus.UNKNOWN_ORDER
    assert "flagged" in webhook.processing_error


def test_malformed_json_is_invalid_request(api_client):
    response = post_webhook(api_client, b"{not json")

    assert_error(response, 400, "INVALID_REQUEST")


def test_a_failing_event_is_retried_then_flagged_for_manual_review(api_client, order):
    _, order_id, payment = order
    wrong_amount = webhook_body("payment.captured", order_id=order_id, payment_id="pay_1", amount_paise=1)

    post_webhook(api_client, wrong_amount)

    webhook = PaymentWebhook.objects.get()
    assert webhook.status == WebhookStatus.MANUAL_REVIEW
    assert webhook.retry_count == 4  # the first try and three retries
    assert "INVALID_PAYMENT_AMOUNT" in webhook.processing_error or "different amount" in webhook.processing_error
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_staff_can_reprocess_a_flagged_delivery(api_client, payer, payer_client, invoices):
    post_webhook(api_client, webhook_body("payment.captured", order_id="order_later", payment_id="pay_l"))
    invoice = invoices.add(payer, amount="1180.00")
    data = create_order(payer_client, invoice).json()["data"]
    Payment.objects.filter(pk=data["payment_id"]).update(gateway_order_id="order_later")
    webhook = PaymentWebhook.objects.get()

    status = webhook_reprocess(webhook_pk=webhook.pk)

    assert status == WebhookStatus.PROCESSED
    assert Payment.objects.get(pk=data["payment_id"]).status == PaymentStatus.SUCCESS


def test_refund_processed_event_completes_a_pending_refund(api_client, order):
    _, order_id, payment = order
    post_webhook(api_client, webhook_body("payment.captured", order_id=order_id, payment_id="pay_1"))
    refund = Refund.objects.create(payment_id=payment.pk, amount=500, gateway_refund_id="rfnd_1")
    body = webhook_body(
        "refund.processed",
        order_id=order_id,
        payment_id="pay_1",
        status="refunded",
        refund={"id": "rfnd_1", "payment_id": "pay_1", "amount": 50000, "status": "processed"},
    )

    post_webhook(api_client, body)

    refund.refresh_from_db()
    payment.refresh_from_db()
    assert refund.status == "processed"
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED
    assert payment.amount_refunded == 500
    refund_legs = LedgerEntry.objects.filter(refund=refund)
    assert sorted((e.account.code, e.amount) for e in refund_legs) == [
        ("customer_funds", Decimal("500.00")),
        ("gateway_receivable", Decimal("-500.00")),
    ]
    fee = Decimal("23.60")
    assert ledger_balance("customer_funds") == Decimal("-680.00")  # -1180.00 captured, +500.00 refunded
    assert ledger_balance("gateway_receivable") == Decimal("1180.00") - fee - Decimal("500.00")
    assert ledger_balance("gateway_fees") == fee


# Measured 2026-11-29 (statements, counting BEGIN/COMMIT/SAVEPOINT), with the ledger accounts in place as
# production has them from the data migration. The first delivery, processed inline (eager): 29 = receive 6
# (the delivery, its dedup keys), process 19 (lock the delivery and the payment, the capture, two ledger
# postings, the delivery marked processed), then 4 for telling the payable. A duplicate: 8 (the delivery,
# the refused keys, "duplicate"). A new query on either path must be a decision: update the number and this note.
FIRST_DELIVERY_QUERIES = 29
DUPLICATE_QUERIES = 8


def test_the_webhook_answers_fast(api_client, order):
    _, order_id, _ = order
    body = webhook_body("payment.captured", order_id=order_id, payment_id="pay_1")
    for code in ("gateway_receivable", "customer_funds", "gateway_fees"):
        ledger_account(code)  # a flushed test database lacks them; production has them

    # the first delivery: store it, its dedup keys, then (eager here) process it: lock, capture, ledger, payable
    with CaptureQueriesContext(connection) as first:
        response = post_webhook(api_client, body, event_id="evt_fast")
    # a duplicate: insert the delivery, try the dedup keys (savepoint), mark it duplicate
    with CaptureQueriesContext(connection) as duplicate:
        again = post_webhook(api_client, body, event_id="evt_fast")

    assert response.json()["data"]["status"] == "received"
    assert again.json()["data"]["status"] == "duplicate"
    assert Payment.objects.get().status == PaymentStatus.SUCCESS  # the first one did the work
    assert len(first) <= FIRST_DELIVERY_QUERIES
    assert len(duplicate) <= DUPLICATE_QUERIES
    assert len(duplicate) < len(first)
    assert connection.vendor == "postgresql"
