"""The runtime settings bookings reads (``core.system_settings``), registered in ``BookingsConfig.ready``.

Cancellation fee and free window (the policy, ``bookings.policy``), the appointment notice before which
cancelling is free, the unpaid holds' expiry, how
far ahead a booking may be made, and the business hours slots are cut from.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings

from core import system_settings
from core.system_settings import Definition, invalid, parse_clock

DEFINITIONS = (
    Definition(
        "cancellation_fee_percentage",
        "decimal",
        lambda: Decimal(str(settings.CANCELLATION_FEE_PERCENTAGE)),
        "Share of the total kept when a paid booking is cancelled after the free window.",
        Decimal("0"),
        Decimal("100"),
        "%",
        position=20,
    ),
    Definition(
        "free_cancellation_minutes",
        "int",
        lambda: settings.FREE_CANCELLATION_MINUTES,
        "Minutes after booking during which cancelling is free.",
        0,
        7 * 24 * 60,
        "minutes",
        position=30,
    ),
    Definition(
        "unpaid_booking_expiry_minutes",
        "int",
        lambda: settings.UNPAID_BOOKING_EXPIRY_MINUTES,
        "Minutes an online booking waits for its payment before the system cancels it.",
        5,
        7 * 24 * 60,
        "minutes",
        position=40,
    ),
    Definition(
        "appointment_hold_minutes",
        "int",
        lambda: settings.APPOINTMENT_HOLD_MINUTES,
        "Minutes an unpaid appointment holds its slot before the system frees it.",
        5,
        24 * 60,
        "minutes",
        position=42,
    ),
    Definition(
        "appointment_cancel_notice_hours",
        "int",
        lambda: settings.APPOINTMENT_CANCEL_NOTICE_HOURS,
        "Hours before an appointment until which cancelling is free; after that the deposit is kept.",
        0,
        14 * 24,
        "hours",
        position=44,
    ),
    Definition(
        "max_booking_advance_days",
        "int",
        lambda: settings.MAX_BOOKING_ADVANCE_DAYS,
        "How many days ahead a booking may be made.",
        1,
        365,
        "days",
        position=70,
    ),
    Definition(
        "business_hours_start",
        "clock",
        lambda: parse_clock(settings.BUSINESS_HOURS_START),
        "First bookable slot of the day (HH:MM, Asia/Kolkata).",
        position=90,
    ),
    Definition(
        "business_hours_end",
        "clock",
        lambda: parse_clock(settings.BUSINESS_HOURS_END),
        "Closing time: the last slot starts before it (HH:MM, Asia/Kolkata).",
        position=100,
    ),
)


def business_hours_close_after_opening(values: dict[str, Any]) -> None:
    if values["business_hours_end"] <= values["business_hours_start"]:
        raise invalid(
            "business_hours_end",
            "Business hours must close after they open.",
            start=values["business_hours_start"],
            end=values["business_hours_end"],
        )


def register() -> None:
    system_settings.register(*DEFINITIONS)
    system_settings.register_rule(business_hours_close_after_opening)
