"""Seed 003 staff and clinician appointment endpoints (issue #18): list, mine, detail, create, move, status, cancel."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.roles import Role
from bookings.models import Booking, BookingStatus, PaymentMode, SessionType
from partners.services.appointments import AppointmentRequest, appointment_create
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.appointments import builders
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/appointments"


def book(provider, start, *, customer=None, **fields):
    return appointment_create(
        customer=customer or builders.patient(),
        request=AppointmentRequest(provider_id=provider.pk, start=start, **fields),
    )


def shift(booking: Booking, *, by: timedelta) -> Booking:
    """Move an appointment's times (what the clock does to it): for past, current and no-show cases."""
    Booking.objects.filter(pk=booking.pk).update(
        scheduled_start=booking.scheduled_start + by, scheduled_end=booking.scheduled_end + by
    )
    booking.refresh_from_db()
    return booking


def body(doctor, centre, patient, **fields):
    start = fields.pop("start", None) or builders.slot(doctor)
    data = {
        "patientId": str(patient.pk),
        "clinicianId": str(doctor.pk),
        "centreId": str(centre.pk) if centre else None,
        "appointmentDate": start.date().isoformat(),
        "appointmentTime": start.strftime("%H:%M:%S"),
        "sessionType": "IN_PERSON",
        "notes": "First consultation",
    }
    data.update(fields)
    return data


@pytest.fixture
def clinic():
    centre = builders.centre(name="Mibo Bangalore")
    return centre, builders.clinician(at=centre)


# ---- list ----------------------------------------------------------------------------------------------


def test_staff_list_rows_in_the_seed_shape(clinic):
    centre, doctor = clinic
    patient = builders.patient(full_name="Jane Smith")
    start = builders.slot(doctor)
    booking = book(doctor, start, customer=patient, centre_id=centre.pk, session_type=SessionType.IN_PERSON)

    response = client_for(make_user(Role.ADMIN)).get(URL)

    assert response.status_code == 200, response.content
    [row] = response.json()["data"]["appointments"]
    assert row == row | {
        "id": str(booking.pk),
        "patient_id": str(patient.pk),
        "patient_name": "Jane Smith",
        "clinician_id": str(doctor.pk),
        "clinician_name": doctor.user.full_name,
        "centre_id": str(centre.pk),
        "centre_name": "Mibo Bangalore",
        "appointment_date": start.date().isoformat(),
        "appointment_time": "10:00:00",
        "session_type": "IN_PERSON",
        "status": "PENDING",
        "consultation_fee": 800.0,
        "payment_status": "PENDING",
    }


def test_the_list_filters_by_the_seed_names(clinic):
    centre, doctor = clinic
    other = builders.clinician(at=centre)
    mine = book(doctor, builders.slot(doctor), payment_method=PaymentMode.CASH)
    book(other, builders.slot(other, days=2))
    client = client_for(make_user(Role.ADMIN))

    def ids(query):
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["data"]["appointments"]]

    assert ids(f"clinicianId={doctor.pk}") == [str(mine.pk)]
    assert ids("status=CONFIRMED") == [str(mine.pk)]
    assert ids(f"date={mine.booking_date.isoformat()}") == [str(mine.pk)]
    assert len(ids("status=PENDING")) == 1
    assert ids(f"patientId={mine.user_id}") == [str(mine.pk)]
    assert_error(client.get(f"{URL}?status=LOST"), 422, "VALIDATION_ERROR", field="status")


def test_a_centre_manager_sees_only_their_centres(clinic):
    centre, doctor = clinic
    elsewhere = builders.centre()
    far_doctor = builders.clinician(at=elsewhere)
    here = book(doctor, builders.slot(doctor), centre_id=centre.pk, session_type=SessionType.IN_PERSON)
    there = book(far_doctor, builders.slot(far_doctor), centre_id=elsewhere.pk, session_type=SessionType.IN_PERSON)
    manager = client_for(builders.centre_manager(centre))

    rows = manager.get(URL).json()["data"]["appointments"]

    assert [row["id"] for row in rows] == [str(here.pk)]
    assert manager.get(f"{URL}/{here.pk}").status_code == 200
    assert_error(manager.get(f"{URL}/{there.pk}"), 404, "BOOKING_NOT_FOUND")


def test_a_clinician_sees_only_their_own(clinic):
    centre, doctor = clinic
    colleague = builders.clinician(at=centre)
    own = book(doctor, builders.slot(doctor))
    theirs = book(colleague, builders.slot(colleague))
    client = client_for(doctor.user)

    rows = client.get(URL).json()["data"]["appointments"]

    assert [row["id"] for row in rows] == [str(own.pk)]
    assert client.get(f"{URL}/{own.pk}").status_code == 200
    assert_error(client.get(f"{URL}/{theirs.pk}"), 404, "BOOKING_NOT_FOUND")


def test_a_patient_has_no_staff_list():
    assert_error(client_for(builders.patient()).get(URL), 403, "FORBIDDEN")


def test_the_list_takes_the_same_queries_for_one_row_and_many(clinic):
    centre, doctor = clinic
    client = client_for(make_user(Role.ADMIN))
    book(doctor, builders.slot(doctor, hour=9), centre_id=centre.pk, session_type=SessionType.IN_PERSON)
    one = query_counts(client, [URL])[URL]
    for hour in range(10, 16):
        other = builders.clinician(at=centre)
        book(other, builders.slot(other, hour=hour), centre_id=centre.pk, session_type=SessionType.IN_PERSON)
    assert query_counts(client, [URL])[URL] == one


# ---- my appointments -----------------------------------------------------------------------------------


def test_my_appointments_are_current_upcoming_and_past(clinic):
    _, doctor = clinic
    upcoming = book(doctor, builders.slot(doctor, hour=11), payment_method=PaymentMode.CASH)
    current = shift(book(doctor, builders.slot(doctor, hour=12)), by=timedelta(days=-1))
    current = shift(current, by=timezone.now() - current.scheduled_start - timedelta(minutes=5))
    past = shift(book(doctor, builders.slot(doctor, days=2, hour=9)), by=timedelta(days=-5))
    gone = shift(book(doctor, builders.slot(doctor, days=2, hour=14)), by=timedelta(days=-5))
    Booking.objects.filter(pk=gone.pk).update(status=BookingStatus.EXPIRED)

    response = client_for(doctor.user).get(f"{URL}/my-appointments")

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert [row["id"] for row in data["current"]] == [str(current.pk)]
    assert [row["id"] for row in data["upcoming"]] == [str(upcoming.pk)]
    assert [row["id"] for row in data["past"]] == [str(past.pk)]
    assert data["upcoming"][0]["status"] == "CONFIRMED"


def test_my_appointments_is_for_clinicians_only():
    assert_error(client_for(make_user(Role.ADMIN)).get(f"{URL}/my-appointments"), 403, "FORBIDDEN")


# ---- detail --------------------------------------------------------------------------------------------


def test_the_detail_adds_phone_link_notes_centre_and_timeline(clinic):
    centre, doctor = clinic
    patient = builders.patient(phone="+919812345678")
    booking = book(doctor, builders.slot(doctor), customer=patient, centre_id=centre.pk, notes="First consultation")
    Booking.objects.filter(pk=booking.pk).update(meeting_link="https://meet.google.com/abc-defg-hij")

    data = client_for(make_user(Role.FRONT_DESK)).get(f"{URL}/{booking.pk}").json()["data"]

    assert data["patient_phone"] == "+919812345678"
    assert data["meet_link"] == "https://meet.google.com/abc-defg-hij"
    assert data["notes"] == "First consultation"
    assert data["centre"]["name"] == centre.name
    assert [entry["action"] for entry in data["timeline"]] == ["created"]


# ---- create --------------------------------------------------------------------------------------------


def test_staff_book_an_online_appointment_with_a_payment_link(clinic):
    centre, doctor = clinic
    patient = builders.patient()
    start = builders.slot(doctor)

    response = client_for(make_user(Role.CARE_COORDINATOR)).post(
        URL, body(doctor, centre, patient, start=start, consultationFee=800), format="json"
    )

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert (data["appointment_date"], data["appointment_time"], data["status"]) == (
        start.date().isoformat(),
        "10:00:00",
        "PENDING",
    )
    assert data["payment_link"].startswith("http")
    booking = Booking.objects.get(pk=data["id"])
    assert (booking.user, booking.source, booking.scheduled_start) == (patient, "admin", start)
    assert booking.hold_expires_at is not None
    assert booking.hold_expires_at <= start  # a link's hold never runs past the start


def test_a_cash_booking_by_the_front_desk_is_confirmed_without_a_link(clinic):
    centre, doctor = clinic
    response = client_for(make_user(Role.FRONT_DESK)).post(
        URL, body(doctor, centre, builders.patient(), paymentMode="CASH"), format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert (data["status"], data["payment_link"]) == ("CONFIRMED", None)
    assert Booking.objects.get(pk=data["id"]).source == "front_desk"


def test_a_taken_slot_is_409(clinic):
    centre, doctor = clinic
    start = builders.slot(doctor)
    book(doctor, start)
    response = client_for(make_user(Role.ADMIN)).post(
        URL, body(doctor, centre, builders.patient(), start=start), format="json"
    )
    assert_error(response, 409, "SLOT_UNAVAILABLE")


def test_a_fee_other_than_the_clinicians_is_422(clinic):
    centre, doctor = clinic
    response = client_for(make_user(Role.ADMIN)).post(
        URL, body(doctor, centre, builders.patient(), consultationFee=1500), format="json"
    )
    assert_error(response, 422, "INVALID_PAYMENT_AMOUNT", field="consultationFee")
    assert not Booking.objects.exists()


def test_in_person_needs_a_centre(clinic):
    _, doctor = clinic
    response = client_for(make_user(Role.ADMIN)).post(URL, body(doctor, None, builders.patient()), format="json")
    assert_error(response, 422, "VALIDATION_ERROR", field="centre_id")


def test_a_centre_manager_books_only_at_their_centres(clinic):
    centre, doctor = clinic
    manager = client_for(builders.centre_manager(builders.centre()))
    response = manager.post(URL, body(doctor, centre, builders.patient()), format="json")
    assert_error(response, 404, "NOT_FOUND", field="centre_id")


def test_booking_for_a_patient_needs_the_permission(clinic):
    centre, doctor = clinic
    response = client_for(make_user(Role.SUPPORT)).post(URL, body(doctor, centre, builders.patient()), format="json")
    assert_error(response, 403, "FORBIDDEN")


def test_an_unknown_patient_is_404(clinic):
    centre, doctor = clinic
    patient = builders.patient()
    data = body(doctor, centre, patient, patientId=str(doctor.pk))
    assert_error(client_for(make_user(Role.ADMIN)).post(URL, data, format="json"), 404, "NOT_FOUND", field="patient_id")


# ---- update, no-show, cancel ---------------------------------------------------------------------------


def test_staff_move_an_appointment_to_a_free_slot_and_not_onto_a_taken_one(clinic):
    _, doctor = clinic
    booking = book(doctor, builders.slot(doctor))
    taken = builders.slot(doctor, hour=14)
    book(doctor, taken)
    client = client_for(make_user(Role.OPS_MANAGER))

    refused = client.put(
        f"{URL}/{booking.pk}",
        {"appointmentDate": taken.date().isoformat(), "appointmentTime": "14:00:00"},
        format="json",
    )
    assert_error(refused, 409, "SLOT_UNAVAILABLE", field="appointment_time")

    moved = client.put(
        f"{URL}/{booking.pk}",
        {"appointmentDate": taken.date().isoformat(), "appointmentTime": "15:00:00"},
        format="json",
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["data"]["appointment_time"] == "15:00:00"
    booking.refresh_from_db()
    assert booking.scheduled_start == builders.slot(doctor, hour=15)


def test_staff_confirm_a_cash_booking_but_not_an_unpaid_online_hold(clinic):
    _, doctor = clinic
    hold = book(doctor, builders.slot(doctor))
    client = client_for(make_user(Role.ADMIN))

    assert_error(client.put(f"{URL}/{hold.pk}", {"status": "CONFIRMED"}, format="json"), 422, "INVALID_BOOKING_STATUS")

    cash_hold = book(doctor, builders.slot(doctor, hour=11))
    Booking.objects.filter(pk=cash_hold.pk).update(payment_method=PaymentMode.CASH)
    response = client.put(f"{URL}/{cash_hold.pk}", {"status": "CONFIRMED"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["data"]["status"] == "CONFIRMED"


def test_no_show_is_refused_before_start_plus_grace(clinic):
    _, doctor = clinic
    booking = book(doctor, builders.slot(doctor), payment_method=PaymentMode.CASH)
    booking = shift(booking, by=timezone.now() - booking.scheduled_start)  # started just now
    response = client_for(make_user(Role.ADMIN)).put(f"{URL}/{booking.pk}", {"status": "NO_SHOW"}, format="json")
    error = assert_error(response, 422, "INVALID_BOOKING_STATUS", field="status")
    assert error["details"]["reason"] == "too_early"


def test_the_clinician_records_a_no_show_after_the_grace(clinic):
    _, doctor = clinic
    booking = book(doctor, builders.slot(doctor), payment_method=PaymentMode.CASH)
    grace = timedelta(minutes=settings.APPOINTMENT_NO_SHOW_GRACE_MINUTES + 1)
    booking = shift(booking, by=timezone.now() - booking.scheduled_start - grace)

    assert_error(client_for(builders.clinician().user).post(f"{URL}/{booking.pk}/no-show"), 404, "BOOKING_NOT_FOUND")
    response = client_for(doctor.user).post(f"{URL}/{booking.pk}/no-show")

    assert response.status_code == 200, response.content
    assert response.json()["data"]["status"] == "NO_SHOW"


def test_staff_cancel_with_delete_and_out_of_scope_is_404(clinic):
    centre, doctor = clinic
    booking = book(doctor, builders.slot(doctor), centre_id=centre.pk, session_type=SessionType.IN_PERSON)

    stranger = client_for(builders.centre_manager(builders.centre()))
    assert_error(stranger.delete(f"{URL}/{booking.pk}", {"reason": "x"}, format="json"), 404, "BOOKING_NOT_FOUND")

    response = client_for(builders.centre_manager(centre)).delete(
        f"{URL}/{booking.pk}", {"reason": "Patient requested cancellation"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["data"]["status"] == "CANCELLED"
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by, booking.cancellation_reason) == (
        BookingStatus.CANCELLED,
        "admin",
        "Patient requested cancellation",
    )


def test_put_status_cancelled_cancels_as_staff(clinic):
    _, doctor = clinic
    booking = book(doctor, builders.slot(doctor))
    response = client_for(make_user(Role.ADMIN)).put(f"{URL}/{booking.pk}", {"status": "CANCELLED"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["data"]["status"] == "CANCELLED"


def test_front_desk_may_not_change_appointments(clinic):
    _, doctor = clinic
    booking = book(doctor, builders.slot(doctor))
    response = client_for(make_user(Role.FRONT_DESK)).put(f"{URL}/{booking.pk}", {"status": "CANCELLED"}, format="json")
    assert_error(response, 403, "FORBIDDEN")


def test_staff_complete_a_confirmed_appointment(clinic):
    _, doctor = clinic
    booking = book(doctor, builders.slot(doctor), payment_method=PaymentMode.CASH)
    booking = shift(booking, by=timezone.now() - booking.scheduled_end)  # ended just now
    response = client_for(make_user(Role.ADMIN)).put(f"{URL}/{booking.pk}", {"status": "COMPLETED"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["data"]["status"] == "COMPLETED"


def test_fee_field_is_a_decimal(clinic):
    centre, doctor = clinic
    response = client_for(make_user(Role.ADMIN)).post(
        URL, body(doctor, centre, builders.patient(), consultationFee="eight"), format="json"
    )
    assert_error(response, 422, "VALIDATION_ERROR", field="consultation_fee")
    assert Decimal("800.00") == doctor.consultation_fee


def test_a_move_needs_both_date_and_time_and_no_closing_status(clinic):
    _, doctor = clinic
    booking = book(doctor, builders.slot(doctor))
    client = client_for(make_user(Role.ADMIN))
    day = booking.booking_date.isoformat()

    half = client.put(f"{URL}/{booking.pk}", {"appointmentDate": day}, format="json")
    both = client.put(
        f"{URL}/{booking.pk}",
        {"appointmentDate": day, "appointmentTime": "15:00:00", "status": "CANCELLED"},
        format="json",
    )
    empty = client.put(f"{URL}/{booking.pk}", {}, format="json")

    assert_error(half, 422, "VALIDATION_ERROR", field="appointment_time")
    assert_error(both, 422, "VALIDATION_ERROR", field="status")
    assert_error(empty, 422, "VALIDATION_ERROR", field="status")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING_PAYMENT
