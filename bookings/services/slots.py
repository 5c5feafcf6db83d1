"""Bookable time slots: every 30 minutes within business hours, after a lead time, within the advance window.

All in the platform's time zone (``TIME_ZONE``, Asia/Kolkata). Slot labels
follow seed 000 ("08:00 AM"); confirm accepts that or 24-hour "HH:MM".
Once the partners engine exists it will also drop slots no eligible partner
can take (the partners issue).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from core.errors import DomainError, ErrorCode


def _clock(value: str) -> time:
    return datetime.strptime(value, "%H:%M").time()


def label(slot: time) -> str:
    return slot.strftime("%I:%M %p")


def parse_slot(value: str) -> time:
    for fmt in ("%I:%M %p", "%H:%M", "%H:%M:%S"):
        try:
            return datetime.strptime(value.strip().upper(), fmt).time()
        except ValueError:
            continue
    raise DomainError(
        'Send the time as "10:00 AM" or "10:00".',
        code=ErrorCode.VALIDATION_ERROR,
        field="booking_time",
        reason="invalid_format",
    )


def check_bookable_day(day: date) -> None:
    today = timezone.localdate()
    if day < today:
        raise DomainError("That date has passed.", code=ErrorCode.VALIDATION_ERROR, field="booking_date", reason="past")
    if day > today + timedelta(days=settings.MAX_BOOKING_ADVANCE_DAYS):
        raise DomainError(
            f"Bookings open {settings.MAX_BOOKING_ADVANCE_DAYS} days ahead at most.",
            code=ErrorCode.VALIDATION_ERROR,
            field="booking_date",
            reason="too_far_ahead",
        )


def available_slots(day: date) -> list[time]:
    check_bookable_day(day)
    zone = timezone.get_current_timezone()
    earliest = timezone.localtime() + timedelta(minutes=settings.BOOKING_LEAD_MINUTES)
    start, end = _clock(settings.BUSINESS_HOURS_START), _clock(settings.BUSINESS_HOURS_END)
    slot = datetime.combine(day, start, tzinfo=zone)
    closing = datetime.combine(day, end, tzinfo=zone)
    slots = []
    while slot < closing:
        if slot >= earliest:
            slots.append(slot.time())
        slot += timedelta(minutes=settings.SLOT_MINUTES)
    return slots


def slot_start(day: date, slot: time) -> datetime:
    return datetime.combine(day, slot, tzinfo=timezone.get_current_timezone())
