"""Seed 003 ``/patient/...``: the patient's own profile, dashboard, appointments and cancel; never the notes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import PatientProfile
from bookings.models import Booking, BookingStatus
from partners.models import MedicalNote
from partners.services.appointments import AppointmentRequest, appointment_create
from tests import factories
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.appointments import builders
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PROFILE = "/api/v1/patient/profile"
DASHBOARD = "/api/v1/patient/dashboard"
APPOINTMENTS = "/api/v1/patient/appointments"


def book(provider, patient, *, days=3, hour=10):
    start = builders.slot(provider, days=days, hour=hour)
    return appointment_create(customer=patient, request=AppointmentRequest(provider_id=provider.pk, start=start))


# --- profile ---------------------------------------------------------------------------------------------------


def test_the_profile_is_empty_before_first_use_and_made_by_the_first_put():
    jane = builders.patient(full_name="Jane Smith")
    client = client_for(jane)

    before = client.get(PROFILE).json()["data"]
    assert not PatientProfile.objects.filter(user=jane).exists()  # reading makes nothing
    response = client.put(
        PROFILE,
        {
            "fullName": "Jane Smith Updated",
            "dateOfBirth": "1990-05-15",
            "gender": "FEMALE",
            "bloodGroup": "A+",
            "emergencyContactName": "John Smith",
            "emergencyContactPhone": "+919876543211",
        },
        format="json",
    )

    assert (before["gender"], before["blood_group"], before["date_of_birth"]) == (None, None, None)
    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Profile updated successfully"
    after = client.get(PROFILE).json()["data"]
    assert after == {
        "id": str(jane.pk),
        "full_name": "Jane Smith Updated",
        "phone": jane.phone,
        "email": jane.email,
        "date_of_birth": "1990-05-15",
        "gender": "FEMALE",
        "blood_group": "A+",
        "emergency_contact_name": "John Smith",
        "emergency_contact_phone": "+919876543211",
    }
    assert PatientProfile.objects.get(user=jane).blood_group == "A+"


@pytest.mark.parametrize(
    ("field", "value", "named", "code"),
    [
        ("gender", "female", "gender", "VALIDATION_ERROR"),
        ("bloodGroup", "C+", "blood_group", "VALIDATION_ERROR"),
        ("emergencyContactPhone", "call John", "emergency_contact_phone", "INVALID_PHONE_NUMBER"),
    ],
)
def test_a_bad_profile_value_is_422_naming_the_field(field, value, named, code):
    jane = builders.patient()
    response = client_for(jane).put(PROFILE, {field: value}, format="json")
    assert_error(response, 422, code, field=named)
    assert not PatientProfile.objects.filter(user=jane).exists()


def test_the_profile_needs_a_signed_in_person():
    assert_error(APIClient().get(PROFILE), 401, "UNAUTHORIZED")


# --- dashboard and appointments --------------------------------------------------------------------------------


def test_the_dashboard_counts_appointments_and_successful_payments():
    doctor = builders.clinician()
    jane = builders.patient()
    soon = book(doctor, jane, days=3)
    later = book(doctor, jane, days=4)
    gone = book(doctor, jane, days=5)
    Booking.objects.filter(pk=gone.pk).update(status=BookingStatus.EXPIRED)
    paid = factories.PaymentFactory(booking=soon, captured=True)
    factories.PaymentFactory(booking=later)  # pending: not spent
    book(doctor, builders.patient(), days=3, hour=12)  # someone else's

    data = client_for(jane).get(DASHBOARD).json()["data"]

    assert [row["id"] for row in data["upcoming_appointments"]] == [str(soon.pk), str(later.pk)]
    assert data["upcoming_appointments"][0]["clinician_name"] == doctor.user.full_name
    assert [(row["id"], row["appointment_id"]) for row in data["recent_payments"]] == [(str(paid.pk), str(soon.pk))]
    assert data["total_appointments"] == 2
    assert Decimal(str(data["total_spent"])) == paid.amount


def test_my_appointments_are_mine_only_in_constant_queries():
    doctor = builders.clinician()
    jane = builders.patient()
    client = client_for(jane)
    book(doctor, jane, days=3)
    book(doctor, builders.patient(), days=3, hour=11)
    small = query_counts(client, [APPOINTMENTS, DASHBOARD])
    for day in (4, 5, 6):
        book(builders.clinician(), jane, days=day)

    rows = client.get(APPOINTMENTS).json()["data"]["appointments"]

    assert len(rows) == 4
    assert query_counts(client, [APPOINTMENTS, DASHBOARD]) == small


# --- cancel ----------------------------------------------------------------------------------------------------


def test_a_patient_cancels_their_appointment_before_the_deadline():
    doctor = builders.clinician()
    jane = builders.patient()
    appointment = book(doctor, jane, days=3)

    response = client_for(jane).post(f"{APPOINTMENTS}/{appointment.pk}/cancel", {"reason": "Away"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Appointment cancellation requested"
    assert response.json()["data"]["status"] == BookingStatus.CANCELLED
    appointment.refresh_from_db()
    assert (appointment.status, appointment.cancellation_reason) == (BookingStatus.CANCELLED, "Away")


def test_another_patients_appointment_is_404_and_stays():
    doctor = builders.clinician()
    appointment = book(doctor, builders.patient(), days=3)

    response = client_for(builders.patient()).post(f"{APPOINTMENTS}/{appointment.pk}/cancel", {}, format="json")

    assert_error(response, 404, "BOOKING_NOT_FOUND")
    appointment.refresh_from_db()
    assert appointment.status == BookingStatus.PENDING_PAYMENT


def test_after_the_deadline_the_patient_cannot_cancel():
    doctor = builders.clinician()
    jane = builders.patient()
    appointment = book(doctor, jane, days=3)
    Booking.objects.filter(pk=appointment.pk).update(scheduled_start=timezone.now() + timedelta(hours=2))

    response = client_for(jane).post(f"{APPOINTMENTS}/{appointment.pk}/cancel", {}, format="json")

    assert_error(response, 422, "CANCELLATION_NOT_ALLOWED")


# --- notes are never the patient's ------------------------------------------------------------------------------


def test_the_patient_never_sees_a_medical_note():
    doctor = builders.clinician()
    jane = builders.patient()
    appointment = book(doctor, jane, days=3)
    text = "Confidential: discussed panic attacks"
    written = client_for(doctor.user).post(
        f"/api/v1/patients/{jane.pk}/notes", {"note": text, "appointmentId": str(appointment.pk)}, format="json"
    )
    assert written.status_code == 201
    assert MedicalNote.objects.filter(patient=jane).exists()
    client = client_for(jane)

    for path in (PROFILE, DASHBOARD, APPOINTMENTS, "/api/v1/patient-auth/me", f"/api/v1/bookings/{appointment.pk}"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.content)
        assert "panic" not in response.content.decode(), path
    assert_error(client.get(f"/api/v1/patients/{jane.pk}"), 403, "FORBIDDEN")
