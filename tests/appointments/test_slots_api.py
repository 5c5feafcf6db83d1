"""Seed 003 free slots through HTTP (issue #18): staff times, the public day with ``available``, rule CE1, DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role
from bookings.models import SessionType
from partners.models import PartnerTimeOff
from partners.selectors.clinic import centre_free_slots
from partners.services.appointments import AppointmentRequest, appointment_create
from tests.accounts.helpers import assert_error
from tests.appointments import builders
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

PUBLIC = "/api/v1/booking/available-slots"
STAFF = "/api/v1/appointments/availability"


def local_day(doctor, days=1):
    return builders.slot(doctor, days=days).date()


def public(doctor, centre=None, **params):
    query = {"clinicianId": str(doctor.pk), "date": local_day(doctor).isoformat(), **params}
    if centre is not None:
        query["centreId"] = str(centre.pk)
    return APIClient().get(PUBLIC, query)


def by_time(response):
    return {row["time"]: row["available"] for row in response.json()["data"]["available_slots"]}


def test_the_public_day_marks_a_booked_slot_and_time_off_unavailable_and_reveals_no_patient():
    centre = builders.centre()
    doctor = builders.clinician(at=centre)
    patient = builders.patient(full_name="Jane Patient")
    appointment_create(
        customer=patient,
        request=AppointmentRequest(
            provider_id=doctor.pk,
            start=builders.slot(doctor, hour=10),
            session_type=SessionType.IN_PERSON,
            centre_id=centre.pk,
        ),
    )
    off = builders.slot(doctor, hour=14)
    PartnerTimeOff.objects.create(partner=doctor, starts_at=off, ends_at=off + timedelta(hours=1))

    response = public(doctor, centre)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["date"], data["timezone"]) == (local_day(doctor).isoformat(), "Asia/Kolkata")
    slots = by_time(response)
    assert len(slots) == 16  # 09:00-17:00 in 30-minute slots
    assert slots["10:00:00"] is False
    assert (slots["14:00:00"], slots["14:30:00"]) == (False, False)
    assert (slots["09:00:00"], slots["10:30:00"], slots["15:00:00"]) == (True, True, True)
    first = data["available_slots"][0]
    assert first["starts_at"] == builders.slot(doctor, hour=9).astimezone(UTC).isoformat().replace("+00:00", "Z")
    assert "Jane" not in response.content.decode()
    assert str(patient.pk) not in response.content.decode()


def test_staff_get_the_free_start_times_in_snake_or_camel_case():
    centre = builders.centre()
    doctor = builders.clinician(at=centre)
    appointment_create(
        customer=builders.patient(),
        request=AppointmentRequest(provider_id=doctor.pk, start=builders.slot(doctor, hour=9)),
    )
    client = client_for(make_user(Role.FRONT_DESK))
    day = local_day(doctor).isoformat()

    snake = client.get(STAFF, {"clinician_id": str(doctor.pk), "centre_id": str(centre.pk), "date": day})
    camel = client.get(STAFF, {"clinicianId": str(doctor.pk), "centreId": str(centre.pk), "date": day})

    assert snake.status_code == 200, snake.content
    times = snake.json()["data"]["available_slots"]
    assert times[:2] == ["09:30:00", "10:00:00"]
    assert len(times) == 15
    assert camel.json()["data"] == snake.json()["data"] == {"date": day, "available_slots": times}


def test_the_staff_times_need_the_booking_view_permission():
    doctor = builders.clinician()
    params = {"clinician_id": str(doctor.pk), "date": local_day(doctor).isoformat()}
    assert_error(client_for(builders.patient()).get(STAFF, params), 403, "FORBIDDEN")
    assert_error(APIClient().get(STAFF, params), 401, "UNAUTHORIZED")


@pytest.mark.parametrize("date", [None, "", "2024-13-01", "tomorrow"], ids=["missing", "empty", "month-13", "word"])
def test_a_missing_or_bad_date_is_refused(date):
    doctor = builders.clinician()
    params = {"clinicianId": str(doctor.pk)}
    if date is not None:
        params["date"] = date
    assert_error(APIClient().get(PUBLIC, params), 422, "VALIDATION_ERROR", "date")
    assert_error(client_for(make_user(Role.ADMIN)).get(STAFF, params), 422, "VALIDATION_ERROR", "date")


def test_a_missing_clinician_is_refused_and_an_unknown_one_not_found():
    day = timezone.now().date().isoformat()
    assert_error(APIClient().get(PUBLIC, {"date": day}), 422, "VALIDATION_ERROR", "clinician_id")
    unknown = {"clinicianId": "00000000-0000-0000-0000-000000000001", "date": day}
    assert_error(APIClient().get(PUBLIC, unknown), 404, "PARTNER_NOT_FOUND", "clinician_id")


def test_a_day_past_the_horizon_or_before_today_has_no_slots():
    doctor = builders.clinician()
    far = local_day(doctor, days=45).isoformat()
    gone = local_day(doctor, days=-2).isoformat()
    assert public(doctor, date=far).json()["data"]["available_slots"] == []
    assert public(doctor, date=gone).json()["data"]["available_slots"] == []


def test_a_deactivated_centre_or_clinician_or_another_centre_offers_no_slots():
    centre, elsewhere = builders.centre(), builders.centre()
    doctor = builders.clinician(at=centre)
    assert by_time(public(doctor, centre))

    assert public(doctor, elsewhere).json()["data"]["available_slots"] == []
    admin = client_for(make_user(Role.ADMIN))
    admin.patch(f"/api/v1/centres/{centre.pk}/toggle-active")
    assert public(doctor, centre).json()["data"]["available_slots"] == []
    admin.patch(f"/api/v1/centres/{centre.pk}/toggle-active")
    admin.patch(f"/api/v1/clinicians/{doctor.pk}/toggle-active")
    assert public(doctor, centre).json()["data"]["available_slots"] == []
    staff = admin.get(STAFF, {"clinicianId": str(doctor.pk), "date": local_day(doctor).isoformat()})
    assert staff.json()["data"]["available_slots"] == []


def test_a_whole_centres_free_slots_take_the_same_four_queries_at_two_sizes():
    centre = builders.centre()
    builders.clinician(at=centre)
    day = local_day(builders.clinician(at=centre))
    centre_free_slots(centre, day=day)  # reads the runtime settings once (cached afterwards)
    with CaptureQueriesContext(connection) as small:  # the clinicians, then free_slots_of's rules, time off, busy time
        two = centre_free_slots(centre, day=day)
    for _ in range(4):
        builders.clinician(at=centre)
    with CaptureQueriesContext(connection) as large:
        six = centre_free_slots(centre, day=day)
    assert len(small) == len(large) == 4
    assert (len(two), len(six)) == (2, 6)
    assert all(len(slots) == 16 for slots in six.values())


# --- daylight saving, through the public endpoint -----------------------------------------------------


def night_clinician():
    """A New York clinician working 00:00-04:00 every day (30-minute slots), set through the API."""
    centre = builders.centre(zone="America/New_York")
    doctor = builders.clinician(at=centre, zone="America/New_York")
    rules = [
        {"dayOfWeek": day, "startTime": "00:00", "endTime": "04:00", "isAvailable": True}
        for day in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
    ]
    response = client_for(make_user(Role.ADMIN)).put(
        f"/api/v1/clinicians/{doctor.pk}/availability", {"availabilityRules": rules}, format="json"
    )
    assert response.status_code == 200, response.content
    return centre, doctor


def hold_clock(monkeypatch, moment):
    """``clock_held``'s patch, at a chosen moment before the DST dates (within the 30-day horizon)."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_spring_forward_has_no_slot_in_the_missing_hour(monkeypatch):
    centre, doctor = night_clinician()
    hold_clock(monkeypatch, datetime(2024, 3, 5, 12, tzinfo=UTC))

    response = public(doctor, centre, date="2024-03-10")

    assert response.status_code == 200, response.content
    rows = response.json()["data"]["available_slots"]
    assert [row["time"] for row in rows] == ["00:00:00", "00:30:00", "01:00:00", "01:30:00", "03:00:00", "03:30:00"]
    assert all(row["available"] for row in rows)
    starts = {row["time"]: row["starts_at"] for row in rows}
    assert (starts["01:30:00"], starts["03:00:00"]) == ("2024-03-10T06:30:00Z", "2024-03-10T07:00:00Z")


def test_fall_back_has_one_slot_at_the_repeated_half_hour(monkeypatch):
    centre, doctor = night_clinician()
    hold_clock(monkeypatch, datetime(2024, 10, 30, 12, tzinfo=UTC))

    response = public(doctor, centre, date="2024-11-03")

    rows = response.json()["data"]["available_slots"]
    times = [row["time"] for row in rows]
    assert times.count("01:30:00") == 1
    assert times == ["00:00:00", "00:30:00", "01:00:00", "01:30:00", "02:00:00", "02:30:00", "03:00:00", "03:30:00"]
    starts = {row["time"]: row["starts_at"] for row in rows}
    assert (starts["01:30:00"], starts["02:00:00"]) == ("2024-11-03T05:30:00Z", "2024-11-03T07:00:00Z")
