"""Seed 003 patient booking (issue #18): POST /booking/create, my appointments, one of mine, cancel; the race."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from bookings.models import Booking, BookingStatus, SessionType
from partners.services.appointments import AppointmentRequest, appointment_create
from payments.models import Payment
from tests.accounts.helpers import assert_error
from tests.accounts.test_concurrency import run_together
from tests.appointments import builders
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

CREATE = "/api/v1/booking/create"


def body(doctor, start, centre=None, **fields):
    data = {
        "clinicianId": str(doctor.pk),
        "centreId": str(centre.pk) if centre else None,
        "appointmentDate": start.date().isoformat(),
        "appointmentTime": start.strftime("%H:%M:%S"),
        "sessionType": "ONLINE",
    }
    data.update(fields)
    return data


def book(provider, start, customer, **fields):
    return appointment_create(
        customer=customer, request=AppointmentRequest(provider_id=provider.pk, start=start, **fields)
    )


def test_a_patient_books_a_hold_and_gets_a_gateway_order():
    doctor = builders.clinician(at=builders.centre())
    patient = builders.patient()
    start = builders.slot(doctor)

    response = client_for(patient).post(CREATE, body(doctor, start, consultationFee=800), format="json")

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    booking = Booking.objects.get(pk=data["appointment_id"])
    payment = Payment.objects.get(pk=data["payment_id"])
    assert (booking.user, booking.status, booking.scheduled_start) == (patient, BookingStatus.PENDING_PAYMENT, start)
    assert (data["amount"], data["currency"]) == (800.0, "INR")
    assert data["payment_order_id"] == payment.gateway_order_id
    assert (payment.payable_id, payment.kind, payment.user) == (str(booking.pk), "full", patient)
    assert datetime.fromisoformat(data["hold_expires_at"]) == booking.hold_expires_at


def test_a_retry_with_the_same_key_replays_the_first_answer():
    doctor = builders.clinician()
    client = client_for(builders.patient())
    data = body(doctor, builders.slot(doctor))

    first = client.post(CREATE, data, format="json", HTTP_X_IDEMPOTENCY_KEY="attempt-1")
    again = client.post(CREATE, data, format="json", HTTP_X_IDEMPOTENCY_KEY="attempt-1")

    assert first.status_code == again.status_code == 201
    assert again.json()["data"] == first.json()["data"]
    assert Booking.objects.count() == Payment.objects.count() == 1


def test_the_fee_comes_from_the_clinician():
    doctor = builders.clinician()
    response = client_for(builders.patient()).post(
        CREATE, body(doctor, builders.slot(doctor), consultationFee=1), format="json"
    )
    assert_error(response, 422, "INVALID_PAYMENT_AMOUNT", field="consultationFee")
    assert not Booking.objects.exists()


def test_a_taken_slot_is_409():
    doctor = builders.clinician()
    start = builders.slot(doctor)
    book(doctor, start, builders.patient())
    response = client_for(builders.patient()).post(CREATE, body(doctor, start), format="json")
    assert_error(response, 409, "SLOT_UNAVAILABLE")


def test_in_person_needs_a_centre():
    doctor = builders.clinician()
    response = client_for(builders.patient()).post(
        CREATE, body(doctor, builders.slot(doctor), sessionType="IN_PERSON"), format="json"
    )
    assert_error(response, 422, "VALIDATION_ERROR", field="centre_id")


def test_an_unknown_session_type_is_422():
    doctor = builders.clinician()
    response = client_for(builders.patient()).post(
        CREATE, body(doctor, builders.slot(doctor), sessionType="PHONE"), format="json"
    )
    assert_error(response, 422, "VALIDATION_ERROR", field="session_type")


def _next_spring_forward(zone: ZoneInfo) -> date:
    """The next day whose 02:00-03:00 does not exist in ``zone`` (the US second Sunday of March)."""
    year = timezone.now().year + 1
    march = date(year, 3, 1)
    return march + timedelta(days=(6 - march.weekday()) % 7 + 7)


def test_a_wall_time_that_does_not_exist_is_no_slot():
    doctor = builders.clinician(zone="America/New_York")
    day = _next_spring_forward(ZoneInfo("America/New_York"))
    start = datetime.combine(day, time(2, 30))
    response = client_for(builders.patient()).post(CREATE, body(doctor, start), format="json")
    error = assert_error(response, 409, "SLOT_UNAVAILABLE")
    assert error["details"]["reason"] == "nonexistent_local_time"


def test_my_appointments_and_one_of_mine_with_its_clinician_and_centre():
    centre = builders.centre(name="Mibo Bangalore")
    doctor = builders.clinician(at=centre)
    patient, other = builders.patient(), builders.patient()
    mine = book(doctor, builders.slot(doctor, days=3), patient, centre_id=centre.pk, session_type=SessionType.IN_PERSON)
    theirs = book(doctor, builders.slot(doctor, hour=11), other)
    Booking.objects.filter(pk=mine.pk).update(meeting_link="https://meet.google.com/abc-defg-hij")
    client = client_for(patient)

    rows = client.get("/api/v1/booking/my-appointments").json()["data"]["appointments"]
    detail = client.get(f"/api/v1/booking/{mine.pk}")

    assert [row["id"] for row in rows] == [str(mine.pk)]
    assert rows[0]["can_cancel"] is True
    assert detail.status_code == 200, detail.content
    data = detail.json()["data"]
    assert data["meet_link"] == "https://meet.google.com/abc-defg-hij"
    assert (data["clinician"]["id"], data["centre"]["name"]) == (str(doctor.pk), "Mibo Bangalore")
    assert data["status"] == "PENDING"
    assert_error(client.get(f"/api/v1/booking/{theirs.pk}"), 404, "BOOKING_NOT_FOUND")


def test_a_patient_cancels_before_the_deadline():
    doctor = builders.clinician()
    patient = builders.patient()
    booking = book(doctor, builders.slot(doctor, days=3), patient)

    response = client_for(patient).post(
        f"/api/v1/booking/{booking.pk}/cancel", {"reason": "Unable to attend"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["data"]["status"] == "CANCELLED"
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == (BookingStatus.CANCELLED, "customer")


def test_a_patient_cannot_cancel_after_the_deadline_nor_cancel_anothers():
    doctor = builders.clinician()
    patient = builders.patient()
    booking = book(doctor, builders.slot(doctor, days=3), patient)
    soon = timezone.now() + timedelta(hours=2)
    Booking.objects.filter(pk=booking.pk).update(scheduled_start=soon, scheduled_end=soon + timedelta(minutes=30))

    late = client_for(patient).post(f"/api/v1/booking/{booking.pk}/cancel", {"reason": "x"}, format="json")
    stranger = client_for(builders.patient()).post(
        f"/api/v1/booking/{booking.pk}/cancel", {"reason": "x"}, format="json"
    )

    error = assert_error(late, 422, "CANCELLATION_NOT_ALLOWED")
    assert error["details"]["reason"] == "past_deadline"
    assert_error(stranger, 404, "BOOKING_NOT_FOUND")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING_PAYMENT


def test_signing_in_is_needed():
    from rest_framework.test import APIClient

    assert_error(APIClient().get("/api/v1/booking/my-appointments"), 401, "UNAUTHORIZED")


@pytest.mark.django_db(transaction=True)
def test_ten_patients_for_one_slot_make_one_appointment():
    doctor = builders.clinician()
    start = builders.slot(doctor)
    clients = [client_for(builders.patient()) for _ in range(10)]
    data = body(doctor, start)

    answers = run_together(10, lambda i: clients[i].post(CREATE, data, format="json"))

    assert Counter(a.status_code for a in answers) == {201: 1, 409: 9}
    assert {a.json()["error"]["code"] for a in answers if a.status_code == 409} == {"SLOT_UNAVAILABLE"}
    assert Booking.objects.filter(requested_partner=doctor).count() == 1
    assert Payment.objects.count() == 1
