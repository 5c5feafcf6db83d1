"""GET /orders: a resident's orders and a vendor's orders, filtered by status, paginated, in constant queries."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from orders.models import Order, OrderRating, OrderStatus
from societies.models import ApprovalStatus, Residence, UnitType
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.conftest import client_for
from tests.orders.helpers import living_in, neighbourhood, placed, serving
from tests.societies.helpers import unit

pytestmark = pytest.mark.django_db


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["data"]["orders"]


def test_a_resident_lists_the_orders_they_placed_newest_first():
    society, resident, partner = neighbourhood()
    first, second = placed(society, resident, partner, quantity=3), placed(society, resident, partner)
    neighbour = living_in(society, "A-002", ApprovalStatus.VERIFIED)
    Residence.objects.filter(user=neighbour).update(is_active=True)
    placed(society, neighbour, partner)

    listed = rows(client_for(resident).get("/api/v1/orders"))

    assert [r["order_id"] for r in listed] == [str(second.pk), str(first.pk)]
    row = listed[1]
    assert row == {
        "order_id": str(first.pk),
        "order_number": first.order_number,
        "status": "PICKUP_SCHEDULED",
        "vendor": {"vendor_id": str(partner.pk), "business_name": "Sparkle"},
        "resident": {"full_name": resident.full_name, "flat_number": "A-001"},
        "pickup_datetime": timezone.localtime(first.pickup_datetime).isoformat(),
        "estimated_price": 30.0,
        "final_price": None,
        "item_count": 3,
        "rating": None,
        "created_at": timezone.localtime(first.created_at).isoformat(),
    }


def test_a_vendor_lists_the_orders_placed_with_them_and_no_others():
    society, resident, partner = neighbourhood()
    mine = placed(society, resident, partner)
    rival = serving(society, "Rival")
    placed(society, resident, rival)

    listed = rows(client_for(partner.user).get("/api/v1/orders"))

    assert [r["order_id"] for r in listed] == [str(mine.pk)]
    assert listed[0]["resident"] == {"full_name": resident.full_name, "flat_number": "A-001"}


def test_status_filters_on_one_status_or_several():
    society, resident, partner = neighbourhood()
    _, delivered, closed = (placed(society, resident, partner) for _ in range(3))
    Order.objects.filter(pk=delivered.pk).update(status=OrderStatus.DELIVERED, final_price="20.00", actual_item_count=2)
    Order.objects.filter(pk=closed.pk).update(status=OrderStatus.CLOSED)
    client = client_for(partner.user)

    only = rows(client.get("/api/v1/orders?status=DELIVERED"))
    several = rows(client.get("/api/v1/orders?status=delivered,CLOSED"))

    assert [(r["order_id"], r["final_price"]) for r in only] == [(str(delivered.pk), 20.0)]
    assert {r["order_id"] for r in several} == {str(delivered.pk), str(closed.pk)}


def test_an_unknown_status_is_422_on_status():
    _, resident, _ = neighbourhood()

    response = client_for(resident).get("/api/v1/orders?status=DELIVERED,SHIPPED")

    assert_error(response, 422, "VALIDATION_ERROR", field="status")


def test_role_vendor_without_a_vendor_profile_is_403_on_role():
    _, resident, _ = neighbourhood()

    response = client_for(resident).get("/api/v1/orders?role=vendor")

    assert_error(response, 403, "FORBIDDEN", field="role")


def test_a_vendor_who_also_orders_lists_as_a_vendor_by_default_and_as_a_resident_when_asked():
    society, resident, partner = neighbourhood()
    placed_with_me = placed(society, resident, partner)
    Residence.objects.create(
        user=partner.user,
        society=society,
        unit=unit(society, "A-002"),
        unit_type=UnitType.FLAT,
        verification_status=ApprovalStatus.VERIFIED,
        is_active=True,
    )
    rival = serving(society, "Rival")
    placed_by_me = placed(society, partner.user, rival)
    client = client_for(partner.user)

    as_vendor = rows(client.get("/api/v1/orders"))
    also_as_vendor = rows(client.get("/api/v1/orders?role=vendor"))
    as_resident = rows(client.get("/api/v1/orders?role=resident"))

    assert [r["order_id"] for r in as_vendor] == [r["order_id"] for r in also_as_vendor] == [str(placed_with_me.pk)]
    assert [r["order_id"] for r in as_resident] == [str(placed_by_me.pk)]


def test_a_resident_without_orders_gets_an_empty_page():
    _, resident, _ = neighbourhood()

    data = client_for(resident).get("/api/v1/orders").json()["data"]

    assert data == {"orders": [], "pagination": {"page": 1, "limit": 20, "total": 0, "total_pages": 0}}


def test_pages_follow_page_and_limit():
    society, resident, partner = neighbourhood()
    made = [placed(society, resident, partner) for _ in range(3)]

    data = client_for(resident).get("/api/v1/orders?limit=2&page=2").json()["data"]

    assert [r["order_id"] for r in data["orders"]] == [str(made[0].pk)]
    assert data["pagination"] == {"page": 2, "limit": 2, "total": 3, "total_pages": 2}


def test_the_row_shows_the_residents_rating():
    society, resident, partner = neighbourhood()
    order = placed(society, resident, partner)
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.DELIVERED)
    OrderRating.objects.create(order=order, partner=partner, user=resident, rating=4)

    assert rows(client_for(resident).get("/api/v1/orders"))[0]["rating"] == 4


def test_signed_out_is_401():
    assert_error(APIClient().get("/api/v1/orders"), 401, "UNAUTHORIZED")


def test_the_query_count_is_the_same_for_2_and_8_orders():
    small_society, small_resident, small_vendor = neighbourhood()
    large_society, large_resident, large_vendor = neighbourhood()
    for society, resident, vendor, size in (
        (small_society, small_resident, small_vendor, 2),
        (large_society, large_resident, large_vendor, 8),
    ):
        for _ in range(size):
            OrderRating.objects.create(order=placed(society, resident, vendor), partner=vendor, user=resident, rating=5)
    paths = ["/api/v1/orders", "/api/v1/orders?status=PICKUP_SCHEDULED"]

    # the token's user, the caller's vendor profile, the total, the page (vendor, resident, unit, rating joined)
    for small_user, large_user in ((small_resident, large_resident), (small_vendor.user, large_vendor.user)):
        small = query_counts(client_for(small_user), paths)
        large = query_counts(client_for(large_user), paths)
        assert small == large
    assert len(rows(client_for(large_vendor.user).get("/api/v1/orders"))) == 8
