"""The Django admin staff use: dashboard with an offline chart, actions, settings page, role limits."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from core import system_settings
from core.models import AuditLog
from partners.models import Partner
from payments.models import Refund
from tests.adminpanel.helpers import paid_booking, staff
from tests.conftest import make_user
from tests.partners import helpers as partners

pytestmark = pytest.mark.django_db


def site(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_dashboard_shows_the_stats_and_a_revenue_chart_with_no_network_resource():
    admin, _ = staff(Role.ADMIN)
    paid_booking(total="1180.00", paid_on=timezone.localdate())
    paid_booking(total="590.00", tax="90.00", paid_on=timezone.localdate() - timedelta(days=3))

    response = site(admin).get("/admin/")

    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["dashboard"]["stats"]["total_revenue"] == 1770.0
    assert 'id="revenue-chart"' in html
    assert html.count("<rect ") == 90  # the last three months, one bar a day
    chart = html.split('id="revenue-chart"', 1)[1].split("</svg>", 1)[0]
    assert "http" not in chart  # drawn inline: no script, font or image from anywhere
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', html)


def test_staff_without_the_dashboard_permission_see_the_models_only():
    person, _ = staff(Role.ONBOARD_MANAGER)

    response = site(person).get("/admin/")

    assert response.status_code == 200
    assert "dashboard" not in response.context


def test_export_csv_action_writes_the_selected_rows():
    admin, _ = staff(Role.ADMIN)
    first, second = paid_booking(), paid_booking()

    response = site(admin).post(
        "/admin/bookings/booking/", {"action": "export_csv", "_selected_action": [str(first.pk), str(second.pk)]}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert {"id", "booking_number", "grand_total", "status"} <= set(lines[0].split(","))
    assert len(lines) == 3
    assert first.booking_number in response.content.decode()


def test_block_action_blocks_customers_and_refuses_staff_for_an_admin():
    admin, _ = staff(Role.ADMIN)
    customer = make_user(Role.CUSTOMER)
    colleague, _ = staff(Role.FINANCE)

    site(admin).post(
        "/admin/accounts/user/", {"action": "block", "_selected_action": [str(customer.pk), str(colleague.pk)]}
    )

    assert not User.objects.get(pk=customer.pk).is_active
    assert User.objects.get(pk=colleague.pk).is_active
    assert AuditLog.objects.filter(action="block_user").count() == 1  # once, not twice


def test_an_admin_cannot_edit_a_staff_account_or_give_roles():
    admin, _ = staff(Role.ADMIN)
    colleague, _ = staff(Role.FINANCE)
    customer = make_user(Role.CUSTOMER)
    client = site(admin)

    assert client.post(f"/admin/accounts/user/{colleague.pk}/change/", {"full_name": "x"}).status_code == 403
    form = client.get(f"/admin/accounts/user/{customer.pk}/change/").context["adminform"]
    assert {"is_superuser", "groups", "is_staff"} <= set(form.readonly_fields)


def test_verify_partner_and_process_payout_actions_exist_and_refund_action_refunds():
    finance, _ = staff(Role.FINANCE)
    booking = paid_booking(total="1180.00")
    client = site(finance)
    from payments.models import Payment

    payment = Payment.objects.get(payable_id=str(booking.pk))
    response = client.post(
        "/admin/payments/payment/", {"action": "refund_in_full", "_selected_action": [str(payment.pk)]}
    )

    assert response.status_code == 302
    assert Refund.objects.get().amount == 1180
    assert AuditLog.objects.filter(action="refund_payment", resource_id=str(payment.pk)).exists()
    admin, _ = staff(Role.ADMIN)
    partner = partners.partner(verified=False)
    site(admin).post("/admin/partners/partner/", {"action": "verify", "_selected_action": [str(partner.pk)]})
    assert Partner.objects.get(pk=partner.pk).onboarding_status == "verified"
    assert AuditLog.objects.filter(resource_type="partner", resource_id=str(partner.pk), via="admin_site").exists()


def test_support_cannot_refund_from_the_django_admin():
    support, _ = staff(Role.SUPPORT)
    paid_booking()

    response = site(support).get("/admin/payments/payment/")

    assert response.status_code == 200
    assert "refund_in_full" not in response.content.decode()


def test_the_settings_page_saves_for_a_super_admin_and_is_read_only_for_others():
    boss, _ = staff(Role.SUPER_ADMIN)
    admin, _ = staff(Role.ADMIN)
    values = {k: str(v) for k, v in system_settings.all_values().items()}

    refused = site(admin).post("/admin/core/systemsetting/", {**values, "tax_rate": "5"})
    saved = site(boss).post("/admin/core/systemsetting/", {**values, "tax_rate": "5"})
    invalid = site(boss).post("/admin/core/systemsetting/", {**values, "business_hours_end": "07:00"})

    assert refused.status_code == 403
    assert saved.status_code == 302
    assert system_settings.value("tax_rate") == 5
    assert invalid.status_code == 200
    assert "close after they open" in invalid.content.decode()
    assert AuditLog.objects.filter(action="update_settings", via="admin_site").count() == 1


def test_every_changelist_and_add_page_renders_for_a_super_admin():
    from django.contrib import admin

    boss, _ = staff(Role.SUPER_ADMIN)
    paid_booking()
    client = site(boss)
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        response = client.get(f"/admin/{info[0]}/{info[1]}/")
        assert response.status_code == 200, info
        if model_admin.has_add_permission(response.wsgi_request):
            assert client.get(f"/admin/{info[0]}/{info[1]}/add/").status_code == 200, info
