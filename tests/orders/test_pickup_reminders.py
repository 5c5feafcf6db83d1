"""The pickup reminder scan: 30 minutes before a scheduled pickup, once, to the resident and the vendor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from orders.models import Order, OrderStatus
from orders.services.reminders import send_pickup_reminders
from orders.tasks import send_pickup_reminders as send_pickup_reminders_task
from tests.accounts.test_concurrency import run_together
from tests.orders.helpers import neighbourhood, placed

EVENT = "society_order_pickup_reminder"


def due_at(order: Order, pickup) -> Order:
    """The order with its pickup moved to ``pickup`` (orders are placed with a pickup in the future)."""
    Order.objects.filter(pk=order.pk).update(pickup_datetime=pickup)
    order.refresh_from_db()
    return order


def reminded(order: Order) -> list[str]:
    """Who was reminded of ``order`` (one entry per notification)."""
    rows = Notification.objects.filter(event_type=EVENT, data__order_id=str(order.pk))
    return sorted(str(user_id) for user_id in rows.values_list("user_id", flat=True))


def people(order: Order) -> list[str]:
    return sorted([str(order.residence.user_id), str(order.partner.user_id)])


@pytest.fixture
def order():
    society, resident, partner = neighbourhood()
    return placed(society, resident, partner)


@pytest.mark.django_db
def test_a_pickup_due_in_30_minutes_reminds_the_resident_and_the_vendor(order):
    now = timezone.now()
    due_at(order, now + timedelta(minutes=20))

    assert send_pickup_reminders(now=now) == 1

    order.refresh_from_db()
    assert order.pickup_reminder_sent_at == now
    assert reminded(order) == people(order)
    message = Notification.objects.filter(event_type=EVENT, user_id=order.residence.user_id).get()
    assert order.order_number in message.message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("pickup_in", "sent"),
    [
        (timedelta(minutes=30), 1),  # pickup - 30 min == now: due
        (timedelta(minutes=30, microseconds=1), 0),  # not yet
        (timedelta(microseconds=1), 1),  # about to start
        (timedelta(0), 0),  # pickup == now: too late for "in 30 minutes"
        (-timedelta(minutes=5), 0),  # missed
    ],
)
def test_the_window_is_pickup_minus_30_minutes_up_to_the_pickup(order, pickup_in, sent):
    now = timezone.now()
    due_at(order, now + pickup_in)

    assert send_pickup_reminders(now=now) == sent

    order.refresh_from_db()
    assert (order.pickup_reminder_sent_at is not None) == bool(sent)
    assert len(reminded(order)) == 2 * sent


@pytest.mark.django_db
def test_a_second_run_reminds_nobody_again(order):
    now = timezone.now()
    due_at(order, now + timedelta(minutes=25))
    assert send_pickup_reminders(now=now) == 1

    assert send_pickup_reminders(now=now + timedelta(minutes=5)) == 0
    assert send_pickup_reminders(now=now + timedelta(minutes=10)) == 0
    assert len(reminded(order)) == 2


@pytest.mark.django_db
@pytest.mark.parametrize("moved", [OrderStatus.CANCELLED, OrderStatus.PICKUP_IN_PROGRESS])
def test_only_orders_still_waiting_for_their_pickup_are_reminded(order, moved):
    now = timezone.now()
    due_at(order, now + timedelta(minutes=10))
    Order.objects.filter(pk=order.pk).update(status=moved)

    assert send_pickup_reminders(now=now) == 0
    assert reminded(order) == []


@pytest.mark.django_db
def test_the_task_takes_no_arguments_and_uses_the_clock(order):
    due_at(order, timezone.now() + timedelta(minutes=29))

    assert send_pickup_reminders_task() == 1
    assert send_pickup_reminders_task() == 0


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_remind_each_order_once():
    society, resident, partner = neighbourhood()
    now = timezone.now()
    orders = [due_at(placed(society, resident, partner), now + timedelta(minutes=10 + i)) for i in range(6)]

    for round_ in range(3):
        Order.objects.filter(pk__in=[o.pk for o in orders]).update(pickup_reminder_sent_at=None)
        Notification.objects.filter(event_type=EVENT).delete()

        counts = run_together(2, lambda _i: send_pickup_reminders(now=now))

        assert sum(counts) == 6, (round_, counts)
        assert all(reminded(o) == people(o) for o in orders), round_
        assert not Order.objects.filter(pk__in=[o.pk for o in orders], pickup_reminder_sent_at__isnull=True).exists()
