"""POST /orders/{order_id}/rating: the resident rates a delivered order once; the vendor's average follows,
exactly even when ratings arrive together; 5.3's recent_reviews shows the latest ones of the society."""

from __future__ import annotations

import uuid
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from orders.models import Order, OrderRating, OrderStatus
from orders.services.ratings import vendor_rating_add
from partners.models import Partner
from societies.models import ApprovalStatus, AssignmentType, Residence, ServiceArea, VendorAccess
from tests.accounts.helpers import assert_error
from tests.accounts.test_concurrency import RowLockHolder, run_together, start, wait_until_blocked
from tests.conftest import client_for, make_user
from tests.orders.helpers import card, living_in, neighbourhood, placed
from tests.societies.helpers import laundry_services, society_admin

RATABLE = [OrderStatus.DELIVERED, OrderStatus.PAYMENT_RECEIVED, OrderStatus.DISPUTED, OrderStatus.CLOSED]


def delivered(order: Order, status: str = OrderStatus.DELIVERED) -> Order:
    Order.objects.filter(pk=order.pk).update(status=status, final_price="20.00", delivered_at=timezone.now())
    return order


def rate(user, order_id, rating=5, **body):
    return client_for(user).post(f"/api/v1/orders/{order_id}/rating", {"rating": rating, **body}, format="json")


def figures(partner: Partner) -> tuple[Decimal, int, int]:
    partner.refresh_from_db()
    return partner.rating, partner.rating_count, partner.rating_total


@pytest.fixture
def shop():
    society, resident, partner = neighbourhood()
    return society, resident, partner, delivered(placed(society, resident, partner))


# --- rating -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_resident_rates_a_delivered_order(shop):
    _, resident, partner, order = shop

    response = rate(resident, order.pk, 4, review="Crisp shirts")

    assert response.status_code == 201, response.content
    body = response.json()
    data = body["data"]
    made = OrderRating.objects.get(order=order)
    assert data == {
        "rating_id": str(made.pk),
        "order_id": str(order.pk),
        "rating": 4,
        "review": "Crisp shirts",
        "created_at": timezone.localtime(made.created_at).isoformat(),
        "vendor": {"vendor_id": str(partner.pk), "avg_rating": 4.0, "total_ratings": 1},
    }
    assert body["message"]
    assert (made.user_id, made.partner_id) == (resident.pk, partner.pk)
    assert figures(partner) == (Decimal("4.00"), 1, 4)


@pytest.mark.django_db
@pytest.mark.parametrize("status", RATABLE)
def test_every_status_after_delivery_may_be_rated(status):
    society, resident, partner = neighbourhood()
    order = delivered(placed(society, resident, partner), status)

    response = rate(resident, order.pk, 5)

    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_the_average_is_total_over_count_rounded_to_2_places(shop):
    society, resident, partner, first = shop
    orders = [first, *(delivered(placed(society, resident, partner)) for _ in range(2))]

    answers = [rate(resident, o.pk, n).json()["data"]["vendor"] for o, n in zip(orders, (5, 5, 4), strict=True)]

    assert [(a["avg_rating"], a["total_ratings"]) for a in answers] == [(5.0, 1), (5.0, 2), (4.67, 3)]
    assert figures(partner) == (Decimal("4.67"), 3, 14)


@pytest.mark.django_db
def test_order_ratings_join_the_vendors_earlier_ratings(shop):
    _, resident, partner, order = shop
    Partner.objects.filter(pk=partner.pk).update(rating=Decimal("4.50"), rating_count=2, rating_total=9)

    response = rate(resident, order.pk, 3)

    assert response.json()["data"]["vendor"] == {"vendor_id": str(partner.pk), "avg_rating": 4.0, "total_ratings": 3}
    assert figures(partner) == (Decimal("4.00"), 3, 12)


@pytest.mark.django_db
def test_the_review_is_optional(shop):
    _, resident, _, order = shop

    response = rate(resident, order.pk, 2)

    assert response.status_code == 201, response.content
    assert response.json()["data"]["review"] == ""


# --- bad input --------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("rating", [0, 6, -1, "five", 4.5])
def test_a_rating_outside_1_to_5_is_422_on_rating(shop, rating):
    _, resident, partner, order = shop

    assert_error(rate(resident, order.pk, rating), 422, "VALIDATION_ERROR", field="rating")
    assert not OrderRating.objects.exists()
    assert figures(partner) == (Decimal("0.00"), 0, 0)


@pytest.mark.django_db
def test_a_missing_rating_is_400_on_rating(shop):
    _, resident, _, order = shop

    response = client_for(resident).post(f"/api/v1/orders/{order.pk}/rating", {"review": "ok"}, format="json")

    assert_error(response, 400, "INVALID_REQUEST", field="rating")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status",
    [OrderStatus.PICKUP_SCHEDULED, OrderStatus.PICKED_UP, OrderStatus.READY_FOR_DELIVERY, OrderStatus.CANCELLED],
)
def test_rating_before_delivery_is_422_with_the_current_status(status):
    society, resident, partner = neighbourhood()
    order = placed(society, resident, partner)
    Order.objects.filter(pk=order.pk).update(status=status)

    error = assert_error(rate(resident, order.pk), 422, "INVALID_ORDER_STATUS")

    assert error["details"]["context"]["current_status"] == status
    assert figures(partner) == (Decimal("0.00"), 0, 0)


@pytest.mark.django_db
def test_a_second_rating_is_409_already_rated(shop):
    _, resident, partner, order = shop
    assert rate(resident, order.pk, 5).status_code == 201

    assert_error(rate(resident, order.pk, 1), 409, "ALREADY_RATED")
    assert OrderRating.objects.get(order=order).rating == 5
    assert figures(partner) == (Decimal("5.00"), 1, 5)


@pytest.mark.django_db
def test_the_vendor_and_the_society_admin_may_not_rate_403(shop):
    society, _, partner, order = shop

    assert_error(rate(partner.user, order.pk), 403, "FORBIDDEN")
    assert_error(rate(society_admin(society), order.pk), 403, "FORBIDDEN")
    assert not OrderRating.objects.exists()


@pytest.mark.django_db
def test_an_unknown_order_or_someone_elses_is_404(shop):
    society, _, _, order = shop
    neighbour = living_in(society, "A-002", ApprovalStatus.VERIFIED)

    assert_error(rate(neighbour, uuid.uuid4()), 404, "ORDER_NOT_FOUND")
    assert_error(rate(neighbour, order.pk), 404, "ORDER_NOT_FOUND")
    assert_error(rate(make_user(Role.CUSTOMER), order.pk), 404, "ORDER_NOT_FOUND")


# --- at the same time (real threads on PostgreSQL) --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_ratings_of_two_orders_of_one_vendor_at_once_keep_the_average_exact():
    society, resident, partner = neighbourhood()
    neighbour = living_in(society, "A-002", ApprovalStatus.VERIFIED)
    Residence.objects.filter(user=neighbour).update(is_active=True)
    clients = [client_for(resident), client_for(neighbour)]
    for round_ in range(4):
        orders = [delivered(placed(society, resident, partner)), delivered(placed(society, neighbour, partner))]

        responses = run_together(
            2, lambda i, o=orders: clients[i].post(f"/api/v1/orders/{o[i].pk}/rating", {"rating": 5 - i}, format="json")
        )

        assert [r.status_code for r in responses] == [201, 201], round_
        count = 2 * (round_ + 1)
        assert figures(partner) == (Decimal("4.50"), count, 9 * (round_ + 1)), round_
        assert sorted(r.json()["data"]["vendor"]["total_ratings"] for r in responses) == [count - 1, count]


@pytest.mark.django_db(transaction=True)
def test_a_rating_waits_for_a_competing_rating_of_the_vendor_and_counts_after_it(shop):
    _, resident, partner, order = shop

    def competing_rating():
        Partner.objects.select_for_update().get(pk=partner.pk)
        vendor_rating_add(partner_id=partner.pk, rating=5)

    with RowLockHolder(competing_rating) as holder:
        call, outcome = start(lambda: rate(resident, order.pk, 3))
        blocked = wait_until_blocked(call, holder)
    call.join(timeout=30)

    assert any("UPDATE" in statement and "partners" in statement for statement in blocked), blocked
    assert outcome["result"].status_code == 201, outcome["result"].content
    assert outcome["result"].json()["data"]["vendor"]["total_ratings"] == 2
    assert figures(partner) == (Decimal("4.00"), 2, 8)


@pytest.mark.django_db(transaction=True)
def test_two_ratings_of_one_order_at_once_make_one(shop):
    _, resident, partner, order = shop
    clients = [client_for(resident), client_for(resident)]

    responses = run_together(
        2, lambda i: clients[i].post(f"/api/v1/orders/{order.pk}/rating", {"rating": 5 - i}, format="json")
    )

    assert Counter(r.status_code for r in responses) == {201: 1, 409: 1}
    assert OrderRating.objects.filter(order=order).count() == 1
    assert figures(partner)[1:] == (1, OrderRating.objects.get(order=order).rating)


# --- 5.3 recent_reviews -----------------------------------------------------------------------------------


def vendor_details(user, partner, society):
    response = client_for(user).get(f"/api/v1/vendors/{partner.pk}", {"society_id": society.pk})
    assert response.status_code == 200, response.content
    return response.json()["data"]["vendor"]


def also_serving(partner, society):
    """``partner`` approved in a second society, serving all of it with a published card there."""
    VendorAccess.objects.create(
        partner=partner, society=society, requested_at=partner.created_at, approval_status=ApprovalStatus.APPROVED
    )
    ServiceArea.objects.create(partner=partner, society=society, assignment_type=AssignmentType.SOCIETY)
    card(partner, society, {laundry_services()[0]: [("Shirt", "11.00")]})


def rated_orders(society, resident, partner, count):
    for n in range(count):
        order = delivered(placed(society, resident, partner))
        assert rate(resident, order.pk, 1 + n % 5, review=f"review {n}").status_code == 201


@pytest.mark.django_db
def test_recent_reviews_are_the_latest_5_newest_first(shop):
    society, resident, partner, first = shop
    resident.full_name = "Ramesh Kumar"
    resident.save(update_fields=["full_name"])
    assert rate(resident, first.pk, 4, review="first").status_code == 201
    rated_orders(society, resident, partner, 5)

    vendor = vendor_details(resident, partner, society)

    reviews = vendor["recent_reviews"]
    assert [r["review"] for r in reviews] == ["review 4", "review 3", "review 2", "review 1", "review 0"]
    latest = OrderRating.objects.filter(partner=partner).order_by("-created_at").first()
    item = latest.order.items.get()
    assert reviews[0] == {
        "rating_id": str(latest.pk),
        "rating": 5,
        "review": "review 4",
        "service_id": str(item.service_id),
        "service_name": item.service.name,
        "resident_name": "Ramesh K.",
        "created_at": timezone.localtime(latest.created_at).isoformat(),
    }
    assert (vendor["avg_rating"], figures(partner)[1]) == (3.17, 6)  # (4 + 1 + 2 + 3 + 4 + 5) / 6 = 3.1666...


@pytest.mark.django_db
def test_recent_reviews_are_those_of_the_society_asked_about(shop):
    society, resident, partner, order = shop
    assert rate(resident, order.pk, 5, review="here").status_code == 201
    elsewhere, stranger, _ = neighbourhood()
    also_serving(partner, elsewhere)
    rated_orders(elsewhere, stranger, partner, 1)

    here = vendor_details(resident, partner, society)
    there = vendor_details(stranger, partner, elsewhere)

    assert [r["review"] for r in here["recent_reviews"]] == ["here"]
    assert [r["review"] for r in there["recent_reviews"]] == ["review 0"]
    assert here["avg_rating"] == there["avg_rating"] == 3.0  # the vendor's average over every rating


@pytest.mark.django_db
@pytest.mark.parametrize(("full_name", "shown"), [("Asha", "Asha"), ("", "Resident"), ("mary ann lee", "mary L.")])
def test_the_residents_name_is_the_first_name_and_the_last_initial(shop, full_name, shown):
    society, resident, partner, order = shop
    resident.full_name = full_name
    resident.save(update_fields=["full_name"])
    assert rate(resident, order.pk, 5).status_code == 201

    assert vendor_details(resident, partner, society)["recent_reviews"][0]["resident_name"] == shown


@pytest.mark.django_db
def test_recent_reviews_take_the_same_queries_for_1_and_6_reviews():
    counts = []
    for size in (1, 6):
        society, resident, partner = neighbourhood()
        rated_orders(society, resident, partner, size)
        client = client_for(resident)
        path = f"/api/v1/vendors/{partner.pk}?society_id={society.pk}"
        client.get(path)  # warm the caches the first request fills
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert len(response.json()["data"]["vendor"]["recent_reviews"]) == min(size, 5)
        counts.append(len(queries))

    assert counts[0] == counts[1], counts
