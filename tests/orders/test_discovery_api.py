"""Seed 001 sections 5.2-5.3 through the API: the vendors serving a society and one vendor's details."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from orders.models import Order
from orders.services import rate_cards
from partners.models import OnboardingStatus
from societies.models import ApprovalStatus, Residence, VendorAccess
from tests.accounts.helpers import assert_error
from tests.conftest import client_for, make_user
from tests.orders.helpers import card, dry_cleaning, living_in, serving
from tests.societies.helpers import apartment, group, laundry_services, resident, society_admin, unit

pytestmark = pytest.mark.django_db


_numbers = itertools.count(1)


def listing(user, society, **params):
    return client_for(user).get(f"/api/v1/societies/{society.pk}/vendors", params)


def history(partner, society, *, delivered=0, open_=0, cancelled=0):
    """Past orders of ``partner`` (rows as test setup): delivered ones, open ones and cancelled ones."""
    user = living_in(society, "A-001", ApprovalStatus.VERIFIED)
    residence = Residence.objects.get(user=user)
    now = timezone.now()
    statuses = ["CLOSED"] * delivered + ["PICKUP_SCHEDULED"] * open_ + ["CANCELLED"] * cancelled
    Order.objects.bulk_create(
        Order(
            order_number=f"ORD19990101{next(_numbers):06d}",
            partner=partner,
            residence=residence,
            society=society,
            status=status,
            pickup_datetime=now,
            estimated_item_count=1,
            estimated_price=Decimal("10.00"),
            expected_delivery_date=now.date(),
        )
        for status in statuses
    )


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [v["business_name"] for v in response.json()["data"]["vendors"]]


@pytest.fixture
def towers():
    """Tower A and B; vendors for the whole society, Tower A, Tower B, and one with no area yet."""
    society = apartment(towers=2, floors=1, flats=1)
    ironing, washing = laundry_services()
    whole = serving(
        society,
        "Whole",
        prices={ironing: [("Shirt", "12.00"), ("Saree", "9.50")], washing: [("Shirt", "25.00")]},
        turnaround={ironing: 24},
        rating=Decimal("4.50"),
        total_bookings=99,  # jobs of the dispatched kind do not count as orders
    )
    history(whole, society, delivered=5, open_=2, cancelled=3)
    serving(society, "A only", areas=[group(society, "TA")])
    serving(society, "B only", areas=[group(society, "TB")])
    serving(society, "Nowhere", areas=())
    return society, living_in(society, "A-001"), whole, ironing, washing


def test_a_resident_sees_their_towers_vendors_and_the_society_wide_ones(towers):
    society, user, whole, ironing, washing = towers

    response = listing(user, society)

    assert sorted(names(response)) == ["A only", "Whole"]
    data = response.json()["data"]
    tower_a = group(society, "TA")
    info = {"show_all": False, "filtered_by_group": True, "group_id": tower_a.pk, "group_name": "Tower A"}
    assert data["filter_info"] == info | {"group_type": "TOWER", "total_vendors_in_society": 4, "vendors_shown": 2}
    rows = {v["business_name"]: v for v in data["vendors"]}
    ids = {"vendor_id": str(whole.pk), "business_name": "Whole", "store_address": "Shop 1", "store_photo_url": ""}
    figures = {"avg_rating": 4.5, "total_orders": 7, "completed_orders": 5, "is_available": True}
    expected = ids | figures | {"has_rate_card": True, "is_published": True}
    assert {k: rows["Whole"][k] for k in expected} == expected
    assert set(rows["Whole"]) == {*expected, "service_areas", "services_offered"}
    assert tuple(rows["Whole"]["service_areas"].values()) == ("SOCIETY", True, None)
    offered = [tuple(s.values()) for s in rows["Whole"]["services_offered"]]
    assert offered == [
        (str(ironing.pk), "Ironing Only", "IRONING", "LAUNDRY", 24, 9.5),
        (str(washing.pk), "Washing + Ironing", "WASHING_IRONING", "LAUNDRY", None, 25.0),
    ]
    keys = "service_id service_name service_key category turnaround_hours starting_price"
    assert list(rows["Whole"]["services_offered"][0]) == keys.split()
    assert rows["A only"]["service_areas"] == {
        "assignment_type": "GROUP",
        "covers_entire_society": False,
        "assigned_groups": [{"group_id": tower_a.pk, "group_name": "Tower A", "group_type": "TOWER"}],
    }


def test_group_id_replaces_the_residents_group(towers):
    society, user, *_ = towers
    tower_b = group(society, "TB")

    response = listing(user, society, group_id=tower_b.pk)

    assert sorted(names(response)) == ["B only", "Whole"]
    info = response.json()["data"]["filter_info"]
    assert (info["group_id"], info["group_name"], info["vendors_shown"]) == (tower_b.pk, "Tower B", 2)
    floor = unit(society, "A-001").parent
    assert_error(listing(user, society, group_id=floor.pk), 404, "NODE_NOT_FOUND", "group_id")
    elsewhere = apartment(towers=1, floors=1, flats=1)
    assert_error(listing(user, society, group_id=group(elsewhere, "TA").pk), 404, "NODE_NOT_FOUND", "group_id")


def test_show_all_lists_every_vendor_serving_the_society(towers):
    society, user, *_ = towers

    for extra in ({}, {"group_id": group(society, "TB").pk}):
        response = listing(user, society, show_all="true", **extra)
        assert sorted(names(response)) == ["A only", "B only", "Nowhere", "Whole"]
        info = response.json()["data"]["filter_info"]
        nothing = {"group_id": None, "group_name": None, "group_type": None}
        counts = {"total_vendors_in_society": 4, "vendors_shown": 4}
        assert info == {"show_all": True, "filtered_by_group": False, **nothing, **counts}
    nowhere = next(v for v in response.json()["data"]["vendors"] if v["business_name"] == "Nowhere")
    assert nowhere["service_areas"] == {"assignment_type": None, "covers_entire_society": False, "assigned_groups": []}


def test_only_vendors_approved_by_both_with_a_live_card_are_listed(towers):
    society, user, *_ = towers
    serving(society, "Draft only", publish=False)
    society_pending = serving(society, "Society pending")
    VendorAccess.objects.filter(partner=society_pending).update(approval_status=ApprovalStatus.PENDING)
    platform_pending = serving(society, "Platform pending")
    platform_pending.onboarding_status = OnboardingStatus.SUBMITTED
    platform_pending.save()
    switched_off = serving(society, "Card off")
    switched_off.rate_cards.update(is_active=False)
    other = apartment(towers=1, floors=1, flats=1)
    serving(other, "Elsewhere")

    response = listing(user, society, show_all="true")

    assert sorted(names(response)) == ["A only", "B only", "Nowhere", "Whole"]
    assert response.json()["data"]["filter_info"]["total_vendors_in_society"] == 4


def test_a_card_edited_after_publishing_shows_its_published_prices_until_republished(towers):
    society, user, whole, ironing, _ = towers
    live = whole.rate_cards.get()
    saree = live.items.get(item_name="Saree")
    rate_cards.rate_card_update_items(
        user=whole.user,
        vendor_id=whole.pk,
        rate_card_id=live.pk,
        items=[
            {"item_id": saree.pk, "price_per_piece": Decimal("3.00")},
            {"service_id": ironing.pk, "item_name": "Towel", "price_per_piece": Decimal("2.00")},
        ],
    )

    row = next(v for v in listing(user, society).json()["data"]["vendors"] if v["business_name"] == "Whole")
    assert (row["is_published"], row["services_offered"][0]["starting_price"]) == (False, 9.5)
    detail = client_for(user).get(f"/api/v1/vendors/{whole.pk}", {"society_id": society.pk}).json()["data"]
    items = detail["vendor"]["rate_card"]["services"][0]["items"]
    assert [(i["item_name"], i["price_per_piece"]) for i in items] == [("Shirt", 12.0), ("Saree", 9.5)]
    assert detail["vendor"]["rate_card"]["is_published"] is False

    rate_cards.rate_card_publish(user=whole.user, vendor_id=whole.pk, rate_card_id=live.pk)
    row = next(v for v in listing(user, society).json()["data"]["vendors"] if v["business_name"] == "Whole")
    assert (row["is_published"], row["services_offered"][0]["starting_price"]) == (True, 2.0)


def test_category_and_service_filters():
    society = apartment(towers=1, floors=1, flats=1)
    ironing, washing = laundry_services()
    dry = dry_cleaning()
    serving(society, "Irons", prices={ironing: [("Shirt", "10.00")]})
    serving(society, "Washes", prices={washing: [("Shirt", "20.00")]})
    both = serving(society, "Both", prices={ironing: [("Shirt", "11.00")]})
    card(both, society, {dry: [("Suit", "200.00")]})
    serving(society, "Dry", prices={dry: [("Suit", "180.00")]})
    user = living_in(society, "A-001", ApprovalStatus.VERIFIED)

    assert sorted(names(listing(user, society, category="LAUNDRY"))) == ["Both", "Irons", "Washes"]
    assert sorted(names(listing(user, society, category="dry_cleaning"))) == ["Both", "Dry"]
    assert sorted(names(listing(user, society, service_id=str(ironing.pk)))) == ["Both", "Irons"]
    assert names(listing(user, society, service_id=str(washing.pk), category="LAUNDRY")) == ["Washes"]
    assert names(listing(user, society, category="PLUMBING")) == []
    both_row = next(v for v in listing(user, society).json()["data"]["vendors"] if v["business_name"] == "Both")
    assert [(s["category"], s["starting_price"]) for s in both_row["services_offered"]] == [
        ("LAUNDRY", 11.0),
        ("DRY_CLEANING", 200.0),
    ]
    assert_error(listing(user, society, service_id="not-a-uuid"), 422, "VALIDATION_ERROR", "service_id")


def test_sorting_by_rating_delivery_time_and_orders_both_ways():
    society = apartment(towers=1, floors=1, flats=1)
    ironing, washing = laundry_services()
    fast = serving(society, "Fast", turnaround={ironing: 12, washing: 48}, rating=Decimal("3.00"))
    starred = serving(society, "Starred", turnaround={ironing: 48}, rating=Decimal("4.80"), total_bookings=80)
    busy = serving(society, "Busy", turnaround={ironing: 72}, rating=Decimal("4.00"))
    serving(society, "Unknown", rating=Decimal("1.00"))
    history(fast, society, delivered=3, open_=1)
    history(starred, society, delivered=1, cancelled=6)
    history(busy, society, delivered=2, open_=5)
    user = living_in(society, "A-001")

    assert names(listing(user, society)) == ["Starred", "Busy", "Fast", "Unknown"]
    assert names(listing(user, society, order="asc")) == ["Unknown", "Fast", "Busy", "Starred"]
    assert names(listing(user, society, sort_by="orders")) == ["Busy", "Fast", "Starred", "Unknown"]
    assert names(listing(user, society, sort_by="orders", order="asc")) == ["Unknown", "Starred", "Fast", "Busy"]
    # a vendor with no turnaround for its services comes last both ways
    assert names(listing(user, society, sort_by="delivery_time", order="asc")) == ["Fast", "Starred", "Busy", "Unknown"]
    assert names(listing(user, society, sort_by="delivery_time")) == ["Busy", "Starred", "Fast", "Unknown"]
    assert_error(listing(user, society, sort_by="price"), 422, "VALIDATION_ERROR", "sort_by")
    assert_error(listing(user, society, order="up"), 422, "VALIDATION_ERROR", "order")


def test_pages_carry_seed_001s_pagination_keys():
    society = apartment(towers=1, floors=1, flats=1)
    for n in range(5):
        serving(society, f"Vendor {n}", rating=Decimal(f"{n}.00"))
    user = living_in(society, "A-001")

    response = listing(user, society, page=2, limit=2)

    assert names(response) == ["Vendor 2", "Vendor 1"]
    data = response.json()["data"]
    seed = {"current_page": 2, "total_pages": 3, "total_items": 5, "items_per_page": 2}
    assert data["pagination"] == seed | {"page": 2, "limit": 2, "total": 5}
    assert (data["filter_info"]["vendors_shown"], data["filter_info"]["total_vendors_in_society"]) == (5, 5)


def test_who_may_look(towers):
    society, _, whole, *_ = towers
    detail = f"/api/v1/vendors/{whole.pk}"

    for outsider in (
        resident(),
        living_in(apartment(towers=1, floors=1, flats=1), "A-001", ApprovalStatus.VERIFIED),
        living_in(society, "B-001", ApprovalStatus.REJECTED),
        society_admin(apartment(towers=1, floors=1, flats=1)),
    ):
        assert_error(listing(outsider, society), 403, "FORBIDDEN")
        assert_error(client_for(outsider).get(detail, {"society_id": society.pk}), 403, "FORBIDDEN")
    for staff in (make_user(Role.SUPER_ADMIN), society_admin(society)):
        response = listing(staff, society)
        assert sorted(names(response)) == ["A only", "B only", "Nowhere", "Whole"]  # no unit: everything
        assert response.json()["data"]["filter_info"]["show_all"] is True
        assert client_for(staff).get(detail, {"society_id": society.pk}).status_code == 200
    assert_error(client_for(resident()).get("/api/v1/societies/999999/vendors"), 404, "SOCIETY_NOT_FOUND")
    assert_error(client_for(resident()).get(detail, {"society_id": 999999}), 404, "SOCIETY_NOT_FOUND")
    anonymous = client_for(resident())
    anonymous.credentials()
    assert anonymous.get(f"/api/v1/societies/{society.pk}/vendors").status_code == 401


def test_vendor_details_with_the_published_card(towers):
    society, user, whole, ironing, washing = towers

    response = client_for(user).get(f"/api/v1/vendors/{whole.pk}/", {"society_id": society.pk})

    assert response.status_code == 200, response.content
    live = whole.rate_cards.get()
    vendor = response.json()["data"]["vendor"]
    picked = ("vendor_id", "full_name", "phone", "avg_rating", "total_orders", "recent_reviews")
    assert [vendor[k] for k in picked] == [str(whole.pk), whole.user.full_name, whole.user.phone, 4.5, 7, []]
    assert set(vendor) == {
        *("vendor_id", "business_name", "full_name", "phone", "store_address", "store_photo_url", "avg_rating"),
        *("total_orders", "completed_orders", "is_available", "services_offered", "rate_card", "recent_reviews"),
    }
    assert [tuple(s.values()) for s in vendor["services_offered"]] == [
        (str(ironing.pk), "Ironing Only", "IRONING", "LAUNDRY", 24, "PER_ITEM"),
        (str(washing.pk), "Washing + Ironing", "WASHING_IRONING", "LAUNDRY", None, "PER_ITEM"),
    ]
    rate_card = vendor["rate_card"]
    assert (rate_card["rate_card_id"], rate_card["society_id"], rate_card["is_published"]) == (
        live.pk,
        society.pk,
        True,
    )
    item = {i.item_name + i.service.service_key: i.pk for i in live.items.select_related("service")}
    assert rate_card["services"] == [
        {
            "service_id": str(ironing.pk),
            "service_name": "Ironing Only",
            "items": [
                {"item_id": item["ShirtIRONING"], "item_name": "Shirt", "price_per_piece": 12.0},
                {"item_id": item["SareeIRONING"], "item_name": "Saree", "price_per_piece": 9.5},
            ],
        },
        {
            "service_id": str(washing.pk),
            "service_name": "Washing + Ironing",
            "items": [{"item_id": item["ShirtWASHING_IRONING"], "item_name": "Shirt", "price_per_piece": 25.0}],
        },
    ]


def test_vendor_details_need_a_society_the_vendor_serves(towers):
    society, user, whole, *_ = towers
    draft_only = serving(society, "Draft only", publish=False)
    not_approved = serving(society, "Pending")
    VendorAccess.objects.filter(partner=not_approved).update(approval_status=ApprovalStatus.PENDING)
    elsewhere = serving(apartment(towers=1, floors=1, flats=1), "Elsewhere")

    assert_error(client_for(user).get(f"/api/v1/vendors/{whole.pk}"), 400, "INVALID_REQUEST", "society_id")
    for vendor_id in (draft_only.pk, not_approved.pk, elsewhere.pk, "00000000-0000-0000-0000-000000000000"):
        response = client_for(user).get(f"/api/v1/vendors/{vendor_id}", {"society_id": society.pk})
        assert_error(response, 404, "VENDOR_NOT_FOUND", "vendor_id")


def test_the_category_picks_which_card_the_details_show():
    society = apartment(towers=1, floors=1, flats=1)
    ironing, _ = laundry_services()
    dry = dry_cleaning()
    partner = serving(society, "Both", prices={ironing: [("Shirt", "11.00")]})
    dry_card = card(partner, society, {dry: [("Suit", "200.00")]})
    user = living_in(society, "A-001")
    url = f"/api/v1/vendors/{partner.pk}"

    first = client_for(user).get(url, {"society_id": society.pk}).json()["data"]["vendor"]["rate_card"]
    chosen = client_for(user).get(url, {"society_id": society.pk, "category": "dry_cleaning"}).json()["data"]
    assert first["services"][0]["service_name"] == "Ironing Only"
    assert chosen["vendor"]["rate_card"]["rate_card_id"] == dry_card.pk


def _count(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(queries)


def test_the_query_count_does_not_grow_with_the_vendors():
    ironing, washing = laundry_services()
    counts = []
    for size in (1, 52):
        society = apartment(towers=2, floors=1, flats=1)
        for n in range(size):
            partner = serving(
                society,
                f"Vendor {n}",
                areas=[group(society, "TA"), group(society, "TB")] if n % 2 else ("SOCIETY",),
                prices={ironing: [("Shirt", "10.00"), ("Saree", "20.00")], washing: [("Shirt", "30.00")]},
                turnaround={ironing: 24, washing: 48},
            )
        client = client_for(living_in(society, "A-001"))
        url = f"/api/v1/societies/{society.pk}/vendors"
        counts.append(
            (
                _count(client, url, {}),
                _count(client, url, {"show_all": "true", "sort_by": "delivery_time"}),
                _count(client, url, {"group_id": group(society, "TB").pk, "category": "LAUNDRY"}),
                _count(client, f"/api/v1/vendors/{partner.pk}", {"society_id": society.pk}),
            )
        )
        assert client.get(url).json()["data"]["filter_info"]["total_vendors_in_society"] == size
    assert counts[0] == counts[1], counts
