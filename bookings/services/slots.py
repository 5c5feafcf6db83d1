"""Bookable time slots: every 30 minutes within business hours, after a lead time, within the advance window.

All in the platform's time zone (``TIME_ZONE``, Asia/Kolkata). Slot labels
follow seed 000 ("08:00 AM"); confirm accepts that or 24-hour "HH:MM".
Slots no eligible partner can take are dropped by the slot filters other apps
register (``bookings.hooks``; the partners engine registers one), when the
caller says what the slot is for.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from bookings import hooks
from core import system_settings
from core.errors import DomainError, ErrorCode
from core.types import Id


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
    advance_days = system_settings.value("max_booking_advance_days")
    if day > today + timedelta(days=advance_days):
        raise DomainError(
            f"Bookings open {advance_days} days ahead at most.",
            code=ErrorCode.VALIDATION_ERROR,
            field="booking_date",
            reason="too_far_ahead",
        )


def available_slots(day: date, request: hooks.SlotRequest | None = None) -> list[time]:
    """The day's bookable slots; with ``request``, only those a partner can take."""
    check_bookable_day(day)
    zone = timezone.get_current_timezone()
    earliest = timezone.localtime() + timedelta(minutes=settings.BOOKING_LEAD_MINUTES)
    start, end = system_settings.clock("business_hours_start"), system_settings.clock("business_hours_end")
    slot = datetime.combine(day, start, tzinfo=zone)
    closing = datetime.combine(day, end, tzinfo=zone)
    slots = []
    while slot < closing:
        if slot >= earliest:
            slots.append(slot.time())
        slot += timedelta(minutes=settings.SLOT_MINUTES)
    return hooks.filter_slots(day, slots, request)


def request_for(
    services: list[dict[str, Any]], address: dict[str, Any] | None, exclude_booking_id: Id | None = None
) -> hooks.SlotRequest:
    """The slot request of a cart: ``services`` rows carry category_id, tier, duration_minutes and quantity."""
    address = address or {}
    return hooks.SlotRequest(
        category_ids=frozenset(int(row["category_id"]) for row in services),
        tiers=frozenset(row["tier"] for row in services),
        duration_minutes=sum(int(row["duration_minutes"]) * int(row["quantity"]) for row in services),
        lat=address.get("lat"),
        lng=address.get("lng"),
        pincode=address.get("pincode") or "",
        exclude_booking_id=str(exclude_booking_id) if exclude_booking_id else None,
    )


def slot_start(day: date, slot: time) -> datetime:
    return datetime.combine(day, slot, tzinfo=timezone.get_current_timezone())
