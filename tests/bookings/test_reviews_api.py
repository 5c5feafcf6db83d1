"""Seed 004's reviews (issue #19): POST/GET /reviews, PUT/DELETE /reviews/{id}, POST /bookings/{id}/rate.

RV1 (own completed booking, once), RV2 (the specialist's total, count and average exact on create, edit, delete,
hide and restore, also under concurrent reviews), RV4 (the edit window), the list's summary and its query count.
"""

from __future__ import annotations

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role
from bookings.models import Booking, BookingStatus, Review, SessionType
from bookings.services.reviews import review_set_hidden
from partners.models import Partner
from partners.services.appointment_steps import appointment_complete, appointment_confirm
from partners.services.appointments import AppointmentRequest, appointment_create
from tests.accounts.helpers import assert_error
from tests.accounts.test_concurrency import run_together
from tests.adminpanel.helpers import query_counts
from tests.appointments import builders
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

_slots = iter(range(10_000_000))


def booked(expert, customer=None):
    """A cash appointment with ``expert`` (confirmed by them when it waits for that), not yet completed."""
    customer = customer or builders.patient(full_name="Jane Smith")
    n = next(_slots)  # a fresh local hour 09-15 on days 1-7 ahead (49 per specialist)
    booking = appointment_create(
        customer=customer,
        request=AppointmentRequest(
            provider_id=expert.pk,
            start=builders.slot(expert, days=1 + n // 7 % 7, hour=9 + n % 7),
            session_type=SessionType.ONLINE,
            service_id=builders.service_of(expert).pk,
            payment_method="cash",
        ),
    )
    if booking.status == BookingStatus.PENDING:
        appointment_confirm(provider_user=expert.user, booking_id=booking.pk)
    return booking


def completed(expert, customer=None):
    booking = booked(expert, customer)
    past = timezone.now() - timedelta(minutes=5)
    Booking.objects.filter(pk=booking.pk).update(scheduled_start=past, scheduled_end=past + timedelta(hours=1))
    appointment_complete(actor=expert.user, booking_id=booking.pk)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED
    return booking


def review(booking, rating=5, **fields):
    body = {"bookingId": str(booking.pk), "rating": rating, **fields}
    return client_for(booking.user).post("/api/v1/reviews", body, format="json")


def scores(expert):
    expert.refresh_from_db()
    return expert.rating_total, expert.rating_count, expert.rating


# --- POST /reviews and POST /bookings/{id}/rate ------------------------------------------------------------


def test_the_customer_reviews_a_completed_booking_and_the_specialist_average_counts_it():
    expert = builders.specialist()
    booking = completed(expert)

    response = review(booking, 4, comment="Very helpful", tags=["insightful", "punctual"])

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["loyalty_points_earned"] == 10
    got = data["review"]
    assert (got["booking_id"], got["customer_id"], got["specialist_id"]) == (
        str(booking.pk),
        str(booking.user_id),
        str(expert.pk),
    )
    assert (got["rating"], got["comment"], got["tags"]) == (4, "Very helpful", ["insightful", "punctual"])
    assert scores(expert) == (4, 1, Decimal("4.00"))
    booking.refresh_from_db()
    assert (booking.customer_rating, booking.customer_feedback) == (4, "Very helpful")


def test_only_the_bookings_customer_only_when_completed_and_only_once():
    expert = builders.specialist()
    open_booking = booked(expert)
    assert_error(review(open_booking), 422, "INVALID_BOOKING_STATUS", "booking_id")

    booking = completed(expert)
    stranger = client_for(builders.patient())
    assert_error(
        stranger.post("/api/v1/reviews", {"bookingId": str(booking.pk), "rating": 5}, format="json"),
        404,
        "BOOKING_NOT_FOUND",
        "booking_id",
    )
    assert review(booking, 5).status_code == 201
    error = assert_error(review(booking, 3), 409, "CONFLICT")
    assert error["details"]["reason"] == "already_reviewed"
    rate = client_for(booking.user).post(f"/api/v1/bookings/{booking.pk}/rate", {"rating": 2}, format="json")
    assert_error(rate, 409, "CONFLICT")
    assert Review.objects.filter(booking=booking).count() == 1
    assert scores(expert) == (5, 1, Decimal("5.00"))


def test_rate_writes_the_same_review():
    expert = builders.specialist()
    booking = completed(expert)
    customer = client_for(booking.user)

    rated = customer.post(f"/api/v1/bookings/{booking.pk}/rate", {"rating": 3, "feedback": "Fine"}, format="json")

    assert rated.status_code == 200, rated.content
    assert rated.json()["data"] == {"rating": 3}
    written = Review.objects.get(booking=booking)
    assert (written.rating, written.comment, written.partner_id, written.customer_id) == (
        3,
        "Fine",
        expert.pk,
        booking.user_id,
    )
    assert scores(expert) == (3, 1, Decimal("3.00"))
    assert_error(review(booking, 4), 409, "CONFLICT")


@pytest.mark.parametrize("rating", [0, 6, "five", 4.5, None])
def test_a_rating_outside_one_to_five_is_refused_on_rating(rating):
    booking = completed(builders.specialist())
    body = {"bookingId": str(booking.pk), "comment": "ok"}
    if rating is not None:
        body["rating"] = rating
    status, code = (422, "VALIDATION_ERROR") if rating is not None else (400, "INVALID_REQUEST")  # missing: 400
    assert_error(client_for(booking.user).post("/api/v1/reviews", body, format="json"), status, code, "rating")
    assert not Review.objects.exists()


def test_bad_booking_ids_tags_and_a_missing_sign_in_are_refused():
    booking = completed(builders.specialist())
    customer = client_for(booking.user)
    assert_error(customer.post("/api/v1/reviews", {"rating": 5}, format="json"), 400, "INVALID_REQUEST", "booking_id")
    bad_id = customer.post("/api/v1/reviews", {"bookingId": "nope", "rating": 5}, format="json")
    assert_error(bad_id, 422, "VALIDATION_ERROR", "booking_id")
    unknown = customer.post("/api/v1/reviews", {"bookingId": str(Review().pk), "rating": 5}, format="json")
    assert_error(unknown, 404, "BOOKING_NOT_FOUND")
    assert_error(review(booking, 5, tags="great"), 422, "VALIDATION_ERROR", "tags")
    assert_error(review(booking, 5, tags=["x" * 51]), 422, "VALIDATION_ERROR")
    anonymous = APIClient().post("/api/v1/reviews", {"bookingId": str(booking.pk), "rating": 5}, format="json")
    assert anonymous.status_code == 401
    assert not Review.objects.exists()


# --- PUT and DELETE /reviews/{id} ---------------------------------------------------------------------------


def test_the_author_edits_within_the_window_and_the_average_follows(settings):
    expert = builders.specialist()
    first, second = completed(expert), completed(expert)
    review(first, 5)
    review_id = review(second, 3).json()["data"]["review"]["id"]
    assert scores(expert) == (8, 2, Decimal("4.00"))
    author = client_for(second.user)

    edited = author.put(f"/api/v1/reviews/{review_id}", {"rating": 4, "comment": "Better on reflection"}, format="json")

    assert edited.status_code == 200, edited.content
    got = edited.json()["data"]["review"]
    assert (got["rating"], got["comment"], got["tags"]) == (4, "Better on reflection", [])
    assert got["edited_at"] is not None
    assert scores(expert) == (9, 2, Decimal("4.50"))
    second.refresh_from_db()
    assert (second.customer_rating, second.customer_feedback) == (4, "Better on reflection")

    bad = author.put(f"/api/v1/reviews/{review_id}", {"rating": 7}, format="json")
    assert_error(bad, 422, "VALIDATION_ERROR", "rating")
    other = client_for(first.user).put(f"/api/v1/reviews/{review_id}", {"rating": 1}, format="json")
    assert_error(other, 404, "REVIEW_NOT_FOUND")

    settings.REVIEW_EDIT_DAYS = 7
    Review.objects.filter(pk=review_id).update(created_at=timezone.now() - timedelta(days=7, minutes=1))
    late = author.put(f"/api/v1/reviews/{review_id}", {"rating": 1}, format="json")
    error = assert_error(late, 422, "REVIEW_EDIT_WINDOW_CLOSED")
    assert error["details"]["reason"] == "edit_window_closed"
    settings.REVIEW_EDIT_DAYS = 30
    assert author.put(f"/api/v1/reviews/{review_id}", {"rating": 1}, format="json").status_code == 200
    assert scores(expert) == (6, 2, Decimal("3.00"))


def test_the_author_deletes_and_may_review_again_others_get_404():
    expert = builders.specialist()
    booking = completed(expert)
    review_id = review(booking, 2).json()["data"]["review"]["id"]

    assert_error(client_for(builders.patient()).delete(f"/api/v1/reviews/{review_id}"), 404, "REVIEW_NOT_FOUND")
    assert_error(client_for(make_user(Role.ADMIN)).delete(f"/api/v1/reviews/{review_id}"), 404, "REVIEW_NOT_FOUND")
    deleted = client_for(booking.user).delete(f"/api/v1/reviews/{review_id}")

    assert deleted.status_code == 200, deleted.content
    assert not Review.objects.exists()
    assert scores(expert) == (0, 0, Decimal("0.00"))
    booking.refresh_from_db()
    assert booking.customer_rating is None
    assert_error(client_for(booking.user).delete(f"/api/v1/reviews/{review_id}"), 404, "REVIEW_NOT_FOUND")
    again = review(booking, 5)
    assert again.status_code == 201
    assert again.json()["data"]["loyalty_points_earned"] == 0  # a booking's review earns points once
    assert scores(expert) == (5, 1, Decimal("5.00"))


def test_hiding_takes_a_review_out_of_the_list_and_the_average_restoring_puts_it_back():
    expert = builders.specialist()
    kept, hidden = completed(expert), completed(expert)
    review(kept, 5)
    hidden_id = review(hidden, 1).json()["data"]["review"]["id"]
    assert scores(expert) == (6, 2, Decimal("3.00"))

    review_set_hidden(review_id=hidden_id, hidden=True)
    review_set_hidden(review_id=hidden_id, hidden=True)  # a repeat changes nothing

    assert scores(expert) == (5, 1, Decimal("5.00"))
    listed = APIClient().get(f"/api/v1/reviews?specialistId={expert.pk}").json()["data"]
    assert [r["rating"] for r in listed["reviews"]] == [5]
    assert (listed["total_reviews"], listed["average_rating"]) == (1, 5.0)

    review_set_hidden(review_id=hidden_id, hidden=False)
    assert scores(expert) == (6, 2, Decimal("3.00"))
    for role in (Role.ADMIN, Role.SUPPORT, Role.OPS_MANAGER):
        staff = make_user(role)
        assert staff.has_perm("bookings.view_review")
        assert staff.has_perm("bookings.change_review")
    assert not make_user(Role.FINANCE).has_perm("bookings.change_review")


# --- GET /reviews ----------------------------------------------------------------------------------------


def test_the_list_filters_and_summarises_with_short_names():
    expert, other_expert = builders.specialist(), builders.specialist()
    jane = builders.patient(full_name="Jane Smith")
    for rating in (5, 5, 4):
        review(completed(expert, jane), rating, tags=["clear"])
    review(completed(expert), 2)
    review(completed(other_expert, jane), 1)

    data = APIClient().get(f"/api/v1/reviews?specialistId={expert.pk}").json()["data"]

    assert (data["total_reviews"], data["average_rating"]) == (4, 4.0)
    assert data["rating_distribution"] == {"5": 2, "4": 1, "3": 0, "2": 1, "1": 0}
    row = data["reviews"][-1]
    assert set(row) == {"id", "rating", "comment", "tags", "customer", "service", "created_at", "edited_at"}
    assert data["reviews"][1]["customer"] == {"first_name": "Jane", "last_initial": "S.", "avatar": None}
    assert data["reviews"][1]["service"] == {"name": "Portfolio review"}
    assert data["pagination"]["total"] == 4

    fives = APIClient().get(f"/api/v1/reviews?specialistId={expert.pk}&rating=5&limit=1").json()["data"]
    assert [r["rating"] for r in fives["reviews"]] == [5]
    assert (fives["pagination"]["total"], fives["pagination"]["total_pages"]) == (2, 2)
    assert fives["total_reviews"] == 4  # the summary ignores the star filter
    mine = APIClient().get(f"/api/v1/reviews?customerId={jane.pk}").json()["data"]
    assert sorted(r["rating"] for r in mine["reviews"]) == [1, 4, 5, 5]
    both = APIClient().get(f"/api/v1/reviews?customer_id={jane.pk}&specialist_id={other_expert.pk}").json()["data"]
    assert [r["rating"] for r in both["reviews"]] == [1]
    empty = APIClient().get(f"/api/v1/reviews?specialistId={builders.specialist().pk}").json()["data"]
    assert (empty["reviews"], empty["average_rating"], empty["total_reviews"]) == ([], 0.0, 0)


def test_bad_list_filters_are_refused_by_name():
    assert_error(APIClient().get("/api/v1/reviews?specialistId=abc"), 422, "VALIDATION_ERROR", "specialist_id")
    assert_error(APIClient().get("/api/v1/reviews?customerId=1"), 422, "VALIDATION_ERROR", "customer_id")
    assert_error(APIClient().get("/api/v1/reviews?rating=6"), 422, "VALIDATION_ERROR", "rating")


def test_the_list_costs_the_same_queries_for_one_or_many_reviews():
    expert = builders.specialist()
    review(completed(expert), 4)
    path = f"/api/v1/reviews?specialistId={expert.pk}"
    few = query_counts(APIClient(), [path])[path]
    for rating in (5, 3, 2, 1):
        review(completed(expert, builders.patient(full_name=f"Pat {rating}")), rating)
    many = query_counts(APIClient(), [path])[path]
    assert len(APIClient().get(path).json()["data"]["reviews"]) == 5
    assert few == many


# --- concurrency -----------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_ten_reviews_of_one_specialist_at_once_all_count():
    expert = builders.specialist()
    bookings = [completed(expert) for _ in range(10)]
    ratings = [5, 4, 3, 5, 2, 1, 4, 5, 3, 4]
    clients = [client_for(b.user) for b in bookings]

    def write(i):
        body = {"bookingId": str(bookings[i].pk), "rating": ratings[i]}
        return clients[i].post("/api/v1/reviews", body, format="json").status_code

    assert run_together(10, write) == [201] * 10
    assert Review.objects.filter(partner=expert).count() == 10
    assert scores(expert) == (36, 10, Decimal("3.60"))
    assert Partner.objects.get(pk=expert.pk).rating == Decimal(sum(ratings)) / 10


@pytest.mark.django_db(transaction=True)
def test_two_reviews_of_one_booking_at_once_give_one_review_and_one_conflict():
    expert = builders.specialist()
    booking = completed(expert)
    clients = [client_for(booking.user), client_for(booking.user)]

    def write(i):
        body = {"bookingId": str(booking.pk), "rating": 5 - i}
        return clients[i].post("/api/v1/reviews", body, format="json").status_code

    assert sorted(run_together(2, write)) == [201, 409]
    assert Review.objects.filter(booking=booking).count() == 1
    assert scores(expert)[1] == 1


# --- migration 0005 -----------------------------------------------------------------------------------------


def test_the_migration_copies_a_rated_booking_into_its_review():
    from django.apps import apps

    copy_ratings = importlib.import_module("bookings.migrations.0005_reviews").copy_ratings
    expert = builders.specialist()
    booking = completed(expert)
    unrated = completed(expert)
    rated_at = timezone.now() - timedelta(days=30)
    Booking.objects.filter(pk=booking.pk).update(customer_rating=4, customer_feedback="Good", rated_at=rated_at)

    copy_ratings(apps, None)

    copied = Review.objects.get()
    assert (copied.booking_id, copied.customer_id, copied.partner_id) == (booking.pk, booking.user_id, expert.pk)
    assert (copied.rating, copied.comment, copied.created_at) == (4, "Good", rated_at)
    assert not Review.objects.filter(booking=unrated).exists()
    assert scores(expert) == (0, 0, Decimal("0.00"))  # the averages already counted these ratings
