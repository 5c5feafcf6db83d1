"""Staff management (seed 003), services, promo codes and contact submissions (seed 000)."""

from __future__ import annotations

import pytest

from accounts.models import User
from accounts.roles import Role
from bookings.models import ContactSubmission, PromoCode
from catalog.models import Service
from core.models import AuditLog
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import staff
from tests.conftest import client_for
from tests.partners import helpers as partners

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("managers", "ops_manager"),
        ("centre-managers", "centre_manager"),
        ("care-coordinators", "care_coordinator"),
        ("front-desk", "front_desk"),
    ],
)
def test_role_specific_create_endpoints(path, role):
    _, client = staff(Role.SUPER_ADMIN)

    response = client.post(
        f"/api/v1/admin/staff/{path}",
        {
            "fullName": "Jane",
            "phone": "+919876543211",
            "email": "jane@example.com",
            "password": "SecurePassword123",
            "centreId": 1,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["data"]["staff"]["role"] == role
    person = User.objects.get(email="jane@example.com")
    assert person.is_staff
    assert person.check_password("SecurePassword123")
    assert AuditLog.objects.get(action="create_staff").changes["role"]["new"] == role


def test_create_with_seed_003_role_id_then_update_toggle_and_soft_delete():
    _, client = staff(Role.SUPER_ADMIN)
    created = client.post(
        "/api/v1/admin/staff",
        {"fullName": "John Manager", "email": "john@example.com", "password": "SecurePassword123", "roleId": 2},
        format="json",
    ).json()["data"]["staff"]
    url = f"/api/v1/admin/staff/{created['id']}"
    person = User.objects.get(pk=created["id"])
    their_client = client_for(person)

    assert created["role"] == "ops_manager"
    assert [row["email"] for row in client.get("/api/v1/admin/staff?roleId=2").json()["data"]["staff"]] == [
        "john@example.com"
    ]
    updated = client.put(url, {"fullName": "John Updated", "role": "finance"}, format="json").json()["data"]["staff"]
    assert (updated["full_name"], updated["role"]) == ("John Updated", "finance")
    assert client.patch(f"{url}/toggle-active").json()["data"]["staff"]["is_active"] is False
    assert_error(their_client.get("/api/v1/admin/analytics/dashboard"), 403, "ACCOUNT_BLOCKED")  # blocked at once
    assert client.patch(f"{url}/toggle-active").json()["data"]["staff"]["is_active"] is True
    assert client.delete(url).status_code == 200
    person.refresh_from_db()
    assert not person.is_active
    assert not person.is_staff
    assert {e.action for e in AuditLog.objects.all()} >= {
        "create_staff",
        "update_staff",
        "change_staff_role",
        "delete_staff",
    }


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"fullName": "x", "password": "SecurePassword123", "roleId": 2}, "email", "invalid"),  # no email or phone
        ({"fullName": "x", "email": "a@example.com", "password": "short", "roleId": 2}, "password", "min_length"),
        (
            {"fullName": "x", "email": "a@example.com", "password": "SecurePassword123", "roleId": 99},
            "role_id",
            "invalid",
        ),
        (
            {"fullName": "x", "email": "a@example.com", "password": "SecurePassword123", "role": "super_admin"},
            "role",
            "invalid_choice",
        ),
        ({"fullName": "x", "email": "a@example.com", "password": "SecurePassword123"}, "role", "required"),  # no role
    ],
)
def test_bad_staff_input_is_refused(body, field, reason):
    _, client = staff(Role.SUPER_ADMIN)

    response = client.post("/api/v1/admin/staff", body, format="json")

    assert assert_error(response, 422, "VALIDATION_ERROR", field)["details"]["reason"] == reason
    assert not User.objects.filter(email="a@example.com").exists()
    assert not AuditLog.objects.exists()


def test_an_existing_email_is_a_conflict():
    _, client = staff(Role.SUPER_ADMIN)
    other, _ = staff(Role.ADMIN)

    response = client.post(
        "/api/v1/admin/staff/front-desk",
        {"fullName": "x", "email": other.email, "password": "SecurePassword123"},
        format="json",
    )

    assert assert_error(response, 409, "CONFLICT", "email")["details"]["reason"] == "duplicate"
    assert User.objects.filter(email=other.email).count() == 1
    assert not AuditLog.objects.exists()


def test_services_create_update_and_delete():
    _, client = staff(Role.OPS_MANAGER)
    partners.category("FACIAL")

    created = client.post(
        "/api/v1/admin/services",
        {
            "name": "Facial - Minimal",
            "description": "Complete facial treatment",
            "category": "Facial",
            "service_type": "Facial",
            "tier": "Minimal",
            "product_cost": 1000.00,
            "market_price": 1200.00,
            "duration_minutes": 60,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    service_id = created.json()["data"]["service"]["id"]
    updated = client.put(
        f"/api/v1/admin/services/{service_id}", {"product_cost": 1100, "market_price": 1300}, format="json"
    )
    assert updated.json()["data"]["service"]["product_cost"] == 1100.0
    listed = client.get("/api/v1/admin/services?category=Facial&tier=minimal&is_active=true").json()["data"]
    assert [row["id"] for row in listed["services"]] == [service_id]
    assert client.delete(f"/api/v1/admin/services/{service_id}").json()["message"] == "Service deleted successfully"
    assert not Service.objects.get(pk=service_id).is_active
    assert [e.action for e in AuditLog.objects.order_by("created_at")] == [
        "create_service",
        "update_service",
        "update_service",
    ]


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"product_cost": 1000, "market_price": 900}, "market_price", "below_cost"),
        ({"product_cost": -1}, "product_cost", "min_value"),
        ({"category": "N" * 101}, "category", "max_length"),  # an unknown category is created; too long is refused
        ({"service_key": "gold-facial"}, "service_key", "invalid"),
        ({"tier": "Gold"}, "tier", "invalid_choice"),
    ],
)
def test_bad_service_input(body, field, reason):
    _, client = staff(Role.ADMIN)
    partners.category("FACIAL")
    base = {"name": "X", "category": "Facial", "service_type": "Facial", "product_cost": 1000}

    response = client.post("/api/v1/admin/services", {**base, **body}, format="json")

    assert assert_error(response, 422, "VALIDATION_ERROR", field)["details"]["reason"] == reason
    assert not Service.objects.filter(name="X").exists()


def test_promo_codes_create_list_update():
    _, client = staff(Role.ADMIN)

    created = client.post(
        "/api/v1/admin/promo-codes",
        {
            "code": "save10",
            "description": "10% off",
            "discount_type": "percentage",
            "discount_value": 10,
            "min_order_amount": 1000,
            "max_discount": 500,
            "usage_limit": 1,
            "total_usage_limit": 1000,
            "valid_from": "2026-01-01T00:00:00Z",
            "valid_until": "2026-12-31T23:59:59Z",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    promo_id = created.json()["data"]["promo_code"]["id"]
    assert created.json()["data"]["promo_code"]["code"] == "SAVE10"
    client.put(
        f"/api/v1/admin/promo-codes/{promo_id}",
        {"is_active": False, "valid_until": "2026-06-30T23:59:59Z"},
        format="json",
    )
    assert client.get("/api/v1/admin/promo-codes?is_active=false").json()["data"]["promo_codes"][0]["id"] == promo_id
    assert not PromoCode.objects.get(pk=promo_id).is_active


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"code": "P", "discount_type": "percentage", "discount_value": 120}, "discount_value", "out_of_range"),
        (
            {
                "code": "P",
                "discount_type": "fixed",
                "discount_value": 10,
                "valid_from": "2026-05-01T00:00:00Z",
                "valid_until": "2026-04-01T00:00:00Z",
            },
            "valid_until",
            "inverted_range",
        ),
        ({"code": "P", "discount_type": "bogus", "discount_value": 10}, "discount_type", "invalid_choice"),
    ],
)
def test_bad_promo_input(body, field, reason):
    _, client = staff(Role.ADMIN)

    response = client.post("/api/v1/admin/promo-codes", body, format="json")

    assert assert_error(response, 422, "VALIDATION_ERROR", field)["details"]["reason"] == reason
    assert not PromoCode.objects.exists()


def test_support_answers_contact_submissions():
    _, client = staff(Role.SUPPORT)
    submission = ContactSubmission.objects.create(name="John", email="john@example.com", message="Hello")

    listed = client.get("/api/v1/admin/contact-submissions?status=new").json()["data"]["submissions"]
    response = client.patch(
        f"/api/v1/admin/contact-submissions/{submission.pk}",
        {"status": "replied", "admin_notes": "Responded via email"},
        format="json",
    )

    assert [row["id"] for row in listed] == [str(submission.pk)]
    assert response.status_code == 200, response.content
    assert response.json()["data"]["submission"]["status"] == "replied"
    assert AuditLog.objects.get(action="update_contact_submission").changes["status"] == {
        "old": "new",
        "new": "replied",
    }
    lost = client.patch(f"/api/v1/admin/contact-submissions/{submission.pk}", {"status": "lost"}, format="json")
    assert assert_error(lost, 422, "VALIDATION_ERROR", "status")["details"]["reason"] == "invalid_choice"
    assert ContactSubmission.objects.get(pk=submission.pk).status == "replied"


def test_the_admin_rate_limit_is_per_admin(settings):
    settings.ADMIN_API_RATE_PER_MINUTE = 3
    _, first = staff(Role.ADMIN)
    _, second = staff(Role.ADMIN)

    statuses = [first.get("/api/v1/admin/dashboard").status_code for _ in range(4)]
    other = second.get("/api/v1/admin/dashboard")

    assert statuses == [200, 200, 200, 429]
    assert other.status_code == 200
    refused = first.get("/api/v1/admin/users")
    assert_error(refused, 429, "RATE_LIMIT_EXCEEDED")
    assert "Retry-After" in refused
