"""Seed 001 6.1-6.2 through the API: a resident orders from a society vendor, and reads the order."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Notification
from orders.models import Order, RateCard
from orders.services import rate_cards
from societies.models import ApprovalStatus, Residence
from tests.accounts.helpers import assert_error
from tests.conftest import client_for
from tests.orders.helpers import card, dry_cleaning, living_in, serving
from tests.societies.helpers import apartment, group, laundry_services, society_admin

pytestmark = pytest.mark.django_db
IST_PICKUP = "10:30:00+05:30"


@pytest.fixture
def shop():
    """A society, a verified active resident of A-001 and a vendor with laundry and dry-cleaning cards."""
    society = apartment(towers=2, floors=1, flats=1)
    ironing, washing = laundry_services()
    dry = dry_cleaning()
    prices = {ironing: [("Shirt", "10.00")], washing: [("Shirt", "25.00"), ("Trousers", "30.00")]}
    partner = serving(society, "Sparkle", prices=prices)
    card(partner, society, {dry: [("Suit", "150.00")]})
    user = living_in(society, "A-001", ApprovalStatus.VERIFIED)
    Residence.objects.filter(user=user).update(is_active=True)
    ids = {
        (line["service_key"], line["item_name"]): line["item_id"]
        for c in RateCard.objects.filter(partner=partner)
        for line in c.published_items
    }
    return society, user, partner, {"ironing": ironing, "washing": washing, "dry": dry}, ids


def pickup(days: int = 3) -> str:
    return f"{(timezone.localdate() + timedelta(days=days)).isoformat()}T{IST_PICKUP}"


def body(shop, lines=None, **fields):
    society, _, partner, services, ids = shop
    default = [
        ("ironing", "IRONING", "Shirt", 5, "10.00"),
        ("washing", "WASHING_IRONING", "Shirt", 3, "25.00"),
        ("washing", "WASHING_IRONING", "Trousers", 2, "30.00"),
        ("dry", "DRY_CLEANING", "Suit", 1, "150.00"),
    ]
    items = [
        {
            "service_id": str(services[s].pk),
            "rate_card_item_id": ids[(key, name)],
            "item_name": name,
            "quantity": qty,
            "unit_price": price,
        }
        for s, key, name, qty, price in (lines or default)
    ]
    return {
        "vendor_id": str(partner.pk),
        "society_id": society.pk,
        "pickup_datetime": pickup(),
        "pickup_address": "A-001, Tower A",
        "resident_notes": "Ring twice",
        "items": items,
    } | fields


def place(user, payload, key=None):
    return client_for(user).post(
        "/api/v1/orders", payload, format="json", HTTP_X_IDEMPOTENCY_KEY=key or str(uuid.uuid4())
    )


def test_the_seed_example_arithmetic(shop):
    _society, user, partner, _services, _ = shop

    response = place(user, body(shop))

    assert response.status_code == 201, response.content
    payload = response.json()
    assert payload["message"] == "Order created successfully"
    order = payload["data"]["order"]
    day = timezone.localdate()
    assert order["order_number"] == f"ORD{day:%Y%m%d}000001"
    assert order["status"] == "PICKUP_SCHEDULED"
    assert order["pricing"] == {
        "estimated_item_count": 11,
        "estimated_price": 335.0,
        "discount_amount": 0.0,
        "final_price": None,
    }
    pickup_day = day + timedelta(days=3)
    assert order["expected_delivery_date"] == (pickup_day + timedelta(days=5)).isoformat()
    assert order["delivery_note"] == "Based on Dry Cleaning turnaround (5 days)"
    assert order["has_multiple_services"] is True
    summary = [
        (s["service_name"], s["item_count"], s["total_amount"], s["expected_delivery_days"])
        for s in order["services_summary"]
    ]
    assert summary == [("Ironing Only", 5, 50.0, 1), ("Washing + Ironing", 5, 135.0, 2), ("Dry Cleaning", 1, 150.0, 5)]
    assert order["vendor"] == {"vendor_id": str(partner.pk), "business_name": "Sparkle", "phone": partner.user.phone}
    assert order["resident"]["flat_number"] == "A-001"
    assert payload["data"]["notifications"] == {
        "vendor_notified": True,
        "resident_confirmation_sent": True,
        "reminder_scheduled": f"{pickup_day.isoformat()}T10:00:00+05:30",
    }
    saved = Order.objects.get(pk=order["order_id"])
    assert [t.status for t in saved.timeline.all()] == ["BOOKING_CREATED", "PICKUP_SCHEDULED"]
    told = Notification.objects.filter(data__order_id=order["order_id"])
    assert sorted((n.user_id, n.event_type) for n in told) == sorted(
        [(partner.user_id, "society_order_received"), (saved.residence.user_id, "society_order_placed")]
    )
    assert "11 items" in told.get(event_type="society_order_received").message


def test_turnaround_prefers_the_society_row_then_the_vendor_row(shop):
    from orders.models import SocietyVendorService
    from partners.models import VendorService

    society, user, partner, services, _ = shop
    VendorService.objects.create(partner=partner, service=services["dry"], turnaround_hours=72)
    response = place(user, body(shop, lines=[("dry", "DRY_CLEANING", "Suit", 1, "150.00")]))
    assert response.json()["data"]["order"]["services_summary"][0]["expected_delivery_days"] == 3
    SocietyVendorService.objects.create(partner=partner, society=society, service=services["dry"], turnaround_hours=25)
    response = place(user, body(shop, lines=[("dry", "DRY_CLEANING", "Suit", 1, "150.00")]))
    assert response.json()["data"]["order"]["services_summary"][0]["expected_delivery_days"] == 2


def test_one_sequence_per_ist_day_and_2330_utc_is_the_next_ist_day(shop, monkeypatch):
    _, user, *_ = shop
    late = datetime.now(UTC).replace(hour=23, minute=30, second=0, microsecond=0) - timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: late)  # Django's clock, as clock_held holds it
    next_ist_day = (late + timedelta(hours=5, minutes=30)).date()
    assert next_ist_day != late.date()

    numbers = [place(user, body(shop)).json()["data"]["order"]["order_number"] for _ in range(2)]
    monkeypatch.setattr(timezone, "now", lambda: late - timedelta(hours=6))  # 17:30 UTC = 23:00 IST
    earlier = place(user, body(shop)).json()["data"]["order"]["order_number"]

    assert numbers == [f"ORD{next_ist_day:%Y%m%d}000001", f"ORD{next_ist_day:%Y%m%d}000002"]
    assert earlier == f"ORD{late.date():%Y%m%d}000001"


def test_prices_come_from_the_snapshot_even_after_a_draft_edit(shop):
    _society, user, partner, services, _ids = shop
    laundry = RateCard.objects.get(partner=partner, category__key="LAUNDRY")
    item = laundry.items.get(item_name="Shirt", service=services["ironing"])
    rate_cards.rate_card_update_items(
        user=partner.user,
        vendor_id=partner.pk,
        rate_card_id=laundry.pk,
        items=[{"item_id": item.pk, "price_per_piece": Decimal("99.00")}],
    )
    line = [("ironing", "IRONING", "Shirt", 2, "10.00")]

    response = place(user, body(shop, lines=line))
    assert response.status_code == 201, response.content
    assert response.json()["data"]["order"]["pricing"]["estimated_price"] == 20.0

    line = [("ironing", "IRONING", "Shirt", 2, "99.00")]
    assert_error(place(user, body(shop, lines=line)), 422, "VALIDATION_ERROR", "items.0.unit_price")


def test_bad_items(shop):
    _, user, _, services, _ids = shop
    wrong_service = body(shop)
    wrong_service["items"][1]["service_id"] = str(services["ironing"].pk)
    assert_error(place(user, wrong_service), 422, "VALIDATION_ERROR", "items.1.rate_card_item_id")
    unknown = body(shop)
    unknown["items"][2]["rate_card_item_id"] = 999999
    assert_error(place(user, unknown), 422, "VALIDATION_ERROR", "items.2.rate_card_item_id")
    cheap = body(shop)
    cheap["items"][3]["unit_price"] = "1.00"
    assert_error(place(user, cheap), 422, "VALIDATION_ERROR", "items.3.unit_price")
    zero = body(shop)
    zero["items"][0]["quantity"] = 0
    assert_error(place(user, zero), 422, "VALIDATION_ERROR", "items.0.quantity")
    assert_error(place(user, body(shop, items=[])), 422, "VALIDATION_ERROR", "items")
    past = body(shop, pickup_datetime=(timezone.now() - timedelta(minutes=1)).isoformat())
    assert_error(place(user, past), 422, "VALIDATION_ERROR", "pickup_datetime")
    assert not Order.objects.exists()


def test_who_may_order(shop):
    society, user, _partner, *_ = shop
    pending = living_in(society, "B-001")
    assert_error(place(pending, body(shop)), 403, "SOCIETY_NOT_VERIFIED", "society_id")
    elsewhere = apartment(towers=1, floors=1, flats=1)
    assert_error(place(user, body(shop, society_id=elsewhere.pk)), 403, "SOCIETY_NOT_VERIFIED")
    Residence.objects.filter(user=user).update(is_active=False)
    assert_error(place(user, body(shop)), 422, "VALIDATION_ERROR", "society_id")
    Residence.objects.filter(user=user).update(is_active=True)
    assert_error(place(user, body(shop, vendor_id=str(uuid.uuid4()))), 404, "VENDOR_NOT_FOUND", "vendor_id")


def test_a_vendor_not_serving_the_residents_tower_is_not_found(shop):
    society, user, _, services, _ = shop
    other = serving(society, "B only", areas=[group(society, "TB")], prices={services["ironing"]: [("Shirt", "8.00")]})
    item_id = RateCard.objects.get(partner=other).published_items[0]["item_id"]
    payload = body(shop, vendor_id=str(other.pk))
    payload["items"] = [{"service_id": str(services["ironing"].pk), "rate_card_item_id": item_id, "quantity": 1}]
    assert_error(place(user, payload), 404, "VENDOR_NOT_FOUND", "vendor_id")


def test_idempotent_replay(shop):
    _, user, *_ = shop
    key = str(uuid.uuid4())
    payload = body(shop)
    first = place(user, payload, key)
    again = place(user, payload, key)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert Order.objects.count() == 1
    assert_error(client_for(user).post("/api/v1/orders", payload, format="json"), 400, "IDEMPOTENCY_KEY_REQUIRED")


def detail(user, order_id):
    return client_for(user).get(f"/api/v1/orders/{order_id}")


def test_detail_and_who_sees_it(shop):
    society, user, partner, services, _ = shop
    order_id = place(user, body(shop)).json()["data"]["order"]["order_id"]

    response = detail(user, order_id)
    assert response.status_code == 200, response.content
    order = response.json()["data"]["order"]
    assert order["resident"]["society_name"] == society.name
    assert order["vendor"]["store_address"] == "Shop 1"
    assert [(i["item_name"], i["quantity"], i["total_price"]) for i in order["items"]] == [
        ("Shirt", 5, 50.0),
        ("Shirt", 3, 75.0),
        ("Trousers", 2, 60.0),
        ("Suit", 1, 150.0),
    ]
    pickup_day = timezone.localdate() + timedelta(days=3)
    statuses = [
        (s["service_name"], s["status"], s["current_step"], s["current_step_order"], s["expected_delivery_date"])
        for s in order["service_status"]
    ]
    assert statuses == [
        ("Ironing Only", "PICKUP_SCHEDULED", "Pickup Items", 1, (pickup_day + timedelta(days=1)).isoformat()),
        ("Washing + Ironing", "PICKUP_SCHEDULED", "Pickup Items", 1, (pickup_day + timedelta(days=2)).isoformat()),
        ("Dry Cleaning", "PICKUP_SCHEDULED", "Pickup Items", 1, (pickup_day + timedelta(days=5)).isoformat()),
    ]
    assert {s["ready_at"] for s in order["service_status"]} == {None}
    assert order["pricing"]["actual_item_count"] is None
    assert [t["status"] for t in order["timeline"]] == ["BOOKING_CREATED", "PICKUP_SCHEDULED"]
    assert detail(partner.user, order_id).status_code == 200
    assert detail(society_admin(society), order_id).status_code == 200
    assert_error(detail(society_admin(apartment(towers=1, floors=1, flats=1)), order_id), 404, "ORDER_NOT_FOUND")

    neighbour = living_in(society, "B-001", ApprovalStatus.VERIFIED)
    assert_error(detail(neighbour, order_id), 404, "ORDER_NOT_FOUND")
    other_vendor = serving(society, "Other", prices={services["ironing"]: [("Shirt", "8.00")]})
    assert_error(detail(other_vendor.user, order_id), 404, "ORDER_NOT_FOUND")
    assert_error(detail(user, uuid.uuid4()), 404, "ORDER_NOT_FOUND")


def test_detail_query_count_does_not_depend_on_items_or_services(shop):
    _, user, *_ = shop
    one = place(user, body(shop, lines=[("ironing", "IRONING", "Shirt", 1, "10.00")])).json()["data"]["order"]
    five = place(user, body(shop)).json()["data"]["order"]
    counts = []
    for order in (one, five):
        client = client_for(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/orders/{order['order_id']}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_detail_query_count_is_the_same_for_one_line_and_twenty(shop):
    society, user, *_ = shop
    ironing, washing = laundry_services()
    names = [f"Item {n}" for n in range(10)]
    wide = serving(society, "Wide", prices={s: [(n, "10.00") for n in names] for s in (ironing, washing)})
    published = [i for c in RateCard.objects.filter(partner=wide) for i in c.published_items]
    assert len(published) == 20

    def order_of(lines):
        items = [{"service_id": i["service_id"], "rate_card_item_id": i["item_id"], "quantity": 2} for i in lines]
        payload = {"vendor_id": str(wide.pk), "society_id": society.pk, "pickup_datetime": pickup(), "items": items}
        response = place(user, payload)
        assert response.status_code == 201, response.content
        return response.json()["data"]["order"]["order_id"]

    counts = []
    for order_id in (order_of(published[:1]), order_of(published)):
        with CaptureQueriesContext(connection) as queries:
            answer = client_for(user).get(f"/api/v1/orders/{order_id}")
        assert answer.status_code == 200
        counts.append((len(queries), len(answer.json()["data"]["order"]["items"])))
    assert counts[0][0] == counts[1][0], counts
    assert [c[1] for c in counts] == [1, 20]
