"""The payment races, with real threads on PostgreSQL (each thread its own connection)."""

import threading
import time
import uuid
from collections import Counter

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from accounts.roles import Role
from payments.gateways import get_gateway
from payments.models import LedgerEntry, Payment, PaymentStatus, PaymentWebhook, Refund, WebhookStatus
from tests.accounts.helpers import assert_error
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


def paid_payment(invoices, amount="1000.00"):
    """A payment of ``amount`` paid through the offline gateway and verified, for a payer of its own (the order
    rate limit is per user)."""
    payer = make_user()
    payer_client = client_for(payer)
    data = create_order(payer_client, invoices.add(payer, amount=amount)).json()["data"]
    paid = get_gateway().simulate_checkout(data["order_id"])
    verified = payer_client.post(
        "/api/v1/payments/verify",
        {k: paid[k] for k in ("razorpay_order_id", "razorpay_payment_id", "razorpay_signature")},
        format="json",
    )
    assert verified.json()["data"]["payment_status"] == "success", verified.content
    return data["payment_id"]


def refund_request(client, payment_id, amount="600.00"):
    return client.post(
        "/api/v1/payments/refund",
        {"payment_id": payment_id, "refund_type": "partial", "amount": amount},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )


def test_refunds_that_together_exceed_the_payment_one_succeeds(invoices):
    finance = make_user(Role.FINANCE, email="finance@example.com")
    rounds, threads = 5, 3

    for _ in range(rounds):
        payment_id = paid_payment(invoices, "1000.00")
        clients = [client_for(finance) for _ in range(threads)]  # signed in before the barrier

        responses = run_together(threads, lambda i, c=clients, p=payment_id: refund_request(c[i], p))

        assert sorted(r.status_code for r in responses) == [201, 422, 422], [r.content for r in responses]
        for refused in (r for r in responses if r.status_code == 422):
            assert_error(refused, 422, "REFUND_EXCEEDS_REFUNDABLE", "amount")
        assert Refund.objects.filter(payment_id=payment_id).count() == 1
        assert Refund.objects.get(payment_id=payment_id).status == "processed"
        assert Payment.objects.get(pk=payment_id).amount_refunded == 600


def test_a_refund_waits_for_the_payment_row_lock(invoices):
    payment_id = paid_payment(invoices, "1000.00")
    finance = client_for(make_user(Role.FINANCE, email="finance@example.com"))
    locked, release = threading.Event(), threading.Event()
    outcome = {}

    def hold_the_payment():
        try:
            with transaction.atomic():
                Payment.objects.select_for_update().get(pk=payment_id)
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    outcome["holder_pid"] = cursor.fetchone()[0]
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    def refund():
        try:
            outcome["response"] = refund_request(finance, payment_id)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_payment)
    holder.start()
    assert locked.wait(timeout=10)
    refunding = threading.Thread(target=refund)
    refunding.start()
    # until the request is seen waiting for the holder's lock, or has finished (at most 10 s)
    deadline = time.monotonic() + 10
    while refunding.is_alive() and not blocked_by(outcome["holder_pid"]) and time.monotonic() < deadline:
        time.sleep(0.05)  # polling PostgreSQL's view (a timed join would never time out under libfaketime)
    waiting = refunding.is_alive()
    blocked_by_the_holder = blocked_by(outcome["holder_pid"])
    no_refund_yet = not Refund.objects.exists()
    release.set()
    holder.join(timeout=10)
    refunding.join(timeout=30)

    assert waiting  # still inside the request while the payment row is held
    assert no_refund_yet
    # It waits at the refund's first read of the payment (SELECT ... FOR UPDATE). Without that lock it would
    # still wait, but later: at COMMIT, where the new refund's foreign key needs a share lock on the payment.
    assert len(blocked_by_the_holder) == 1
    assert blocked_by_the_holder[0].startswith('SELECT "payments_payment"."created_at"')
    assert not refunding.is_alive()
    response = outcome["response"]
    assert response.status_code == 201, response.content
    assert response.json()["data"]["status"] == "processed"
    assert Payment.objects.get(pk=payment_id).amount_refunded == 600


def blocked_by(holder_pid: int) -> list[str]:
    """The queries of the other connections waiting for a lock that connection ``holder_pid`` holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT query FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid)) AND wait_event_type = 'Lock'",
            [holder_pid],
        )
        return [query for (query,) in cursor.fetchall()]
