"""A worker killed in the middle of an auto-close run: every due order is closed once, with one timeline entry
and one notification to each of its resident and vendor, and the ledger balanced."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from notifications.models import Notification
from orders.models import Order, OrderStatus, OrderTimeline
from orders.tasks import auto_close_orders
from payments.models import Payment, PaymentStatus
from payments.services.ledger import ledger_trial_balance
from tests.crash.harness import queued_tasks, received_twice, wait_until
from tests.orders.builders import delivered, mark

TASK = "orders.tasks.auto_close_orders"


def due_orders(count):
    worlds = [delivered() for _ in range(count)]
    for world in worlds:
        assert mark(world).status_code == 200
    Order.objects.filter(pk__in=[w.order.pk for w in worlds]).update(auto_close_at=timezone.now() - timedelta(hours=1))
    return worlds


def all_closed(worlds):
    closed = Order.objects.filter(pk__in=[w.order.pk for w in worlds], status=OrderStatus.CLOSED).count()
    return TASK not in queued_tasks() and closed == len(worlds)


@pytest.mark.parametrize("kill", ["pool", "worker"], ids=["pool-process", "whole-worker"])
def test_an_auto_close_run_killed_midway_closes_each_order_once(workers, kill):
    worlds = due_orders(3)
    first = workers("autoclose", nth=2)  # the first order committed, the second inside its transaction

    auto_close_orders.delay()
    pid = first.wait_at_crash_point()
    assert Order.objects.filter(status=OrderStatus.CLOSED).count() == 1  # committed before the kill
    if kill == "pool":
        first.kill_pool_process(pid)
        finisher = first
    else:
        first.kill()
        finisher = workers()
    wait_until(lambda: all_closed(worlds), 40, "every order closed", finisher)

    for world in worlds:
        order = Order.objects.get(pk=world.order.pk)
        assert order.status == OrderStatus.CLOSED
        assert OrderTimeline.objects.filter(order=order, status="CLOSED").count() == 1
        for person in (world.resident, world.vendor.user):
            assert Notification.objects.filter(user=person, event_type="society_order_closed").count() == 1
        assert Payment.objects.get(payable_id=str(order.pk)).status == PaymentStatus.SUCCESS
    assert ledger_trial_balance() == Decimal("0.00")
    log = first.log() + (finisher.log() if finisher is not first else "")
    assert received_twice(log, TASK), log  # the message came back and ran again
