"""The V2 in-app payment of a society order, end to end with the offline gateway: the resident pays a
delivered order through Checkout (or a signed webhook reports the capture) and the order closes at once; a
capture that arrives after the order was paid another way is refunded, never counted twice."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest

from notifications.models import Notification
from orders import tasks
from orders.models import Order, OrderStatus, OrderTimeline
from orders.payable import ORDER_PAYABLE, VENDOR_COLLECTED
from orders.services.payment import auto_close_due
from payments.gateways import get_gateway
from payments.models import Payment, PaymentKind, PaymentStatus, Refund, RefundStatus
from payments.services.ledger import ledger_balance, ledger_trial_balance
from tests.accounts.helpers import assert_error
from tests.conftest import client_for
from tests.orders.builders import checkout, delivered, mark
from tests.payments.conftest import post_webhook, webhook_body

pytestmark = pytest.mark.django_db(transaction=True)


def pay(world, key=None, user=None):
    return client_for(user or world.resident).post(
        world.url("pay"), format="json", HTTP_X_IDEMPOTENCY_KEY=key or str(uuid.uuid4())
    )


def test_the_resident_pays_in_the_app_and_the_order_closes_at_once():
    world = delivered()

    started = pay(world)

    assert started.status_code == 201, started.content
    data = started.json()["data"]
    assert data["amount"] == 35500
    assert data["currency"] == "INR"
    assert data["key"]
    assert data["society_order_id"] == str(world.order.pk)
    assert data["order_number"] == world.order.order_number
    assert data["notes"]["payable_type"] == ORDER_PAYABLE
    assert Payment.objects.get(pk=data["payment_id"]).kind == PaymentKind.FULL

    verified = checkout(world, data["razorpay_order_id"])

    assert verified.status_code == 200, verified.content
    answer = verified.json()["data"]
    assert answer["payment_status"] == "success"
    assert answer["society_order_id"] == str(world.order.pk)
    assert answer["order_status"] == "CLOSED"
    order = Order.objects.get(pk=world.order.pk)
    assert order.status == OrderStatus.CLOSED
    assert order.payment_type == "IN_APP"
    assert order.payment_method == "ONLINE"
    assert order.payment_received_at is not None
    assert order.closed_at is not None
    assert order.auto_close_at is None
    for person in (world.resident, world.vendor.user):
        assert Notification.objects.filter(user=person, event_type="society_order_closed").count() == 1
    # the capture is held by the gateway for the order, less its 2 % fee
    assert ledger_balance("customer_funds") == Decimal("-355.00")
    assert ledger_balance("gateway_receivable") == Decimal("347.90")
    assert ledger_trial_balance() == Decimal("0.00")
    status = client_for(world.resident).get(world.url("payment-status")).json()["data"]
    assert status["payment_type"] == "IN_APP"
    assert status["can_dispute"] is False


def test_a_signed_capture_webhook_closes_the_order(celery_eager):
    world = delivered()
    gateway_order_id = pay(world).json()["data"]["razorpay_order_id"]
    paid = get_gateway().simulate_checkout(gateway_order_id)  # the app never comes back to verify

    response = post_webhook(
        client_for(world.resident),
        webhook_body(
            "payment.captured",
            order_id=gateway_order_id,
            payment_id=paid["razorpay_payment_id"],
            amount_paise=35500,
            fee=710,
        ),
    )

    assert response.status_code == 200, response.content
    assert Order.objects.get(pk=world.order.pk).status == OrderStatus.CLOSED
    assert ledger_trial_balance() == Decimal("0.00")


def test_a_retry_with_the_same_key_replays_the_checkout():
    world = delivered()
    key = str(uuid.uuid4())

    first, again = pay(world, key), pay(world, key)

    assert again.status_code == 201
    assert again.content == first.content
    assert Payment.objects.filter(payable_id=str(world.order.pk)).count() == 1


def test_paying_needs_an_idempotency_key():
    world = delivered()

    response = client_for(world.resident).post(world.url("pay"), format="json")

    assert_error(response, 400, "IDEMPOTENCY_KEY_REQUIRED")


def test_paying_before_delivery_is_refused():
    world = delivered(status=OrderStatus.READY_FOR_DELIVERY)

    error = assert_error(pay(world), 422, "INVALID_ORDER_STATUS")

    assert error["details"]["context"]["current_status"] == "READY_FOR_DELIVERY"


def test_paying_an_order_the_vendor_marked_paid_is_a_conflict():
    world = delivered()
    mark(world)

    assert_error(pay(world), 409, "PAYMENT_ALREADY_CONFIRMED")


def test_only_the_resident_pays():
    world = delivered()

    assert_error(pay(world, user=world.vendor.user), 403, "FORBIDDEN")


def test_the_payments_api_takes_an_order_as_a_payable():
    world = delivered()
    client = client_for(world.resident)
    body = {"payable_type": ORDER_PAYABLE, "payable_id": str(world.order.pk)}

    created = client.post("/api/v1/payments/orders", body, format="json", HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()))

    assert created.status_code == 201, created.content
    assert created.json()["data"]["amount"] == 35500
    mark(world)
    again = client.post("/api/v1/payments/orders", body, format="json", HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    assert_error(again, 409, "PAYMENT_ALREADY_CONFIRMED")


def test_a_capture_after_the_vendor_marked_the_payment_is_refunded_and_the_order_still_closes_once(celery_eager):
    world = delivered()
    gateway_order_id = pay(world).json()["data"]["razorpay_order_id"]
    mark(world)  # the resident paid cash meanwhile

    verified = checkout(world, gateway_order_id)

    assert verified.status_code == 200, verified.content
    online = Payment.objects.get(payable_id=str(world.order.pk), kind=PaymentKind.FULL)
    assert online.status == PaymentStatus.REFUNDED
    assert Refund.objects.get(payment=online).status == RefundStatus.PROCESSED
    order = Order.objects.get(pk=world.order.pk)
    assert order.status == OrderStatus.PAYMENT_RECEIVED
    assert order.payment_type == "MANUAL"
    assert OrderTimeline.objects.filter(order=order, message__contains="refunded in full").count() == 1
    assert ledger_balance("customer_funds") == Decimal("-355.00")  # one payment counted: the vendor's
    assert ledger_balance(VENDOR_COLLECTED) == Decimal("355.00")
    assert ledger_trial_balance() == Decimal("0.00")

    assert auto_close_due(now=order.auto_close_at + timedelta(seconds=1)) == 1

    assert Order.objects.get(pk=world.order.pk).status == OrderStatus.CLOSED
    manual = Payment.objects.get(payable_id=str(world.order.pk), kind=PaymentKind.BALANCE)
    assert manual.status == PaymentStatus.SUCCESS


def test_a_capture_after_the_order_closed_by_hand_is_refunded(celery_eager):
    world = delivered()
    gateway_order_id = pay(world).json()["data"]["razorpay_order_id"]
    mark(world)
    order = Order.objects.get(pk=world.order.pk)
    auto_close_due(now=order.auto_close_at + timedelta(seconds=1))

    checkout(world, gateway_order_id)

    online = Payment.objects.get(payable_id=str(world.order.pk), kind=PaymentKind.FULL)
    assert online.status == PaymentStatus.REFUNDED
    assert Order.objects.get(pk=world.order.pk).payment_type == "MANUAL"
    assert ledger_balance("customer_funds") == Decimal("-355.00")
    assert ledger_trial_balance() == Decimal("0.00")


def test_a_late_capture_whose_refund_task_was_lost_is_refunded_by_the_hourly_run(monkeypatch):
    paid_in_app = delivered()
    checkout(paid_in_app, pay(paid_in_app).json()["data"]["razorpay_order_id"])  # the legitimate one: closed
    world = delivered()
    gateway_order_id = pay(world).json()["data"]["razorpay_order_id"]
    mark(world)
    monkeypatch.setattr("orders.payable.enqueue_on_commit", lambda *args, **kwargs: None)  # the task is lost
    checkout(world, gateway_order_id)
    online = Payment.objects.get(payable_id=str(world.order.pk), kind=PaymentKind.FULL)
    assert online.status == PaymentStatus.SUCCESS  # captured, not refunded yet

    tasks.auto_close_orders.apply()
    tasks.auto_close_orders.apply()  # a second run refunds nothing more

    online.refresh_from_db()
    assert online.status == PaymentStatus.REFUNDED
    assert Refund.objects.filter(payment=online).count() == 1
    legit = Payment.objects.get(payable_id=str(paid_in_app.order.pk), kind=PaymentKind.FULL)
    assert legit.status == PaymentStatus.SUCCESS  # the order it closed keeps it
    assert not Refund.objects.filter(payment=legit).exists()
    assert ledger_trial_balance() == Decimal("0.00")
