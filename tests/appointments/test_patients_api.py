"""Seed 003 ``/patients``: staff read and keep patients, a clinician reads only their own, notes are append-only."""

from __future__ import annotations

import hashlib

import pytest

from accounts.models import PatientProfile, User
from accounts.roles import Role
from core.models import AuditLog
from partners.models import MedicalNote
from partners.services.appointments import AppointmentRequest, appointment_create
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.appointments import builders
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

PATIENTS = "/api/v1/patients"


def book(provider, patient, *, days=1, hour=10):
    return appointment_create(
        customer=patient,
        request=AppointmentRequest(provider_id=provider.pk, start=builders.slot(provider, days=days, hour=hour)),
    )


def new_patient_body(**fields):
    body = {
        "fullName": "Jane Smith",
        "phone": "+919812345670",
        "email": "jane.smith@example.com",
        "dateOfBirth": "1990-05-15",
        "gender": "FEMALE",
        "bloodGroup": "O+",
        "emergencyContactName": "John Smith",
        "emergencyContactPhone": "+919812345671",
    }
    body.update(fields)
    return body


# --- reading ---------------------------------------------------------------------------------------------------


def test_front_desk_lists_every_patient_and_filters_by_name_and_phone():
    jane = builders.patient(full_name="Jane Smith", phone="+919811100001")
    builders.patient(full_name="Ravi Kumar", phone="+919811100002")
    desk = client_for(make_user(Role.FRONT_DESK))

    everyone = desk.get(PATIENTS).json()["data"]
    by_name = desk.get(PATIENTS, {"search": "jane"}).json()["data"]["patients"]
    by_phone = desk.get(PATIENTS, {"phone": "9811100001"}).json()["data"]["patients"]

    assert {row["full_name"] for row in everyone["patients"]} >= {"Jane Smith", "Ravi Kumar"}
    assert everyone["pagination"]["total"] >= 2
    assert [row["id"] for row in by_name] == [str(jane.pk)]
    assert [row["id"] for row in by_phone] == [str(jane.pk)]
    assert set(by_name[0]) == {
        "id",
        "full_name",
        "phone",
        "email",
        "date_of_birth",
        "gender",
        "blood_group",
        "created_at",
    }


def test_a_clinician_lists_only_patients_with_an_appointment_with_them():
    doctor, other = builders.clinician(), builders.clinician()
    mine, theirs = builders.patient(), builders.patient()
    book(doctor, mine)
    book(other, theirs)

    rows = client_for(doctor.user).get(PATIENTS).json()["data"]["patients"]

    assert [row["id"] for row in rows] == [str(mine.pk)]


def test_someone_without_the_permission_and_no_clinician_cannot_list_patients():
    assert_error(client_for(builders.patient()).get(PATIENTS), 403, "FORBIDDEN")


def test_the_list_takes_the_same_queries_for_one_patient_and_for_five():
    desk = client_for(make_user(Role.FRONT_DESK))
    first = builders.patient()
    PatientProfile.objects.create(user=first, gender="MALE")
    small = query_counts(desk, [PATIENTS])[PATIENTS]
    for _ in range(4):
        PatientProfile.objects.create(user=builders.patient(), blood_group="A+")

    assert query_counts(desk, [PATIENTS])[PATIENTS] == small


def test_a_clinician_reading_someone_not_their_patient_gets_404():
    doctor = builders.clinician()
    stranger = builders.patient()

    assert_error(client_for(doctor.user).get(f"{PATIENTS}/{stranger.pk}"), 404, "NOT_FOUND", field="id")
    assert_error(client_for(doctor.user).get(f"{PATIENTS}/{stranger.pk}/appointments"), 404, "NOT_FOUND")


def test_the_detail_has_the_medical_fields_and_notes_only_for_admin_and_the_clinician():
    doctor = builders.clinician()
    jane = builders.patient()
    PatientProfile.objects.create(user=jane, medical_history="No known allergies", emergency_contact_name="John")
    appointment = book(doctor, jane)
    MedicalNote.objects.create(patient=jane, author=doctor.user, booking=appointment, note="Sleeps better")

    as_admin = client_for(make_user(Role.ADMIN)).get(f"{PATIENTS}/{jane.pk}").json()["data"]
    as_doctor = client_for(doctor.user).get(f"{PATIENTS}/{jane.pk}").json()["data"]
    as_desk = client_for(make_user(Role.FRONT_DESK)).get(f"{PATIENTS}/{jane.pk}").json()["data"]

    assert as_admin["medical_history"] == "No known allergies"
    assert as_admin["emergency_contact_name"] == "John"
    assert [n["note"] for n in as_admin["notes"]] == ["Sleeps better"]
    assert [n["appointment_id"] for n in as_doctor["notes"]] == [str(appointment.pk)]
    assert "notes" not in as_desk


def test_a_clinician_sees_only_their_own_appointments_with_a_shared_patient():
    doctor, other = builders.clinician(), builders.clinician()
    jane = builders.patient()
    with_doctor = book(doctor, jane)
    with_other = book(other, jane)

    as_doctor = client_for(doctor.user).get(f"{PATIENTS}/{jane.pk}/appointments").json()["data"]["appointments"]
    as_desk = client_for(make_user(Role.FRONT_DESK)).get(f"{PATIENTS}/{jane.pk}/appointments").json()["data"]

    assert [row["id"] for row in as_doctor] == [str(with_doctor.pk)]
    assert as_doctor[0]["clinician_name"] == doctor.user.full_name
    assert as_doctor[0]["appointment_time"] == "10:00:00"
    assert {row["id"] for row in as_desk["appointments"]} == {str(with_doctor.pk), str(with_other.pk)}


# --- creating and updating -------------------------------------------------------------------------------------


def test_front_desk_creates_a_patient_with_a_profile():
    desk_user = make_user(Role.FRONT_DESK)

    response = client_for(desk_user).post(PATIENTS, new_patient_body(), format="json")

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    patient = User.objects.get(pk=data["id"])
    assert patient.has_role(Role.CUSTOMER)
    assert (patient.full_name, patient.phone, patient.is_phone_verified) == ("Jane Smith", "+919812345670", False)
    assert (data["gender"], data["blood_group"], data["emergency_contact_phone"]) == ("FEMALE", "O+", "+919812345671")
    assert patient.patient_profile.date_of_birth.isoformat() == "1990-05-15"
    assert AuditLog.objects.filter(action="create_patient", resource_id=str(patient.pk), actor=desk_user).exists()


def test_a_taken_phone_is_409_with_the_accounts_code():
    builders.patient(phone="+919812345670")
    response = client_for(make_user(Role.FRONT_DESK)).post(PATIENTS, new_patient_body(), format="json")
    assert_error(response, 409, "PHONE_ALREADY_EXISTS", field="phone")


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [("gender", "F", "gender"), ("bloodGroup", "O", "blood_group"), ("dateOfBirth", "15/05/1990", "date_of_birth")],
)
def test_a_bad_profile_value_is_422_naming_the_field(field, value, named):
    response = client_for(make_user(Role.FRONT_DESK)).post(PATIENTS, new_patient_body(**{field: value}), format="json")
    assert_error(response, 422, "VALIDATION_ERROR", field=named)
    assert not User.objects.filter(phone="+919812345670").exists()


def test_a_bad_emergency_phone_is_422():
    body = new_patient_body(emergencyContactPhone="12")
    response = client_for(make_user(Role.FRONT_DESK)).post(PATIENTS, body, format="json")
    assert_error(response, 422, "INVALID_PHONE_NUMBER", field="emergency_contact_phone")


def test_a_clinician_may_not_create_or_update_patients():
    doctor = builders.clinician()
    jane = builders.patient()
    book(doctor, jane)
    client = client_for(doctor.user)

    assert_error(client.post(PATIENTS, new_patient_body(), format="json"), 403, "FORBIDDEN")
    assert_error(client.put(f"{PATIENTS}/{jane.pk}", {"bloodGroup": "A+"}, format="json"), 403, "FORBIDDEN")


def test_staff_update_changes_only_the_fields_sent():
    jane = builders.patient(full_name="Jane Smith")
    PatientProfile.objects.create(user=jane, gender="FEMALE", blood_group="O+")

    response = client_for(make_user(Role.CARE_COORDINATOR)).put(
        f"{PATIENTS}/{jane.pk}", {"email": "janeupdated@example.com", "bloodGroup": "A+"}, format="json"
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["email"], data["blood_group"], data["gender"], data["full_name"]) == (
        "janeupdated@example.com",
        "A+",
        "FEMALE",
        "Jane Smith",
    )


def test_an_update_to_another_accounts_phone_is_409():
    builders.patient(phone="+919812345679")
    jane = builders.patient()
    response = client_for(make_user(Role.ADMIN)).put(f"{PATIENTS}/{jane.pk}", {"phone": "+919812345679"}, format="json")
    assert_error(response, 409, "PHONE_ALREADY_EXISTS", field="phone")


# --- medical notes ---------------------------------------------------------------------------------------------


def test_the_appointments_clinician_adds_a_note_and_it_is_audited():
    doctor = builders.clinician()
    jane = builders.patient()
    appointment = book(doctor, jane)
    text = "Patient shows improvement in anxiety symptoms"

    response = client_for(doctor.user).post(
        f"{PATIENTS}/{jane.pk}/notes", {"note": text, "appointmentId": str(appointment.pk)}, format="json"
    )

    assert response.status_code == 201, response.content
    note = MedicalNote.objects.get(pk=response.json()["data"]["id"])
    assert (note.patient, note.author, note.booking, note.note) == (jane, doctor.user, appointment, text)
    entry = AuditLog.objects.get(action="add_medical_note", resource_id=str(note.pk))
    assert entry.actor == doctor.user
    assert entry.changes["note_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert text not in str(entry.changes)


def test_another_clinician_cannot_note_on_an_appointment_that_is_not_theirs():
    doctor, other = builders.clinician(), builders.clinician()
    jane = builders.patient()
    theirs = book(other, jane)
    book(doctor, jane, hour=11)  # jane is the doctor's patient too, but this appointment is the other's
    body = {"note": "x", "appointmentId": str(theirs.pk)}

    response = client_for(doctor.user).post(f"{PATIENTS}/{jane.pk}/notes", body, format="json")

    assert_error(response, 404, "BOOKING_NOT_FOUND", field="appointment_id")
    assert not MedicalNote.objects.exists()


def test_a_clinician_cannot_note_on_someone_not_their_patient():
    doctor, other = builders.clinician(), builders.clinician()
    jane = builders.patient()
    theirs = book(other, jane)
    body = {"note": "x", "appointmentId": str(theirs.pk)}
    assert_error(client_for(doctor.user).post(f"{PATIENTS}/{jane.pk}/notes", body, format="json"), 404, "NOT_FOUND")


def test_front_desk_cannot_write_a_note():
    doctor = builders.clinician()
    jane = builders.patient()
    appointment = book(doctor, jane)
    body = {"note": "x", "appointmentId": str(appointment.pk)}

    response = client_for(make_user(Role.FRONT_DESK)).post(f"{PATIENTS}/{jane.pk}/notes", body, format="json")

    assert_error(response, 403, "FORBIDDEN")
    assert not MedicalNote.objects.exists()


def test_an_admin_adds_a_note_with_or_without_an_appointment():
    doctor = builders.clinician()
    jane = builders.patient()
    appointment = book(doctor, jane)
    admin = client_for(make_user(Role.ADMIN))

    with_one = admin.post(
        f"{PATIENTS}/{jane.pk}/notes", {"note": "a", "appointmentId": str(appointment.pk)}, format="json"
    )
    without = admin.post(f"{PATIENTS}/{jane.pk}/notes", {"note": "b"}, format="json")

    assert (with_one.status_code, without.status_code) == (201, 201)
    assert MedicalNote.objects.filter(patient=jane).count() == 2


def test_notes_are_append_only_through_the_api():
    doctor = builders.clinician()
    jane = builders.patient()
    appointment = book(doctor, jane)
    client = client_for(doctor.user)
    client.post(f"{PATIENTS}/{jane.pk}/notes", {"note": "first", "appointmentId": str(appointment.pk)}, format="json")

    assert client.put(f"{PATIENTS}/{jane.pk}/notes", {"note": "changed"}, format="json").status_code == 405
    assert client.delete(f"{PATIENTS}/{jane.pk}/notes").status_code == 405
    assert list(MedicalNote.objects.values_list("note", flat=True)) == ["first"]


def test_a_blank_note_is_refused():
    doctor = builders.clinician()
    jane = builders.patient()
    appointment = book(doctor, jane)
    body = {"note": "  ", "appointmentId": str(appointment.pk)}
    response = client_for(doctor.user).post(f"{PATIENTS}/{jane.pk}/notes", body, format="json")
    assert_error(response, 400, "INVALID_REQUEST", field="note")  # blank counts as missing (core.exceptions)
    assert not MedicalNote.objects.exists()
