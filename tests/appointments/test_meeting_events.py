"""A calendar event follows its appointment: moved with a reschedule, deleted on cancel or hold expiry.

Google Calendar is the one remote provider; ``Recorder`` stands in for it (the network service), reached
through ``partners.meetings.provider_named`` as the real one is.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from bookings.models import Booking
from bookings.services.expiry import booking_expire_hold
from bookings.services.lifecycle import booking_cancel
from partners.services import meetings
from partners.services.appointments import AppointmentRequest, appointment_create, appointment_move
from tests.appointments import builders

pytestmark = pytest.mark.django_db


class Recorder:
    remote = True

    def __init__(self):
        self.calls = []

    def update(self, booking, *, event_id, summary, start, end):
        self.calls.append(("update", event_id, start))

    def delete(self, booking, *, event_id):
        self.calls.append(("delete", event_id))


@pytest.fixture
def calendar(monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(meetings, "provider_named", lambda name: recorder if name == "google_meet" else None)
    return recorder


def booked():
    doctor = builders.clinician()
    patient = builders.patient()
    booking = appointment_create(
        customer=patient, request=AppointmentRequest(provider_id=doctor.pk, start=builders.slot(doctor, days=3))
    )
    Booking.objects.filter(pk=booking.pk).update(meeting_provider="google_meet", meeting_event_id="evt-1")
    return patient, booking


def test_a_move_moves_the_event_and_a_cancel_deletes_it(calendar):
    patient, booking = booked()
    later = booking.scheduled_start + timedelta(hours=1)

    with TestCase.captureOnCommitCallbacks(execute=True):
        appointment_move(booking_id=booking.pk, start=later, actor=patient)
    with TestCase.captureOnCommitCallbacks(execute=True):
        booking_cancel(user=patient, booking_id=booking.pk, reason="plans changed")

    assert calendar.calls == [("update", "evt-1", later), ("delete", "evt-1")]


def test_an_expired_hold_deletes_its_event_and_a_link_without_an_event_is_left_alone(calendar):
    _, booking = booked()
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert booking_expire_hold(booking_id=booking.pk)
    assert calendar.calls == [("delete", "evt-1")]

    patient, offline = booked()
    Booking.objects.filter(pk=offline.pk).update(meeting_provider="offline", meeting_event_id="")
    with TestCase.captureOnCommitCallbacks(execute=True):
        booking_cancel(user=patient, booking_id=offline.pk)
    assert calendar.calls == [("delete", "evt-1")]
