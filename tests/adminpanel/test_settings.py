"""System settings: one accessor, changed only by a super admin, validated, audited, effective at once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from core import system_settings
from core.models import AuditLog
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import staff
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/admin/settings"


def test_settings_read_shows_every_setting_with_the_environment_defaults(settings):
    settings.GST_RATE_PERCENT = 18.0
    settings.PARTNER_COMMISSION_PERCENTAGE = 70.0
    _, client = staff(Role.ADMIN)

    data = client.get(URL).json()["data"]

    assert data["commission_percentage"] == 30.0  # the platform's share; partners keep 70 %
    assert data["tax_rate"] == 18.0
    assert set(data["settings"]) == set(system_settings.DEFINITIONS)
    assert all(row["is_default"] for row in data["definitions"])


def test_a_super_admin_change_takes_effect_at_once_and_is_audited():
    admin, client = staff(Role.SUPER_ADMIN)

    response = client.put(
        URL, {"commission_percentage": 25, "partner_assignment_timeout": 10, "otp_expiry_minutes": 3}, format="json"
    )

    assert response.status_code == 200, response.content
    assert system_settings.value("commission_percentage") == Decimal("25.00")
    assert system_settings.value("partner_assignment_timeout") == 10
    entry = AuditLog.objects.get(action="update_settings")
    assert entry.actor == admin
    assert entry.changes["commission_percentage"] == {"old": "30.00", "new": "25.00"}
    assert entry.changes["otp_expiry_minutes"] == {"old": 5, "new": 3}
    assert entry.ip_address == "127.0.0.1"


def test_the_otp_message_and_expiry_follow_the_setting(api_client):
    system_settings.settings_update(actor=None, changes={"otp_expiry_minutes": 2})

    response = api_client.post("/api/v1/auth/send-otp", {"phone": "+919812345678"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["data"]["expires_in"] == 120
    from accounts.models import OtpVerification

    otp = OtpVerification.objects.get()
    assert otp.expires_at - otp.created_at < timedelta(minutes=2, seconds=5)


def test_booking_advance_days_follow_the_setting(customer_client, clock_held):
    # the clock held: "today" is one day for the setting, the dates and the checks, even across midnight
    service = ServiceFactory()
    today = timezone.localdate()

    def prepare(days_ahead: int):
        day = (today + timedelta(days=days_ahead)).isoformat()
        body = {"service_ids": [str(service.pk)], "booking_date": day}
        return customer_client.post("/api/v1/checkout/prepare", body, format="json")

    def accepted(days_ahead: int) -> None:
        response = prepare(days_ahead)
        assert response.status_code == 200, response.content
        assert response.json()["data"]["booking_date"] == (today + timedelta(days=days_ahead)).isoformat()

    def refused(days_ahead: int) -> None:
        error = assert_error(prepare(days_ahead), 422, "VALIDATION_ERROR", "booking_date")
        assert error["details"]["reason"] == "too_far_ahead"

    system_settings.settings_update(actor=None, changes={"max_booking_advance_days": 3})
    accepted(3)  # the last day of the window
    refused(4)

    system_settings.settings_update(actor=None, changes={"max_booking_advance_days": 6})
    accepted(4)  # the window moved with the setting
    accepted(6)
    refused(7)


def test_the_partner_share_follows_the_commission_setting():
    from partners.services.common import earning_for
    from tests.partners.helpers import booking

    system_settings.settings_update(actor=None, changes={"commission_percentage": 20})

    share, percentage = earning_for(booking(total="1180.00", tax="180.00"))

    assert percentage == Decimal("80.00")
    assert share == Decimal("800.00")


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"commission_percentage": -1}, "commission_percentage", "out_of_range"),
        ({"cancellation_fee_percentage": 101}, "cancellation_fee_percentage", "out_of_range"),
        ({"free_cancellation_minutes": 2.5}, "free_cancellation_minutes", "out_of_range"),
        ({"otp_expiry_minutes": 0}, "otp_expiry_minutes", "out_of_range"),
        ({"tax_rate": "lots"}, "tax_rate", "out_of_range"),
        ({"business_hours_start": "25:00"}, "business_hours_start", "out_of_range"),
        ({"business_hours_start": "21:00"}, "business_hours_end", "out_of_range"),
        ({"surge_multiplier": 2}, "surge_multiplier", "unknown_setting"),
        ({"tax_rate": None}, "tax_rate", "out_of_range"),
    ],
)
def test_settings_out_of_range_are_refused_and_nothing_changes(body, field, reason):
    _, client = staff(Role.SUPER_ADMIN)

    response = client.put(URL, {**body}, format="json")

    error = assert_error(response, 422, "VALIDATION_ERROR", field)
    assert error["details"]["reason"] == reason
    assert not AuditLog.objects.filter(action="update_settings").exists()


def test_an_empty_change_is_refused():
    _, client = staff(Role.SUPER_ADMIN)

    error = assert_error(client.put(URL, {}, format="json"), 422, "VALIDATION_ERROR")

    assert error["details"] == {}  # no one setting is at fault
    assert not AuditLog.objects.filter(action="update_settings").exists()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.FINANCE, Role.OPS_MANAGER])
def test_only_a_super_admin_changes_settings(role):
    _, client = staff(role)

    response = client.put(URL, {"tax_rate": 5}, format="json")

    assert_error(response, 403, "FORBIDDEN")
    assert system_settings.value("tax_rate") == Decimal("18")


def test_business_hours_change_the_slots_offered():
    from bookings.services.slots import available_slots

    system_settings.settings_update(
        actor=None, changes={"business_hours_start": "10:00", "business_hours_end": "12:00"}
    )
    day = timezone.localdate() + timedelta(days=2)

    slots = available_slots(day)

    assert [slot.strftime("%H:%M") for slot in slots] == ["10:00", "10:30", "11:00", "11:30"]
