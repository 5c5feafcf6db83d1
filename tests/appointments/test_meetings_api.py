"""Seed 003 "Video Conferencing" (V1-V3): an online appointment has its link from creation; who reads, makes,
replaces, deletes and lists links; other sessions are 422; someone else's appointment is 404."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from accounts.roles import Role
from bookings.models import Booking, BookingStatus, SessionType
from core.models import AuditLog
from partners import meetings
from partners.services.appointments import AppointmentRequest, appointment_create
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.appointments import builders
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

MEET = re.compile(r"^https://meet\.google\.com/[a-z]{3}-[a-z]{4}-[a-z]{3}$")


def book(provider=None, *, session_type=SessionType.ONLINE, customer=None, days=1, hour=10, **fields) -> Booking:
    provider = provider or builders.clinician()
    return appointment_create(
        customer=customer or builders.patient(),
        request=AppointmentRequest(
            provider_id=provider.pk,
            start=builders.slot(provider, days=days, hour=hour),
            session_type=session_type,
            **fields,
        ),
    )


def link_path(booking) -> str:
    return f"/api/v1/video/appointment/{booking.pk}/meet-link"


def test_an_online_appointment_gets_an_offline_meet_link_when_it_is_created():
    booking = book()

    assert MEET.match(booking.meeting_link)
    assert booking.meeting_provider == meetings.OFFLINE
    assert booking.meeting_event_id.startswith("offline_")
    assert booking.meeting_created_at is not None
    stored = Booking.objects.get(pk=booking.pk)
    assert stored.meeting_link == booking.meeting_link


def test_an_in_person_appointment_gets_no_link():
    where = builders.centre()
    booking = book(builders.clinician(at=where), session_type=SessionType.IN_PERSON, centre_id=where.pk)

    assert booking.meeting_link == ""


def test_the_patient_and_the_provider_read_the_link_and_a_stranger_gets_404():
    doctor = builders.clinician()
    patient = builders.patient()
    booking = book(doctor, customer=patient)

    for reader in (patient, doctor.user, make_user(Role.SUPPORT)):
        response = client_for(reader).get(link_path(booking))
        assert response.status_code == 200, response.content
        assert response.json()["data"]["meet_link"] == booking.meeting_link

    assert_error(client_for(builders.patient()).get(link_path(booking)), 404, "BOOKING_NOT_FOUND", "appointment_id")
    assert_error(client_for(builders.clinician().user).get(link_path(booking)), 404, "BOOKING_NOT_FOUND")


def test_an_in_person_appointment_is_422_on_the_video_endpoints():
    where = builders.centre()
    booking = book(builders.clinician(at=where), session_type=SessionType.IN_PERSON, centre_id=where.pk)
    staff = client_for(make_user(Role.ADMIN))

    assert_error(staff.get(link_path(booking)), 422, "VALIDATION_ERROR", "appointment_id")
    assert_error(
        staff.post("/api/v1/video/generate-meet-link", {"appointmentId": str(booking.pk)}, format="json"),
        422,
        "VALIDATION_ERROR",
        "appointment_id",
    )
    assert_error(
        staff.put(link_path(booking), {"meetLink": "https://meet.example.com/x"}, format="json"),
        422,
        "VALIDATION_ERROR",
        "appointment_id",
    )


def test_front_desk_generates_a_new_link_which_replaces_the_old_one_and_is_audited():
    booking = book()
    old = booking.meeting_link
    desk = make_user(Role.FRONT_DESK)

    response = client_for(desk).post(
        "/api/v1/video/generate-meet-link",
        {"appointmentId": str(booking.pk), "summary": "Consultation"},
        format="json",
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    booking.refresh_from_db()
    assert data == {"meet_link": booking.meeting_link, "event_id": booking.meeting_event_id}
    assert MEET.match(data["meet_link"])
    assert data["meet_link"] != old
    assert AuditLog.objects.filter(action="generate_meeting_link", resource_id=str(booking.pk)).count() == 1


def test_generate_refuses_an_end_before_the_start_and_a_customer():
    booking = book()
    staff = client_for(make_user(Role.ADMIN))
    start = booking.scheduled_start

    response = staff.post(
        "/api/v1/video/generate-meet-link",
        {
            "appointmentId": str(booking.pk),
            "startTime": start.isoformat(),
            "endTime": (start - timedelta(minutes=5)).isoformat(),
        },
        format="json",
    )
    assert_error(response, 422, "VALIDATION_ERROR", "end_time")
    body = {"appointmentId": str(booking.pk)}
    response = client_for(booking.user).post("/api/v1/video/generate-meet-link", body, format="json")
    assert_error(response, 403, "FORBIDDEN")


def test_a_link_is_not_made_for_a_cancelled_appointment():
    booking = book()
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.EXPIRED)

    response = client_for(make_user(Role.ADMIN)).post(
        "/api/v1/video/generate-meet-link", {"appointmentId": str(booking.pk)}, format="json"
    )

    assert_error(response, 422, "INVALID_BOOKING_STATUS", "appointment_id")


def test_staff_put_an_https_link_by_hand_and_delete_it():
    booking = book()
    coordinator = client_for(make_user(Role.CARE_COORDINATOR))

    assert_error(
        coordinator.put(link_path(booking), {"meetLink": "http://meet.example.com/x"}, format="json"),
        422,
        "VALIDATION_ERROR",
        "meet_link",
    )
    response = coordinator.put(link_path(booking), {"meetLink": "https://zoom.example.com/j/42"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["data"]["meet_link"] == "https://zoom.example.com/j/42"
    assert response.json()["data"]["provider"] == meetings.MANUAL

    response = coordinator.delete(link_path(booking))
    assert response.status_code == 200, response.content
    booking.refresh_from_db()
    assert (booking.meeting_link, booking.meeting_provider, booking.meeting_created_at) == ("", "", None)
    assert client_for(booking.user).get(link_path(booking)).json()["data"]["meet_link"] is None


def test_front_desk_may_not_replace_or_delete_a_link_and_the_patient_neither():
    booking = book()

    for person in (make_user(Role.FRONT_DESK), booking.user):
        client = client_for(person)
        assert_error(
            client.put(link_path(booking), {"meetLink": "https://x.example.com"}, format="json"),
            404,
            "BOOKING_NOT_FOUND",
        )
        assert_error(client.delete(link_path(booking)), 404, "BOOKING_NOT_FOUND")


def test_a_centre_manager_acts_only_on_appointments_at_their_centre():
    mine, other = builders.centre(), builders.centre()
    manager = client_for(builders.centre_manager(mine))
    at_mine = book(builders.clinician(at=mine), centre_id=mine.pk)
    at_other = book(builders.clinician(at=other), centre_id=other.pk)

    assert manager.get(link_path(at_mine)).status_code == 200
    assert_error(manager.get(link_path(at_other)), 404, "BOOKING_NOT_FOUND")
    listed = manager.get("/api/v1/video/links").json()["data"]["links"]
    assert [row["appointment_id"] for row in listed] == [str(at_mine.pk)]


def test_links_are_listed_by_appointment_date_and_provider():
    first = book(days=1)
    second = book(days=3)
    Booking.objects.filter(pk=second.pk).update(meeting_provider=meetings.MANUAL)
    staff = client_for(make_user(Role.ADMIN))
    day = first.booking_date.isoformat()

    response = staff.get(f"/api/v1/video/links?startDate={day}&endDate={day}")
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert [row["appointment_id"] for row in data["links"]] == [str(first.pk)]
    assert data["links"][0]["meet_link"] == first.meeting_link
    assert data["pagination"]["total"] == 1
    manual = staff.get("/api/v1/video/links?provider=manual").json()["data"]["links"]
    assert [row["appointment_id"] for row in manual] == [str(second.pk)]
    assert_error(
        staff.get(f"/api/v1/video/links?startDate={day}&endDate=2000-01-01"), 422, "VALIDATION_ERROR", "end_date"
    )
    assert_error(client_for(make_user(Role.FRONT_DESK)).get("/api/v1/video/links"), 403, "FORBIDDEN")


def test_the_links_list_takes_the_same_queries_for_one_link_and_eight():
    staff = client_for(make_user(Role.ADMIN))
    book()
    (one,) = query_counts(staff, ["/api/v1/video/links"]).values()
    for hour in range(10, 17):
        book(hour=hour)
    (eight,) = query_counts(staff, ["/api/v1/video/links?page=1"]).values()

    assert one == eight


def test_google_without_credentials_is_a_configuration_error_and_offline_needs_nothing():
    with (
        override_settings(MEETING_LINK_PROVIDER="google", GOOGLE_CALENDAR_CREDENTIALS_FILE=""),
        pytest.raises(ImproperlyConfigured),
    ):
        meetings.meeting_provider()
    with override_settings(MEETING_LINK_PROVIDER="google", GOOGLE_CALENDAR_CREDENTIALS_FILE="/nowhere.json"):
        assert isinstance(meetings.meeting_provider(), meetings.GoogleCalendarMeetingProvider)
    assert isinstance(meetings.meeting_provider(), meetings.OfflineMeetingProvider)


def test_the_google_provider_asks_calendar_for_a_hangouts_meet_conference():
    """Google's client is a third-party boundary: a fake events() resource stands in for the HTTP API."""
    calls = {}

    class Request:
        def __init__(self, result):
            self.result = result

        def execute(self):
            return self.result

    class Events:
        def insert(self, **kwargs):
            calls["insert"] = kwargs
            return Request({"id": "evt_1", "hangoutLink": "https://meet.google.com/abc-defg-hij"})

    provider = meetings.GoogleCalendarMeetingProvider("/nowhere.json", "primary")
    provider._events = Events()
    booking = book()

    link = provider.create(booking, summary="Consultation", start=booking.scheduled_start, end=booking.scheduled_end)

    assert link == meetings.MeetingLink("https://meet.google.com/abc-defg-hij", "evt_1", meetings.GOOGLE_MEET)
    assert calls["insert"]["conferenceDataVersion"] == 1
    request = calls["insert"]["body"]["conferenceData"]["createRequest"]
    assert request["conferenceSolutionKey"] == {"type": "hangoutsMeet"}
