"""Seed 004's ``GET /services/search`` (issue #19, rules SE1-SE4), through HTTP as an anonymous visitor."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from catalog.models import Category, Service
from partners.models import OnboardingStatus, PartnerKind, PartnerTimeOff
from partners.selectors import search as search_selectors
from tests import factories
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.appointments import builders

pytestmark = pytest.mark.django_db

URL = "/api/v1/services/search"


def search(**params):
    response = APIClient().get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()["data"]


def names(data) -> list[str]:
    return [row["name"] for row in data["services"]]


def offer(provider, name: str, price: str, *, description: str = "", category: Category | None = None) -> Service:
    service = builders.own_service(provider, name=name, minutes=60, price=Decimal(price))
    if description or category:
        service.description = description
        service.category = category or service.category
        service.save(update_fields=["description", "category"])
    return service


def test_only_active_services_of_active_verified_specialists_and_clinicians_are_found():
    shown = builders.specialist(business_name="Kapoor Career Studio")
    offer(shown, "Resume makeover", "900")
    doctor = builders.clinician()  # its "Consultation" is found too
    offer(builders.specialist(onboarding_status=OnboardingStatus.PENDING), "Unverified coaching", "900")
    offer(builders.specialist(is_active=False), "Inactive coaching", "900")
    hidden = offer(shown, "Retired service", "900")
    hidden.is_active = False
    hidden.save(update_fields=["is_active"])
    tech = factories.PartnerFactory(categories=(), verified=True, kind=PartnerKind.TECHNICIAN)
    offer(tech, "Technician repair", "900")

    found = search(limit=50)

    assert sorted(names(found)) == ["Consultation", "Portfolio review", "Resume makeover"]
    assert {row["specialist"]["id"] for row in found["services"]} == {str(shown.pk), str(doctor.pk)}


def test_a_row_has_the_service_its_specialist_and_the_next_free_slot():
    provider = builders.specialist(business_name="Kapoor Career Studio", rating=Decimal("4.80"), rating_count=127)
    provider.user.full_name = "Anita Kapoor Rao"
    provider.user.save(update_fields=["full_name"])

    row = search()["services"][0]

    service = builders.service_of(provider)
    assert row["id"] == str(service.pk)
    assert row["price"] == 1500
    assert row["duration"] == 60
    assert row["category"] == "CONSULTATION"
    assert row["specialist"] == {
        "id": str(provider.pk),
        "business_name": "Kapoor Career Studio",
        "first_name": "Anita",
        "last_name": "Kapoor Rao",
        "avatar": None,
        "rating": 4.8,
        "total_reviews": 127,
        "is_verified": True,
        "response_time": None,  # no confirmation yet
    }
    first = datetime.fromisoformat(row["next_available"].replace("Z", "+00:00"))
    assert timezone.now() < first < timezone.now() + timedelta(days=14)


ON_POSTGRES = connection.vendor == "postgresql"


@pytest.mark.skipif(not ON_POSTGRES, reason="full-text search is PostgreSQL's")
def test_query_is_a_ranked_full_text_search_over_name_description_business_name_and_specialties():
    a = builders.specialist(business_name="Growth Marketing Lab", specialties=["Branding"])
    offer(a, "Business strategy consultation", "1000", description="One hour of strategic planning")
    offer(a, "Logo sketching", "400")
    b = builders.specialist(business_name="Calm Minds", specialties=["Meditation"])
    offer(b, "Breathing class", "300")

    assert names(search(query="business consultations")) == ["Business strategy consultation"]  # stemmed
    assert names(search(query="strategic", sortBy="price")) == ["Business strategy consultation"]
    assert "Logo sketching" in names(search(query="marketing"))  # the business name
    assert names(search(query="meditation", sortBy="price")) == ["Breathing class", "Portfolio review"]
    assert search(query="unheardof")["services"] == []


def test_query_elsewhere_is_a_substring_of_the_name_or_description(monkeypatch):
    monkeypatch.setattr(search_selectors, "_postgres", lambda: False)  # the path a database without FTS takes
    offer(builders.specialist(), "Business strategy consultation", "1000", description="Strategic planning")

    assert names(search(query="STRATEG", sortBy="price")) == ["Business strategy consultation"]
    assert names(search(query="review")) == ["Portfolio review"]


def test_category_by_key_any_case_or_by_id():
    provider = builders.specialist()
    workshop = Category.objects.create(key="WORKSHOP", name="Workshop")
    offer(provider, "Team workshop", "2500", category=workshop)

    assert names(search(category="workshop")) == ["Team workshop"]
    assert names(search(category=str(workshop.pk))) == ["Team workshop"]
    assert names(search(category="consultation")) == ["Portfolio review"]


def test_price_bounds_are_inclusive_and_rating_is_a_minimum_average():
    low = builders.specialist(price=Decimal("400.00"), rating=Decimal("4.20"))
    builders.specialist(price=Decimal("1500.00"), rating=Decimal("4.90"))
    offer(low, "Mid session", "1000")

    assert sorted(s["price"] for s in search(minPrice=400, maxPrice=1000)["services"]) == [400, 1000]
    assert [s["price"] for s in search(min_price=1001)["services"]] == [1500]
    assert [s["specialist"]["rating"] for s in search(rating="4.5")["services"]] == [4.9]
    assert len(search(rating="4.2")["services"]) == 3


def test_location_matches_a_centre_city_or_the_address():
    centre = builders.centre(city="Pune")
    at_centre = builders.specialist()
    at_centre.centres.add(centre)
    builders.specialist(address="4 Park Street, Kolkata")
    builders.specialist(address="Delhi")

    assert [r["specialist"]["id"] for r in search(location="pune")["services"]] == [str(at_centre.pk)]
    assert len(search(location="KOLKATA")["services"]) == 1


def test_specialties_keep_providers_with_any_of_them():
    builders.specialist(specialties=["Business", "Marketing"])
    builders.specialist(specialties=["Yoga"])
    builders.specialist(specialties=["Business Law"])  # a whole specialty, not a substring

    assert len(search(specialties="marketing,finance")["services"]) == 1
    assert len(search(specialties="yoga, business")["services"]) == 2


def test_availability_keeps_providers_with_a_free_slot_that_day_before_paginating():
    zone = ZoneInfo("Asia/Kolkata")
    day = timezone.now().astimezone(zone).date() + timedelta(days=2)
    free = builders.specialist(rating=Decimal("3.00"))
    for _ in range(3):
        away = builders.specialist(rating=Decimal("5.00"))
        PartnerTimeOff.objects.create(
            partner=away,
            starts_at=datetime.combine(day, time(0), tzinfo=zone),
            ends_at=datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone),
            reason="Leave",
        )

    found = search(availability=day.isoformat(), limit=1)

    assert [r["specialist"]["id"] for r in found["services"]] == [str(free.pk)]
    assert found["pagination"]["total_items"] == 1
    assert search(availability=(day + timedelta(days=1)).isoformat())["pagination"]["total_items"] == 4


def test_sort_by_rating_price_or_reviews():
    a = builders.specialist(price=Decimal("900.00"), rating=Decimal("4.90"), rating_count=3)
    b = builders.specialist(price=Decimal("300.00"), rating=Decimal("4.10"), rating_count=50)
    c = builders.specialist(price=Decimal("600.00"), rating=Decimal("4.50"), rating_count=10)

    def order(**params):
        return [r["specialist"]["id"] for r in search(**params)["services"]]

    assert order() == [str(a.pk), str(c.pk), str(b.pk)]
    assert order(sortBy="price") == [str(b.pk), str(c.pk), str(a.pk)]
    assert order(sort_by="reviews") == [str(b.pk), str(c.pk), str(a.pk)]


def test_pagination_and_facets_are_over_the_whole_filtered_set():
    provider = builders.specialist(price=Decimal("2500.00"))
    workshop = Category.objects.create(key="WORKSHOP", name="Workshop")
    for price in ("100", "499.99", "500", "1999", "2000"):
        offer(provider, f"Session {price}", price, category=workshop)

    data = search(limit=2, page=2)

    assert len(data["services"]) == 2
    assert data["pagination"] == {
        "current_page": 2,
        "total_pages": 3,
        "total_items": 6,
        "has_next": True,
        "has_prev": True,
    }
    assert data["filters"]["price_ranges"] == [
        {"min": 0, "max": 500, "count": 2},
        {"min": 500, "max": 1000, "count": 1},
        {"min": 1000, "max": 2000, "count": 1},
        {"min": 2000, "max": None, "count": 2},
    ]
    assert data["filters"]["categories"] == [
        {"id": workshop.pk, "key": "WORKSHOP", "name": "Workshop", "count": 5},
        {"id": Category.objects.get(key="CONSULTATION").pk, "key": "CONSULTATION", "name": "Consultation", "count": 1},
    ]
    last = search(limit=2, page=3)["pagination"]
    assert (last["has_next"], last["has_prev"]) == (False, True)
    assert search(limit=2, page=9)["services"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"minPrice": 500, "maxPrice": 100}, "min_price"),
        ({"availability": "15-03-2026"}, "availability"),
        ({"availability": "2026-02-30"}, "availability"),
        ({"sortBy": "popularity"}, "sort_by"),
        ({"rating": "6"}, "rating"),
        ({"limit": 0}, "limit"),
    ],
)
def test_bad_input_is_422_naming_the_field(params, field):
    assert_error(APIClient().get(URL, params), 422, "VALIDATION_ERROR", field=field)


def test_the_query_count_does_not_depend_on_the_page_size():
    for n in range(12):
        provider = builders.specialist(specialties=["Business"], address="Bengaluru")
        for k in range(4):
            offer(provider, f"Business session {n}-{k}", str(100 * (k + 1)))
    assert Service.objects.filter(partner__isnull=False).count() == 60
    filters = "query=business&specialties=business&location=bengaluru&availability="
    day = (timezone.now() + timedelta(days=2)).date().isoformat()

    search(limit=1)  # warm the runtime settings cache (max_booking_advance_days)
    counts = query_counts(
        APIClient(),
        [f"{URL}?limit=5", f"{URL}?limit=50", f"{URL}?limit=5&{filters}{day}", f"{URL}?limit=50&{filters}{day}"],
    )

    values = list(counts.values())
    assert values[0] == values[1], counts
    assert values[2] == values[3], counts


def test_answers_are_cached_five_minutes_until_a_service_provider_or_booking_changes(django_assert_num_queries):
    from django.core.cache import cache

    from partners.api.search import SEARCH_CACHE_SECONDS

    provider = builders.specialist()
    service = offer(provider, "Portfolio review", "900")
    assert "Portfolio review" in names(search())

    with django_assert_num_queries(0):  # the repeat comes from the cache
        search()
    Service.objects.filter(pk=service.pk).update(name="Renamed quietly")  # no signal: still the cached answer
    assert "Portfolio review" in names(search())
    service.name = "Portfolio deep dive"
    service.save(update_fields=["name"])  # a service changed: the next answer is new
    assert "Portfolio deep dive" in names(search())

    before = search()["services"]
    assert all(row["next_available"] for row in search()["services"])
    PartnerTimeOff.objects.create(  # a block (or a booking) moves the answer on as well
        partner=provider, starts_at=timezone.now(), ends_at=timezone.now() + timedelta(days=20), reason="Leave"
    )
    assert [row["next_available"] for row in search()["services"]] == [None] * len(before)
    assert SEARCH_CACHE_SECONDS == 300
    assert cache.ttl(next(iter(cache.keys("search:*")))) <= SEARCH_CACHE_SECONDS


def test_categories_count_only_what_a_customer_can_find(django_assert_num_queries):
    provider = builders.specialist()
    workshop = Category.objects.create(key="WORKSHOP", name="Workshop")
    offer(provider, "Team workshop", "2500", category=workshop)
    hidden = offer(provider, "Old workshop", "900", category=workshop)
    hidden.is_active = False
    hidden.save(update_fields=["is_active"])
    offer(builders.specialist(onboarding_status="pending"), "Unverified workshop", "900", category=workshop)
    Category.objects.create(key="EMPTY", name="Empty")

    with django_assert_num_queries(1):
        response = APIClient().get("/api/v1/services/categories")

    assert response.status_code == 200, response.content
    counts = {row["key"]: row["service_count"] for row in response.json()["data"]}
    assert counts["WORKSHOP"] == 1
    assert counts["CONSULTATION"] == 1  # the verified specialist's portfolio review, not the unverified one's
    assert counts["EMPTY"] == 0


def test_a_specialists_service_detail_shows_the_specialist_reviews_and_next_slots():
    from bookings.models import Review

    expert = builders.specialist(business_name="Kapoor Career Studio")
    service = offer(expert, "Interview rehearsal", "1500", description="A mock interview with written feedback")
    customer = builders.patient(full_name="Asha Customer")
    Review.objects.create(
        booking=_completed_booking(expert, customer), customer=customer, partner=expert, rating=5, comment="Great"
    )

    response = APIClient().get(f"/api/v1/services/{service.pk}")

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["name"], data["product_cost"], data["long_description"]) == (
        "Interview rehearsal",
        1500.0,
        "A mock interview with written feedback",
    )
    assert (data["specialist"]["id"], data["specialist"]["business_name"]) == (str(expert.pk), "Kapoor Career Studio")
    assert [(r["rating"], r["customer_name"]) for r in data["reviews"]] == [(5, "Asha C.")]
    assert len(data["availability"]) == 5
    first = datetime.fromisoformat(data["availability"][0])
    assert timezone.now() < first < timezone.now() + timedelta(days=15)

    hidden = offer(builders.specialist(onboarding_status="pending"), "Hidden", "100")
    assert APIClient().get(f"/api/v1/services/{hidden.pk}").status_code == 404  # SE1: not searchable, not shown


def test_response_time_follows_how_soon_the_specialist_confirms_paid_requests():
    from bookings.models import BookingEvent, BookingStatus
    from tests.appointments.test_deposits_api import checkout, held
    from tests.conftest import client_for

    expert = builders.specialist()
    days = iter(range(2, 9))

    def confirm_after(minutes):
        _, client, booking, data = held(expert, days=next(days))
        assert checkout(client, data["payment_intent"]["order_id"]).status_code == 200
        paid = BookingEvent.objects.filter(booking=booking, new_status=BookingStatus.PENDING)
        assert paid.count() == 1
        paid.update(created_at=timezone.now() - timedelta(minutes=minutes, seconds=5))
        response = client_for(expert.user).post(f"/api/v1/bookings/{booking.pk}/confirm", {}, format="json")
        assert response.status_code == 200, response.content
        expert.refresh_from_db()
        return expert.response_minutes

    assert confirm_after(90) == 90  # the first one is the value
    assert search()["services"][0]["specialist"]["response_time"] == "within 2 hours"
    assert confirm_after(0) == 72  # then a running average: (90 x 4 + 0) / 5
    assert confirm_after(10) == 59
    service = builders.service_of(expert)
    assert APIClient().get(f"/api/v1/services/{service.pk}").json()["data"]["specialist"]["response_time"] == (
        "within an hour"
    )
    expert.response_minutes = 3000
    assert search_selectors.response_time(expert) == "within a few days"


def _completed_booking(expert, customer):
    from bookings.models import BookingStatus
    from partners.services.appointments import AppointmentRequest, appointment_create

    booking = appointment_create(
        customer=customer,
        request=AppointmentRequest(provider_id=expert.pk, start=builders.slot(expert, days=3), payment_method="cash"),
    )
    type(booking).objects.filter(pk=booking.pk).update(status=BookingStatus.COMPLETED)
    return booking
