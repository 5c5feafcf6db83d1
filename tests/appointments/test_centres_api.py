"""Seed 003 centres through HTTP (issue #18): reads by role, create, update in scope, delete guard, toggle."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from bookings.models import SessionType
from partners.models import Centre
from partners.services.appointments import AppointmentRequest, appointment_create
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.appointments import builders
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/centres"
NEW = {
    "name": "Mibo Mumbai",
    "city": "Mumbai",
    "address": "456 Marine Drive, Mumbai",
    "phone": "+912266554433",
    "email": "mumbai@mibo.com",
}


def admin():
    return client_for(make_user(Role.ADMIN))


def test_admin_creates_a_centre_in_the_seeds_shape():
    response = admin().post(URL, {**NEW, "timezone": "Asia/Kolkata"}, format="json")

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["name"] == "Mibo Mumbai"
    assert data["is_active"] is True
    assert data["timezone"] == "Asia/Kolkata"
    assert Centre.objects.filter(pk=data["id"], city="Mumbai").exists()


def test_an_unknown_time_zone_is_refused_naming_it():
    response = admin().post(URL, {**NEW, "timezone": "Mars/Olympus"}, format="json")
    assert_error(response, 422, "VALIDATION_ERROR", "timezone")
    assert not Centre.objects.exists()


def test_a_duplicate_name_in_a_city_whatever_its_case_is_a_conflict():
    builders.centre(name="Mibo Mumbai", city="Mumbai")
    response = admin().post(URL, {**NEW, "name": "MIBO mumbai", "city": "mumbai"}, format="json")
    assert_error(response, 409, "CONFLICT", "name")

    other_city = admin().post(URL, {**NEW, "city": "Pune"}, format="json")
    assert other_city.status_code == 201


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.CENTRE_MANAGER, Role.SUPPORT])
def test_who_may_not_create_a_centre(role):
    response = client_for(make_user(role)).post(URL, NEW, format="json")
    assert_error(response, 403, "FORBIDDEN")


def test_a_patient_sees_active_centres_staff_see_all_and_the_city_filter_ignores_case():
    open_one = builders.centre(name="Mibo Bangalore", city="Bangalore")
    builders.centre(name="Mibo Indiranagar", city="Bangalore", is_active=False)
    builders.centre(name="Mibo Mumbai", city="Mumbai")

    patient = client_for(builders.patient()).get(URL, {"city": "bangalore"})
    staff = client_for(make_user(Role.FRONT_DESK)).get(URL, {"city": "BANGALORE"})

    assert [c["id"] for c in patient.json()["data"]] == [str(open_one.pk)]
    assert {c["name"] for c in staff.json()["data"]} == {"Mibo Bangalore", "Mibo Indiranagar"}


def test_centres_need_a_sign_in_and_staff_without_the_permission_are_refused():
    assert_error(APIClient().get(URL), 401, "UNAUTHORIZED")
    assert_error(client_for(make_user(Role.SUPPORT)).get(URL), 403, "FORBIDDEN")


def test_an_inactive_centre_is_not_found_by_a_patient():
    closed = builders.centre(is_active=False)
    assert_error(client_for(builders.patient()).get(f"{URL}/{closed.pk}"), 404, "NOT_FOUND", "id")
    assert client_for(make_user(Role.ADMIN)).get(f"{URL}/{closed.pk}").status_code == 200


def test_a_centre_manager_updates_their_centre_and_not_another():
    mine, theirs = builders.centre(), builders.centre()
    manager = client_for(builders.centre_manager(mine))

    ok = manager.put(f"{URL}/{mine.pk}", {"phone": "+918012345679", "email": "b@mibo.com"}, format="json")
    refused = manager.put(f"{URL}/{theirs.pk}", {"phone": "+918012345679"}, format="json")

    assert ok.status_code == 200, ok.content
    assert ok.json()["data"]["phone"] == "+918012345679"
    assert_error(refused, 404, "NOT_FOUND", "id")
    theirs.refresh_from_db()
    assert theirs.phone == ""


def test_an_update_to_an_unknown_zone_is_refused():
    centre = builders.centre()
    response = admin().put(f"{URL}/{centre.pk}", {"timezone": "Asia/Atlantis"}, format="json")
    assert_error(response, 422, "VALIDATION_ERROR", "timezone")


def test_a_centre_with_an_upcoming_appointment_cannot_be_deleted():
    centre = builders.centre()
    doctor = builders.clinician(at=centre)
    appointment_create(
        customer=builders.patient(),
        request=AppointmentRequest(
            provider_id=doctor.pk,
            start=builders.slot(doctor),
            session_type=SessionType.IN_PERSON,
            centre_id=centre.pk,
        ),
    )
    response = admin().delete(f"{URL}/{centre.pk}")

    error = assert_error(response, 409, "CONFLICT")
    assert error["details"]["reason"] == "has_future_appointments"
    assert Centre.objects.filter(pk=centre.pk).exists()


def test_a_centre_with_only_past_appointments_is_kept_with_them():
    centre = builders.centre()
    doctor = builders.clinician(at=centre)
    booking = appointment_create(
        customer=builders.patient(),
        request=AppointmentRequest(
            provider_id=doctor.pk, start=builders.slot(doctor), session_type=SessionType.IN_PERSON, centre_id=centre.pk
        ),
    )
    type(booking).objects.filter(pk=booking.pk).update(
        scheduled_start=booking.scheduled_start - timedelta(days=30),
        scheduled_end=booking.scheduled_end - timedelta(days=30),
    )

    error = assert_error(admin().delete(f"{URL}/{centre.pk}"), 409, "CONFLICT")

    assert error["details"]["reason"] == "has_history"
    assert Centre.objects.filter(pk=centre.pk).exists()


def test_a_centre_without_appointments_is_deleted_by_an_admin_only():
    centre = builders.centre()
    assert_error(client_for(make_user(Role.OPS_MANAGER)).delete(f"{URL}/{centre.pk}"), 403, "FORBIDDEN")

    response = admin().delete(f"{URL}/{centre.pk}")

    assert response.status_code == 200, response.content
    assert response.json()["data"] is None
    assert not Centre.objects.filter(pk=centre.pk).exists()


def test_toggle_switches_a_centre_off_and_on():
    centre = builders.centre()
    client = client_for(make_user(Role.OPS_MANAGER))

    off = client.patch(f"{URL}/{centre.pk}/toggle-active")
    on = client.patch(f"{URL}/{centre.pk}/toggle-active")

    assert off.json()["data"]["is_active"] is False
    assert on.json()["data"]["is_active"] is True
    manager = client_for(builders.centre_manager(centre))
    assert_error(manager.patch(f"{URL}/{centre.pk}/toggle-active"), 403, "FORBIDDEN")


def test_the_centre_list_takes_the_same_queries_at_two_sizes():
    client = client_for(builders.patient())
    builders.centre()
    small = query_counts(client, [URL])
    for _ in range(6):
        builders.centre()
    large = query_counts(client, [URL])
    assert small == large
