"""The audit log: every staff write (API or Django admin) with before/after, actor, IP, user agent; append-only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from bookings.models import ContactSubmission
from catalog.models import Service
from core.models import AuditLog
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import staff
from tests.partners import helpers as partners

pytestmark = pytest.mark.django_db


def test_an_api_write_is_recorded_with_before_and_after_ip_and_user_agent():
    admin, client = staff(Role.ADMIN)
    service = partners.service()

    response = client.put(
        f"/api/v1/admin/services/{service.pk}",
        {"product_cost": "1100.00", "market_price": "1300.00"},
        format="json",
        HTTP_USER_AGENT="back-office/1.0",
        REMOTE_ADDR="10.1.2.3",
    )

    assert response.status_code == 200, response.content
    entry = AuditLog.objects.get(action="update_service")
    assert entry.actor == admin
    assert entry.actor_role == "admin"
    assert entry.resource_type == "service"
    assert entry.resource_id == str(service.pk)
    assert entry.changes["product_cost"] == {"old": "1000.00", "new": "1100.00"}
    assert entry.changes["market_price"] == {"old": "1200.00", "new": "1300.00"}
    assert entry.ip_address == "10.1.2.3"
    assert entry.user_agent == "back-office/1.0"
    assert entry.via == "api"
    assert entry.request_id == response["X-Request-ID"]


@pytest.mark.urls("tests.core.urls")
def test_a_staff_write_on_an_endpoint_without_its_own_entry_is_still_recorded():
    """An endpoint whose service records nothing itself: the middleware records it with the route and body."""
    _, client = staff(Role.ADMIN)

    response = client.post("/api/v1/test/echo", {"name": "Asha", "age": 30}, format="json")

    assert response.status_code == 201, response.content
    entry = AuditLog.objects.get()
    assert entry.action == "post test/echo"
    assert entry.resource_type == "test"
    assert entry.changes["request"] == {"name": "Asha", "age": 30}


def test_reads_failed_writes_and_customers_are_not_recorded(customer_client):
    _, client = staff(Role.ADMIN)

    read = client.get("/api/v1/admin/users")
    refused = client.put("/api/v1/admin/settings", {"tax_rate": 5}, format="json")  # a super admin's setting
    contact = customer_client.post(
        "/api/v1/contact", {"name": "A", "email": "a@example.com", "message": "hi"}, format="json"
    )

    assert read.status_code == 200, read.content
    assert_error(refused, 403, "FORBIDDEN")
    assert contact.status_code == 201, contact.content
    assert ContactSubmission.objects.filter(email="a@example.com").exists()
    assert not AuditLog.objects.exists()


def test_secrets_in_a_request_body_are_masked():
    _, client = staff(Role.SUPER_ADMIN)

    response = client.post(
        "/api/v1/admin/staff/front-desk",
        {"full_name": "Desk", "email": "desk@example.com", "password": "S3cret-pass!"},
        format="json",
    )

    assert response.status_code == 201, response.content
    entry = AuditLog.objects.get(action="create_staff")
    assert entry.changes["email"] == {"old": None, "new": "desk@example.com"}
    stored_hash = User.objects.get(email="desk@example.com").password
    assert "S3cret-pass!" not in str(entry.changes)
    assert stored_hash not in str(entry.changes)


@pytest.mark.urls("tests.core.urls")
def test_secrets_in_a_request_body_recorded_by_the_fallback_are_masked():
    """The fallback copies the request body into the entry: every secret-looking key is masked there."""
    _, client = staff(Role.ADMIN)

    response = client.post(
        "/api/v1/test/echo",
        {"name": "Asha", "age": 30, "password": "S3cret-pass!", "api_token": "tok-123", "pan": "ABCDE1234F"},
        format="json",
    )

    assert response.status_code == 201, response.content
    entry = AuditLog.objects.get(action="post test/echo")
    assert entry.changes["request"] == {
        "name": "Asha",
        "age": 30,
        "password": "[changed]",
        "api_token": "[changed]",
        "pan": "[changed]",
    }


def test_the_log_refuses_updates_and_deletes_from_the_model_and_the_queryset():
    entry = AuditLog.objects.create(action="x", resource_type="y")

    entry.action = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=entry.pk).update(action="changed")
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()


def test_the_database_refuses_updates_and_deletes_even_in_raw_sql():
    from django.db import DatabaseError, transaction

    assert connection.vendor == "postgresql"
    entry = AuditLog.objects.create(action="x", resource_type="y")
    table = AuditLog._meta.db_table
    for sql in (f"UPDATE {table} SET action = 'changed'", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditLog.objects.get(pk=entry.pk).action == "x"


def test_the_database_refuses_truncate_unless_the_session_asked_for_maintenance():
    from django.db import DatabaseError, transaction

    AuditLog.objects.create(action="x", resource_type="y")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL core.audit_allow_truncate = 'off'")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute(f"TRUNCATE {AuditLog._meta.db_table}")
    assert AuditLog.objects.count() == 1


def _admin_site_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_django_admin_change_is_recorded_with_its_diff():
    admin, _ = staff(Role.SUPER_ADMIN)
    service = partners.service()
    client = _admin_site_client(admin)
    url = f"/admin/catalog/service/{service.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}
    data.update({"product_cost": "900.00", "is_active": "on"})

    response = client.post(url, data, HTTP_USER_AGENT="Firefox")

    assert response.status_code == 302, response.content[:2000]
    entry = AuditLog.objects.get(action="update_service")
    assert entry.via == "admin_site"
    assert entry.actor == admin
    assert entry.changes["product_cost"] == {"old": "1000.00", "new": "900.00"}
    assert entry.user_agent == "Firefox"
    assert Service.objects.get(pk=service.pk).product_cost == 900


def test_a_django_admin_action_is_recorded_per_row():
    admin, _ = staff(Role.SUPER_ADMIN)
    first, second = partners.service("FACIAL"), partners.service("WAXING")
    client = _admin_site_client(admin)

    response = client.post(
        "/admin/catalog/service/",
        {"action": "deactivate", "_selected_action": [str(first.pk), str(second.pk)]},
    )

    assert response.status_code == 302
    entries = AuditLog.objects.filter(action="deactivate")
    assert {e.resource_id for e in entries} == {str(first.pk), str(second.pk)}
    assert all(e.changes["is_active"] == {"old": True, "new": False} for e in entries)


def test_not_even_a_super_admin_can_change_or_delete_an_entry_in_the_django_admin():
    admin, client = staff(Role.SUPER_ADMIN)
    client.put("/api/v1/admin/settings", {"tax_rate": 12}, format="json")
    entry = AuditLog.objects.get()
    site = _admin_site_client(admin)

    assert site.get("/admin/core/auditlog/").status_code == 200
    assert site.get(f"/admin/core/auditlog/{entry.pk}/change/").status_code == 200  # read-only view
    assert site.post(f"/admin/core/auditlog/{entry.pk}/change/", {"action": "x"}).status_code == 403
    assert site.post(f"/admin/core/auditlog/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert site.get("/admin/core/auditlog/add/").status_code == 403
    assert AuditLog.objects.get(pk=entry.pk).action == "update_settings"


def test_audit_log_filters():
    first, first_client = staff(Role.SUPER_ADMIN)
    second, second_client = staff(Role.SUPER_ADMIN)
    first_client.put("/api/v1/admin/settings", {"tax_rate": 12}, format="json")
    second_client.post("/api/v1/admin/cache", {"cache_type": "catalog"}, format="json")

    def logs(query):
        response = first_client.get(f"/api/v1/admin/audit-logs?{query}")
        assert response.status_code == 200, response.content
        return response.json()["data"]["logs"]

    assert [row["action"] for row in logs("")] == ["clear_cache", "update_settings"]
    assert [row["action"] for row in logs(f"admin_id={first.pk}")] == ["update_settings"]
    assert [row["action"] for row in logs("resource_type=cache")] == ["clear_cache"]
    assert [row["action"] for row in logs("model=system_settings")] == ["update_settings"]
    assert [row["action"] for row in logs("action=clear_cache")] == ["clear_cache"]
    assert [row["action"] for row in logs(f"user={second.email}")] == ["clear_cache"]
    day = timezone.localdate(AuditLog.objects.earliest("created_at").created_at)  # the first entry's, not the clock's
    assert len(logs(f"date_from={day - timedelta(days=1)}&date_to={day + timedelta(days=1)}")) == 2
    assert logs("date_from=2020-01-01&date_to=2020-01-02") == []
    row = logs("action=update_settings")[0]
    assert row["admin"]["email"] == first.email
    assert row["diff"] == [{"field": "tax_rate", "old_value": "18.00", "new_value": "12.00", "change_type": "modified"}]
    history = first_client.get(f"/api/v1/admin-dashboard/edit-history?start_date={day}").json()["data"]
    assert len(history["logs"]) == 2


@pytest.mark.parametrize(
    ("query", "field", "reason"),
    [
        ("date_from=2026-02-01&date_to=2026-01-01", "date_to", "inverted_range"),
        ("date_from=not-a-date", "date_from", "invalid"),
        ("admin_id=nope", "admin_id", "invalid"),
        ("via=fax", "via", "invalid_choice"),
    ],
)
def test_audit_log_filters_refuse_bad_input(query, field, reason):
    _, client = staff(Role.ADMIN)

    response = client.get(f"/api/v1/admin/audit-logs?{query}")

    error = assert_error(response, 422, "VALIDATION_ERROR", field)
    assert error["details"]["reason"] == reason


def test_every_model_in_the_django_admin_is_audited():
    from django.contrib import admin

    from core.audit_admin import AuditedModelAdmin

    assert admin.site._registry
    assert all(isinstance(model_admin, AuditedModelAdmin) for model_admin in admin.site._registry.values())


@pytest.mark.urls("tests.core.urls")
def test_the_fallback_records_under_asgi_too():
    """The server runs ASGI (uvicorn): the middleware's async path records the same entry."""
    from asgiref.sync import async_to_sync
    from django.test import AsyncClient

    from accounts.services.tokens import tokens_issue

    admin, _ = staff(Role.ADMIN)
    token = tokens_issue(user=admin)["access_token"]

    response = async_to_sync(AsyncClient().post)(
        "/api/v1/test/echo",
        {"name": "Asha", "age": 30},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "User-Agent": "asgi-test"},
    )

    assert response.status_code == 201, response.content
    entry = AuditLog.objects.get()
    assert entry.actor == admin
    assert entry.user_agent == "asgi-test"
    assert entry.action == "post test/echo"
