"""Seed 004's analytics through HTTP: GET /analytics/specialist/dashboard and GET /analytics/platform/metrics
(readings in partners.selectors.specialist_analytics). Completed appointments are made by the services: a cash
booking, the specialist's confirm, its start moved into the past, then complete."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from bookings.models import Booking, BookingStatus, PaymentMode
from bookings.services.lifecycle import booking_cancel
from partners.models import Partner, PartnerEarning
from partners.selectors.specialist_analytics import dashboard_of
from partners.services.appointment_steps import appointment_complete, appointment_confirm
from partners.services.appointments import AppointmentRequest, appointment_create
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.appointments import builders
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

DASHBOARD = "/api/v1/analytics/specialist/dashboard"
METRICS = "/api/v1/analytics/platform/metrics"
_slots = count()


def _book(expert: Partner, customer: User, service=None, method=PaymentMode.CASH) -> Booking:
    n = next(_slots)
    start = builders.slot(expert, days=1 + n // 8, hour=9 + n % 8)
    service = service or builders.service_of(expert)
    request = AppointmentRequest(provider_id=expert.pk, start=start, service_id=service.pk, payment_method=method)
    return appointment_create(customer=customer, request=request)


def pending(expert: Partner, customer: User) -> Booking:
    """Paid in cash: waiting for the specialist's confirmation."""
    return _book(expert, customer)


def completed(expert: Partner, customer: User, *, at: datetime | None = None, service=None) -> Booking:
    booking = _book(expert, customer, service)
    appointment_confirm(provider_user=expert.user, booking_id=booking.pk)
    at = at or timezone.now() - timedelta(hours=2)
    Booking.objects.filter(pk=booking.pk).update(scheduled_start=at, scheduled_end=at + timedelta(hours=1))
    booking, _ = appointment_complete(actor=expert.user, booking_id=booking.pk)
    return booking


def test_the_dashboard_adds_up_revenue_services_response_and_repeat_customers():
    expert = builders.specialist()
    coaching = builders.own_service(expert, name="Coaching", minutes=60, price=Decimal("900.00"))
    regular, once = builders.patient(), builders.patient()
    completed(expert, regular)
    completed(expert, regular)
    completed(expert, once, service=coaching)
    pending(expert, once)  # reached the specialist, not confirmed yet
    _book(expert, once, method=PaymentMode.ONLINE)  # an unpaid hold: not a booking yet
    Partner.objects.filter(pk=expert.pk).update(rating=Decimal("4.50"), rating_count=2)

    response = client_for(expert.user).get(DASHBOARD)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["overview"] == {
        "total_revenue": 3900.0,
        "this_month_revenue": data["overview"]["this_month_revenue"],
        "total_bookings": 4,
        "this_month_bookings": data["overview"]["this_month_bookings"],
        "completed_bookings": 3,
        "average_rating": 4.5,
        "total_reviews": 2,
        "response_rate": 75,
    }
    assert [(row["name"], row["bookings"], row["revenue"]) for row in data["top_services"]] == [
        ("Portfolio review", 2, 3000.0),
        ("Coaching", 1, 900.0),
    ]
    assert data["top_services"][1]["service_id"] == str(coaching.pk)
    assert data["customer_satisfaction"] == {"average_rating": 4.5, "response_rate": 75, "repeat_customers": 50}
    assert sum(row["revenue"] for row in data["revenue_chart"]) == 3900.0
    assert sum(row["bookings"] for row in data["revenue_chart"]) == 3


def _zone_past_its_month_start() -> ZoneInfo:
    """New York, or Los Angeles in the three hours after New York's month began: the tests below complete
    appointments up to 90 minutes after the local month's start, and an appointment is completed only once it
    has started (in New York's first hour of a month they were still to come)."""
    for name in ("America/New_York", "America/Los_Angeles"):
        zone = ZoneInfo(name)
        now = timezone.now().astimezone(zone)
        if now - datetime.combine(now.date().replace(day=1), time.min, tzinfo=zone) >= timedelta(hours=3):
            return zone
    raise AssertionError("Los Angeles's month begins three hours after New York's")


def test_the_chart_buckets_by_the_specialists_month_across_a_month_boundary():
    """New York's midnight on the 1st is 04:00/05:00 UTC (Los Angeles's 07:00/08:00): 30 minutes either side
    share a UTC month but not a local one."""
    zone = _zone_past_its_month_start()
    expert = builders.specialist(zone=zone.key)
    first = timezone.now().astimezone(zone).date().replace(day=1)
    boundary = datetime.combine(first, time.min, tzinfo=zone)
    before, after = boundary - timedelta(minutes=30), boundary + timedelta(minutes=30)
    assert before.astimezone(ZoneInfo("UTC")).month == after.astimezone(ZoneInfo("UTC")).month
    completed(expert, builders.patient(), at=before)
    completed(expert, builders.patient(), at=after)
    completed(expert, builders.patient(), at=after + timedelta(hours=1))
    too_old = datetime.combine((first - timedelta(days=340)).replace(day=1), time(12), tzinfo=zone)
    completed(expert, builders.patient(), at=too_old)

    chart = client_for(expert.user).get(DASHBOARD).json()["data"]["revenue_chart"]

    last_month = (first - timedelta(days=1)).strftime("%Y-%m")
    assert len(chart) == 12
    assert chart[-1] == {"month": first.strftime("%Y-%m"), "revenue": 3000.0, "bookings": 2}
    assert chart[-2] == {"month": last_month, "revenue": 1500.0, "bookings": 1}
    assert all(row["revenue"] == 0 and row["bookings"] == 0 for row in chart[:-2])
    assert chart[0]["month"] > too_old.strftime("%Y-%m")
    assert len({row["month"] for row in chart}) == 12


def test_this_month_is_the_specialists_local_month():
    zone = _zone_past_its_month_start()
    expert = builders.specialist(zone=zone.key)
    boundary = datetime.combine(timezone.now().astimezone(zone).date().replace(day=1), time.min, tzinfo=zone)
    completed(expert, builders.patient(), at=boundary - timedelta(minutes=30))
    completed(expert, builders.patient(), at=boundary + timedelta(minutes=30))

    overview = dashboard_of(expert)["overview"]

    assert (overview["this_month_revenue"], overview["total_revenue"]) == (Decimal("1500.00"), Decimal("3000.00"))
    assert overview["this_month_bookings"] == 1


def test_the_dashboard_takes_a_fixed_number_of_queries(django_assert_num_queries):
    expert = builders.specialist()
    completed(expert, builders.patient())
    client = client_for(expert.user)
    small = query_counts(client, [DASHBOARD])[DASHBOARD]
    extra = builders.own_service(expert, name="Extra", minutes=60, price=Decimal("700.00"))
    for _ in range(3):
        customer = builders.patient()
        completed(expert, customer, service=extra)
        completed(expert, customer, at=timezone.now() - timedelta(days=70))
        pending(expert, customer)

    with django_assert_num_queries(small):
        assert client.get(DASHBOARD).status_code == 200


def test_an_empty_dashboard_is_zeros():
    expert = builders.specialist()
    data = client_for(expert.user).get(DASHBOARD).json()["data"]

    assert data["overview"]["total_revenue"] == 0
    assert data["customer_satisfaction"] == {"average_rating": 0, "response_rate": 0, "repeat_customers": 0}
    assert data["top_services"] == []
    assert len(data["revenue_chart"]) == 12


def test_only_a_specialist_has_a_dashboard():
    from rest_framework.test import APIClient

    assert_error(client_for(builders.patient()).get(DASHBOARD), 403, "NOT_A_PARTNER")
    assert_error(client_for(builders.clinician().user).get(DASHBOARD), 403, "NOT_A_PARTNER")
    assert APIClient().get(DASHBOARD).status_code == 401


# --- platform metrics -----------------------------------------------------------------------------------


def test_platform_metrics_count_users_bookings_revenue_and_commission():
    admin = make_user(Role.ADMIN)
    expert = builders.specialist()
    buyer, canceller = builders.patient(), builders.patient()
    completed(expert, buyer)
    completed(expert, buyer, at=timezone.now() - timedelta(days=70))
    booking = pending(expert, canceller)
    booking_cancel(user=canceller, booking_id=booking.pk, reason="Plans changed")
    pending(expert, canceller)
    zone = ZoneInfo(settings.TIME_ZONE)
    this_start = datetime.combine(timezone.now().astimezone(zone).date().replace(day=1), time.min, tzinfo=zone)
    User.objects.filter(pk=canceller.pk).update(created_at=this_start - timedelta(minutes=1))
    commission = PartnerEarning.objects.aggregate(total=Sum("platform_commission"))["total"]
    assert commission > 0

    response = client_for(admin).get(METRICS)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    users = User.objects.count()
    assert data["users"] == {
        "total": users,
        "customers": 2,
        "specialists": 1,
        "growth": {"this_month": users - 1, "last_month": 1},
    }
    assert data["bookings"]["total"] == 4
    assert data["bookings"]["completion_rate"] == 67  # 2 completed of 3 finished (one cancelled)
    assert data["bookings"]["average_value"] == 1500.0
    assert data["revenue"]["total"] == 3000.0
    assert data["revenue"]["commission_earned"] == float(commission)
    assert Booking.objects.filter(status=BookingStatus.CANCELLED).count() == 1


def test_platform_metrics_take_a_fixed_number_of_queries(django_assert_num_queries):
    client = client_for(make_user(Role.ADMIN))
    small = query_counts(client, [METRICS])[METRICS]
    expert = builders.specialist()
    for _ in range(3):
        completed(expert, builders.patient())

    with django_assert_num_queries(small):
        assert client.get(METRICS).status_code == 200


def test_platform_metrics_need_the_analytics_permission():
    assert_error(client_for(builders.patient()).get(METRICS), 403, "FORBIDDEN")
    assert_error(client_for(builders.specialist().user).get(METRICS), 403, "FORBIDDEN")
