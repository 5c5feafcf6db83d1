"""Runtime settings are registered by the apps that read them; core's registry lists them in a stable order."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core import system_settings
from core.system_settings import Definition

# The order the admin settings API and the Django admin page list the settings in (by declared position).
LISTED = [
    "commission_percentage",  # partners
    "cancellation_fee_percentage",  # bookings
    "free_cancellation_minutes",  # bookings
    "unpaid_booking_expiry_minutes",  # bookings
    "appointment_hold_minutes",  # bookings
    "appointment_cancel_notice_hours",  # bookings
    "partner_assignment_timeout",  # partners
    "otp_expiry_minutes",  # accounts
    "max_booking_advance_days",  # bookings
    "tax_rate",  # catalog (the pricing module)
    "business_hours_start",  # bookings
    "business_hours_end",  # bookings
]


def test_the_apps_register_every_setting_in_the_listing_order():
    assert list(system_settings.DEFINITIONS) == LISTED


@pytest.mark.django_db
def test_the_admin_api_lists_them_in_that_order():
    assert [row["key"] for row in system_settings.describe()] == LISTED
    assert list(system_settings.all_values()) == LISTED


@pytest.fixture
def empty_registry(monkeypatch):
    monkeypatch.setattr(system_settings, "DEFINITIONS", {})
    return system_settings.DEFINITIONS


def test_register_orders_by_position_then_registration(empty_registry):
    system_settings.register(
        Definition("late", "int", lambda: 1, "", 0, 9, position=20),
        Definition("first", "int", lambda: 1, "", 0, 9, position=10),
        Definition("later", "int", lambda: 1, "", 0, 9, position=20),
    )

    assert list(empty_registry) == ["first", "late", "later"]


def test_register_refuses_a_duplicate_key_and_a_number_without_bounds(empty_registry):
    system_settings.register(Definition("fee", "decimal", lambda: Decimal("1"), "", Decimal("0"), Decimal("9")))

    with pytest.raises(ValueError, match="already registered"):
        system_settings.register(Definition("fee", "decimal", lambda: Decimal("1"), "", Decimal("0"), Decimal("9")))
    with pytest.raises(ValueError, match="minimum and a maximum"):
        system_settings.register(Definition("count", "int", lambda: 1, ""))
    with pytest.raises(ValueError, match="kind"):
        system_settings.register(Definition("flag", "bool", lambda: True, ""))
