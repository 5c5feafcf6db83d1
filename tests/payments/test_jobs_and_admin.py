"""Idempotency-key edges, the periodic jobs (key purge, webhook sweep) and the Django admin's reprocess action."""

import base64
import json
import uuid
from datetime import timedelta
from decimal import Decimal

import kombu
import pytest
from celery import current_app
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role
from core.models import IdempotencyKey
from core.tasks import purge_expired_idempotency_keys
from payments.models import LedgerEntry, Payment, PaymentStatus, PaymentWebhook, WebhookStatus
from payments.services.ledger import ledger_balance
from payments.tasks import sweep_unprocessed_webhooks
from tests.accounts.helpers import assert_error
from tests.conftest import make_user
from tests.payments.conftest import create_order, post_webhook, webhook_body

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_request_still_in_progress_under_the_key_is_a_conflict(payer, payer_client, invoices):
    key = str(uuid.uuid4())
    IdempotencyKey.objects.create(
        scope=f"user:{payer.pk}", key=key, fingerprint="x", expires_at=timezone.now() + timedelta(hours=24)
    )

    response = create_order(payer_client, invoices.add(payer), key=key)

    assert_error(response, 409, "IDEMPOTENCY_KEY_REUSED")  # another body: the fingerprint differs


def test_an_identical_request_still_in_progress_is_request_in_progress(payer, payer_client, invoices):
    invoice = invoices.add(payer)
    key = str(uuid.uuid4())
    create_order(payer_client, invoice, key=key)
    IdempotencyKey.objects.filter(key=key).update(status=IdempotencyKey.Status.IN_PROGRESS)

    response = create_order(payer_client, invoice, key=key)

    error = assert_error(response, 409, "REQUEST_IN_PROGRESS")
    assert error["details"]["field"] == "X-Idempotency-Key"
    assert response["Retry-After"] == "1"


def test_keys_live_24_hours(payer, payer_client, invoices):
    key = str(uuid.uuid4())

    create_order(payer_client, invoices.add(payer), key=key)

    record = IdempotencyKey.objects.get(key=key)
    lifetime = record.expires_at - record.created_at
    assert timedelta(hours=24) - timedelta(seconds=5) <= lifetime <= timedelta(hours=24)  # not 48 h, not forever


def test_a_second_charge_is_impossible_even_when_the_key_store_is_lost(payer, payer_client, invoices):
    invoice = invoices.add(payer)
    key = str(uuid.uuid4())
    create_order(payer_client, invoice, key=key)
    IdempotencyKey.objects.all().delete()  # expired and purged, or lost

    response = create_order(payer_client, invoice, key=key)

    error = assert_error(response, 409, "IDEMPOTENCY_KEY_REUSED")
    assert error["details"]["reason"] == "already_charged"
    assert Payment.objects.count() == 1


def test_expired_keys_are_purged_by_the_hourly_job(payer, payer_client, invoices):
    create_order(payer_client, invoices.add(payer))
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    create_order(payer_client, invoices.add(payer))

    assert purge_expired_idempotency_keys() == 1
    assert IdempotencyKey.objects.count() == 1


def broker_queue():
    """The broker connection, its Redis client and the default queue (the suite's own Redis; no worker reads it)."""
    conn = current_app.connection_for_write()
    return conn, conn.default_channel.client, current_app.conf.task_default_queue


def queued_task_args(task_name):
    """Each waiting message for ``task_name``: its raw form and the task's positional arguments."""
    conn, client, queue = broker_queue()
    with conn:
        raw = client.lrange(queue, 0, -1)
    found = []
    for message in raw:
        parsed = json.loads(message)
        if parsed["headers"]["task"] == task_name:
            args, _kwargs, _embed = json.loads(base64.b64decode(parsed["body"]))
            found.append((message, args))
    return found


def test_the_sweep_requeues_a_delivery_whose_task_was_lost(payer, payer_client, invoices, request, monkeypatch):
    # Not eager, and no worker: the on-commit send reaches the broker and nobody takes it.
    order_id = create_order(payer_client, invoices.add(payer, amount="1180.00")).json()["data"]["order_id"]
    body = webhook_body("payment.captured", order_id=order_id, payment_id="pay_lost")

    response = post_webhook(payer_client, body)

    assert response.json()["data"]["status"] == "received"
    webhook = PaymentWebhook.objects.get()
    sent = [raw for raw, args in queued_task_args("payments.tasks.process_webhook") if args == [str(webhook.pk)]]
    assert len(sent) == 1  # sent once, and still waiting: nobody took it
    conn, client, queue = broker_queue()
    with conn:
        client.lrem(queue, 0, sent[0])  # then lost (the broker restarted without its data)
    payment = Payment.objects.get()
    assert (webhook.status, payment.status) == (WebhookStatus.RECEIVED, PaymentStatus.PENDING)
    assert sweep_unprocessed_webhooks() == 0  # too fresh: its task may still be on its way
    later = timezone.now() + timedelta(minutes=6)  # the clock moves on past the sweep's 5 minutes
    monkeypatch.setattr(timezone, "now", lambda: later)
    request.getfixturevalue("celery_eager")  # a worker runs from here on

    requeued = sweep_unprocessed_webhooks()

    assert requeued == 1
    webhook.refresh_from_db()
    payment.refresh_from_db()
    assert webhook.status == WebhookStatus.PROCESSED
    assert payment.status == PaymentStatus.SUCCESS
    assert invoices.events_for(payment.payable_id) == [("pending", "success")]
    fee = Decimal("23.60")  # the webhook's 2360 paise
    assert LedgerEntry.objects.filter(payment=payment, memo__startswith="Captured").count() == 2  # one capture pair
    assert ledger_balance("customer_funds") == Decimal("-1180.00")
    assert ledger_balance("gateway_receivable") == Decimal("1180.00") - fee
    assert ledger_balance("gateway_fees") == fee
    assert sweep_unprocessed_webhooks() == 0  # nothing left to requeue


def test_a_webhook_that_arrives_while_the_broker_is_down_is_acknowledged_and_swept_later(
    payer, payer_client, invoices, request, monkeypatch
):
    order_id = create_order(payer_client, invoices.add(payer, amount="1180.00")).json()["data"]["order_id"]
    body = webhook_body("payment.captured", order_id=order_id, payment_id="pay_down")

    def broker_down(*args, **kwargs):
        raise kombu.exceptions.OperationalError("Error 111 connecting to the broker. Connection refused.")

    with monkeypatch.context() as broker:
        broker.setattr(kombu.Producer, "publish", broker_down)  # the broker's client, not ours
        response = post_webhook(APIClient(raise_request_exception=False), body, event_id="evt_down")
        retried = post_webhook(APIClient(), body, event_id="evt_down")  # Razorpay tries again a moment later

    assert response.status_code == 200, response.content  # stored and committed: Razorpay must not be told 500
    assert response.json()["data"]["status"] == "received"
    assert retried.json()["data"]["status"] == "duplicate"
    webhook = PaymentWebhook.objects.get(status=WebhookStatus.RECEIVED)
    later = timezone.now() + timedelta(minutes=6)  # the clock moves on past the sweep's 5 minutes
    monkeypatch.setattr(timezone, "now", lambda: later)
    request.getfixturevalue("celery_eager")  # the broker and a worker are back

    assert sweep_unprocessed_webhooks() == 1

    webhook.refresh_from_db()
    assert webhook.status == WebhookStatus.PROCESSED
    assert Payment.objects.get().status == PaymentStatus.SUCCESS
    assert LedgerEntry.objects.filter(memo__startswith="Captured").count() == 2


def test_the_admin_reprocess_action(payer, payer_client, invoices, client):
    post_webhook(payer_client, webhook_body("payment.captured", order_id="order_later", payment_id="pay_later"))
    data = create_order(payer_client, invoices.add(payer)).json()["data"]
    Payment.objects.filter(pk=data["payment_id"]).update(gateway_order_id="order_later")
    PaymentWebhook.objects.update(status=WebhookStatus.UNKNOWN_ORDER)
    client.force_login(make_user(Role.FINANCE, email="fin@example.com"))

    response = client.post(
        "/admin/payments/paymentwebhook/",
        {"action": "reprocess", "_selected_action": [str(PaymentWebhook.objects.get().pk)]},
        follow=True,
    )

    assert response.status_code == 200
    assert PaymentWebhook.objects.get().status == WebhookStatus.PROCESSED
    assert Payment.objects.get(pk=data["payment_id"]).status == PaymentStatus.SUCCESS


def test_support_cannot_reprocess_or_edit_payments_in_the_admin(payer, payer_client, invoices, client):
    client.force_login(make_user(Role.SUPPORT, email="help@example.com"))
    payment_id = create_order(payer_client, invoices.add(payer)).json()["data"]["payment_id"]

    payments_page = client.get("/admin/payments/payment/")
    change = client.post(f"/admin/payments/payment/{payment_id}/change/", {"amount": "1.00"})
    webhooks_page = client.get("/admin/payments/paymentwebhook/")

    assert payments_page.status_code == 200
    assert change.status_code == 403
    assert webhooks_page.status_code == 403
