"""A committed payment change always reaches its payable, exactly once, even when the payable's callback fails.

Through the payments layer's own fake payable (tests/payments/conftest.py): the
adapter raises on its first call, as a booking adapter would on a lock timeout
or a bug; the payment stays captured and the payable hears the change on the
retry (the worker's task) or from the sweep when the task was lost.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from payments import tasks
from payments.models import Payment, PaymentStatus, RefundType
from payments.services.payable_sync import lagging_payments, payable_sync
from payments.services.refunds import refund_create
from tests.payments.conftest import create_order

pytestmark = pytest.mark.django_db(transaction=True)


class Flaky(Exception):
    pass


@pytest.fixture
def fails_once(invoices, monkeypatch):
    """The invoices adapter raises on its first call, then works."""
    calls = {"n": 0}
    original = type(invoices).on_payment_event

    def on_payment_event(self, event):
        calls["n"] += 1
        if calls["n"] == 1:
            raise Flaky("the payable's callback failed")
        original(self, event)

    monkeypatch.setattr(type(invoices), "on_payment_event", on_payment_event)
    return calls


def pay(client, order_id):
    result = client.post(
        "/api/v1/payments/offline/checkout", {"order_id": order_id, "outcome": "success"}, format="json"
    ).json()["data"]
    return client.post(
        "/api/v1/payments/verify",
        {k: result[k] for k in ("razorpay_order_id", "razorpay_payment_id", "razorpay_signature")},
        format="json",
    )


def test_a_capture_is_acknowledged_by_the_payable_in_the_same_request(payer, payer_client, invoices):
    invoice = invoices.add(payer)
    order_id = create_order(payer_client, invoice).json()["data"]["order_id"]

    assert pay(payer_client, order_id).status_code == 200

    payment = Payment.objects.get(gateway_order_id=order_id)
    assert invoices.events_for(invoice.id) == [("pending", "success")]
    assert (payment.event_version, payment.payable_version, payment.payable_status) == (1, 1, "success")
    assert lagging_payments(older_than=timedelta(0)) == []


def test_a_failed_callback_is_retried_by_the_worker_and_heard_once(
    payer, payer_client, invoices, fails_once, celery_eager
):
    invoice = invoices.add(payer)
    order_id = create_order(payer_client, invoice).json()["data"]["order_id"]

    response = pay(payer_client, order_id)

    assert response.status_code == 200, response.json()  # the capture stands: the payment is success
    payment = Payment.objects.get(gateway_order_id=order_id)
    assert payment.status == PaymentStatus.SUCCESS
    assert fails_once["n"] == 2  # the inline call failed; the queued retry (eager here) succeeded
    assert invoices.events_for(invoice.id) == [("pending", "success")]
    assert payment.payable_version == payment.event_version == 1


def test_a_lost_retry_is_found_by_the_sweep_and_heard_once(
    payer, payer_client, invoices, fails_once, monkeypatch, celery_eager
):
    invoice = invoices.add(payer)
    order_id = create_order(payer_client, invoice).json()["data"]["order_id"]
    lost = []
    monkeypatch.setattr("payments.services.payable_sync.enqueue", lambda *args, **kwargs: lost.append(args))

    assert pay(payer_client, order_id).status_code == 200

    payment = Payment.objects.get(gateway_order_id=order_id)
    assert lost == [("payments.tasks.sync_payable", str(payment.pk))]  # the broker never ran it
    assert invoices.events_for(invoice.id) == []
    assert lagging_payments() == []  # too fresh: the inline call or its retry may still be at work
    Payment.objects.filter(pk=payment.pk).update(updated_at=timezone.now() - timedelta(minutes=3))
    assert lagging_payments() == [str(payment.pk)]

    assert tasks.sweep_lagging_payables.apply().get() == 1

    assert invoices.events_for(invoice.id) == [("pending", "success")]
    assert lagging_payments(older_than=timedelta(0)) == []
    assert payable_sync(payment_pk=payment.pk) is False  # nothing left to tell: never twice


def test_changes_that_commit_before_a_retry_are_told_as_one(payer, payer_client, invoices, fails_once, monkeypatch):
    invoice = invoices.add(payer)
    order_id = create_order(payer_client, invoice).json()["data"]["order_id"]
    monkeypatch.setattr("payments.services.payable_sync.enqueue", lambda *args, **kwargs: None)
    assert pay(payer_client, order_id).status_code == 200  # the payable missed "success"
    payment = Payment.objects.get(gateway_order_id=order_id)

    refund = refund_create(payment_pk=payment.pk, refund_type=RefundType.FULL, reason="test")

    assert refund.status == "processed"  # the offline gateway refunds at once
    assert invoices.events_for(invoice.id) == [("pending", "refunded")]
    payment.refresh_from_db()
    assert (payment.payable_status, payment.payable_version) == ("refunded", payment.event_version)


def test_a_failed_callback_with_the_broker_down_still_answers_and_leaves_it_to_the_sweep(
    payer, payer_client, invoices, fails_once, monkeypatch
):
    invoice = invoices.add(payer)
    order_id = create_order(payer_client, invoice).json()["data"]["order_id"]

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr("payments.services.payable_sync.enqueue", broker_down)

    response = pay(payer_client, order_id)

    assert response.status_code == 200, response.json()  # the capture is committed and answered
    payment = Payment.objects.get(gateway_order_id=order_id)
    Payment.objects.filter(pk=payment.pk).update(updated_at=timezone.now() - timedelta(minutes=3))
    assert lagging_payments() == [str(payment.pk)]
