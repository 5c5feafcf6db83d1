"""Seed 004's bookings through HTTP: POST /bookings and its refusals, the list's filters and policy fields,
PUT and DELETE /bookings/{id}, reschedule with new_scheduled_at, the specialist's confirm and complete."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from bookings.models import Booking, BookingStatus
from notifications.models import Notification
from partners.models import AssignmentStatus, PartnerAssignment, PartnerEarning, PartnerTimeOff
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.appointments import builders
from tests.appointments.test_deposits_api import book, deposit_paid, held
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


# --- POST /bookings -------------------------------------------------------------------------------------


def test_another_length_than_the_services_is_refused_on_duration():
    expert = builders.specialist()
    response = book(client_for(builders.patient()), expert, builders.slot(expert, days=2), duration=30)

    assert_error(response, 422, "VALIDATION_ERROR", "duration")
    assert not Booking.objects.exists()


def test_a_client_total_other_than_the_price_is_refused():
    expert = builders.specialist()
    response = book(client_for(builders.patient()), expert, builders.slot(expert, days=2), totalAmount=1400)

    assert_error(response, 422, "INVALID_PAYMENT_AMOUNT", "total_amount")
    same = book(client_for(builders.patient()), expert, builders.slot(expert, days=2), totalAmount=1500)
    assert same.status_code == 201, same.content


def test_a_taken_slot_is_a_booking_conflict_and_back_to_back_is_fine():
    expert = builders.specialist()
    start = builders.slot(expert, days=2)
    assert book(client_for(builders.patient()), expert, start).status_code == 201

    assert_error(book(client_for(builders.patient()), expert, start), 409, "BOOKING_CONFLICT", "start")
    half = start + timedelta(minutes=30)
    assert_error(book(client_for(builders.patient()), expert, half), 409, "BOOKING_CONFLICT")
    assert book(client_for(builders.patient()), expert, start + timedelta(hours=1)).status_code == 201


def test_a_past_or_off_hours_slot_is_a_booking_conflict():
    expert = builders.specialist()
    client = client_for(builders.patient())

    assert_error(book(client, expert, builders.slot(expert, days=-1)), 409, "BOOKING_CONFLICT")
    assert_error(book(client, expert, builders.slot(expert, days=2, hour=20)), 409, "BOOKING_CONFLICT")


def test_blocked_time_is_a_booking_conflict():
    expert = builders.specialist()
    start = builders.slot(expert, days=2)
    PartnerTimeOff.objects.create(partner=expert, starts_at=start, ends_at=start + timedelta(hours=2), reason="Away")

    assert_error(book(client_for(builders.patient()), expert, start), 409, "BOOKING_CONFLICT")


def test_a_time_without_its_offset_is_refused():
    expert = builders.specialist()
    naive = builders.slot(expert, days=2).replace(tzinfo=None).isoformat()

    response = book(client_for(builders.patient()), expert, builders.slot(expert, days=2), scheduledAt=naive)

    assert_error(response, 422, "VALIDATION_ERROR", "scheduled_at")


def test_missing_and_unknown_ids_are_refused():
    expert = builders.specialist()
    client = client_for(builders.patient())
    start = builders.slot(expert, days=2)

    assert_error(book(client, expert, start, serviceId=None), 400, "INVALID_REQUEST", "service_id")
    other = builders.specialist()
    response = book(client, expert, start, serviceId=str(builders.service_of(other).pk))
    assert_error(response, 422, "VALIDATION_ERROR", "service_id")
    doctor = builders.clinician()
    assert book(client, expert, start, specialistId=str(doctor.pk)).status_code == 422  # not the doctor's service
    assert client_for(builders.patient()).post("/api/v1/bookings", {}, format="json").status_code == 400


def test_booking_needs_a_signed_in_customer():
    from rest_framework.test import APIClient

    expert = builders.specialist()
    assert book(APIClient(), expert, builders.slot(expert, days=2)).status_code == 401


# --- GET /bookings ------------------------------------------------------------------------------------


def test_the_list_shows_the_policy_fields_and_filters_by_day():
    expert = builders.specialist()
    customer = builders.patient()
    client = client_for(customer)
    near, far = builders.slot(expert, days=2), builders.slot(expert, days=9)
    book(client, expert, near)
    book(client, expert, far)

    rows = client.get("/api/v1/bookings").json()["data"]["bookings"]
    assert len(rows) == 2
    first = next(row for row in rows if row["scheduled_start"].startswith(near.strftime("%Y-%m-%d")))
    assert first["can_cancel"] is True
    deadline = timezone.datetime.fromisoformat(first["cancellation_deadline"])
    assert deadline == near - timedelta(hours=24)
    assert (first["deposit_paid"], first["specialist_id"]) == (False, str(expert.pk))
    assert first["meeting_link"] == Booking.objects.get(pk=first["id"]).meeting_link

    day = near.date().isoformat()
    only_near = client.get(f"/api/v1/bookings?startDate={day}&endDate={day}").json()["data"]["bookings"]
    assert [row["id"] for row in only_near] == [first["id"]]
    later = client.get(f"/api/v1/bookings?start_date={(near.date() + timedelta(days=1)).isoformat()}")
    assert len(later.json()["data"]["bookings"]) == 1
    bad = client.get(f"/api/v1/bookings?startDate={day}&endDate={(near.date() - timedelta(days=1)).isoformat()}")
    assert_error(bad, 422, "VALIDATION_ERROR", "end_date")
    assert_error(client.get("/api/v1/bookings?startDate=tomorrow"), 422, "VALIDATION_ERROR", "start_date")


def test_the_list_costs_the_same_queries_for_one_or_many_appointments():
    expert = builders.specialist()
    few, many = builders.patient(), builders.patient()
    book(client_for(few), expert, builders.slot(expert, days=2))
    for hour in (9, 10, 11, 12, 13):
        book(client_for(many), expert, builders.slot(expert, days=3, hour=hour))

    small = query_counts(client_for(few), ["/api/v1/bookings"])
    large = query_counts(client_for(many), ["/api/v1/bookings"])

    assert small == large


def test_past_the_deadline_the_list_says_no_cancel():
    _, client, booking, _ = held(days=2)
    soon = timezone.now() + timedelta(hours=3)
    Booking.objects.filter(pk=booking.pk).update(scheduled_start=soon, scheduled_end=soon + timedelta(hours=1))

    row = client.get(f"/api/v1/bookings/{booking.pk}").json()["data"]

    assert row["can_cancel"] is False


# --- PUT / DELETE /bookings/{id}, reschedule ----------------------------------------------------------------


def test_put_changes_the_notes_and_moves_the_booking():
    expert, client, booking, _ = held()
    new_start = builders.slot(expert, days=4, hour=14)

    notes = client.put(f"/api/v1/bookings/{booking.pk}", {"notes": "Bring the deck"}, format="json")
    assert notes.status_code == 200, notes.content
    assert notes.json()["data"]["customer_notes"] == "Bring the deck"
    moved = client.put(f"/api/v1/bookings/{booking.pk}", {"scheduledAt": new_start.isoformat()}, format="json")
    assert moved.status_code == 200, moved.content
    assert PartnerAssignment.objects.get(booking=booking).busy_from == new_start
    assert_error(client.put(f"/api/v1/bookings/{booking.pk}", {}, format="json"), 400, "INVALID_REQUEST", "notes")
    other = client_for(builders.patient()).put(f"/api/v1/bookings/{booking.pk}", {"notes": "x"}, format="json")
    assert_error(other, 404, "BOOKING_NOT_FOUND")


def test_put_onto_a_taken_time_is_refused_and_nothing_moves():
    expert, client, booking, _ = held()
    taken = builders.slot(expert, days=5)
    book(client_for(builders.patient()), expert, taken)

    response = client.put(f"/api/v1/bookings/{booking.pk}", {"scheduledAt": taken.isoformat()}, format="json")

    assert_error(response, 409, "BOOKING_CONFLICT", "new_scheduled_at")
    assert PartnerAssignment.objects.get(booking=booking).busy_from == booking.scheduled_start


def test_reschedule_takes_new_scheduled_at_and_keeps_the_reason():
    expert, client, booking, _ = held()
    new_start = builders.slot(expert, days=4, hour=15)

    response = client.post(
        f"/api/v1/bookings/{booking.pk}/reschedule",
        {"newScheduledAt": new_start.isoformat(), "reason": "Customer request"},
        format="json",
    )

    assert response.status_code == 200, response.content
    booking.refresh_from_db()
    assert booking.scheduled_start == new_start
    assert booking.events.filter(action="rescheduled", note__endswith="Customer request").exists()
    neither = client.post(f"/api/v1/bookings/{booking.pk}/reschedule", {"reason": "x"}, format="json")
    assert_error(neither, 400, "INVALID_REQUEST", "new_date")


def test_delete_cancels_before_the_deadline_and_refuses_after_it():
    _, client, booking, _ = held()
    response = client.delete(f"/api/v1/bookings/{booking.pk}")
    assert response.status_code == 200, response.content
    assert response.json()["data"]["status"] == "cancelled"
    assert PartnerAssignment.objects.get(booking=booking).status == AssignmentStatus.CANCELLED

    _, client, late, _ = held()
    soon = timezone.now() + timedelta(hours=5)
    Booking.objects.filter(pk=late.pk).update(scheduled_start=soon, scheduled_end=soon + timedelta(hours=1))
    assert_error(client.delete(f"/api/v1/bookings/{late.pk}"), 422, "CANCELLATION_NOT_ALLOWED")
    late.refresh_from_db()
    assert late.status == BookingStatus.PENDING_PAYMENT


# --- confirm and complete -----------------------------------------------------------------------------------


def test_the_specialist_confirms_with_a_meeting_link_and_the_customer_is_told():
    expert, _, booking = deposit_paid()
    provider = client_for(expert.user)

    response = provider.post(
        f"/api/v1/bookings/{booking.pk}/confirm",
        {"meetingLink": "https://meet.example.com/booking123", "preparationNotes": "Please prepare statements"},
        format="json",
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["booking"]["status"] == "confirmed"
    assert data["booking"]["meeting_link"] == "https://meet.example.com/booking123"
    assert data["notifications_sent"]
    assert all(name.startswith("customer_") for name in data["notifications_sent"])
    booking.refresh_from_db()
    assert booking.preparation_notes == "Please prepare statements"
    told = Notification.objects.filter(user=booking.user, event_type="appointment_confirmed")
    assert told.count() == 1  # once, with the link
    assert "https://meet.example.com/booking123" in told.get().message
    again = provider.post(f"/api/v1/bookings/{booking.pk}/confirm", {}, format="json")
    assert_error(again, 422, "INVALID_BOOKING_STATUS")


def test_only_the_chosen_specialist_confirms_a_paid_booking():
    expert, customer_client, booking, _ = held()
    provider = client_for(expert.user)

    assert_error(
        provider.post(f"/api/v1/bookings/{booking.pk}/confirm", {}, format="json"), 422, "INVALID_BOOKING_STATUS"
    )
    other = client_for(builders.specialist().user)
    assert_error(other.post(f"/api/v1/bookings/{booking.pk}/confirm", {}, format="json"), 404, "BOOKING_NOT_FOUND")
    assert_error(
        customer_client.post(f"/api/v1/bookings/{booking.pk}/confirm", {}, format="json"), 404, "BOOKING_NOT_FOUND"
    )
    bad_link = provider.post(f"/api/v1/bookings/{booking.pk}/confirm", {"meetingLink": "not a url"}, format="json")
    assert_error(bad_link, 422, "VALIDATION_ERROR", "meeting_link")


def test_complete_after_the_start_records_notes_deliverables_and_the_earning():
    expert, _, booking = deposit_paid()
    provider = client_for(expert.user)
    provider.post(f"/api/v1/bookings/{booking.pk}/confirm", {}, format="json")
    body = {"completionNotes": "Session completed", "deliverables": ["Roadmap", "Action items"]}

    early = provider.post(f"/api/v1/bookings/{booking.pk}/complete", body, format="json")
    assert_error(early, 422, "INVALID_BOOKING_STATUS")
    assert early.json()["error"]["details"]["reason"] == "not_started"

    past = timezone.now() - timedelta(minutes=1)
    Booking.objects.filter(pk=booking.pk).update(scheduled_start=past, scheduled_end=past + timedelta(hours=1))
    other = client_for(builders.specialist().user)
    assert_error(other.post(f"/api/v1/bookings/{booking.pk}/complete", body, format="json"), 404, "BOOKING_NOT_FOUND")
    response = provider.post(f"/api/v1/bookings/{booking.pk}/complete", body, format="json")

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["booking"]["status"] == "completed"
    assert data["partner_earning"] > 0
    booking.refresh_from_db()
    assert (booking.completion_notes, booking.deliverables) == ("Session completed", ["Roadmap", "Action items"])
    assert PartnerEarning.objects.filter(booking=booking, partner=expert).count() == 1
    seen = client_for(booking.user).get(f"/api/v1/bookings/{booking.pk}").json()["data"]
    assert (seen["completion_notes"], seen["deliverables"], seen["session_type"]) == (
        "Session completed",
        ["Roadmap", "Action items"],
        "online",
    )
    bad = provider.post(f"/api/v1/bookings/{booking.pk}/complete", {"deliverables": "one"}, format="json")
    assert_error(bad, 422, "VALIDATION_ERROR", "deliverables")


def test_staff_with_change_booking_may_complete_a_customer_may_not():
    expert, customer_client, booking = deposit_paid()
    client_for(expert.user).post(f"/api/v1/bookings/{booking.pk}/confirm", {}, format="json")
    past = timezone.now() - timedelta(minutes=1)
    Booking.objects.filter(pk=booking.pk).update(scheduled_start=past, scheduled_end=past + timedelta(hours=1))

    assert_error(
        customer_client.post(f"/api/v1/bookings/{booking.pk}/complete", {}, format="json"), 404, "BOOKING_NOT_FOUND"
    )
    admin = client_for(make_user(Role.ADMIN))
    assert admin.post(f"/api/v1/bookings/{booking.pk}/complete", {}, format="json").status_code == 200


def test_past_the_deadline_the_customer_can_no_longer_move_it():
    expert, client, booking, _ = held()
    soon = timezone.now() + timedelta(hours=5)
    Booking.objects.filter(pk=booking.pk).update(scheduled_start=soon, scheduled_end=soon + timedelta(hours=1))

    response = client.post(
        f"/api/v1/bookings/{booking.pk}/reschedule",
        {"newScheduledAt": builders.slot(expert, days=4).isoformat()},
        format="json",
    )

    error = assert_error(response, 422, "INVALID_BOOKING_STATUS")
    assert error["details"]["reason"] == "past_deadline"
