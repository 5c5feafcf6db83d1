"""The hourly auto-close (seed 001 section 8): PAYMENT_RECEIVED orders with ``auto_close_at < now`` (strict)
and no OPEN dispute become CLOSED, once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from notifications.models import Notification
from orders.models import DisputeReason, Order, OrderDispute, OrderStatus, OrderTimeline
from orders.services.payment import auto_close_due
from orders.tasks import auto_close_orders
from payments.models import Payment, PaymentStatus
from payments.services.ledger import ledger_trial_balance
from tests.orders.builders import delivered, dispute, mark

pytestmark = pytest.mark.django_db


def marked():
    world = delivered()
    assert mark(world).status_code == 200
    world.order.refresh_from_db()
    return world


def test_an_order_is_not_closed_at_auto_close_at_itself():
    world = marked()

    assert auto_close_due(now=world.order.auto_close_at) == 0

    assert Order.objects.get(pk=world.order.pk).status == OrderStatus.PAYMENT_RECEIVED


def test_an_order_past_auto_close_at_is_closed_with_its_record_settled():
    world = marked()

    closed = auto_close_due(now=world.order.auto_close_at + timedelta(microseconds=1))

    assert closed == 1
    order = Order.objects.get(pk=world.order.pk)
    assert order.status == OrderStatus.CLOSED
    assert order.closed_at is not None
    entry = OrderTimeline.objects.get(order=order, status="CLOSED")
    assert entry.message == "Closed automatically 48 hours after payment"
    assert Payment.objects.get(payable_id=str(order.pk)).status == PaymentStatus.SUCCESS
    for person in (world.resident, world.vendor.user):
        assert Notification.objects.filter(user=person, event_type="society_order_closed").count() == 1
    assert ledger_trial_balance() == Decimal("0.00")


def test_a_second_run_closes_nothing():
    world = marked()
    later = world.order.auto_close_at + timedelta(hours=1)
    auto_close_due(now=later)

    assert auto_close_due(now=later) == 0

    assert OrderTimeline.objects.filter(order=world.order, status="CLOSED").count() == 1
    assert Notification.objects.filter(user=world.resident, event_type="society_order_closed").count() == 1


def test_a_disputed_order_is_frozen():
    world = marked()
    assert dispute(world).status_code == 201

    assert auto_close_due(now=world.order.auto_close_at + timedelta(days=30)) == 0

    assert Order.objects.get(pk=world.order.pk).status == OrderStatus.DISPUTED
    assert Payment.objects.get(payable_id=str(world.order.pk)).status == PaymentStatus.PENDING


def test_an_open_dispute_blocks_the_close_whatever_the_orders_status_says():
    """The seed's ``NOT EXISTS (... status = 'OPEN')``, beside the status check."""
    world = marked()
    OrderDispute.objects.create(
        order=world.order,
        reason=DisputeReason.OTHER,
        raised_by=world.resident,
        raised_at=timezone.now(),
    )

    assert auto_close_due(now=world.order.auto_close_at + timedelta(hours=1)) == 0

    assert Order.objects.get(pk=world.order.pk).status == OrderStatus.PAYMENT_RECEIVED


def test_only_due_orders_are_closed():
    due, waiting = marked(), marked()
    Order.objects.filter(pk=due.order.pk).update(auto_close_at=timezone.now() - timedelta(minutes=1))

    assert auto_close_due() == 1

    assert Order.objects.get(pk=due.order.pk).status == OrderStatus.CLOSED
    assert Order.objects.get(pk=waiting.order.pk).status == OrderStatus.PAYMENT_RECEIVED


def test_the_hourly_task_runs_the_scan_with_the_current_time():
    world = marked()
    Order.objects.filter(pk=world.order.pk).update(auto_close_at=timezone.now() - timedelta(seconds=1))

    assert auto_close_orders() == 1

    assert Order.objects.get(pk=world.order.pk).status == OrderStatus.CLOSED
