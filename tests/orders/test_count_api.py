"""Seed 001 6.3-6.4 through the API: the vendor updates an order's count (only the changed lines), the
resident approves or questions it, on ``tests.orders.builders.seed_order()``, the seed's 11-item order."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from notifications.models import Notification
from orders.models import CountStatus, CountUpdate, Order, OrderService, OrderStatus, OrderTimeline, RateCard
from orders.services import count
from tests.accounts.helpers import assert_error
from tests.conftest import client_for
from tests.orders.builders import SeedOrder, answer, seed_count, seed_order, update
from tests.orders.helpers import serving
from tests.societies.helpers import apartment, society_admin

pytestmark = pytest.mark.django_db


def items_of(order: Order) -> list[tuple[str, str, int, Decimal]]:
    return [(i.service.service_key, i.item_name, i.quantity, i.total_price) for i in order.items.order_by("pk")]


def test_the_seed_example_lists_only_changed_lines_then_the_resident_approves(clock_held):
    world = seed_order()

    response = seed_count(world)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["message"] == "Count updated. Awaiting resident approval"
    data = body["data"]
    assert data["order_id"] == str(world.order.pk)
    assert data["status"] == "COUNT_APPROVAL_PENDING"
    assert data["count_comparison"] == {
        "original": {"total_items": 11, "total_amount": 335.0},
        "updated": {"total_items": 13, "total_amount": 355.0},
        "difference": {"items": 2, "amount": 20.0},
    }
    assert data["approval_deadline"] == timezone.localtime(clock_held + timedelta(hours=2)).isoformat()
    assert data["auto_approve_in"] == "2 hours"
    assert data["notification_sent"] is True
    told = Notification.objects.get(user=world.resident, event_type="society_order_count_updated")
    assert "13 items (₹355.00)" in told.message
    order = Order.objects.get(pk=world.order.pk)
    assert order.status == OrderStatus.COUNT_APPROVAL_PENDING
    assert order.final_price is None
    assert items_of(order)[0] == ("IRONING", "Shirt", 5, Decimal("50.00"))  # lines change only on approval

    approved = answer(world)

    assert approved.status_code == 200, approved.content
    assert approved.json()["message"] == "Count approved. Order proceeding"
    assert approved.json()["data"] == {
        "order_id": str(world.order.pk),
        "status": "PICKED_UP",
        "action": "APPROVE",
        "final_price": 355.0,
        "actual_item_count": 13,
        "count_approved_at": timezone.localtime(clock_held).isoformat(),
    }
    order.refresh_from_db()
    assert (order.status, order.final_price, order.actual_item_count) == ("PICKED_UP", Decimal("355.00"), 13)
    assert items_of(order) == [
        ("IRONING", "Shirt", 7, Decimal("70.00")),
        ("WASHING_IRONING", "Shirt", 3, Decimal("75.00")),
        ("WASHING_IRONING", "Trousers", 2, Decimal("60.00")),
        ("DRY_CLEANING", "Suit", 1, Decimal("150.00")),
    ]
    decided = CountUpdate.objects.get(order=order)
    assert (decided.status, decided.decided_by) == (CountStatus.APPROVED, world.resident)
    assert Notification.objects.filter(user=world.vendor.user, event_type="society_order_count_approved").exists()
    assert list(OrderTimeline.objects.filter(order=order).values_list("status", "message"))[-2:] == [
        ("COUNT_APPROVAL_PENDING", "Count updated: 13 items, ₹355.00. Awaiting resident approval"),
        ("PICKED_UP", "Count approved by the resident"),
    ]
    detail = client_for(world.resident).get(f"/api/v1/orders/{order.pk}").json()["data"]["order"]
    assert detail["pricing"]["final_price"] == 355.0
    assert detail["pricing"]["actual_item_count"] == 13


def test_quantity_zero_removes_a_line_and_a_new_item_is_added_at_the_published_price():
    world = seed_order()
    RateCard.objects.filter(partner=world.vendor).update(is_published=False)  # a draft edit: snapshot still rules
    lines = [world.line("WASHING_IRONING", "Trousers", 0), world.line("IRONING", "Trousers", 4)]

    response = update(world, lines)

    assert response.status_code == 200, response.content
    assert response.json()["data"]["count_comparison"]["updated"] == {"total_items": 13, "total_amount": 323.0}
    assert answer(world).status_code == 200
    order = Order.objects.get(pk=world.order.pk)
    assert items_of(order) == [
        ("IRONING", "Shirt", 5, Decimal("50.00")),
        ("WASHING_IRONING", "Shirt", 3, Decimal("75.00")),
        ("DRY_CLEANING", "Suit", 1, Decimal("150.00")),
        ("IRONING", "Trousers", 4, Decimal("48.00")),
    ]
    added = order.items.get(item_name="Trousers")
    assert (added.unit_price, added.delivery_days) == (Decimal("12.00"), 1)
    assert (order.final_price, order.actual_item_count) == (Decimal("323.00"), 13)


def test_removing_a_whole_service_drops_its_workflow_and_shortens_the_delivery_date():
    world = seed_order()
    pickup_day = timezone.localdate(world.order.pickup_datetime)
    assert world.order.expected_delivery_date == pickup_day + timedelta(days=5)

    assert update(world, [world.line("DRY_CLEANING", "Suit", 0)]).status_code == 200
    assert answer(world).status_code == 200

    order = Order.objects.get(pk=world.order.pk)
    assert order.expected_delivery_date == pickup_day + timedelta(days=2)
    keys = set(OrderService.objects.filter(order=order).values_list("service__service_key", flat=True))
    assert keys == {"IRONING", "WASHING_IRONING"}
    assert (order.final_price, order.actual_item_count) == (Decimal("185.00"), 10)


def test_a_count_that_changes_nothing_is_approved_at_once():
    world = seed_order()

    response = update(world, [world.line("IRONING", "Shirt", 5)])

    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Count matches the order. Order proceeding"
    data = response.json()["data"]
    assert (data["status"], data["approval_deadline"], data["auto_approve_in"]) == ("PICKED_UP", None, None)
    assert data["notification_sent"] is False
    assert data["count_comparison"]["difference"] == {"items": 0, "amount": 0.0}
    order = Order.objects.get(pk=world.order.pk)
    assert (order.status, order.final_price, order.actual_item_count) == ("PICKED_UP", Decimal("335.00"), 11)
    assert CountUpdate.objects.get(order=order).decided_by is None
    assert_error(answer(world), 422, "INVALID_ORDER_STATUS")


def test_a_question_pauses_the_count_until_the_vendor_counts_again(clock_held):
    world = seed_order()
    seed_count(world)

    response = answer(world, "QUESTION", message="I don't think there are that many shirts")

    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Question sent to the vendor"
    data = response.json()["data"]
    assert data["status"] == "COUNT_APPROVAL_PENDING"
    assert data["question"] == "I don't think there are that many shirts"
    assert data["auto_approval_paused"] is True
    questioned = CountUpdate.objects.get(order=world.order)
    assert questioned.status == CountStatus.QUESTIONED
    told = Notification.objects.get(user=world.vendor.user, event_type="society_order_count_questioned")
    assert "that many shirts" in told.message
    assert count.auto_approve_due(now=clock_held + timedelta(hours=5)) == 0

    recount = update(world, [world.line("IRONING", "Shirt", 6)])

    assert recount.status_code == 200, recount.content
    assert recount.json()["data"]["count_comparison"]["updated"] == {"total_items": 12, "total_amount": 345.0}
    questioned.refresh_from_db()
    assert questioned.status == CountStatus.SUPERSEDED
    fresh = CountUpdate.objects.get(order=world.order, status=CountStatus.PENDING)
    assert fresh.approval_deadline == clock_held + timedelta(hours=2)
    assert answer(world).json()["data"]["final_price"] == 345.0


def test_a_recount_states_its_changes_against_the_order_not_the_count_it_replaces():
    world = seed_order()
    seed_count(world)  # Shirt (ironing) 5 -> 7

    response = update(world, [world.line("WASHING_IRONING", "Trousers", 3)])

    assert response.json()["data"]["count_comparison"]["updated"] == {"total_items": 12, "total_amount": 365.0}
    statuses = list(CountUpdate.objects.filter(order=world.order).values_list("status", flat=True))
    assert statuses == [CountStatus.SUPERSEDED, CountStatus.PENDING]


def test_who_may_count_and_answer():
    world = seed_order()
    other_vendor = serving(world.society, "Other", prices={world.services["ironing"]: [("Shirt", "8.00")]})
    neighbour = seed_order(society=world.society, flat="B-001").resident
    missing = SeedOrder(Order(pk=uuid.uuid4()), world.resident, world.vendor, world.society, world.services, world.ids)

    assert_error(seed_count(missing), 404, "ORDER_NOT_FOUND", "order_id")
    assert_error(answer(missing), 404, "ORDER_NOT_FOUND", "order_id")
    assert_error(seed_count(world, user=other_vendor.user), 403, "UNAUTHORIZED_VENDOR")
    assert_error(seed_count(world, user=world.resident), 403, "UNAUTHORIZED_VENDOR")
    assert_error(seed_count(world, user=neighbour), 404, "ORDER_NOT_FOUND")
    assert seed_count(world).status_code == 200
    assert_error(answer(world, user=world.vendor.user), 403, "FORBIDDEN")
    assert_error(answer(world, user=society_admin(world.society)), 403, "FORBIDDEN")
    assert_error(answer(world, user=neighbour), 404, "ORDER_NOT_FOUND")
    assert_error(answer(world, user=other_vendor.user), 404, "ORDER_NOT_FOUND")
    assert CountUpdate.objects.get(order=world.order).status == CountStatus.PENDING


def test_answers_without_an_open_count_are_refused_with_the_current_status():
    world = seed_order()

    error = assert_error(answer(world), 422, "INVALID_ORDER_STATUS")
    assert error["details"]["context"]["current_status"] == "PICKUP_SCHEDULED"

    seed_count(world)
    CountUpdate.objects.filter(order=world.order).update(approval_deadline=timezone.now() - timedelta(seconds=1))
    assert count.auto_approve_due() == 1

    error = assert_error(answer(world), 422, "INVALID_ORDER_STATUS")
    assert error["details"]["context"]["current_status"] == "PICKED_UP"
    error = assert_error(answer(world, "QUESTION", message="Why?"), 422, "INVALID_ORDER_STATUS")
    error = assert_error(seed_count(world), 422, "INVALID_ORDER_STATUS")
    assert error["details"]["context"]["current_status"] == "PICKED_UP"


def test_bad_counts_and_answers():
    world = seed_order()
    unknown = world.line("IRONING", "Shirt", 2) | {"rate_card_item_id": 999999}
    assert_error(update(world, [unknown]), 422, "VALIDATION_ERROR", "actual_items.0.rate_card_item_id")
    wrong_service = world.line("IRONING", "Trousers", 2) | {"service_id": str(world.services["washing"].pk)}
    changed = [world.line("IRONING", "Shirt", 6), wrong_service]
    assert_error(update(world, changed), 422, "VALIDATION_ERROR", "actual_items.1.rate_card_item_id")
    moved = world.line("IRONING", "Shirt", 2) | {"service_id": str(world.services["dry"].pk)}
    assert_error(update(world, [moved]), 422, "VALIDATION_ERROR", "actual_items.0.service_id")
    negative = world.line("IRONING", "Shirt", -1)
    assert_error(update(world, [negative]), 422, "VALIDATION_ERROR", "actual_items.0.quantity")
    twice = [world.line("IRONING", "Shirt", 6), world.line("IRONING", "Shirt", 7)]
    assert_error(update(world, twice), 422, "VALIDATION_ERROR", "actual_items.1.rate_card_item_id")
    everything = [
        world.line("IRONING", "Shirt", 0),
        world.line("WASHING_IRONING", "Shirt", 0),
        world.line("WASHING_IRONING", "Trousers", 0),
        world.line("DRY_CLEANING", "Suit", 0),
    ]
    assert_error(update(world, everything), 422, "VALIDATION_ERROR", "actual_items")
    assert not CountUpdate.objects.exists()

    seed_count(world)
    assert_error(answer(world, "QUESTION"), 422, "VALIDATION_ERROR", "message")
    assert_error(answer(world, "QUESTION", message="   "), 422, "VALIDATION_ERROR", "message")
    assert_error(answer(world, "REJECT"), 422, "VALIDATION_ERROR", "action")
    assert CountUpdate.objects.get(order=world.order).status == CountStatus.PENDING


def test_an_added_item_must_be_of_a_service_already_in_the_order():
    world = seed_order(society=apartment(towers=1, floors=1, flats=1))
    world.order.items.filter(service=world.services["dry"]).delete()
    OrderService.objects.filter(order=world.order, service=world.services["dry"]).delete()

    response = update(world, [world.line("DRY_CLEANING", "Coat", 1)])

    assert_error(response, 422, "VALIDATION_ERROR", "actual_items.0.service_id")
