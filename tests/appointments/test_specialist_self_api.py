"""Seed 004's specialist self-service through HTTP (issue #19): profile, own services, availability, blocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from bookings.models import BookingStatus
from catalog.models import Category, Service
from partners.models import PartnerAvailability, PartnerTimeOff
from partners.services.appointments import AppointmentRequest, appointment_create
from tests import factories
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.appointments import builders
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/specialists"


def book(provider, start):
    return appointment_create(
        customer=builders.patient(), request=AppointmentRequest(provider_id=provider.pk, start=start)
    )


def local_today(provider) -> date:
    return timezone.now().astimezone(ZoneInfo(provider.timezone)).date()


# --- who ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/profile", "/services", "/availability?startDate=2026-12-01&endDate=2026-12-02"],
)
def test_only_a_specialist_has_the_self_service(path):
    for someone in (builders.patient(), builders.clinician().user):
        assert_error(client_for(someone).get(f"{URL}{path}"), 403, "NOT_A_PARTNER")


# --- profile ------------------------------------------------------------------------------------------


def test_the_profile_shows_hours_pricing_and_counts():
    me = builders.specialist(zone="America/New_York", business_name="Kapoor Career Studio", specialties=["careers"])

    data = client_for(me.user).get(f"{URL}/profile").json()["data"]

    assert data["id"] == str(me.pk)
    assert data["user_id"] == str(me.user_id)
    assert data["business_name"] == "Kapoor Career Studio"
    assert data["specialties"] == ["careers"]
    assert data["is_verified"] is True
    assert data["availability"]["timezone"] == "America/New_York"
    assert data["availability"]["working_hours"]["monday"] == {"start": "09:00", "end": "17:00"}
    assert len(data["availability"]["working_hours"]) == 7
    assert data["pricing"] == {"base_rate": 1500.0, "currency": "INR", "deposit_amount": 200.0}
    assert data["revenue"] == {"this_month": 0, "last_month": 0, "total": 0}


def test_a_profile_update_replaces_the_week_and_publishes(django_capture_on_commit_callbacks):
    me = builders.specialist()
    body = {
        "businessName": "Kapoor Advanced",
        "description": "Careers",
        "specialties": ["careers", "cv"],
        "baseRate": 1800,
        "depositAmount": 300,
        "availability": {
            "timezone": "America/New_York",
            "workingHours": {
                "monday": {"start": "10:00", "end": "14:00"},
                "friday": {"start": "09:00", "end": "12:00"},
            },
        },
    }
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(me.user).put(f"{URL}/profile", body, format="json")

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["business_name"] == "Kapoor Advanced"
    assert data["description"] == "Careers"
    assert client_for(me.user).get(f"{URL}/profile").json()["data"]["description"] == "Careers"
    assert data["pricing"] == {"base_rate": 1800.0, "currency": "INR", "deposit_amount": 300.0}
    assert data["availability"] == {
        "timezone": "America/New_York",
        "working_hours": {"monday": {"start": "10:00", "end": "14:00"}, "friday": {"start": "09:00", "end": "12:00"}},
    }
    rows = PartnerAvailability.objects.filter(partner=me).order_by("day_of_week")
    assert [(r.day_of_week, r.start_time, r.end_time) for r in rows] == [
        (1, time(10), time(14)),
        (5, time(9), time(12)),
    ]
    assert callbacks  # availability:updated is queued on commit


@pytest.mark.parametrize(
    ("availability", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "availability.timezone"),
        ({"workingHours": {"monday": {"start": "12:00", "end": "12:00"}}}, "availability.working_hours.monday.end"),
        ({"workingHours": {"monday": {"start": "12:00", "end": "11:00"}}}, "availability.working_hours.monday.end"),
        ({"workingHours": {"funday": {"start": "09:00", "end": "11:00"}}}, "availability.working_hours.funday"),
    ],
)
def test_a_bad_profile_update_names_its_field_and_changes_nothing(availability, field):
    me = builders.specialist()
    response = client_for(me.user).put(
        f"{URL}/profile", {"businessName": "X", "availability": availability}, format="json"
    )

    assert_error(response, 422, "VALIDATION_ERROR", field)
    me.refresh_from_db()
    assert me.business_name != "X"
    assert me.timezone == "Asia/Kolkata"
    assert PartnerAvailability.objects.filter(partner=me).count() == 7


def test_revenue_buckets_by_month_in_the_specialists_zone():
    me = builders.specialist(zone="America/New_York")
    zone = ZoneInfo("America/New_York")
    first = timezone.now().astimezone(zone).date().replace(day=1)
    month_start = datetime.combine(first, time.min, tzinfo=zone)
    before = (first - timedelta(days=1)).replace(day=1)

    def done(start, total, status=BookingStatus.COMPLETED):
        factories.BookingFactory(
            requested_partner=me, start=start, total=total, status=status, services=[builders.service_of(me)]
        )

    done(month_start + timedelta(hours=1), "100.00")  # this month
    # 21:00 on the last local day of last month: already this month in UTC, last month in New York
    late = month_start - timedelta(hours=3)
    assert late.astimezone(UTC).month == first.month
    done(late, "40.00")
    done(datetime.combine(before - timedelta(days=20), time(12), tzinfo=zone), "7.00")  # two months back
    done(month_start + timedelta(hours=2), "999.00", status=BookingStatus.CANCELLED)  # not completed

    revenue = client_for(me.user).get(f"{URL}/profile").json()["data"]["revenue"]

    assert revenue == {"this_month": 100.0, "last_month": 40.0, "total": 147.0}


# --- services -----------------------------------------------------------------------------------------


def service_body(**fields):
    Category.objects.get_or_create(key="CONSULTATION", defaults={"name": "Consultation"})
    return {
        "name": "Marketing Strategy Session",
        "description": "2 h",
        "duration": 120,
        "price": 2000,
        "category": "consultation",
    } | fields


def test_a_specialist_manages_their_own_services():
    me = builders.specialist()
    client = client_for(me.user)

    created = client.post(f"{URL}/services", service_body(), format="json")
    again = client.post(f"{URL}/services", service_body(), format="json")

    assert created.status_code == 201, created.content
    data = created.json()["data"]
    assert (data["name"], data["duration"], data["price"], data["category"], data["is_active"]) == (
        "Marketing Strategy Session",
        120,
        2000.0,
        "CONSULTATION",
        True,
    )
    assert data["service_key"] == "MARKETING_STRATEGY_SESSION"
    assert again.json()["data"]["service_key"] == "MARKETING_STRATEGY_SESSION_2"
    service = Service.objects.get(pk=data["id"])
    assert (service.partner, service.product_cost, service.market_price) == (me, Decimal("2000"), Decimal("2000"))

    updated = client.put(f"{URL}/services/{data['id']}", {"price": 2500, "isActive": False}, format="json")
    assert updated.status_code == 200, updated.content
    assert (updated.json()["data"]["price"], updated.json()["data"]["is_active"]) == (2500.0, False)

    listed = client.get(f"{URL}/services").json()["data"]
    assert len(listed) == 3  # the builder's "Portfolio review" and the two new ones
    builders.specialist()  # someone else's services are not listed
    assert len(client.get(f"{URL}/services").json()["data"]) == 3


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"duration": 20}, "duration"),
        ({"duration": 0}, "duration"),
        ({"price": 0}, "price"),
        ({"category": "no-such-thing"}, "category"),
    ],
)
def test_a_bad_service_names_its_field(fields, field):
    me = builders.specialist()
    response = client_for(me.user).post(f"{URL}/services", service_body(**fields), format="json")
    assert_error(response, 422, "VALIDATION_ERROR", field)


@pytest.mark.parametrize(("fields", "field"), [({"duration": 50}, "duration"), ({"price": -5}, "price")])
def test_a_bad_service_update_names_its_field_and_changes_nothing(fields, field):
    me = builders.specialist()
    mine = builders.service_of(me)
    response = client_for(me.user).put(f"{URL}/services/{mine.pk}", fields, format="json")
    assert_error(response, 422, "VALIDATION_ERROR", field)
    mine.refresh_from_db()
    assert (mine.duration_minutes, mine.product_cost) == (60, Decimal("1500.00"))


def test_another_specialists_service_is_not_found():
    me, other = builders.specialist(), builders.specialist()
    theirs = builders.service_of(other)
    client = client_for(me.user)

    assert_error(client.put(f"{URL}/services/{theirs.pk}", {"price": 1}, format="json"), 404, "NOT_FOUND")
    assert_error(client.delete(f"{URL}/services/{theirs.pk}"), 404, "NOT_FOUND")
    assert Service.objects.filter(pk=theirs.pk, is_active=True).exists()


def test_a_booked_service_is_deactivated_not_deleted():
    me = builders.specialist()
    booked = builders.service_of(me)
    factories.BookingFactory(requested_partner=me, services=[booked])
    spare = builders.own_service(me, name="Spare", minutes=30, price=Decimal("100"))
    client = client_for(me.user)

    kept = client.delete(f"{URL}/services/{booked.pk}")
    gone = client.delete(f"{URL}/services/{spare.pk}")

    assert kept.json()["data"] == {"id": str(booked.pk), "deleted": False, "is_active": False}
    assert "deactivated" in kept.json()["message"]
    assert Service.objects.get(pk=booked.pk).is_active is False
    assert gone.json()["data"]["deleted"] is True
    assert not Service.objects.filter(pk=spare.pk).exists()


def test_the_service_list_takes_the_same_queries_at_any_size():
    me = builders.specialist()
    client = client_for(me.user)
    small = query_counts(client, [f"{URL}/services"])[f"{URL}/services"]
    for n in range(5):
        builders.own_service(me, name=f"Extra {n}", minutes=30, price=Decimal("100"))
    assert query_counts(client, [f"{URL}/services"])[f"{URL}/services"] == small


# --- availability -------------------------------------------------------------------------------------


def grid(client, first: date, last: date, **params) -> dict:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = client.get(f"{URL}/availability?startDate={first}&endDate={last}&{query}")
    assert response.status_code == 200, response.content
    return {row["date"]: row["slots"] for row in response.json()["data"]["available_slots"]}


def test_the_grid_marks_booked_blocked_and_past_slots():
    me = builders.specialist()
    client = client_for(me.user)
    today = local_today(me)
    book(me, builders.slot(me, days=2, hour=10))
    created = client.post(
        f"{URL}/availability/block",
        {
            "startDateTime": builders.slot(me, days=2, hour=14).isoformat(),
            "endDateTime": builders.slot(me, days=2, hour=16).isoformat(),
            "reason": "personal time",
        },
        format="json",
    )
    assert created.status_code == 201, created.content

    days = grid(client, today - timedelta(days=1), today + timedelta(days=2))

    assert len(days) == 4
    yesterday = days[str(today - timedelta(days=1))]
    assert len(yesterday) == 8
    assert all(s["reason"] == "past" and not s["available"] for s in yesterday)
    later = {s["start_time"]: s for s in days[str(today + timedelta(days=2))]}
    assert later["09:00"]["available"] is True
    assert "reason" not in later["09:00"]
    assert (later["09:00"]["end_time"], later["10:00"]["reason"]) == ("10:00", "booked")
    assert later["14:00"]["reason"] == later["15:00"]["reason"] == "blocked"
    assert later["16:00"]["available"] is True


def test_the_display_zone_re_renders_times_only():
    me = builders.specialist(zone="America/New_York")
    day = date(2026, 12, 15)  # EST, UTC-5
    own = grid(client_for(me.user), day, day)[str(day)]
    utc = grid(client_for(me.user), day, day, timezone="UTC")[str(day)]

    assert [s["start_time"] for s in own][:2] == ["09:00", "10:00"]
    assert [s["start_time"] for s in utc][:2] == ["14:00", "15:00"]
    assert [s["starts_at"] for s in own] == [s["starts_at"] for s in utc]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("startDate=2026-12-01&endDate=2027-01-01", "end_date"),  # 32 days
        ("startDate=2026-12-05&endDate=2026-12-01", "end_date"),
        ("startDate=2026-12-01&endDate=2026-12-02&timezone=Nowhere/City", "timezone"),
    ],
)
def test_a_bad_availability_query_names_its_field(query, field):
    me = builders.specialist()
    client = client_for(me.user)
    assert_error(client.get(f"{URL}/availability?{query}"), 422, "VALIDATION_ERROR", field)
    # a missing date is the project's generic 400 for a required field
    assert_error(client.get(f"{URL}/availability?endDate=2026-12-02"), 400, "INVALID_REQUEST", "start_date")


# --- blocks -------------------------------------------------------------------------------------------


def test_a_block_cannot_end_before_it_starts():
    me = builders.specialist()
    start = builders.slot(me, days=3)
    body = {"startDateTime": start.isoformat(), "endDateTime": start.isoformat(), "reason": "x"}
    assert_error(
        client_for(me.user).post(f"{URL}/availability/block", body, format="json"),
        422,
        "VALIDATION_ERROR",
        "end_date_time",
    )


def test_a_block_over_a_live_appointment_is_a_booking_conflict():
    me = builders.specialist()
    client = client_for(me.user)
    booking = book(me, builders.slot(me, days=9, hour=11))
    once = {
        "startDateTime": builders.slot(me, days=9, hour=10).isoformat(),
        "endDateTime": builders.slot(me, days=9, hour=12).isoformat(),
    }
    # a weekly block from two days on whose second week covers the appointment
    weekly = {
        "startDateTime": builders.slot(me, days=2, hour=11, minute=30).isoformat(),
        "endDateTime": builders.slot(me, days=2, hour=13).isoformat(),
        "recurring": True,
        "recurUntil": str(local_today(me) + timedelta(days=20)),
    }

    error = assert_error(client.post(f"{URL}/availability/block", once, format="json"), 409, "BOOKING_CONFLICT")
    assert_error(client.post(f"{URL}/availability/block", weekly, format="json"), 409, "BOOKING_CONFLICT")

    assert str(booking.pk) in str(error)
    assert not PartnerTimeOff.objects.filter(partner=me).exists()
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status"])
    assert client.post(f"{URL}/availability/block", once, format="json").status_code == 201


def test_a_weekly_block_repeats_and_is_removed_by_its_owner_only(django_capture_on_commit_callbacks):
    me, other = builders.specialist(), builders.specialist()
    client = client_for(me.user)
    body = {
        "startDateTime": builders.slot(me, days=2, hour=9).isoformat(),
        "endDateTime": builders.slot(me, days=2, hour=10).isoformat(),
        "recurring": True,
    }
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = client.post(f"{URL}/availability/block", body, format="json")
    assert created.status_code == 201, created.content
    assert callbacks
    data = created.json()["data"]
    assert data["recurring"] is True
    assert data["recur_until"] == str(local_today(me) + timedelta(days=2, weeks=52))
    week_on = local_today(me) + timedelta(days=9)
    assert grid(client, week_on, week_on)[str(week_on)][0]["reason"] == "blocked"

    assert_error(client_for(other.user).delete(f"{URL}/availability/block/{data['id']}"), 404, "NOT_FOUND")
    assert client.delete(f"{URL}/availability/block/{data['id']}").status_code == 200
    assert grid(client, week_on, week_on)[str(week_on)][0]["available"] is True


def test_the_grid_follows_daylight_saving_in_the_specialists_zone():
    me = builders.specialist(zone="America/New_York")
    days = grid(client_for(me.user), date(2027, 3, 13), date(2027, 3, 15), timezone="UTC")  # DST starts 03-14

    assert days["2027-03-13"][0]["start_time"] == "14:00"
    assert days["2027-03-15"][0]["start_time"] == "13:00"
    assert [len(slots) for slots in days.values()] == [8, 8, 8]
