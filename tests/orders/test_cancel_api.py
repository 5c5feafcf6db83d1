"""POST /orders/{order_id}/cancel: the resident before pickup, the vendor before pickup with a reason."""

from __future__ import annotations

import uuid

import pytest

from notifications.models import Notification
from orders.models import Order, OrderStatus, OrderStep, OrderTimeline, StepStatus
from tests.accounts.helpers import assert_error
from tests.conftest import client_for
from tests.orders.builders import SeedOrder, seed_count, seed_order
from tests.orders.helpers import serving
from tests.societies.helpers import society_admin

pytestmark = pytest.mark.django_db


def cancel(world: SeedOrder, user=None, **body):
    return client_for(user or world.resident).post(world.url("cancel"), body, format="json")


def test_the_resident_cancels_before_pickup_and_the_vendor_hears_of_it():
    world = seed_order()

    response = cancel(world)

    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Order cancelled"
    data = response.json()["data"]
    assert (data["order_id"], data["status"], data["cancelled_by"]) == (str(world.order.pk), "CANCELLED", "RESIDENT")
    assert data["cancellation_reason"] == ""
    order = Order.objects.get(pk=world.order.pk)
    assert (order.status, order.cancelled_by) == (OrderStatus.CANCELLED, world.resident)
    assert order.cancelled_at is not None
    assert OrderTimeline.objects.filter(order=order, status="CANCELLED", message="Cancelled by the resident").exists()
    assert Notification.objects.filter(user=world.vendor.user, event_type="society_order_cancelled").exists()
    assert not Notification.objects.filter(user=world.resident, event_type="society_order_cancelled").exists()


def test_the_vendor_cancels_with_a_reason_the_resident_hears():
    world = seed_order()

    response = cancel(world, world.vendor.user, reason="Machine broken")

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["cancelled_by"], data["cancellation_reason"]) == ("VENDOR", "Machine broken")
    told = Notification.objects.get(user=world.resident, event_type="society_order_cancelled")
    assert "Machine broken" in told.message


def test_the_vendor_must_give_a_reason():
    world = seed_order()

    assert_error(cancel(world, world.vendor.user), 422, "VALIDATION_ERROR", "reason")
    assert_error(cancel(world, world.vendor.user, reason="   "), 422, "VALIDATION_ERROR", "reason")

    assert Order.objects.get(pk=world.order.pk).status == OrderStatus.PICKUP_SCHEDULED


def test_no_cancelling_once_the_pickup_started():
    world = seed_order()
    step = OrderStep.objects.filter(order_service__order=world.order, step_order=1).first()
    OrderStep.objects.filter(pk=step.pk).update(status=StepStatus.COMPLETED)

    error = assert_error(cancel(world), 422, "INVALID_ORDER_STATUS")

    assert error["details"]["context"]["current_status"] == "PICKUP_SCHEDULED"
    assert_error(cancel(world, world.vendor.user, reason="Too late"), 422, "INVALID_ORDER_STATUS")


def test_no_cancelling_after_pickup_or_twice():
    world = seed_order()
    assert seed_count(world).status_code == 200

    error = assert_error(cancel(world), 422, "INVALID_ORDER_STATUS")
    assert error["details"]["context"]["current_status"] == "COUNT_APPROVAL_PENDING"
    Order.objects.filter(pk=world.order.pk).update(status=OrderStatus.PICKED_UP)
    error = assert_error(cancel(world), 422, "INVALID_ORDER_STATUS")
    assert error["details"]["context"]["current_status"] == "PICKED_UP"

    fresh = seed_order()
    assert cancel(fresh).status_code == 200
    error = assert_error(cancel(fresh), 422, "INVALID_ORDER_STATUS")
    assert error["details"]["context"]["current_status"] == "CANCELLED"


def test_who_may_cancel():
    world = seed_order()
    other_vendor = serving(world.society, "Other", prices={world.services["ironing"]: [("Shirt", "8.00")]})
    neighbour = seed_order(society=world.society, flat="B-001").resident
    missing = SeedOrder(Order(pk=uuid.uuid4()), world.resident, world.vendor, world.society, world.services, world.ids)

    assert_error(cancel(missing), 404, "ORDER_NOT_FOUND", "order_id")
    assert_error(cancel(world, neighbour), 404, "ORDER_NOT_FOUND", "order_id")
    assert_error(cancel(world, other_vendor.user, reason="Mine"), 403, "UNAUTHORIZED_VENDOR")
    assert_error(cancel(world, society_admin(world.society), reason="Admin"), 403, "FORBIDDEN")

    assert Order.objects.get(pk=world.order.pk).status == OrderStatus.PICKUP_SCHEDULED
