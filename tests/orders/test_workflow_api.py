"""Seed 001 7.2-7.3 through the API: an order's workflow progress, and the vendor completing its steps."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from catalog.models import WorkflowStep, WorkflowTemplate
from notifications.models import Notification
from orders.models import Order, OrderService, OrderStatus, OrderStep, RateCard
from orders.services import count as counts
from societies.models import ApprovalStatus, Residence
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.conftest import client_for
from tests.orders.helpers import card, dry_cleaning, living_in, serving
from tests.societies.helpers import apartment, laundry_services, society_admin

pytestmark = pytest.mark.django_db
PHOTO = ["https://photos.example.com/1.jpg"]


class Shop:
    """A society, a verified active resident of A-001 and a vendor with ironing, washing and dry-cleaning cards."""

    def __init__(self) -> None:
        self.society = apartment(towers=2, floors=1, flats=1)
        ironing, washing = laundry_services()
        dry = dry_cleaning()
        self.services = {"ironing": ironing, "washing": washing, "dry": dry}
        prices = {ironing: [("Shirt", "10.00")], washing: [("Shirt", "25.00"), ("Trousers", "30.00")]}
        self.partner = serving(self.society, "Sparkle", prices=prices)
        card(self.partner, self.society, {dry: [("Suit", "150.00")]})
        self.resident = living_in(self.society, "A-001", ApprovalStatus.VERIFIED)
        Residence.objects.filter(user=self.resident).update(is_active=True)
        self.items = {
            (line["service_key"], line["item_name"]): line["item_id"]
            for c in RateCard.objects.filter(partner=self.partner)
            for line in c.published_items
        }

    @property
    def vendor(self):
        return self.partner.user

    def place(self, *lines: tuple[str, str, int]) -> dict:
        """Order ``lines`` ((service, item name, quantity)) for pickup in 3 days; the 201's ``data``."""
        keys = {"ironing": "IRONING", "washing": "WASHING_IRONING", "dry": "DRY_CLEANING"}
        pickup = timezone.localtime(timezone.now() + timedelta(days=3)).replace(hour=10, minute=30, second=0)
        body = {
            "vendor_id": str(self.partner.pk),
            "society_id": self.society.pk,
            "pickup_datetime": pickup.isoformat(),
            "items": [
                {"service_id": str(self.services[s].pk), "rate_card_item_id": self.items[(keys[s], n)], "quantity": q}
                for s, n, q in lines or [("ironing", "Shirt", 5), ("dry", "Suit", 1)]
            ],
        }
        response = client_for(self.resident).post(
            "/api/v1/orders", body, format="json", HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4())
        )
        assert response.status_code == 201, response.content
        return response.json()["data"]


@pytest.fixture
def shop():
    return Shop()


def progress(user, order_id):
    return client_for(user).get(f"/api/v1/orders/{order_id}/workflow-progress")


def service_of(order_id, shop: Shop, name: str) -> dict:
    data = progress(shop.resident, order_id).json()["data"]
    return next(s for s in data["services"] if s["service_id"] == str(shop.services[name].pk))


def step_id(order_id, shop: Shop, name: str, order: int) -> int:
    return service_of(order_id, shop, name)["workflow_steps"][order - 1]["step_id"]


def complete(user, order_id, service_id, step, **body):
    payload = {"step_id": step, **body}
    return client_for(user).post(
        f"/api/v1/orders/{order_id}/workflow/{service_id}/complete-step", payload, format="json"
    )


def advance(shop: Shop, order_id, name: str, order: int, **body):
    """The vendor completes step ``order`` of service ``name``; the 200's ``data``."""
    body.setdefault("photos", PHOTO)
    response = complete(shop.vendor, order_id, shop.services[name].pk, step_id(order_id, shop, name, order), **body)
    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Workflow step completed"
    return response.json()["data"]


def approve_count(order_id) -> None:
    """The count of the order approved the way the count endpoints do (an unchanged count approves itself)."""
    order = Order.objects.get(pk=order_id)
    counts.count_update(user=order.partner.user, order_id=order_id, data={"actual_items": []})


def order_status(order_id) -> str:
    return Order.objects.get(pk=order_id).status


# --- placing an order -----------------------------------------------------------------------------


def test_placing_an_order_starts_step_one_of_every_service_and_tells_both_sides(shop):
    assert not WorkflowTemplate.objects.exists()  # these services never had a template

    data = shop.place()

    assert data["notifications"]["vendor_notified"] is True
    assert data["notifications"]["resident_confirmation_sent"] is True
    order = data["order"]
    assert Notification.objects.filter(user=shop.vendor, event_type="society_order_received").count() == 1
    assert Notification.objects.filter(user=shop.resident, event_type="society_order_placed").count() == 1
    response = progress(shop.resident, order["order_id"])
    assert response.status_code == 200, response.content
    body = response.json()["data"]
    assert (body["order_id"], body["order_number"], body["status"]) == (
        order["order_id"],
        order["order_number"],
        "PICKUP_SCHEDULED",
    )
    services = [
        (s["service_name"], s["item_count"], s["current_step_order"], s["total_steps"], s["progress_percentage"])
        for s in body["services"]
    ]
    assert services == [("Ironing Only", 5, 1, 5, 20), ("Dry Cleaning", 1, 1, 6, 17)]
    first = body["services"][0]["workflow_steps"][0]
    created = datetime.fromisoformat(order["created_at"])
    assert (first["step_name"], first["status"]) == ("Pickup Items", "IN_PROGRESS")
    assert datetime.fromisoformat(first["started_at"]) == created
    assert datetime.fromisoformat(first["estimated_completion"]) == created + timedelta(minutes=15)
    rest = body["services"][0]["workflow_steps"][1:]
    assert {(s["status"], s["started_at"], s["estimated_completion"]) for s in rest} == {("PENDING", None, None)}
    assert [s["step_name"] for s in body["services"][1]["workflow_steps"]][3] == "Dry Clean"
    assert WorkflowTemplate.objects.filter(is_default=True).count() == 2


def test_editing_a_template_never_changes_a_running_order(shop):
    order_id = shop.place()["order"]["order_id"]
    template = WorkflowTemplate.objects.get(service=shop.services["ironing"])
    WorkflowStep.objects.filter(template=template, step_key="iron").update(step_name="Steam Items")
    WorkflowStep.objects.create(
        template=template, step_key="fold", step_name="Fold", step_order=6, order_status_on_complete="DELIVERED"
    )

    ironing = service_of(order_id, shop, "ironing")

    assert ironing["total_steps"] == 5
    names = [s["step_name"] for s in ironing["workflow_steps"]]
    assert names == ["Pickup Items", "Count Items", "Iron Items", "Quality Check", "Deliver Items"]
    later = shop.place(("ironing", "Shirt", 1))["order"]["order_id"]  # a new order takes the edited steps
    assert service_of(later, shop, "ironing")["workflow_steps"][2]["step_name"] == "Steam Items"


# --- completing steps -----------------------------------------------------------------------------


def test_the_seed_7_3_answer_and_the_next_step_starting_at_once(shop, clock_held, monkeypatch):
    order_id = shop.place(("ironing", "Shirt", 5))["order"]["order_id"]
    advance(shop, order_id, "ironing", 1)
    advance(shop, order_id, "ironing", 2)
    approve_count(order_id)
    advance(shop, order_id, "ironing", 3, photos=[])  # iron: no photo needed
    later = clock_held + timedelta(hours=6, seconds=59)
    monkeypatch.setattr(timezone, "now", lambda: later)
    quality = step_id(order_id, shop, "ironing", 4)

    data = advance(shop, order_id, "ironing", 4, photos=[], notes="All good")

    assert data["order_id"] == order_id
    assert data["service_id"] == str(shop.services["ironing"].pk)
    completed = data["completed_step"]
    assert (completed["step_id"], completed["step_name"], completed["duration_minutes"]) == (
        quality,
        "Quality Check",
        360,
    )
    assert datetime.fromisoformat(completed["completed_at"]) == later
    following = data["next_step"]
    assert (following["step_name"], following["step_order"], following["status"]) == ("Deliver Items", 5, "IN_PROGRESS")
    assert following["started_at"] == completed["completed_at"]
    assert (data["service_status"], data["order_status"]) == ("READY_FOR_DELIVERY", "READY_FOR_DELIVERY")
    assert data["is_final_step"] is False
    assert data["notification_sent"] is True
    shown = service_of(order_id, shop, "ironing")
    assert (shown["current_step_order"], shown["progress_percentage"]) == (5, 100)  # 7.2's formula: 5/5
    quality_row = shown["workflow_steps"][3]
    assert (quality_row["notes"], quality_row["completed_by"], quality_row["estimated_completion"]) == (
        "All good",
        str(shop.partner.pk),
        None,
    )
    assert Notification.objects.filter(user=shop.resident, event_type="society_order_step_completed").count() == 4
    detail = client_for(shop.resident).get(f"/api/v1/orders/{order_id}").json()["data"]["order"]
    row = detail["service_status"][0]
    assert (row["status"], row["current_step"], row["current_step_order"]) == ("READY_FOR_DELIVERY", "Deliver Items", 5)
    assert datetime.fromisoformat(row["ready_at"]) == later


def test_the_seed_7_2_percentages_4_of_5_is_80_and_3_of_5_is_60(shop):
    order_id = shop.place(("ironing", "Shirt", 5), ("dry", "Suit", 1))["order"]["order_id"]
    for name in ("ironing", "dry"):
        advance(shop, order_id, name, 1)
        advance(shop, order_id, name, 2)
    approve_count(order_id)
    advance(shop, order_id, "ironing", 3)
    advance(shop, order_id, "dry", 3)

    ironing, dry = service_of(order_id, shop, "ironing"), service_of(order_id, shop, "dry")

    assert (ironing["current_step_order"], ironing["total_steps"], ironing["progress_percentage"]) == (4, 5, 80)
    assert (dry["current_step_order"], dry["total_steps"], dry["progress_percentage"]) == (4, 6, 67)
    statuses = [s["status"] for s in ironing["workflow_steps"]]
    assert statuses == ["COMPLETED"] * 3 + ["IN_PROGRESS", "PENDING"]
    washing = shop.place(("washing", "Shirt", 3))["order"]["order_id"]
    advance(shop, washing, "washing", 1)
    advance(shop, washing, "washing", 2)
    approve_count(washing)
    assert service_of(washing, shop, "washing")["progress_percentage"] == 50  # 3/6


def test_a_full_walk_to_delivered_the_order_is_its_least_advanced_service(shop):
    order_id = shop.place(("ironing", "Shirt", 5), ("dry", "Suit", 1))["order"]["order_id"]
    seen = []

    def walk(name, order, **body):
        data = advance(shop, order_id, name, order, **body)
        assert data["order_status"] == order_status(order_id)
        seen.append((name, order, data["service_status"], data["order_status"]))
        return data

    walk("ironing", 1)
    walk("ironing", 2)
    walk("dry", 1)
    walk("dry", 2)
    counts.count_update(
        user=shop.vendor,
        order_id=order_id,
        data={
            "actual_items": [
                {
                    "service_id": str(shop.services["ironing"].pk),
                    "rate_card_item_id": shop.items[("IRONING", "Shirt")],
                    "quantity": 7,
                }
            ]
        },
    )
    assert order_status(order_id) == "COUNT_APPROVAL_PENDING"
    counts.count_answer(user=shop.resident, order_id=order_id, action="APPROVE")
    assert order_status(order_id) == "PICKED_UP"
    for order in (3, 4, 5):
        walk("ironing", order)
    last = None
    for order in (3, 4, 5, 6):
        last = walk("dry", order)
    assert seen == [
        ("ironing", 1, "PICKUP_IN_PROGRESS", "PICKUP_SCHEDULED"),
        ("ironing", 2, "COUNT_APPROVAL_PENDING", "PICKUP_SCHEDULED"),
        ("dry", 1, "PICKUP_IN_PROGRESS", "PICKUP_IN_PROGRESS"),
        ("dry", 2, "COUNT_APPROVAL_PENDING", "COUNT_APPROVAL_PENDING"),
        ("ironing", 3, "PROCESSING_IN_PROGRESS", "PICKED_UP"),
        ("ironing", 4, "READY_FOR_DELIVERY", "PICKED_UP"),
        ("ironing", 5, "DELIVERED", "PICKED_UP"),
        ("dry", 3, "PROCESSING_IN_PROGRESS", "PROCESSING_IN_PROGRESS"),
        ("dry", 4, "PROCESSING_IN_PROGRESS", "PROCESSING_IN_PROGRESS"),
        ("dry", 5, "READY_FOR_DELIVERY", "READY_FOR_DELIVERY"),
        ("dry", 6, "DELIVERED", "DELIVERED"),
    ]
    assert last["is_final_step"] is True
    assert last["next_step"] is None
    order = Order.objects.get(pk=order_id)
    assert order.delivered_at is not None
    assert (order.final_price, order.actual_item_count) == (220, 8)  # the approved count: 7 shirts + 1 suit
    delivered = Notification.objects.get(user=shop.resident, event_type="society_order_delivered")
    assert "220.00" in delivered.message
    dry = service_of(order_id, shop, "dry")
    assert (dry["current_step_order"], dry["progress_percentage"]) == (6, 100)
    assert [t.status for t in order.timeline.all()][-1] == "DELIVERED"
    assert_error(
        complete(shop.vendor, order_id, shop.services["dry"].pk, dry["workflow_steps"][5]["step_id"], photos=PHOTO),
        422,
        "INVALID_ORDER_STATUS",
    )


def test_an_order_delivered_without_a_count_takes_the_estimate(shop):
    order_id = shop.place(("ironing", "Shirt", 5))["order"]["order_id"]
    advance(shop, order_id, "ironing", 1)
    advance(shop, order_id, "ironing", 2)
    Order.objects.filter(pk=order_id).update(count_approved_at=timezone.now())  # approved with no count row
    for order in (3, 4, 5):
        data = advance(shop, order_id, "ironing", order)
    assert data["order_status"] == "DELIVERED"
    order = Order.objects.get(pk=order_id)
    assert (order.final_price, order.actual_item_count) == (50, 5)


# --- who may see and act ----------------------------------------------------------------------------


def test_who_sees_the_progress(shop):
    order_id = shop.place()["order"]["order_id"]
    assert progress(shop.vendor, order_id).status_code == 200
    assert progress(society_admin(shop.society), order_id).status_code == 200
    assert_error(progress(living_in(shop.society, "B-001", ApprovalStatus.VERIFIED), order_id), 404, "ORDER_NOT_FOUND")
    other = serving(shop.society, "Other", prices={shop.services["ironing"]: [("Shirt", "8.00")]})
    assert_error(progress(other.user, order_id), 404, "ORDER_NOT_FOUND")
    assert_error(progress(shop.resident, uuid.uuid4()), 404, "ORDER_NOT_FOUND")


def test_who_may_complete_a_step(shop):
    order_id = shop.place()["order"]["order_id"]
    ironing = shop.services["ironing"].pk
    pickup = step_id(order_id, shop, "ironing", 1)
    other = serving(shop.society, "Other", prices={shop.services["ironing"]: [("Shirt", "8.00")]})

    assert_error(complete(shop.vendor, uuid.uuid4(), ironing, pickup), 404, "ORDER_NOT_FOUND")
    assert_error(complete(other.user, order_id, ironing, pickup), 403, "UNAUTHORIZED_VENDOR")
    assert_error(complete(shop.resident, order_id, ironing, pickup), 403, "UNAUTHORIZED_VENDOR")
    assert_error(complete(shop.vendor, order_id, uuid.uuid4(), pickup), 404, "NOT_FOUND", "service_id")
    washing = shop.services["washing"].pk  # a real service, but not in this order
    assert_error(complete(shop.vendor, order_id, washing, pickup), 404, "NOT_FOUND", "service_id")
    assert not OrderStep.objects.filter(status="COMPLETED").exists()


# --- bad steps --------------------------------------------------------------------------------------


def refused(response, reason: str, field: str = "step_id") -> dict:
    code = "VALIDATION_ERROR" if field == "photos" else "INVALID_ORDER_STATUS"
    error = assert_error(response, 422, code, field)
    assert error["details"]["reason"] == reason, error
    return error


def test_only_the_current_step_of_that_service(shop):
    order_id = shop.place()["order"]["order_id"]
    ironing, dry = shop.services["ironing"].pk, shop.services["dry"].pk

    count = step_id(order_id, shop, "ironing", 2)
    error = refused(complete(shop.vendor, order_id, ironing, count, photos=PHOTO), "not_current_step")
    assert error["details"]["context"]["current_step_id"] == step_id(order_id, shop, "ironing", 1)
    refused(complete(shop.vendor, order_id, ironing, step_id(order_id, shop, "dry", 1)), "not_a_step_of_this_service")
    refused(complete(shop.vendor, order_id, ironing, 999999999), "not_a_step_of_this_service")
    advance(shop, order_id, "ironing", 1)
    refused(complete(shop.vendor, order_id, ironing, step_id(order_id, shop, "ironing", 1)), "already_completed")
    assert service_of(order_id, shop, "dry")["current_step_order"] == 1
    assert complete(shop.vendor, order_id, dry, step_id(order_id, shop, "dry", 1)).status_code == 200


def test_a_photo_step_needs_a_photo(shop):
    order_id = shop.place()["order"]["order_id"]
    advance(shop, order_id, "ironing", 1, photos=[])
    count = step_id(order_id, shop, "ironing", 2)

    refused(complete(shop.vendor, order_id, shop.services["ironing"].pk, count), "photo_required", "photos")
    refused(complete(shop.vendor, order_id, shop.services["ironing"].pk, count, photos=[]), "photo_required", "photos")
    too_many = [f"https://photos.example.com/{n}.jpg" for n in range(11)]
    assert_error(
        complete(shop.vendor, order_id, shop.services["ironing"].pk, count, photos=too_many),
        422,
        "VALIDATION_ERROR",
        "photos",
    )
    assert OrderStep.objects.get(pk=count).status == "IN_PROGRESS"
    assert advance(shop, order_id, "ironing", 2, photos=PHOTO)["service_status"] == "COUNT_APPROVAL_PENDING"


def test_processing_waits_for_the_count_approval(shop):
    order_id = shop.place(("ironing", "Shirt", 5))["order"]["order_id"]
    advance(shop, order_id, "ironing", 1)
    advance(shop, order_id, "ironing", 2)
    iron = step_id(order_id, shop, "ironing", 3)

    refused(complete(shop.vendor, order_id, shop.services["ironing"].pk, iron), "count_not_approved")

    assert OrderStep.objects.get(pk=iron).status == "IN_PROGRESS"
    approve_count(order_id)
    assert advance(shop, order_id, "ironing", 3)["service_status"] == "PROCESSING_IN_PROGRESS"


def test_a_count_approved_before_the_count_step_makes_it_picked_up(shop):
    order_id = shop.place(("ironing", "Shirt", 5))["order"]["order_id"]
    advance(shop, order_id, "ironing", 1)
    approve_count(order_id)

    data = advance(shop, order_id, "ironing", 2)

    assert (data["service_status"], data["order_status"]) == ("PICKED_UP", "PICKED_UP")


def test_no_steps_on_a_cancelled_order(shop):
    order_id = shop.place()["order"]["order_id"]
    Order.objects.filter(pk=order_id).update(status=OrderStatus.CANCELLED)
    error = assert_error(
        complete(shop.vendor, order_id, shop.services["ironing"].pk, step_id(order_id, shop, "ironing", 1)),
        422,
        "INVALID_ORDER_STATUS",
    )
    assert error["details"]["context"]["current_status"] == "CANCELLED"


# --- queries ----------------------------------------------------------------------------------------


def test_progress_and_detail_queries_do_not_depend_on_services_or_steps(shop):
    small = shop.place(("ironing", "Shirt", 1))["order"]["order_id"]
    big = shop.place(("ironing", "Shirt", 5), ("washing", "Shirt", 3), ("washing", "Trousers", 2), ("dry", "Suit", 1))
    big = big["order"]["order_id"]
    advance(shop, big, "washing", 1)
    assert OrderService.objects.filter(order_id=big).count() == 3

    for kind in ("workflow-progress", ""):
        paths = [f"/api/v1/orders/{small}/{kind}".rstrip("/"), f"/api/v1/orders/{big}/{kind}".rstrip("/")]
        found = query_counts(client_for(shop.resident), paths)
        assert found[paths[0]] == found[paths[1]], (kind, found)
