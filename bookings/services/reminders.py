"""Appointment reminders: a periodic scan sends one reminder per booking, ``REMINDER_LEAD_MINUTES`` ahead.

The scan (Celery beat, every 5 minutes) takes the bookings starting within the
lead time that are live (confirmed, or still being assigned) and have no
reminder yet, locks them with ``SKIP LOCKED`` (two scans never remind twice)
and tells the customer, and the partner who accepted the job.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bookings import hooks
from bookings.models import Booking, BookingStatus
from bookings.notify import notify_booking, reminder_context

LIVE = (BookingStatus.PENDING, BookingStatus.PARTNER_ASSIGNED, BookingStatus.CONFIRMED)
BATCH = 200


def send_due_reminders() -> int:
    now = timezone.now()
    horizon = now + timedelta(minutes=settings.REMINDER_LEAD_MINUTES)
    sent = 0
    while True:
        with transaction.atomic():
            due = list(
                Booking.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user", "requested_partner__user")  # an appointment's time is in its provider's zone
                .filter(
                    status__in=LIVE,
                    reminder_sent_at__isnull=True,
                    scheduled_start__gt=now,
                    scheduled_start__lte=horizon,
                )
                .order_by("scheduled_start")[:BATCH]
            )
            if not due:
                return sent
            for booking in due:
                extra = reminder_context(booking)  # an online appointment's meeting link after the time
                notify_booking("appointment_reminder", booking, **extra)
                for worker in hooks.assigned_users(booking):
                    notify_booking("appointment_reminder", booking, user=worker, **extra)
            Booking.objects.filter(pk__in=[b.pk for b in due]).update(reminder_sent_at=now)
            sent += len(due)
