"""The staff views that list bookings besides ``admin/bookings`` follow the same scope (issue #21,
``bookings.staff_scope``): a user's bookings in ``GET /admin/users/{id}``, the dashboard's latest bookings and a
partner's jobs (``GET /admin/partners/{id}/bookings``) show a centre manager only their centres' appointments, a
care coordinator or the front desk only appointments, and no home-service booking to any of them; the back office
sees what it saw before, in as many statements."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from bookings.models import SessionType
from partners.services.appointments import AppointmentRequest, appointment_create
from tests.appointments import builders
from tests.conftest import client_for, make_user
from tests.factories import PartnerAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """One patient and one clinician with: an appointment at centre X, one at centre Y, and a home-service job
    (seed 000) of the same customer with the same partner on it. Returns (centre X, patient, clinician,
    {name: booking id})."""
    here, there = builders.centre(name="Centre X"), builders.centre(name="Centre Y")
    doctor, customer = builders.clinician(at=here), builders.patient()
    doctor.centres.add(there)
    booked = {}
    for name, centre, days in (("own", here, 2), ("other", there, 3)):
        booked[name] = appointment_create(
            customer=customer,
            request=AppointmentRequest(
                provider_id=doctor.pk,
                start=builders.slot(doctor, days=days),
                centre_id=centre.pk,
                session_type=SessionType.IN_PERSON,
            ),
        )
    home = PartnerAssignmentFactory(
        accepted=True, partner=doctor, booking__user=customer, booking__start=timezone.now() + timedelta(days=9)
    ).booking
    booked["home"] = home
    return here, customer, doctor, {name: str(booking.pk) for name, booking in booked.items()}


def _get(client, path: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return response.json()["data"], len(queries)


def _ids(rows, key: str = "id") -> set[str]:
    return {row[key] for row in rows}


def _names(ids: dict[str, str], shown: set[str]) -> set[str]:
    return {name for name, pk in ids.items() if pk in shown}


def _clinic_client(role: Role, here):
    return client_for(builders.centre_manager(here) if role == Role.CENTRE_MANAGER else make_user(role))


# --- GET /admin/users/{id} --------------------------------------------------------------------------


def _user_bookings(client, customer) -> tuple[set[str], int]:
    data, queries = _get(client, f"/api/v1/admin/users/{customer.pk}")
    return _ids(data["bookings"]), queries


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.CENTRE_MANAGER, {"own"}),
        (Role.CARE_COORDINATOR, {"own", "other"}),
        (Role.FRONT_DESK, {"own", "other"}),
    ],
)
def test_a_users_bookings_show_a_clinic_role_only_the_appointments_it_reaches(world, role, expected):
    here, customer, _, ids = world
    admin_rows, admin_queries = _user_bookings(client_for(make_user(Role.ADMIN)), customer)
    rows, queries = _user_bookings(_clinic_client(role, here), customer)

    assert _names(ids, admin_rows) == {"own", "other", "home"}
    assert _names(ids, rows) == expected
    assert queries == admin_queries  # the scope is subqueries of the bookings' statement


# --- GET /admin/dashboard ----------------------------------------------------------------------------


def test_the_dashboards_latest_bookings_show_a_centre_manager_only_their_centres_appointments(world):
    here, _, _, ids = world
    admin, admin_queries = _get(client_for(make_user(Role.ADMIN)), "/api/v1/admin/dashboard")
    manager, queries = _get(client_for(builders.centre_manager(here)), "/api/v1/admin/dashboard")

    assert _names(ids, _ids(admin["recent_bookings"])) == {"own", "other", "home"}
    assert _names(ids, _ids(manager["recent_bookings"])) == {"own"}
    assert queries == admin_queries


@pytest.mark.parametrize("role", [Role.SUPPORT, Role.FINANCE, Role.OPS_MANAGER, Role.SUPER_ADMIN])
def test_the_back_office_sees_every_latest_booking_on_the_dashboard_as_before(world, role):
    _, _, _, ids = world
    data, _ = _get(client_for(make_user(role)), "/api/v1/admin/dashboard")

    assert _names(ids, _ids(data["recent_bookings"])) == {"own", "other", "home"}


# --- GET /admin/partners/{id}/bookings ---------------------------------------------------------------


def _jobs(client, doctor) -> tuple[set[str], int]:
    data, queries = _get(client, f"/api/v1/admin/partners/{doctor.pk}/bookings?limit=100")
    return _ids(data["bookings"]), queries


def test_a_partners_jobs_show_a_centre_manager_only_their_centres_appointments(world):
    here, _, doctor, ids = world
    admin_jobs, admin_queries = _jobs(client_for(make_user(Role.ADMIN)), doctor)
    manager_jobs, queries = _jobs(client_for(builders.centre_manager(here)), doctor)

    assert _names(ids, admin_jobs) == {"own", "other", "home"}
    assert _names(ids, manager_jobs) == {"own"}
    assert queries == admin_queries


@pytest.mark.parametrize("role", [Role.SUPPORT, Role.FINANCE, Role.OPS_MANAGER, Role.SUPER_ADMIN])
def test_the_back_office_sees_every_job_of_a_partner_as_before(world, role):
    _, _, doctor, ids = world
    jobs, _ = _jobs(client_for(make_user(role)), doctor)

    assert _names(ids, jobs) == {"own", "other", "home"}


def test_a_centre_manager_who_is_also_an_admin_sees_every_booking_in_all_three(world):
    here, customer, doctor, ids = world
    manager = builders.centre_manager(here)
    manager.groups.add(*make_user(Role.ADMIN).groups.all())
    client = client_for(manager)

    dashboard, _ = _get(client, "/api/v1/admin/dashboard")
    assert _names(ids, _user_bookings(client, customer)[0]) == {"own", "other", "home"}
    assert _names(ids, _ids(dashboard["recent_bookings"])) == {"own", "other", "home"}
    assert _names(ids, _jobs(client, doctor)[0]) == {"own", "other", "home"}
