"""Seed 001 2.3.1 through the API: a vendor copies its services and rate cards from one society to another."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection

from catalog.models import Category, Service
from orders.models import RateCard, RateCardItem, SocietyVendorService
from partners.models import VendorService
from societies.models import ApprovalStatus, VendorAccess
from tests.accounts.helpers import assert_error
from tests.accounts.test_concurrency import run_together
from tests.conftest import client_for
from tests.societies.helpers import apartment, laundry_services, resident, vendor

pytestmark = pytest.mark.django_db


def allow(partner, society, status=ApprovalStatus.APPROVED):
    VendorAccess.objects.create(
        partner=partner, society=society, requested_at=partner.created_at, approval_status=status
    )


def car_wash():
    category, _ = Category.objects.get_or_create(key="VEHICLE", defaults={"name": "Vehicle", "display_order": 5})
    return Service.objects.get_or_create(
        category=category,
        service_key="CAR_WASH",
        defaults={"name": "Car Wash", "default_turnaround_hours": 30, "product_cost": "50.00", "service_type": "Wash"},
    )[0]


def create_card(partner, society, lines):
    body = {
        "society_id": society.pk,
        "items": [{"service_id": str(service.pk), "items": items} for service, items in lines],
    }
    response = client_for(partner.user).post(f"/api/v1/vendors/{partner.pk}/rate-cards", body, format="json")
    assert response.status_code == 201, response.content
    return RateCard.objects.get(pk=response.json()["data"]["rate_card_id"])


class World:
    """A vendor approved in a source society (a published LAUNDRY card, a VEHICLE card, a per-society
    turnaround for ironing, a vendor default for washing) and in a target society (``target_status``)."""

    def __init__(self, target_status=ApprovalStatus.APPROVED):
        self.source = apartment(towers=1, floors=1, flats=1, name="Maple Gardens")
        self.target = apartment(towers=1, floors=1, flats=1, name="Beach View Apartments")
        self.partner = vendor()
        allow(self.partner, self.source)
        allow(self.partner, self.target, target_status)
        self.ironing, self.washing = laundry_services()
        self.car_wash = car_wash()
        self.laundry_card = create_card(
            self.partner,
            self.source,
            [
                (
                    self.ironing,
                    [
                        {"item_name": "Shirt", "price_per_piece": "10.00", "display_order": 1},
                        {"item_name": "Saree", "price_per_piece": "30.50", "display_order": 2, "description": "Silk"},
                    ],
                ),
                (self.washing, [{"item_name": "Shirt", "price_per_piece": "25.00"}]),
            ],
        )
        RateCardItem.objects.create(
            rate_card=self.laundry_card,
            service=self.ironing,
            item_name="Old coat",
            price_per_piece="99.00",
            is_active=False,
        )
        publish = client_for(self.partner.user).post(
            f"/api/v1/vendors/{self.partner.pk}/rate-cards/{self.laundry_card.pk}/publish"
        )
        assert publish.status_code == 200, publish.content
        self.vehicle_card = create_card(
            self.partner, self.source, [(self.car_wash, [{"item_name": "Hatchback", "price_per_piece": "199.00"}])]
        )
        SocietyVendorService.objects.create(
            partner=self.partner, society=self.source, service=self.ironing, turnaround_hours=12
        )
        VendorService.objects.create(partner=self.partner, service=self.washing, turnaround_hours=36)

    def copy(self, client=None, **body):
        body = {"source_society_id": self.source.pk, "target_society_id": self.target.pk, **body}
        client = client or client_for(self.partner.user)
        return client.post(f"/api/v1/vendors/{self.partner.pk}/services/copy", body, format="json")

    def target_rows(self):
        return {
            row.service_id: (row.turnaround_hours, row.is_active)
            for row in SocietyVendorService.objects.filter(partner=self.partner, society=self.target)
        }

    def nothing_in_target(self):
        assert not SocietyVendorService.objects.filter(society=self.target).exists()
        assert not RateCard.objects.filter(society=self.target).exists()


def services_of(category):
    return {s["service_name"]: (s["turnaround_hours"], s["rate_card_items"]) for s in category["services"]}


def test_a_vendor_copies_every_service_and_card_to_the_new_society_unpublished():
    world = World()
    source_items = list(RateCardItem.objects.filter(rate_card__society=world.source).values().order_by("pk"))
    source_snapshot = RateCard.objects.get(pk=world.laundry_card.pk).published_items

    response = world.copy()

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["message"] == "Services copied successfully to target society"
    data = body["data"]
    assert data["source_society"] == {"society_id": world.source.pk, "society_name": "Maple Gardens"}
    assert data["target_society"] == {"society_id": world.target.pk, "society_name": "Beach View Apartments"}
    assert (data["total_categories_copied"], data["total_services_copied"], data["total_rate_card_items_copied"]) == (
        2,
        3,
        4,
    )
    laundry, vehicle = data["categories_copied"]
    assert (laundry["category_name"], laundry["parent_category_id"]) == ("LAUNDRY", world.ironing.category_id)
    # turnaround: the source society's row (ironing), the vendor default (washing), the service default (car wash)
    assert services_of(laundry) == {"Ironing Only": (12, 2), "Washing + Ironing": (36, 1)}
    assert services_of(vehicle) == {"Car Wash": (30, 1)}
    assert laundry["rate_card_status"] == vehicle["rate_card_status"] == "UNPUBLISHED"

    card = RateCard.objects.get(pk=laundry["rate_card_id"])
    assert (card.partner_id, card.society_id, card.category_id) == (
        world.partner.pk,
        world.target.pk,
        world.ironing.category_id,
    )
    assert (card.is_published, card.published_at, card.published_items) == (False, None, [])
    copied = {
        (i.service_id, i.item_name): (i.price_per_piece, i.description, i.display_order, i.is_active)
        for i in card.items.all()
    }
    assert copied == {
        (world.ironing.pk, "Shirt"): (Decimal("10.00"), "", 1, True),
        (world.ironing.pk, "Saree"): (Decimal("30.50"), "Silk", 2, True),
        (world.washing.pk, "Shirt"): (Decimal("25.00"), "", 0, True),
    }  # the inactive "Old coat" stays behind
    assert RateCard.objects.get(pk=vehicle["rate_card_id"]).items.get().price_per_piece == Decimal("199.00")
    assert world.target_rows() == {
        world.ironing.pk: (12, True),
        world.washing.pk: (36, True),
        world.car_wash.pk: (30, True),
    }

    # the source is untouched: its items, its published snapshot, its per-society row
    assert list(RateCardItem.objects.filter(rate_card__society=world.source).values().order_by("pk")) == source_items
    source = RateCard.objects.get(pk=world.laundry_card.pk)
    assert source.is_published
    assert source.published_items == source_snapshot
    assert SocietyVendorService.objects.filter(society=world.source).count() == 1
    # residents of the target do not see the copied card until the vendor publishes it
    assert_error(
        client_for(resident()).get(f"/api/v1/vendors/{world.partner.pk}/rate-cards/{world.target.pk}"),
        404,
        "RATE_CARD_NOT_FOUND",
    )


def test_without_rate_cards_only_the_services_are_copied_and_turnaround_can_be_left_behind():
    world = World()

    response = world.copy(copy_rate_cards=False, copy_turnaround_times=False)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["total_categories_copied"], data["total_services_copied"], data["total_rate_card_items_copied"]) == (
        2,
        3,
        0,
    )
    laundry, vehicle = data["categories_copied"]
    assert (laundry["rate_card_id"], laundry["rate_card_status"], vehicle["rate_card_id"]) == (None, None, None)
    # ironing's 12 hours in the source are not copied: the service's default 24 instead
    assert services_of(laundry) == {"Ironing Only": (24, 0), "Washing + Ironing": (36, 0)}
    assert not RateCard.objects.filter(society=world.target).exists()
    assert world.target_rows() == {
        world.ironing.pk: (24, True),
        world.washing.pk: (36, True),
        world.car_wash.pk: (30, True),
    }


def test_one_category_only():
    world = World()

    response = world.copy(parent_category_id=world.car_wash.category_id)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert [c["category_name"] for c in data["categories_copied"]] == ["VEHICLE"]
    assert (data["total_services_copied"], data["total_rate_card_items_copied"]) == (1, 1)
    assert list(RateCard.objects.filter(society=world.target).values_list("category__key", flat=True)) == ["VEHICLE"]
    assert set(world.target_rows()) == {world.car_wash.pk}
    assert_error(world.copy(parent_category_id=999_999), 404, "NOT_FOUND", "parent_category_id")


def test_a_subset_of_services():
    world = World()

    error = assert_error(
        world.copy(parent_category_id=world.ironing.category_id, services_to_copy=[str(world.car_wash.pk)]),
        422,
        "VALIDATION_ERROR",
        "services_to_copy",
    )
    assert error["details"]["context"] == {"service_ids": [str(world.car_wash.pk)]}
    world.nothing_in_target()

    response = world.copy(parent_category_id=world.ironing.category_id, services_to_copy=[str(world.washing.pk)])

    assert response.status_code == 200, response.content
    (laundry,) = response.json()["data"]["categories_copied"]
    assert services_of(laundry) == {"Washing + Ironing": (36, 1)}
    card = RateCard.objects.get(pk=laundry["rate_card_id"])
    assert [(i.service_id, i.item_name) for i in card.items.all()] == [(world.washing.pk, "Shirt")]
    assert set(world.target_rows()) == {world.washing.pk}


def test_services_already_in_the_target_refuse_the_whole_copy():
    world = World()
    SocietyVendorService.objects.create(
        partner=world.partner, society=world.target, service=world.ironing, turnaround_hours=8, is_active=False
    )
    target_card = create_card(
        world.partner, world.target, [(world.washing, [{"item_name": "Towel", "price_per_piece": "15.00"}])]
    )

    error = assert_error(world.copy(), 400, "SERVICES_ALREADY_EXIST")

    assert error["message"] == "Some services already exist in the target society"
    action = "Use PUT endpoint to update instead"
    assert error["details"]["context"] == {
        "existing_services": [
            {"service_id": str(world.ironing.pk), "service_name": "Ironing Only", "action": action},
            {"service_id": str(world.washing.pk), "service_name": "Washing + Ironing", "action": action},
        ],
        "services_that_can_be_copied": [str(world.car_wash.pk)],
    }
    # nothing was written: not even the car wash, which could have been copied
    assert world.target_rows() == {world.ironing.pk: (8, False)}
    assert list(RateCard.objects.filter(society=world.target)) == [target_card]
    assert [i.item_name for i in target_card.items.all()] == ["Towel"]

    response = world.copy(services_to_copy=[str(world.car_wash.pk)])  # what can be copied, can
    assert response.status_code == 200, response.content


def test_items_join_the_vendors_published_card_in_the_target_as_a_draft():
    world = World()
    target_card = create_card(
        world.partner, world.target, [(world.washing, [{"item_name": "Towel", "price_per_piece": "15.00"}])]
    )
    client_for(world.partner.user).post(f"/api/v1/vendors/{world.partner.pk}/rate-cards/{target_card.pk}/publish")
    published = RateCard.objects.get(pk=target_card.pk).published_items

    response = world.copy(services_to_copy=[str(world.ironing.pk)])

    assert response.status_code == 200, response.content
    (laundry,) = response.json()["data"]["categories_copied"]
    assert (laundry["rate_card_id"], laundry["rate_card_status"]) == (target_card.pk, "UNPUBLISHED")
    card = RateCard.objects.get(pk=target_card.pk)
    assert not card.is_published
    assert card.published_at is not None
    assert card.published_items == published  # residents keep the last published version
    assert sorted(i.item_name for i in card.items.all()) == ["Saree", "Shirt", "Towel"]


def test_the_vendor_must_be_approved_in_the_target_and_in_the_source():
    world = World(target_status=ApprovalStatus.PENDING)

    error = assert_error(world.copy(), 403, "VENDOR_NOT_APPROVED", "target_society_id")

    assert error["message"] == "Vendor is not approved in the target society"
    assert error["details"]["context"] == {"target_society_id": world.target.pk, "vendor_approval_status": "PENDING"}
    world.nothing_in_target()

    VendorAccess.objects.filter(society=world.target).update(approval_status=ApprovalStatus.APPROVED)
    VendorAccess.objects.filter(society=world.source).update(approval_status=ApprovalStatus.REJECTED)
    error = assert_error(world.copy(), 403, "VENDOR_NOT_APPROVED", "source_society_id")
    assert error["details"]["context"] == {"source_society_id": world.source.pk, "vendor_approval_status": "REJECTED"}
    world.nothing_in_target()

    elsewhere = apartment(towers=1, floors=1, flats=1)
    error = assert_error(world.copy(target_society_id=elsewhere.pk), 403, "VENDOR_NOT_APPROVED", "target_society_id")
    assert error["details"]["context"]["vendor_approval_status"] == "NOT_REQUESTED"


def test_bad_societies_and_someone_elses_vendor():
    world = World()

    assert_error(world.copy(target_society_id=world.source.pk), 422, "VALIDATION_ERROR", "target_society_id")
    assert_error(world.copy(target_society_id=999_999), 404, "SOCIETY_NOT_FOUND", "target_society_id")
    assert_error(world.copy(source_society_id=999_999), 404, "SOCIETY_NOT_FOUND", "source_society_id")
    assert_error(world.copy(client=client_for(vendor().user)), 404, "PARTNER_NOT_FOUND", "vendor_id")
    assert_error(world.copy(client=client_for(resident())), 404, "PARTNER_NOT_FOUND", "vendor_id")
    world.nothing_in_target()


def test_a_vendor_with_nothing_in_the_source_has_nothing_to_copy():
    world = World()
    other = apartment(towers=1, floors=1, flats=1)
    allow(world.partner, other)

    assert_error(world.copy(source_society_id=other.pk), 422, "VALIDATION_ERROR", "source_society_id")


@pytest.mark.django_db(transaction=True)
def test_two_copies_of_the_same_services_at_once_copy_them_once():
    assert connection.vendor == "postgresql"
    world = World()
    for round_ in range(3):
        if round_:
            world.target = apartment(towers=1, floors=1, flats=1)
            allow(world.partner, world.target)
        clients = [client_for(world.partner.user) for _ in range(2)]

        responses = run_together(2, lambda i, clients=clients: world.copy(client=clients[i]))

        assert Counter(r.status_code for r in responses) == {200: 1, 400: 1}, [r.content for r in responses]
        loser = next(r for r in responses if r.status_code == 400)
        assert loser.json()["error"]["code"] == "SERVICES_ALREADY_EXIST"
        assert loser.json()["error"]["details"]["context"]["services_that_can_be_copied"] == []
        assert len(world.target_rows()) == 3
        assert RateCardItem.objects.filter(rate_card__society=world.target).count() == 4
