"""Seed 003 "Book for Patient (Front Desk)" (issue #18): one patient per E.164 phone, then a staff booking."""

from __future__ import annotations

from collections import Counter

import pytest

from accounts.models import User
from accounts.roles import Role
from bookings.models import Booking
from notifications.models import Notification
from tests.accounts.helpers import assert_error
from tests.accounts.test_concurrency import run_together
from tests.appointments import builders
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/booking/front-desk"
PHONE = "+919811122233"
ROUNDS = 4


def body(doctor, centre, start=None, **fields):
    start = start or builders.slot(doctor)
    data = {
        "patientPhone": PHONE,
        "patientName": "Jane Smith",
        "clinicianId": str(doctor.pk),
        "centreId": str(centre.pk),
        "appointmentDate": start.date().isoformat(),
        "appointmentTime": start.strftime("%H:%M:%S"),
        "sessionType": "IN_PERSON",
    }
    data.update(fields)
    return data


@pytest.fixture
def clinic():
    centre = builders.centre()
    return centre, builders.clinician(at=centre)


def test_a_new_phone_makes_one_customer_and_books_for_them(clinic):
    centre, doctor = clinic
    response = client_for(make_user(Role.FRONT_DESK)).post(URL, body(doctor, centre), format="json")

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    patient = User.objects.get(phone=PHONE)
    assert (patient.full_name, patient.has_role(Role.CUSTOMER), patient.has_usable_password()) == (
        "Jane Smith",
        True,
        False,
    )
    booking = Booking.objects.get(pk=data["id"])
    assert (booking.user, booking.source, booking.centre) == (patient, "front_desk", centre)
    assert (data["status"], data["patient_id"]) == ("PENDING", str(patient.pk))
    assert data["payment_link"].startswith("http")
    [link_notice] = Notification.objects.filter(user=patient, event_type="payment_link")
    assert data["payment_link"] in link_notice.message


def test_a_known_phone_in_any_form_finds_the_same_patient_and_keeps_their_name(clinic):
    centre, doctor = clinic
    known = builders.patient(phone=PHONE, full_name="Jane Q. Smith")
    client = client_for(make_user(Role.ADMIN))

    response = client.post(
        URL, body(doctor, centre, patientPhone="098111 22233", patientName="J Smith", paymentMode="CASH"), format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["data"]["patient_id"] == str(known.pk)
    assert response.json()["data"]["status"] == "CONFIRMED"
    assert User.objects.filter(phone=PHONE).count() == 1
    known.refresh_from_db()
    assert known.full_name == "Jane Q. Smith"


def test_an_invalid_phone_is_422(clinic):
    centre, doctor = clinic
    response = client_for(make_user(Role.FRONT_DESK)).post(URL, body(doctor, centre, patientPhone="12"), format="json")
    assert_error(response, 422, "VALIDATION_ERROR", field="patient_phone")
    assert not Booking.objects.exists()


def test_a_blocked_account_is_refused(clinic):
    centre, doctor = clinic
    builders.patient(phone=PHONE, is_active=False)
    response = client_for(make_user(Role.FRONT_DESK)).post(URL, body(doctor, centre), format="json")
    assert_error(response, 422, "VALIDATION_ERROR", field="patient_phone")


def test_the_fee_must_be_the_clinicians_and_the_slot_free(clinic):
    centre, doctor = clinic
    client = client_for(make_user(Role.FRONT_DESK))
    start = builders.slot(doctor)

    wrong_fee = client.post(URL, body(doctor, centre, start, consultationFee=1500), format="json")
    assert_error(wrong_fee, 422, "INVALID_PAYMENT_AMOUNT", field="consultationFee")

    assert client.post(URL, body(doctor, centre, start), format="json").status_code == 201
    again = client.post(URL, body(doctor, centre, start, patientPhone="+919811122244"), format="json")
    assert_error(again, 409, "SLOT_UNAVAILABLE")


def test_only_staff_who_book_for_patients(clinic):
    centre, doctor = clinic
    for user in (make_user(Role.SUPPORT), builders.patient(), doctor.user):
        assert_error(client_for(user).post(URL, body(doctor, centre), format="json"), 403, "FORBIDDEN")
    assert not User.objects.filter(phone=PHONE).exists()


def test_a_centre_manager_of_another_centre_gets_404_and_no_patient_is_made(clinic):
    centre, doctor = clinic
    manager = client_for(builders.centre_manager(builders.centre()))
    assert_error(manager.post(URL, body(doctor, centre), format="json"), 404, "NOT_FOUND", field="centre_id")
    assert not User.objects.filter(phone=PHONE).exists()
    own = client_for(builders.centre_manager(centre)).post(URL, body(doctor, centre), format="json")
    assert own.status_code == 201, own.content


@pytest.mark.django_db(transaction=True)
def test_two_desks_booking_one_new_phone_at_once_make_one_patient(clinic):
    centre, doctor = clinic
    desks = [client_for(make_user(Role.FRONT_DESK)) for _ in range(2)]
    for round_ in range(ROUNDS):
        phone = f"+91981112{round_:04d}"
        bodies = [
            body(doctor, centre, builders.slot(doctor, days=1 + round_, hour=10 + i), patientPhone=phone)
            for i in range(2)
        ]

        answers = run_together(2, lambda i, bodies=bodies: desks[i].post(URL, bodies[i], format="json"))

        assert [a.status_code for a in answers] == [201, 201], [a.content for a in answers]
        patient = User.objects.get(phone=phone)
        assert {a.json()["data"]["patient_id"] for a in answers} == {str(patient.pk)}
        assert Booking.objects.filter(user=patient).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_front_desk_booking_and_an_online_booking_for_one_slot_one_wins(clinic):
    centre, doctor = clinic
    start = builders.slot(doctor)
    desk = client_for(make_user(Role.FRONT_DESK))
    online = client_for(builders.patient())
    online_body = {
        "clinicianId": str(doctor.pk),
        "appointmentDate": start.date().isoformat(),
        "appointmentTime": start.strftime("%H:%M:%S"),
        "sessionType": "ONLINE",
    }
    calls = [
        lambda: desk.post(URL, body(doctor, centre, start), format="json"),
        lambda: online.post("/api/v1/booking/create", online_body, format="json"),
    ]

    answers = run_together(2, lambda i: calls[i]())

    assert Counter(a.status_code for a in answers) == {201: 1, 409: 1}, [a.content for a in answers]
    assert Booking.objects.filter(requested_partner=doctor).count() == 1
