"""Users management: list with totals, detail with stats, block/unblock taking effect at once."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import Role
from accounts.services.tokens import tokens_issue
from core.models import AuditLog
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import paid_booking, staff
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


def test_the_list_searches_and_shows_totals():
    _, client = staff(Role.SUPPORT)
    asha = make_user(Role.CUSTOMER, full_name="Asha Roy", phone="+919800000001", email="asha@example.com")
    make_user(Role.CUSTOMER, full_name="Bina Das", phone="+919800000002")
    paid_booking(asha, total="1180.00")
    paid_booking(asha, total="590.00", tax="90.00")

    rows = client.get("/api/v1/admin/users?search=asha").json()["data"]["users"]
    by_phone = client.get("/api/v1/admin/users?search=9800000002").json()["data"]["users"]

    assert [(r["name"], r["total_bookings"], r["total_spent"]) for r in rows] == [("Asha Roy", 2, 1770.0)]
    assert [r["name"] for r in by_phone] == ["Bina Das"]


def test_the_detail_has_bookings_addresses_and_stats():
    _, client = staff(Role.ADMIN)
    customer = make_user(Role.CUSTOMER)
    paid_booking(customer, total="1000.00", tax="0.00")
    paid_booking(customer, total="500.00", tax="0.00")

    data = client.get(f"/api/v1/admin/users/{customer.pk}").json()["data"]

    assert data["stats"] == {
        "total_bookings": 2,
        "total_spent": 1500.0,
        "average_order_value": 750.0,
        "cancelled_bookings": 0,
    }
    assert len(data["bookings"]) == 2
    assert data["addresses"] == []


def test_blocking_refuses_the_users_tokens_and_sessions_at_once_and_unblocking_restores_them():
    admin, client = staff(Role.ADMIN)
    customer = make_user(Role.CUSTOMER, password="Pass-word-123")
    tokens = tokens_issue(user=customer)
    api = client_for(customer)
    browser = Client()
    browser.force_login(customer)
    assert api.get("/api/v1/auth/me").status_code == 200

    response = client.patch(
        f"/api/v1/admin/users/{customer.pk}/status", {"is_active": False, "reason": "Violation of terms"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert_error(api.get("/api/v1/auth/me"), 403, "ACCOUNT_BLOCKED")
    refresh = Client().post(
        "/api/v1/auth/refresh", {"refresh_token": tokens["refresh_token"]}, content_type="application/json"
    )
    assert_error(refresh, 401, "INVALID_TOKEN", "refresh_token")  # revoked with the block
    assert_error(browser.get("/api/v1/auth/me"), 401, "UNAUTHORIZED")  # the session was ended
    entry = AuditLog.objects.get(action="block_user")
    assert entry.actor == admin
    assert entry.changes["is_active"] == {"old": True, "new": False}
    assert entry.changes["reason"] == "Violation of terms"

    client.patch(f"/api/v1/admin/users/{customer.pk}/status", {"is_active": True}, format="json")
    assert api.get("/api/v1/auth/me").status_code == 200


def test_an_admin_cannot_block_staff_or_themselves():
    admin, client = staff(Role.ADMIN)
    colleague, _ = staff(Role.FINANCE)

    for target, reason in ((colleague, "staff_account"), (admin, "own_account")):
        response = client.patch(f"/api/v1/admin/users/{target.pk}/status", {"is_active": False}, format="json")
        assert assert_error(response, 403, "FORBIDDEN")["details"]["reason"] == reason
    assert User.objects.get(pk=colleague.pk).is_active


def test_a_super_admin_can_block_staff():
    boss, client = staff(Role.SUPER_ADMIN)
    colleague, colleague_client = staff(Role.FINANCE)
    assert colleague_client.get("/api/v1/admin/users").status_code == 200

    response = client.patch(
        f"/api/v1/admin/users/{colleague.pk}/status", {"is_active": False, "reason": "Left"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["data"]["user"] == {"id": str(colleague.pk), "is_active": False}
    assert not User.objects.get(pk=colleague.pk).is_active
    assert_error(colleague_client.get("/api/v1/admin/users"), 403, "ACCOUNT_BLOCKED")
    entry = AuditLog.objects.get(action="block_user")
    assert entry.actor == boss
    assert (entry.resource_type, entry.resource_id) == ("user", str(colleague.pk))
    assert entry.changes["is_active"] == {"old": True, "new": False}
    assert entry.changes["reason"] == "Left"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [({}, 400, "INVALID_REQUEST"), ({"is_active": "maybe"}, 422, "VALIDATION_ERROR")],  # missing / malformed (seed 001)
)
def test_block_needs_a_boolean(body, status, code):
    _, client = staff(Role.ADMIN)
    customer = make_user(Role.CUSTOMER)

    response = client.patch(f"/api/v1/admin/users/{customer.pk}/status", body, format="json")

    assert_error(response, status, code, "is_active")
    assert User.objects.get(pk=customer.pk).is_active
    assert not AuditLog.objects.exists()
