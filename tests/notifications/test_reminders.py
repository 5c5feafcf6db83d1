"""Appointment reminders: the periodic scan reminds each live booking once, customer and working partner."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from bookings.models import Booking
from bookings.services.reminders import send_due_reminders
from bookings.tasks import send_reminders
from notifications.models import Notification
from partners.services.dispatch import dispatch_booking, offer_accept
from tests.accounts.test_concurrency import run_together
from tests.partners import helpers


def _soon(hours: float) -> Booking:
    start = timezone.localtime() + timedelta(hours=hours)
    return helpers.booking(start=start.replace(second=0, microsecond=0))


def _due_within_a_day() -> Booking:
    """A 15-minute job about an hour from now that does not cross midnight (a partner's hours are per day)."""
    start = (timezone.localtime() + timedelta(hours=1)).replace(second=0, microsecond=0)
    if start.time() > time(23, 40):  # it would end after 23:59: the next day's 00:05, still within the lead
        start = (start + timedelta(days=1)).replace(hour=0, minute=5)
    return helpers.booking(start=start, services=[helpers.service(minutes=15)])


@pytest.mark.django_db
def test_the_scan_reminds_live_bookings_once_and_only_when_due(settings):
    settings.REMINDER_LEAD_MINUTES = 120
    partner = helpers.partner(
        start=timezone.localtime().time().replace(hour=0, minute=0),
        end=timezone.localtime().time().replace(hour=23, minute=59),
    )
    due = _due_within_a_day()
    dispatch_booking(due.pk)
    offer_accept(partner=partner, booking_id=due.pk)
    later = _soon(5)
    cancelled = _soon(1.5)
    Booking.objects.filter(pk=cancelled.pk).update(status="cancelled")

    first = send_reminders()
    second = send_due_reminders()

    assert (first, second) == (1, 0)
    reminded = Notification.objects.filter(event_type="appointment_reminder")
    assert {n.user_id for n in reminded} == {due.user_id, partner.user_id}
    assert due.booking_number in reminded.first().message
    assert Booking.objects.get(pk=due.pk).reminder_sent_at is not None
    assert Booking.objects.get(pk=later.pk).reminder_sent_at is None


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_send_each_reminder_once(settings):
    assert connection.vendor == "postgresql"
    settings.REMINDER_LEAD_MINUTES = 120
    bookings = [_soon(1) for _ in range(6)]

    counts = run_together(2, lambda _: send_due_reminders())

    assert sum(counts) == 6
    assert Notification.objects.filter(event_type="appointment_reminder").count() == len(bookings)
