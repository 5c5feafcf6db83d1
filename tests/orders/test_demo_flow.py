"""Issue 17's "done when", walked on the demo data as new users would, through the API and the live socket.

The demo resident lists vendors, orders ironing and dry cleaning, the vendor updates the count, the resident
questions then approves it, the vendor completes every step with photos while the resident watches
``ws/orders/{id}/``, marks cash received, and the auto-close scan closes the order; a second order is disputed
and resolved by the society admin.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.management import call_command
from django.db import connections
from django.utils import timezone
from rest_framework.test import APIClient

from config.asgi import application
from orders.models import Order, OrderStatus
from orders.services.payment import GRACE, auto_close_due
from societies.models import Society
from tests.accounts.helpers import last_sms_code

pytestmark = pytest.mark.django_db(transaction=True)  # one-time codes and live events go out at commit
RESIDENT, VENDOR = "+919900000301", "+919900000201"
PASSWORD = "demo-admin-2026"


def by_otp(phone: str) -> tuple[APIClient, str]:
    client = APIClient()
    assert client.post("/api/v1/auth/send-otp", {"phone": phone}, format="json").status_code == 200
    answer = client.post("/api/v1/auth/verify-otp", {"phone": phone, "otp": last_sms_code(phone)}, format="json")
    token = answer.json()["data"]["tokens"]["access_token"]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client, token


def ok(response, status=200) -> dict:
    assert response.status_code == status, response.content.decode()[:1500]
    return response.json()["data"]


def place(resident: APIClient, society: Society, picks: list[tuple[str, str, int]]) -> dict:
    vendors = ok(resident.get(f"/api/v1/societies/{society.pk}/vendors"))["vendors"]
    sparkle = next(v for v in vendors if v["business_name"] == "Sparkle Laundry")
    detail = ok(resident.get(f"/api/v1/vendors/{sparkle['vendor_id']}?society_id={society.pk}"))
    card = {
        (service["service_name"], item["item_name"]): (service["service_id"], item["item_id"])
        for service in detail["vendor"]["rate_card"]["services"]
        for item in service["items"]
    }
    items = [
        {"service_id": card[(key, name)][0], "rate_card_item_id": card[(key, name)][1], "quantity": quantity}
        for key, name, quantity in picks
    ]
    body = {
        "vendor_id": sparkle["vendor_id"],
        "society_id": society.pk,
        "pickup_datetime": (timezone.now() + timedelta(hours=3)).isoformat(),
        "items": items,
    }
    key = f"demo-{timezone.now().timestamp()}"
    return ok(resident.post("/api/v1/orders", body, format="json", HTTP_X_IDEMPOTENCY_KEY=key), 201)["order"]


def complete_steps(vendor: APIClient, order_id: str, *, until: int | None = None) -> int:
    """Complete every service's current step up to step ``until`` (all when None); returns how many."""
    done = 0
    while True:
        progress = ok(vendor.get(f"/api/v1/orders/{order_id}/workflow-progress"))
        current = [
            (service["service_id"], step)
            for service in progress["services"]
            for step in service["workflow_steps"]
            if step["status"] == "IN_PROGRESS" and (until is None or step["step_order"] <= until)
        ]
        if not current:
            return done
        service_id, step = current[0]
        body = {"step_id": step["step_id"], "photos": [f"https://photos.example.com/{step['step_id']}.jpg"]}
        ok(vendor.post(f"/api/v1/orders/{order_id}/workflow/{service_id}/complete-step", body, format="json"))
        done += 1


def line(order: dict, name: str) -> dict:
    return next(i for i in Order.objects.get(pk=order["order_id"]).items.values() if i["item_name"] == name)


def first_walk() -> dict:
    call_command("seed_demo", verbosity=0, no_history=True)
    call_command("seed_demo", verbosity=0, no_history=True)  # idempotent
    rohan = Order.objects.filter(residence__user__phone=RESIDENT)
    assert set(rohan.values_list("status", flat=True)) == {
        "PICKUP_SCHEDULED",
        "COUNT_APPROVAL_PENDING",
        "PROCESSING_IN_PROGRESS",
        "DELIVERED",
        "PAYMENT_RECEIVED",
        "DISPUTED",
        "CLOSED",
    }
    society = Society.objects.get(name="Green Valley Apartments")
    resident, token = by_otp(RESIDENT)
    order = place(resident, society, [("Ironing Only", "Shirt", 5), ("Dry Cleaning", "Suit", 1)])
    assert (order["status"], order["pricing"]["estimated_price"]) == ("PICKUP_SCHEDULED", 200.0)
    return {"society": society.pk, "order": order, "token": token}


def second_walk(first: dict) -> dict:
    society = Society.objects.get(pk=first["society"])
    order_id = first["order"]["order_id"]
    resident = APIClient()
    resident.credentials(HTTP_AUTHORIZATION=f"Bearer {first['token']}")
    vendor, _ = by_otp(VENDOR)

    assert complete_steps(vendor, order_id, until=2) == 4  # pickup and count of both services
    shirt = line(first["order"], "Shirt")
    change = {"service_id": str(shirt["service_id"]), "rate_card_item_id": shirt["rate_card_item_id"], "quantity": 7}
    counted = ok(vendor.post(f"/api/v1/orders/{order_id}/update-count", {"actual_items": [change]}, format="json"))
    assert counted["count_comparison"]["difference"] == {"items": 2, "amount": 20.0}
    question = {"action": "QUESTION", "message": "I gave you five shirts"}
    ok(resident.post(f"/api/v1/orders/{order_id}/approve-count", question, format="json"))
    change["quantity"] = 6
    ok(vendor.post(f"/api/v1/orders/{order_id}/update-count", {"actual_items": [change]}, format="json"))
    approved = ok(resident.post(f"/api/v1/orders/{order_id}/approve-count", {"action": "APPROVE"}, format="json"))
    assert (approved["status"], approved["final_price"], approved["actual_item_count"]) == ("PICKED_UP", 210.0, 7)

    complete_steps(vendor, order_id)
    assert ok(resident.get(f"/api/v1/orders/{order_id}"))["order"]["status"] == "DELIVERED"
    paid = ok(
        vendor.post(f"/api/v1/orders/{order_id}/mark-payment-received", {"payment_method": "CASH"}, format="json")
    )
    assert paid["status"] == "PAYMENT_RECEIVED"
    assert auto_close_due() == 0  # not yet: 48 hours
    assert auto_close_due(now=timezone.now() + GRACE + timedelta(minutes=1)) >= 1  # the hourly scan, 48 h later
    assert ok(resident.get(f"/api/v1/orders/{order_id}/payment-status"))["order_status"] == "CLOSED"

    # a second order, disputed and resolved by the society admin
    second = place(resident, society, [("Ironing Only", "Trousers", 2)])
    complete_steps(vendor, second["order_id"], until=2)
    ok(vendor.post(f"/api/v1/orders/{second['order_id']}/update-count", {"actual_items": []}, format="json"))
    complete_steps(vendor, second["order_id"])
    ok(
        vendor.post(
            f"/api/v1/orders/{second['order_id']}/mark-payment-received", {"payment_method": "UPI"}, format="json"
        )
    )
    dispute = {"dispute_reason": "PAYMENT_NOT_MADE", "dispute_details": "I have not paid yet."}
    raised = ok(resident.post(f"/api/v1/orders/{second['order_id']}/dispute-payment", dispute, format="json"), 201)
    admin = APIClient()
    login = {"email": "society-admin@staff.example.com", "password": PASSWORD}
    tokens = ok(admin.post("/api/v1/auth/login", login, format="json"))["tokens"]
    admin.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    listed = ok(admin.get(f"/api/v1/society-admin/order-disputes?society_id={society.pk}&status=OPEN"))
    assert raised["dispute_id"] in [row["dispute_id"] for row in listed["disputes"]]
    resolution = {"resolution": "PAYMENT_NOT_RECEIVED", "notes": "The resident pays again by UPI."}
    ok(admin.post(f"/api/v1/society-admin/order-disputes/{raised['dispute_id']}/resolve", resolution, format="json"))
    assert Order.objects.get(pk=second["order_id"]).status == OrderStatus.DELIVERED
    return {"first": order_id}


@pytest.fixture
async def thread_connections():
    yield
    await sync_to_async(connections.close_all)()


@pytest.mark.usefixtures("thread_connections")
async def test_the_demo_resident_orders_watches_and_the_order_closes_and_a_dispute_is_resolved():
    first = await sync_to_async(first_walk)()
    path = f"/ws/orders/{first['order']['order_id']}/?token={first['token']}"
    socket = WebsocketCommunicator(application, path)
    connected, _ = await socket.connect(timeout=5)
    assert connected

    await sync_to_async(second_walk)(first)

    heard = []
    while not await socket.receive_nothing(timeout=2):
        heard.append(await socket.receive_json_from(timeout=2))
    await socket.disconnect()
    kinds = [message["type"] for message in heard]
    assert kinds.count("step_completed") >= 10  # 5 steps of ironing, 6 of dry cleaning
    assert {"count_updated", "order_status_change"} <= set(kinds)
    statuses = [m["data"]["new_status"] for m in heard if m["type"] == "order_status_change"]
    assert statuses[-3:] == ["DELIVERED", "PAYMENT_RECEIVED", "CLOSED"]
    assert "PICKED_UP" in statuses
