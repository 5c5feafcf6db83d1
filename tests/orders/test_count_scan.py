"""Seed 001 6.3's 2-hour auto-approval: the periodic scan (``orders.services.count.auto_approve_due``)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from orders.models import CountStatus, CountUpdate, Order, OrderStatus, OrderTimeline
from orders.services import count
from orders.tasks import auto_approve_counts
from tests.orders.builders import answer, seed_count, seed_order

pytestmark = pytest.mark.django_db
MICROSECOND = timedelta(microseconds=1)


def counted():
    """A placed order with the seed's count waiting for the resident; returns it and its count."""
    world = seed_order()
    assert seed_count(world).status_code == 200
    return world, CountUpdate.objects.get(order=world.order, status=CountStatus.PENDING)


def auto_entries(order) -> list[tuple[str, str]]:
    return list(
        OrderTimeline.objects.filter(order=order, message__icontains="approved").values_list("status", "message")
    )


def test_a_count_is_due_at_its_deadline_not_a_microsecond_before():
    world, pending = counted()

    assert count.auto_approve_due(now=pending.approval_deadline - MICROSECOND) == 0
    pending.refresh_from_db()
    assert pending.status == CountStatus.PENDING

    assert count.auto_approve_due(now=pending.approval_deadline) == 1

    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (CountStatus.APPROVED, None)
    order = Order.objects.get(pk=world.order.pk)
    assert (order.status, order.final_price, order.actual_item_count) == (
        OrderStatus.PICKED_UP,
        Decimal("355.00"),
        13,
    )
    assert order.count_approved_at is not None
    assert order.items.get(item_name="Shirt", service__service_key="IRONING").quantity == 7


def test_the_scan_writes_one_timeline_entry_saying_it_approved_automatically():
    world, pending = counted()

    count.auto_approve_due(now=pending.approval_deadline)

    assert auto_entries(world.order) == [("PICKED_UP", "Count approved automatically: no answer within 2 hours")]


def test_a_second_run_approves_nothing():
    world, pending = counted()
    later = pending.approval_deadline + timedelta(minutes=5)

    assert count.auto_approve_due(now=later) == 1
    assert count.auto_approve_due(now=later) == 0

    assert len(auto_entries(world.order)) == 1
    assert CountUpdate.objects.get(order=world.order).status == CountStatus.APPROVED


def test_a_questioned_count_is_never_approved_by_the_scan():
    world, pending = counted()
    assert answer(world, "QUESTION", message="Only 5 shirts").status_code == 200

    assert count.auto_approve_due(now=pending.approval_deadline + timedelta(days=3)) == 0

    pending.refresh_from_db()
    assert pending.status == CountStatus.QUESTIONED
    assert Order.objects.get(pk=world.order.pk).status == OrderStatus.COUNT_APPROVAL_PENDING
    assert auto_entries(world.order) == []


def test_only_due_counts_are_approved_and_the_task_runs_the_scan():
    due, due_count = counted()
    waiting, _ = counted()
    CountUpdate.objects.filter(pk=due_count.pk).update(
        approval_deadline=due_count.approval_deadline - timedelta(hours=3)
    )

    assert auto_approve_counts.apply().get() == 1

    assert Order.objects.get(pk=due.order.pk).status == OrderStatus.PICKED_UP
    assert Order.objects.get(pk=waiting.order.pk).status == OrderStatus.COUNT_APPROVAL_PENDING
