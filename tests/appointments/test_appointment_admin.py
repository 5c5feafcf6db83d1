"""The Django admin of issue #18's models: centres with their managers, time off, medical notes (read only),
patient profiles, and a booking's appointment fields and filters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from accounts.models import PatientProfile
from accounts.roles import Role
from bookings.models import Booking, SessionType
from partners.models import Centre, MedicalNote, PartnerTimeOff, StaffCentre
from partners.services.appointments import AppointmentRequest, appointment_create
from tests.adminpanel.helpers import paid_booking
from tests.appointments import builders
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

MODELS = (Centre, StaffCentre, PartnerTimeOff, MedicalNote, PatientProfile, Booking)


@pytest.fixture
def site() -> Client:
    # The admin resolves content types for its log and its permission checks: warm the cache from this
    # test's database so an id cached by another test cannot leak in.
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())
    client = Client()
    client.force_login(make_user(Role.SUPER_ADMIN))
    return client


@pytest.fixture
def rows():
    where = builders.centre(name="Mibo Indiranagar")
    doctor = builders.clinician(at=where)
    patient = builders.patient()
    booking = appointment_create(
        customer=patient,
        request=AppointmentRequest(provider_id=doctor.pk, start=builders.slot(doctor), session_type=SessionType.ONLINE),
    )
    manager = builders.centre_manager(where)
    start = builders.slot(doctor, days=5)
    time_off = PartnerTimeOff.objects.create(partner=doctor, starts_at=start, ends_at=start + timedelta(hours=2))
    note = MedicalNote.objects.create(patient=patient, author=doctor.user, booking=booking, note="Follow up in 2 weeks")
    profile = PatientProfile.objects.create(user=patient, blood_group="O+", gender="FEMALE")
    return {
        Centre: where,
        StaffCentre: StaffCentre.objects.get(user=manager),
        PartnerTimeOff: time_off,
        MedicalNote: note,
        PatientProfile: profile,
        Booking: booking,
    }


def url(model, name: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)


def test_each_changelist_and_change_form_answers_200_for_a_superuser(site, rows):
    for model in MODELS:
        listed = site.get(url(model, "changelist"))
        assert listed.status_code == 200, (model, listed.status_code)
        shown = site.get(url(model, "change", rows[model].pk))
        assert shown.status_code == 200, (model, shown.status_code)


def test_a_centre_shows_its_managers_inline(site, rows):
    response = site.get(url(Centre, "change", rows[Centre].pk))

    (inline,) = response.context["inline_admin_formsets"]
    assert inline.opts.model is StaffCentre
    assert [form.instance.pk for form in inline.formset.forms if form.instance.pk] == [rows[StaffCentre].pk]


def test_medical_notes_are_shown_but_never_added_changed_or_deleted(site, rows):
    note = rows[MedicalNote]

    assert site.get(url(MedicalNote, "add")).status_code == 403
    site.post(url(MedicalNote, "change", note.pk), {"note": "rewritten"})
    assert site.post(url(MedicalNote, "delete", note.pk), {"post": "yes"}).status_code == 403
    note.refresh_from_db()
    assert note.note == "Follow up in 2 weeks"
    assert "Follow up in 2 weeks" in site.get(url(MedicalNote, "change", note.pk)).content.decode()


def test_bookings_filter_by_kind_and_session_type_and_show_the_appointment_fields(site, rows):
    appointment = rows[Booking]
    dispatched = paid_booking()

    def listed(query: str) -> set[str]:
        response = site.get(url(Booking, "changelist") + query)
        assert response.status_code == 200
        return {b.booking_number for b in response.context["cl"].result_list}

    assert listed("?kind=appointment") == {appointment.booking_number}
    assert listed("?kind=dispatched") == {dispatched.booking_number}
    assert listed("?session_type=online") == {appointment.booking_number}
    form = site.get(url(Booking, "change", appointment.pk)).content.decode()
    assert appointment.meeting_link in form
    assert "Hold expires at" in form or "hold expires at" in form.lower()
