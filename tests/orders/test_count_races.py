"""The count's races on PostgreSQL with real threads: a resident's APPROVE against the 2-hour scan, and two
scans at once. Each count is approved exactly once: one approved count, one timeline entry, one
``count_approved_at``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import DomainError
from orders.models import CountStatus, CountUpdate, Order, OrderStatus, OrderTimeline
from orders.services import count
from tests.accounts.test_concurrency import run_together
from tests.orders.builders import seed_count, seed_order

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 3


def overdue():
    """A placed order whose seed count passed its deadline a minute ago."""
    world = seed_order()
    assert seed_count(world).status_code == 200
    CountUpdate.objects.filter(order=world.order).update(approval_deadline=timezone.now() - timedelta(minutes=1))
    return world


def approved_once(order_id) -> None:
    order = Order.objects.get(pk=order_id)
    assert order.status == OrderStatus.PICKED_UP
    assert order.count_approved_at is not None
    assert CountUpdate.objects.filter(order=order, status=CountStatus.APPROVED).count() == 1
    assert not CountUpdate.objects.filter(order=order, status__in=[CountStatus.PENDING, CountStatus.QUESTIONED])
    assert OrderTimeline.objects.filter(order=order, message__icontains="approved").count() == 1
    assert OrderTimeline.objects.filter(order=order, status=OrderStatus.PICKED_UP).count() == 1


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_a_resident_approving_while_the_scan_runs_gives_one_approval(round_):
    world = overdue()

    def act(index):
        if index == 0:
            try:
                count.count_answer(user=world.resident, order_id=world.order.pk, action=count.APPROVE)
            except DomainError as error:
                return ("resident refused", error.code.value)
            return ("resident approved", None)
        return ("scan approved", count.auto_approve_due())

    resident, scan = run_together(2, act)

    assert (resident, scan) in {
        (("resident approved", None), ("scan approved", 0)),
        (("resident refused", "INVALID_ORDER_STATUS"), ("scan approved", 1)),
    }
    approved_once(world.order.pk)
    decided_by = CountUpdate.objects.get(order=world.order).decided_by_id
    assert decided_by == (world.resident.pk if resident[0] == "resident approved" else None)


def test_two_scans_at_once_approve_each_count_once():
    worlds = [overdue() for _ in range(3)]

    results = run_together(2, lambda _: count.auto_approve_due())

    assert sum(results) == 3
    for world in worlds:
        approved_once(world.order.pk)
