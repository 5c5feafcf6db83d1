"""The Django admin for society orders: read-only orders with their history, scoped to a society admin's
societies; payment disputes resolved with actions through the service; workflow templates with their steps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from orders.models import Order, OrderDispute, OrderStatus, RateCard
from orders.services.orders import order_create
from societies.models import ApprovalStatus, Residence
from tests.adminpanel.helpers import query_counts
from tests.conftest import make_user
from tests.orders.builders import disputed
from tests.orders.helpers import living_in, serving
from tests.societies.helpers import apartment, laundry_services, society_admin

pytestmark = pytest.mark.django_db


def site(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


ITEMS = [("Shirt", "10.00"), ("Trousers", "12.00"), ("Saree", "25.00"), ("Kurta", "15.00")]


def orders_in(society, count: int, *, vendor_name="Sparkle", flat="A-001", lines=1) -> list[Order]:
    """``count`` orders of a new vendor's resident in ``flat``, each of ``lines`` different items (3 pieces each)."""
    ironing, washing = laundry_services()
    partner = serving(society, vendor_name, prices={ironing: ITEMS, washing: ITEMS})
    user = living_in(society, flat, ApprovalStatus.VERIFIED)
    Residence.objects.filter(user=user).update(is_active=True)
    published = [i for card in RateCard.objects.filter(partner=partner) for i in card.published_items]
    data = {
        "vendor_id": partner.pk,
        "pickup_datetime": timezone.now() + timedelta(days=1),
        "items": [
            {"service_id": i["service_id"], "rate_card_item_id": i["item_id"], "quantity": 3} for i in published[:lines]
        ],
    }
    return [order_create(user=user, society=society, data=data) for _ in range(count)]


def test_the_orders_list_and_an_order_page_read_the_same_number_of_queries_at_two_sizes():
    society = apartment(towers=2, floors=1, flats=1)
    first = orders_in(society, 1)[0]
    client = site(make_user(Role.ADMIN))
    lists = ["/admin/orders/order/", "/admin/orders/orderdispute/"]
    query_counts(client, [*lists, f"/admin/orders/order/{first.pk}/change/"])  # warm the content-type cache
    small = query_counts(client, lists)
    one_line = query_counts(client, [f"/admin/orders/order/{first.pk}/change/"])

    big = orders_in(society, 6, vendor_name="Brisk", flat="B-001", lines=8)[0]

    assert query_counts(client, lists) == small
    assert list(query_counts(client, [f"/admin/orders/order/{big.pk}/change/"]).values()) == list(one_line.values())
    page = client.get(f"/admin/orders/order/{first.pk}/change/").content.decode()
    assert first.order_number in page
    assert "Order placed" in page  # the timeline inline
    assert "1. Pickup Items" in page  # the workflow steps
    assert "₹30.00" in client.get("/admin/orders/order/").content.decode()


def test_orders_cannot_be_added_or_deleted_in_the_admin():
    client = site(make_user(Role.SUPER_ADMIN))

    assert client.get("/admin/orders/order/add/").status_code == 403
    order = orders_in(apartment(towers=1, floors=1, flats=1), 1)[0]
    assert client.get(f"/admin/orders/order/{order.pk}/delete/").status_code == 403


def test_a_society_admin_sees_only_their_societies_orders():
    mine = apartment(name="Mine Court", towers=1, floors=1, flats=1)
    theirs = apartment(name="Their Court", towers=1, floors=1, flats=1)
    own = orders_in(mine, 1)[0]
    other = orders_in(theirs, 1, vendor_name="Brisk")[0]
    client = site(society_admin(mine))

    listed = client.get("/admin/orders/order/").content.decode()

    assert own.order_number in listed
    assert other.order_number not in listed
    assert client.get(f"/admin/orders/order/{other.pk}/change/").status_code == 302  # not found: back to the list


def test_support_reads_orders_and_onboarding_does_not():
    orders_in(apartment(towers=1, floors=1, flats=1), 1)

    assert site(make_user(Role.SUPPORT)).get("/admin/orders/order/").status_code == 200
    assert site(make_user(Role.ONBOARD_MANAGER)).get("/admin/orders/order/").status_code == 403


def test_workflow_templates_are_edited_in_the_admin_with_their_steps():
    from catalog.workflows import ensure_default_workflow

    ironing, _ = laundry_services()
    template = ensure_default_workflow(ironing)
    client = site(make_user(Role.OPS_MANAGER))

    page = client.get(f"/admin/catalog/workflowtemplate/{template.pk}/change/").content.decode()

    assert "Standard Ironing Workflow" in page
    assert "quality_check" in page
    assert site(make_user(Role.FINANCE)).get("/admin/catalog/workflowtemplate/").status_code == 403


def test_a_society_admin_resolves_disputes_with_the_admin_actions_and_sees_the_payment():
    society = apartment(towers=1, floors=1, flats=2)
    paid, unpaid = disputed(society=society), disputed(society=society, resident=living_in(society, "A-002"))
    client = site(society_admin(society))
    by_order = dict(OrderDispute.objects.values_list("order_id", "pk"))

    client.post(
        "/admin/orders/orderdispute/",
        {"action": "resolve_paid", "_selected_action": [str(by_order[paid[0].order.pk])]},
        follow=True,
    )
    response = client.post(
        "/admin/orders/orderdispute/",
        {"action": "resolve_not_received", "_selected_action": [str(pk) for pk in by_order.values()]},
        follow=True,
    )

    assert "1 dispute(s) resolved." in response.content.decode()  # the first was resolved already
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert statuses == {paid[0].order.pk: OrderStatus.CLOSED, unpaid[0].order.pk: OrderStatus.DELIVERED}
    page = client.get(f"/admin/orders/order/{paid[0].order.pk}/change/").content.decode()
    assert "₹355.00" in page  # the vendor's recorded payment


def test_staff_who_only_read_disputes_have_no_resolve_action():
    society = apartment(towers=1, floors=1, flats=1)
    disputed(society=society)

    page = site(make_user(Role.SUPPORT)).get("/admin/orders/orderdispute/").content.decode()

    assert "resolve_paid" not in page
