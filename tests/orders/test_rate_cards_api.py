"""Seed 001 section 4 through the API: create, read, edit items and publish a vendor's rate card."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from catalog.models import Category, Service
from orders.models import RateCard
from partners.models import OnboardingStatus
from societies.models import ApprovalStatus, VendorAccess
from tests.accounts.helpers import assert_error
from tests.conftest import client_for, make_user
from tests.societies.helpers import apartment, laundry_services, resident, vendor

pytestmark = pytest.mark.django_db


def approved_in(society, **fields):
    partner = vendor(**fields)
    VendorAccess.objects.create(
        partner=partner, society=society, requested_at=partner.created_at, approval_status=ApprovalStatus.APPROVED
    )
    return partner


def card_body(society, ironing, washing):
    return {
        "society_id": society.pk,
        "items": [
            {
                "service_id": str(ironing.pk),
                "service_key": "IRONING",
                "items": [
                    {"item_name": "Shirt", "price_per_piece": "10.00", "display_order": 1},
                    {"item_name": "Saree", "price_per_piece": "30.00", "display_order": 2},
                ],
            },
            {
                "service_id": str(washing.pk),
                "items": [{"item_name": "Shirt", "description": "Washed and pressed", "price_per_piece": "25.50"}],
            },
        ],
    }


def create(partner, body):
    return client_for(partner.user).post(f"/api/v1/vendors/{partner.pk}/rate-cards", body, format="json")


def setup_card(publish=False):
    society = apartment(towers=1, floors=1, flats=1)
    partner = approved_in(society)
    ironing, washing = laundry_services()
    card_id = create(partner, card_body(society, ironing, washing)).json()["data"]["rate_card_id"]
    if publish:
        client_for(partner.user).post(f"/api/v1/vendors/{partner.pk}/rate-cards/{card_id}/publish")
    return society, partner, card_id, ironing, washing


def test_a_vendor_creates_a_draft_card_with_price_ranges():
    society = apartment(towers=1, floors=1, flats=1)
    partner = approved_in(society)
    ironing, washing = laundry_services()

    response = create(partner, card_body(society, ironing, washing))

    assert response.status_code == 201, response.content
    assert response.json()["message"] == "Rate card created successfully"
    data = response.json()["data"]
    assert (data["society_id"], data["category"], data["total_items"]) == (society.pk, "LAUNDRY", 3)
    assert (data["is_active"], data["is_published"]) == (True, False)
    ranges = {c["service_name"]: (c["items_count"], c["price_range"]) for c in data["services_covered"]}
    assert ranges == {
        "Ironing Only": (2, {"min": 10.0, "max": 30.0}),
        "Washing + Ironing": (1, {"min": 25.5, "max": 25.5}),
    }
    draft = client_for(partner.user).get(f"/api/v1/vendors/{partner.pk}/rate-cards/{society.pk}").json()["data"]
    assert draft["showing"] == "draft"
    assert [i["item_name"] for i in draft["services"][0]["items"]] == ["Shirt", "Saree"]
    assert draft["services"][0]["items"][0]["price_per_piece"] == 10.0


def test_nobody_but_the_vendor_sees_a_card_never_published():
    society, partner, _, _, _ = setup_card()

    assert_error(
        client_for(resident()).get(f"/api/v1/vendors/{partner.pk}/rate-cards/{society.pk}"),
        404,
        "RATE_CARD_NOT_FOUND",
        "society_id",
    )
    staff = client_for(make_user(Role.SUPER_ADMIN)).get(f"/api/v1/vendors/{partner.pk}/rate-cards/{society.pk}")
    assert (
        staff.json()["data"]["showing"] == "draft"
    )  # staff who may view rate cards (a super admin here) read the draft


def test_a_card_needs_the_vendor_approved_in_the_society_and_is_one_per_category():
    society = apartment(towers=1, floors=1, flats=1)
    ironing, washing = laundry_services()
    pending = vendor()
    VendorAccess.objects.create(partner=pending, society=society, requested_at=pending.created_at)

    error = assert_error(create(pending, card_body(society, ironing, washing)), 403, "VENDOR_NOT_APPROVED", "vendor_id")
    assert error["details"]["context"]["vendor_approval_status"] == "PENDING"

    partner = approved_in(society)
    assert create(partner, card_body(society, ironing, washing)).status_code == 201
    assert_error(create(partner, card_body(society, ironing, washing)), 409, "RATE_CARD_EXISTS", "society_id")
    assert_error(
        client_for(resident()).post(
            f"/api/v1/vendors/{partner.pk}/rate-cards", card_body(society, ironing, washing), format="json"
        ),
        404,
        "PARTNER_NOT_FOUND",
        "vendor_id",
    )
    assert RateCard.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "status", "code", "field"),
    [
        (
            lambda b: b["items"][0]["items"].append({"item_name": "shirt ", "price_per_piece": "12.00"}),
            422,
            "VALIDATION_ERROR",
            "items.0.items.2.item_name",
        ),
        (
            lambda b: b["items"][0]["items"][0].update(price_per_piece="0.00"),
            422,
            "VALIDATION_ERROR",
            "items.0.items.0.price_per_piece",
        ),
        (
            lambda b: b["items"][0]["items"][0].update(price_per_piece="10.005"),
            422,
            "VALIDATION_ERROR",
            "items.0.items.0.price_per_piece",
        ),
        (lambda b: b["items"][0].update(service_key="DRY_CLEANING"), 422, "VALIDATION_ERROR", "items.0.service_key"),
        (
            lambda b: b["items"][1].update(service_id="00000000-0000-0000-0000-000000000000"),
            404,
            "NOT_FOUND",
            "items.1.service_id",
        ),
        (lambda b: b["items"][0].update(items=[]), 422, "VALIDATION_ERROR", "items.0.items.non_field_errors"),
    ],
)
def test_bad_cards_are_refused(change, status, code, field):
    society = apartment(towers=1, floors=1, flats=1)
    partner = approved_in(society)
    body = card_body(society, *laundry_services())
    change(body)

    assert_error(create(partner, body), status, code, field)
    assert not RateCard.objects.exists()


def test_a_card_covers_one_category():
    society = apartment(towers=1, floors=1, flats=1)
    partner = approved_in(society)
    ironing, washing = laundry_services()
    other = Service.objects.create(
        category=Category.objects.create(key="CLEANING", name="Cleaning"),
        name="Sofa",
        service_key="SOFA",
        service_type="Sofa",
        product_cost="100.00",
    )
    body = card_body(society, ironing, washing)
    body["items"][1]["service_id"] = str(other.pk)

    error = assert_error(create(partner, body), 422, "VALIDATION_ERROR", "items")
    assert error["details"]["context"]["categories"] == ["CLEANING", "LAUNDRY"]


def test_publishing_shows_residents_the_card():
    society, partner, card_id, _, _ = setup_card()

    response = client_for(partner.user).post(f"/api/v1/vendors/{partner.pk}/rate-cards/{card_id}/publish")

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["is_published"], data["total_items"], data["services_covered"]) == (True, 3, 2)
    assert data["message"] == f"Your rate card is now visible to all residents in {society.name}"
    seen = client_for(resident()).get(f"/api/v1/vendors/{partner.pk}/rate-cards/{society.pk}").json()["data"]
    assert seen["showing"] == "published"
    assert [(s["service_key"], len(s["items"])) for s in seen["services"]] == [("IRONING", 2), ("WASHING_IRONING", 1)]


def prices(response) -> dict[str, float]:
    """Item name -> price of the card's first service (ironing) in a GET answer."""
    return {i["item_name"]: i["price_per_piece"] for i in response.json()["data"]["services"][0]["items"]}


def test_an_edit_after_publishing_is_a_draft_until_republished():
    society, partner, card_id, ironing, _ = setup_card(publish=True)
    client = client_for(partner.user)
    shirt = RateCard.objects.get(pk=card_id).items.get(item_name="Shirt", service=ironing)

    response = client.put(
        f"/api/v1/vendors/{partner.pk}/rate-cards/{card_id}/items",
        {
            "items": [
                {"item_id": shirt.pk, "price_per_piece": "12.00"},
                {"service_id": str(ironing.pk), "item_name": "Kurta", "price_per_piece": "15.00"},
            ]
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["updated_items"], data["added_items"], data["total_items"]) == (1, 1, 4)
    assert (data["is_published"], data["requires_republish"]) == (False, True)
    url = f"/api/v1/vendors/{partner.pk}/rate-cards/{society.pk}"
    assert prices(client_for(resident()).get(url)) == {"Shirt": 10.0, "Saree": 30.0}  # the published version
    assert prices(client.get(url)) == {"Shirt": 12.0, "Saree": 30.0, "Kurta": 15.0}  # the vendor sees the draft
    client.post(f"/api/v1/vendors/{partner.pk}/rate-cards/{card_id}/publish")
    assert prices(client_for(resident()).get(url)) == {"Shirt": 12.0, "Saree": 30.0, "Kurta": 15.0}


def test_bad_item_edits_are_refused_and_change_nothing():
    _society, partner, card_id, ironing, _ = setup_card(publish=True)
    _other_society, other_partner, other_card, _, _ = setup_card()
    foreign = RateCard.objects.get(pk=other_card).items.first()
    url = f"/api/v1/vendors/{partner.pk}/rate-cards/{card_id}/items"
    client = client_for(partner.user)

    assert_error(
        client.put(url, {"items": [{"item_id": foreign.pk, "price_per_piece": "1.00"}]}, format="json"),
        404,
        "NOT_FOUND",
        "items.0.item_id",
    )
    assert_error(
        client.put(
            url,
            {"items": [{"service_id": str(ironing.pk), "item_name": "Shirt", "price_per_piece": "9.00"}]},
            format="json",
        ),
        422,
        "VALIDATION_ERROR",
        "items.0.item_name",
    )
    assert_error(
        client.put(url, {"items": [{"service_id": str(ironing.pk), "item_name": "Cap"}]}, format="json"),
        400,
        "INVALID_REQUEST",
        "items.0.price_per_piece",
    )
    assert_error(
        client_for(other_partner.user).put(url, {"items": [{"item_id": 1, "price_per_piece": "1.00"}]}, format="json"),
        404,
        "PARTNER_NOT_FOUND",
        "vendor_id",
    )
    assert RateCard.objects.get(pk=card_id).is_published is True


def test_publishing_needs_an_active_item_and_the_platforms_approval():
    _society, partner, card_id, _, _ = setup_card()
    client = client_for(partner.user)
    card = RateCard.objects.get(pk=card_id)
    card.items.update(is_active=False)

    assert_error(
        client.post(f"/api/v1/vendors/{partner.pk}/rate-cards/{card_id}/publish"), 422, "VALIDATION_ERROR", "items"
    )
    card.items.update(is_active=True)
    type(partner).objects.filter(pk=partner.pk).update(onboarding_status=OnboardingStatus.SUBMITTED)
    assert_error(client.post(f"/api/v1/vendors/{partner.pk}/rate-cards/{card_id}/publish"), 403, "VENDOR_NOT_APPROVED")
    assert RateCard.objects.get(pk=card_id).published_at is None


def test_reading_a_card_takes_the_same_queries_for_three_items_and_thirty():
    small_society, small, _small_card, ironing, _ = setup_card(publish=True)
    large_society, large, large_card, _, _ = setup_card()
    client_for(large.user).put(
        f"/api/v1/vendors/{large.pk}/rate-cards/{large_card}/items",
        {
            "items": [
                {"service_id": str(ironing.pk), "item_name": f"Item {n}", "price_per_piece": "5.00"} for n in range(27)
            ]
        },
        format="json",
    )
    client_for(large.user).post(f"/api/v1/vendors/{large.pk}/rate-cards/{large_card}/publish")
    reader = client_for(resident())

    def count(partner, society):
        for show in ("published", "draft"):
            client = reader if show == "published" else client_for(partner.user)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"/api/v1/vendors/{partner.pk}/rate-cards/{society.pk}")
            assert response.json()["data"]["showing"] == show
            yield len(queries)

    assert list(count(small, small_society)) == list(count(large, large_society))


def test_renaming_an_item_onto_another_is_refused_on_that_line():
    _, partner, card_id, ironing, _ = setup_card()
    saree = RateCard.objects.get(pk=card_id).items.get(item_name="Saree", service=ironing)

    assert_error(
        client_for(partner.user).put(
            f"/api/v1/vendors/{partner.pk}/rate-cards/{card_id}/items",
            {"items": [{"item_id": saree.pk, "item_name": "Shirt"}]},
            format="json",
        ),
        422,
        "VALIDATION_ERROR",
        "items.0.item_name",
    )
    saree.refresh_from_db()
    assert saree.item_name == "Saree"


def test_the_society_admin_sees_which_vendors_have_a_rate_card():
    society, partner, _, _, _ = setup_card()
    VendorAccess.objects.filter(partner=partner, society=society).update(approval_status=ApprovalStatus.PENDING)
    without = approved_in(society)
    VendorAccess.objects.filter(partner=without, society=society).update(approval_status=ApprovalStatus.PENDING)

    rows = client_for(make_user(Role.ADMIN)).get(f"/api/v1/admin/society/{society.pk}/vendors/pending").json()["data"]

    assert {row["vendor_id"]: row["has_rate_card"] for row in rows["vendors"]} == {
        str(partner.pk): True,
        str(without.pk): False,
    }
