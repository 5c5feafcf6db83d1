"""The clinic roles reach only the clinic's appointments through the staff booking endpoints (issue #21,
``bookings.staff_scope``): a centre manager those at the centres they run, a care coordinator and the front desk
every appointment; a home-service booking (seed 000) is 404 to all three, as an unknown id. The back office
(admin, support, finance, ops manager, super admin) reaches every booking, as before."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from accounts.roles import Role
from bookings.models import BookingPhoto, BookingStatus, SessionType
from partners.services.appointments import AppointmentRequest, appointment_create
from tests.accounts.helpers import assert_error
from tests.appointments import builders
from tests.conftest import client_for, make_user
from tests.factories import PartnerAssignmentFactory, PartnerFactory

pytestmark = pytest.mark.django_db

ADMIN = "/api/v1/admin/bookings"


def _appointment(centre, *, days: int):
    doctor = builders.clinician(at=centre)
    return appointment_create(
        customer=builders.patient(),
        request=AppointmentRequest(
            provider_id=doctor.pk,
            start=builders.slot(doctor, days=days),
            centre_id=centre.pk,
            session_type=SessionType.IN_PERSON,
        ),
    )


@pytest.fixture
def clinic():
    """(centre X, its appointment, another centre's appointment, a home-service job on the way)."""
    here, there = builders.centre(name="Centre X"), builders.centre(name="Centre Y")
    job = PartnerAssignmentFactory(accepted=True)  # seed 000: a customer's at-home booking, its partner on it
    return here, _appointment(here, days=2), _appointment(there, days=3), job.booking


def _jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def _get(client, booking) -> int:
    return client.get(f"{ADMIN}/{booking.pk}").status_code


def test_a_centre_manager_opens_only_their_centres_appointments(clinic):
    here, own, other, home = clinic
    manager = client_for(builders.centre_manager(here))

    assert _get(manager, own) == 200
    assert_error(manager.get(f"{ADMIN}/{other.pk}"), 404, "BOOKING_NOT_FOUND", "id")
    assert_error(manager.get(f"{ADMIN}/{home.pk}"), 404, "BOOKING_NOT_FOUND", "id")


@pytest.mark.parametrize("role", [Role.CARE_COORDINATOR, Role.FRONT_DESK])
def test_care_coordinators_and_the_front_desk_open_every_appointment_but_no_home_service(clinic, role):
    _, own, other, home = clinic
    client = client_for(make_user(role))

    assert (_get(client, own), _get(client, other)) == (200, 200)
    assert_error(client.get(f"{ADMIN}/{home.pk}"), 404, "BOOKING_NOT_FOUND", "id")


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SUPPORT, Role.FINANCE, Role.OPS_MANAGER, Role.SUPER_ADMIN])
def test_the_back_office_opens_every_booking_as_before(clinic, role):
    _, own, other, home = clinic
    client = client_for(make_user(role))

    assert [_get(client, booking) for booking in (own, other, home)] == [200, 200, 200]


def test_a_centre_manager_who_is_also_an_admin_is_not_limited(clinic):
    here, _, other, home = clinic
    manager = builders.centre_manager(here)
    manager.groups.add(*make_user(Role.ADMIN).groups.all())

    assert (_get(client_for(manager), other), _get(client_for(manager), home)) == (200, 200)


def _listed(client) -> set[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{ADMIN}?limit=100")
    assert response.status_code == 200, response.content
    _listed.queries = len(queries)  # type: ignore[attr-defined]
    return {row["id"] for row in response.json()["data"]["bookings"]}


def test_the_staff_list_shows_each_clinic_role_what_it_may_open_in_as_many_statements(clinic):
    here, own, other, home = clinic
    admin = client_for(make_user(Role.ADMIN))

    everything = _listed(admin)
    admin_queries = _listed.queries  # type: ignore[attr-defined]
    assert {str(own.pk), str(other.pk), str(home.pk)} <= everything
    assert _listed(client_for(builders.centre_manager(here))) == {str(own.pk)}
    # the scope is subqueries of the count and the page: the same statements as an admin's
    assert _listed.queries == admin_queries  # type: ignore[attr-defined]
    for role in (Role.CARE_COORDINATOR, Role.FRONT_DESK):
        assert _listed(client_for(make_user(role))) == {str(own.pk), str(other.pk)}
        assert _listed.queries == admin_queries  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", [Role.CENTRE_MANAGER, Role.CARE_COORDINATOR])
def test_clinic_roles_cannot_cancel_or_move_a_home_service_booking(clinic, role):
    here, _, _, home = clinic
    person = builders.centre_manager(here) if role == Role.CENTRE_MANAGER else make_user(role)
    client = client_for(person)
    before = home.status

    cancel = client.post(f"{ADMIN}/{home.pk}/cancel", {"reason": "not ours"}, format="json")
    status = client.patch(f"{ADMIN}/{home.pk}/status", {"status": "in_progress", "notes": "x"}, format="json")

    assert_error(cancel, 404, "BOOKING_NOT_FOUND", "id")
    assert_error(status, 404, "BOOKING_NOT_FOUND", "id")
    home.refresh_from_db()
    assert home.status == before


def test_a_centre_manager_cancels_their_centres_appointment_not_anothers(clinic):
    here, own, other, _ = clinic
    manager = client_for(builders.centre_manager(here))
    waiting = other.status

    refused = manager.post(f"{ADMIN}/{other.pk}/cancel", {"reason": "x"}, format="json")
    done = manager.post(f"{ADMIN}/{own.pk}/cancel", {"reason": "Patient asked"}, format="json")

    assert_error(refused, 404, "BOOKING_NOT_FOUND", "id")
    assert done.status_code == 200, done.content
    other.refresh_from_db()
    own.refresh_from_db()
    assert (own.status, other.status) == (BookingStatus.CANCELLED, waiting)


def test_a_centre_manager_cannot_assign_a_partner_to_a_home_service_booking(clinic):
    here, _, _, home = clinic
    manager = client_for(builders.centre_manager(here))
    body = {"partner_id": str(PartnerFactory().pk)}

    response = manager.post(f"{ADMIN}/{home.pk}/assign-partner", body, format="json")

    assert_error(response, 404, "BOOKING_NOT_FOUND", "id")


@pytest.mark.parametrize("role", [Role.CENTRE_MANAGER, Role.CARE_COORDINATOR, Role.FRONT_DESK])
def test_clinic_roles_neither_see_add_nor_delete_a_home_service_jobs_photos(clinic, role):
    here, _, _, home = clinic
    person = builders.centre_manager(here) if role == Role.CENTRE_MANAGER else make_user(role)
    client = client_for(person)
    photo = BookingPhoto.objects.create(booking=home, image_type="before", image="x.jpg", width=1, height=1)

    listed = client.get(f"/api/v1/bookings/{home.pk}/photos")
    added = client.post(
        f"/api/v1/bookings/{home.pk}/photos", {"image_type": "before", "image": _jpeg()}, format="multipart"
    )
    deleted = client.delete(f"/api/v1/photos/{photo.pk}")
    signature = client.post(f"/api/v1/bookings/{home.pk}/request_signature")

    assert_error(listed, 404, "BOOKING_NOT_FOUND")
    assert_error(added, 404, "BOOKING_NOT_FOUND")
    assert_error(deleted, 404, "PHOTO_NOT_FOUND")
    assert_error(signature, 404, "BOOKING_NOT_FOUND")
    assert BookingPhoto.objects.filter(booking=home).count() == 1
    admin = client_for(make_user(Role.ADMIN))
    assert admin.get(f"/api/v1/bookings/{home.pk}/photos").status_code == 200


def test_the_front_desk_resends_an_appointments_confirmation_not_a_home_service_bookings(clinic):
    _, own, _, home = clinic
    desk = client_for(make_user(Role.FRONT_DESK))
    url = "/api/v1/notifications/appointment-confirmation"

    assert_error(desk.post(url, {"booking_id": str(home.pk)}, format="json"), 404, "NOT_FOUND", "booking_id")
    response = desk.post(url, {"booking_id": str(own.pk)}, format="json")
    assert response.status_code == 200, response.content


def _statements(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(queries)


def test_the_scope_check_is_one_statement_for_every_non_superuser_and_none_for_a_superuser(clinic):
    here, own, _, _ = clinic
    path = f"{ADMIN}/{own.pk}"
    superuser = _statements(client_for(make_user(Role.SUPER_ADMIN)), path)
    # a role's permissions (user and group permissions: 2 statements), then the check (1), then the detail's reads
    admin = _statements(client_for(make_user(Role.ADMIN)), path)
    manager = _statements(client_for(builders.centre_manager(here)), path)
    desk = _statements(client_for(make_user(Role.FRONT_DESK)), path)

    assert admin == manager == desk == superuser + 3
