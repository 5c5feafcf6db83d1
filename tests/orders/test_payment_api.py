"""Seed 001 8.1-8.2 through the API: the vendor marks a delivered order's payment received, and anyone who
may see the order reads its payment status, on ``tests.orders.builders.delivered()``."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from notifications.models import Notification
from orders.models import Order, OrderStatus, OrderTimeline
from orders.payable import ORDER_PAYABLE, VENDOR_COLLECTED
from payments.models import LedgerEntry, Payment, PaymentGatewayName, PaymentKind, PaymentStatus
from payments.services.ledger import ledger_balance, ledger_trial_balance
from tests.accounts.helpers import assert_error
from tests.conftest import client_for
from tests.orders.builders import delivered, mark
from tests.orders.helpers import living_in, serving
from tests.societies.helpers import apartment, society_admin

pytestmark = pytest.mark.django_db


def test_the_vendor_marks_a_delivered_orders_payment_received():
    world = delivered()

    response = mark(world)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["message"] == "Payment confirmed. Order will auto-close in 48 hours."
    data = body["data"]
    order = Order.objects.get(pk=world.order.pk)
    assert order.status == OrderStatus.PAYMENT_RECEIVED
    assert order.payment_type == "MANUAL"
    assert order.payment_method == "CASH"
    assert order.payment_notes == "Paid ₹355 in cash on delivery"
    assert order.auto_close_at == order.payment_received_at + timedelta(hours=48)
    assert data == {
        "order_id": str(order.pk),
        "order_number": order.order_number,
        "status": "PAYMENT_RECEIVED",
        "payment_type": "MANUAL",
        "payment_method": "CASH",
        "payment_received_at": timezone.localtime(order.payment_received_at).isoformat(),
        "auto_close_at": timezone.localtime(order.auto_close_at).isoformat(),
        "grace_period_hours": 48,
        "final_price": 355.0,
        "next_steps": {
            "message": "Order will automatically close after 48 hours if no disputes are raised.",
            "can_be_disputed": True,
            "dispute_deadline": timezone.localtime(order.auto_close_at).isoformat(),
        },
    }
    assert OrderTimeline.objects.filter(order=order, status="PAYMENT_RECEIVED").count() == 1
    told = Notification.objects.get(user=world.resident, event_type="society_order_payment_marked")
    assert "₹355.00 by CASH" in told.message


def test_the_mark_records_a_payment_and_one_ledger_pair_held_by_the_vendor():
    world = delivered()

    mark(world, payment_method="UPI")

    payment = Payment.objects.get(payable_type=ORDER_PAYABLE, payable_id=str(world.order.pk))
    assert payment.amount == Decimal("355.00")
    assert payment.gateway == PaymentGatewayName.CASH
    assert payment.method == "upi"
    assert payment.kind == PaymentKind.BALANCE
    assert payment.status == PaymentStatus.PENDING  # the vendor's word, open to dispute until the order closes
    assert payment.user == world.resident
    assert payment.recorded_by == world.vendor.user
    entries = LedgerEntry.objects.filter(payment=payment)
    assert sorted((e.account.code, e.amount) for e in entries) == [
        ("customer_funds", Decimal("-355.00")),
        (VENDOR_COLLECTED, Decimal("355.00")),
    ]
    assert ledger_balance("cash_on_hand") == Decimal("0.00")  # the platform holds none of it
    assert ledger_trial_balance() == Decimal("0.00")


def test_an_amount_equal_to_the_final_price_is_accepted():
    world = delivered()

    assert mark(world, amount="355.00").status_code == 200


def test_a_wrong_amount_is_refused():
    world = delivered()

    assert_error(mark(world, amount="350.00"), 422, "INVALID_PAYMENT_AMOUNT", "amount")
    assert Order.objects.get(pk=world.order.pk).status == OrderStatus.DELIVERED
    assert not Payment.objects.filter(payable_id=str(world.order.pk)).exists()


def test_marking_before_delivery_names_the_current_status():
    world = delivered(status=OrderStatus.PROCESSING_IN_PROGRESS)

    error = assert_error(mark(world), 422, "INVALID_ORDER_STATUS")

    assert error["message"] == "Payment can only be marked for orders with status DELIVERED"
    assert error["details"]["context"]["current_status"] == "PROCESSING_IN_PROGRESS"


def test_a_second_mark_is_a_conflict():
    world = delivered()
    mark(world)

    assert_error(mark(world, payment_method="UPI"), 409, "PAYMENT_ALREADY_CONFIRMED")

    assert Payment.objects.filter(payable_id=str(world.order.pk)).count() == 1
    assert LedgerEntry.objects.filter(payable_id=str(world.order.pk)).count() == 2


def test_another_vendor_of_the_same_society_may_not_mark():
    world = delivered()
    other = serving(world.society, "Other Laundry")

    assert_error(mark(world, other.user), 403, "UNAUTHORIZED_VENDOR")


def test_the_resident_may_not_mark():
    world = delivered()

    assert_error(mark(world, world.resident), 403, "UNAUTHORIZED_VENDOR")


def test_an_unknown_payment_method_is_refused():
    world = delivered()

    assert_error(mark(world, payment_method="ONLINE"), 422, "VALIDATION_ERROR", "payment_method")


@pytest.mark.parametrize(
    ("method", "action"), [("post", "mark-payment-received"), ("get", "payment-status"), ("post", "dispute-payment")]
)
def test_an_unknown_order_is_not_found(method, action):
    world = delivered()
    url = f"/api/v1/orders/00000000-0000-4000-8000-000000000000/{action}"
    body = {"payment_method": "CASH", "dispute_reason": "PAYMENT_NOT_MADE"}

    response = getattr(client_for(world.resident), method)(url, body, format="json")

    assert_error(response, 404, "ORDER_NOT_FOUND")


def test_status_while_delivered_awaits_the_vendor():
    world = delivered()

    response = client_for(world.resident).get(world.url("payment-status"))

    assert response.status_code == 200, response.content
    assert response.json()["data"] == {
        "order_id": str(world.order.pk),
        "order_number": world.order.order_number,
        "order_status": "DELIVERED",
        "payment_type": "MANUAL",
        "payment_method": None,
        "payment_received_at": None,
        "final_price": 355.0,
        "message": "Awaiting vendor payment confirmation",
    }


def test_status_before_delivery_has_no_final_price():
    world = delivered(status=OrderStatus.PICKED_UP)

    data = client_for(world.resident).get(world.url("payment-status")).json()["data"]

    assert data["final_price"] is None
    assert data["message"] == "Payment is due once the order is delivered"


def test_status_after_the_mark_counts_whole_hours_down(clock_held):
    world = delivered()
    mark(world)
    Order.objects.filter(pk=world.order.pk).update(auto_close_at=clock_held + timedelta(hours=47, minutes=30))

    data = client_for(world.resident).get(world.url("payment-status")).json()["data"]

    order = Order.objects.get(pk=world.order.pk)
    assert data == {
        "order_id": str(order.pk),
        "order_number": order.order_number,
        "order_status": "PAYMENT_RECEIVED",
        "payment_type": "MANUAL",
        "payment_method": "CASH",
        "payment_received_at": timezone.localtime(order.payment_received_at).isoformat(),
        "payment_notes": "Paid ₹355 in cash on delivery",
        "auto_close_at": timezone.localtime(order.auto_close_at).isoformat(),
        "hours_until_auto_close": 47,  # floor of 47.5
        "can_dispute": True,
        "final_price": 355.0,
    }


def test_status_once_due_but_not_yet_closed_cannot_be_disputed(clock_held):
    world = delivered()
    mark(world)
    Order.objects.filter(pk=world.order.pk).update(auto_close_at=clock_held)

    data = client_for(world.vendor.user).get(world.url("payment-status")).json()["data"]

    assert data["hours_until_auto_close"] == 0
    assert data["can_dispute"] is False


@pytest.mark.parametrize("status", [OrderStatus.DISPUTED, OrderStatus.CLOSED])
def test_status_when_disputed_or_closed_keeps_the_keys_and_cannot_be_disputed(status):
    world = delivered()
    mark(world)
    Order.objects.filter(pk=world.order.pk).update(status=status)

    data = client_for(world.resident).get(world.url("payment-status")).json()["data"]

    assert data["order_status"] == status
    assert data["can_dispute"] is False
    assert data["hours_until_auto_close"] is None
    assert data["payment_method"] == "CASH"
    assert data["auto_close_at"]


def test_the_societys_admin_reads_the_status_and_others_get_not_found():
    world = delivered()
    stranger = living_in(world.society, "A-002")
    elsewhere = society_admin(apartment(towers=1, floors=1, flats=1))

    assert client_for(society_admin(world.society)).get(world.url("payment-status")).status_code == 200
    assert_error(client_for(stranger).get(world.url("payment-status")), 404, "ORDER_NOT_FOUND")
    assert_error(client_for(elsewhere).get(world.url("payment-status")), 404, "ORDER_NOT_FOUND")
