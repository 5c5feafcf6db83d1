"""The permission matrix each app grants in its ``AppConfig.ready()`` adds up to the one the platform had.

``accounts.roles`` names only accounts' permissions; bookings, catalog,
payments, partners, notifications and adminpanel grant their own. The literal
below is the matrix as it stood when it was one list in ``accounts/roles.py``
(sorted; a name granted twice is listed twice, as ``GET /auth/roles`` shows
it). A change to who may do what changes this literal and
``docs/permissions.md`` together.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from accounts import roles
from accounts.roles import ROLE_PERMISSIONS, Role
from accounts.services.roles import roles_sync

MATRIX = {
    "admin": [
        "accounts.add_user",
        "accounts.change_address",
        "accounts.change_user",
        "accounts.view_address",
        "accounts.view_user",
        "adminpanel.manage_cache",
        "adminpanel.view_analytics",
        "adminpanel.view_dashboard",
        "bookings.add_promocode",
        "bookings.change_booking",
        "bookings.change_contactsubmission",
        "bookings.change_promocode",
        "bookings.view_booking",
        "bookings.view_bookingevent",
        "bookings.view_bookingservice",
        "bookings.view_contactsubmission",
        "bookings.view_promocode",
        "bookings.view_promocodeusage",
        "catalog.add_service",
        "catalog.change_category",
        "catalog.change_service",
        "catalog.delete_service",
        "catalog.view_category",
        "catalog.view_service",
        "core.view_auditlog",
        "core.view_systemsetting",
        "notifications.broadcast",
        "notifications.resend_confirmation",
        "notifications.send_reminder",
        "notifications.view_delivery",
        "notifications.view_deliveryattempt",
        "notifications.view_devicetoken",
        "notifications.view_notification",
        "partners.add_partner",
        "partners.add_partnerassignment",
        "partners.add_partnerpayout",
        "partners.change_dispatch",
        "partners.change_partner",
        "partners.change_partnerapplication",
        "partners.change_partnerearning",
        "partners.change_partnerpayout",
        "partners.view_dispatch",
        "partners.view_partner",
        "partners.view_partnerapplication",
        "partners.view_partnerassignment",
        "partners.view_partneravailability",
        "partners.view_partnerearning",
        "partners.view_partnerpayout",
        "payments.add_payment",
        "payments.add_paymentlink",
        "payments.add_refund",
        "payments.change_paymentwebhook",
        "payments.view_ledgeraccount",
        "payments.view_ledgerentry",
        "payments.view_payment",
        "payments.view_payment",
        "payments.view_paymentlink",
        "payments.view_paymentlink",
        "payments.view_paymentwebhook",
        "payments.view_reconciliationreport",
        "payments.view_refund",
    ],
    "support": [
        "accounts.view_address",
        "accounts.view_user",
        "adminpanel.view_dashboard",
        "bookings.change_contactsubmission",
        "bookings.view_booking",
        "bookings.view_bookingevent",
        "bookings.view_bookingservice",
        "bookings.view_contactsubmission",
        "bookings.view_promocode",
        "bookings.view_promocodeusage",
        "catalog.view_category",
        "catalog.view_service",
        "partners.view_dispatch",
        "partners.view_partner",
        "partners.view_partnerassignment",
        "partners.view_partneravailability",
        "payments.view_payment",
        "payments.view_paymentlink",
        "payments.view_refund",
    ],
    "finance": [
        "accounts.view_user",
        "adminpanel.view_analytics",
        "adminpanel.view_dashboard",
        "bookings.view_booking",
        "bookings.view_bookingevent",
        "bookings.view_bookingservice",
        "bookings.view_promocode",
        "bookings.view_promocodeusage",
        "catalog.view_category",
        "catalog.view_service",
        "core.view_systemsetting",
        "partners.add_partnerpayout",
        "partners.change_partnerpayout",
        "partners.view_dispatch",
        "partners.view_partner",
        "partners.view_partnerassignment",
        "partners.view_partneravailability",
        "partners.view_partnerearning",
        "partners.view_partnerpayout",
        "payments.add_payment",
        "payments.add_refund",
        "payments.change_paymentwebhook",
        "payments.view_ledgeraccount",
        "payments.view_ledgerentry",
        "payments.view_payment",
        "payments.view_paymentlink",
        "payments.view_paymentwebhook",
        "payments.view_reconciliationreport",
        "payments.view_refund",
    ],
    "ops_manager": [
        "accounts.view_address",
        "accounts.view_user",
        "adminpanel.view_analytics",
        "adminpanel.view_dashboard",
        "bookings.add_promocode",
        "bookings.change_booking",
        "bookings.change_contactsubmission",
        "bookings.change_promocode",
        "bookings.view_booking",
        "bookings.view_bookingevent",
        "bookings.view_bookingservice",
        "bookings.view_contactsubmission",
        "bookings.view_promocode",
        "bookings.view_promocodeusage",
        "catalog.add_service",
        "catalog.change_category",
        "catalog.change_service",
        "catalog.delete_service",
        "catalog.view_category",
        "catalog.view_service",
        "core.view_systemsetting",
        "notifications.resend_confirmation",
        "notifications.send_reminder",
        "notifications.view_delivery",
        "notifications.view_deliveryattempt",
        "notifications.view_notification",
        "partners.add_partner",
        "partners.add_partnerassignment",
        "partners.change_dispatch",
        "partners.change_partner",
        "partners.change_partnerearning",
        "partners.view_dispatch",
        "partners.view_partner",
        "partners.view_partnerassignment",
        "partners.view_partneravailability",
        "partners.view_partnerearning",
        "partners.view_partnerpayout",
        "payments.add_paymentlink",
        "payments.view_payment",
        "payments.view_payment",
        "payments.view_paymentlink",
        "payments.view_paymentlink",
        "payments.view_refund",
    ],
    "onboard_manager": [
        "accounts.view_user",
        "partners.add_partner",
        "partners.change_partner",
        "partners.change_partnerapplication",
        "partners.view_dispatch",
        "partners.view_partner",
        "partners.view_partnerapplication",
        "partners.view_partnerassignment",
        "partners.view_partneravailability",
    ],
    "centre_manager": [
        "accounts.view_address",
        "accounts.view_user",
        "adminpanel.view_analytics",
        "adminpanel.view_dashboard",
        "bookings.change_booking",
        "bookings.view_booking",
        "bookings.view_bookingevent",
        "bookings.view_bookingservice",
        "catalog.view_category",
        "catalog.view_service",
        "notifications.resend_confirmation",
        "notifications.view_delivery",
        "notifications.view_deliveryattempt",
        "notifications.view_notification",
        "partners.add_partnerassignment",
        "partners.change_dispatch",
        "partners.view_dispatch",
        "partners.view_partner",
        "partners.view_partnerassignment",
        "partners.view_partneravailability",
        "payments.add_paymentlink",
        "payments.view_payment",
        "payments.view_payment",
        "payments.view_paymentlink",
        "payments.view_paymentlink",
        "payments.view_refund",
    ],
    "care_coordinator": [
        "accounts.view_address",
        "accounts.view_user",
        "bookings.change_booking",
        "bookings.change_contactsubmission",
        "bookings.view_booking",
        "bookings.view_bookingevent",
        "bookings.view_bookingservice",
        "bookings.view_contactsubmission",
        "catalog.view_category",
        "catalog.view_service",
        "notifications.resend_confirmation",
        "payments.add_paymentlink",
        "payments.view_payment",
        "payments.view_paymentlink",
    ],
    "front_desk": [
        "accounts.view_address",
        "accounts.view_user",
        "bookings.change_contactsubmission",
        "bookings.view_booking",
        "bookings.view_bookingevent",
        "bookings.view_bookingservice",
        "bookings.view_contactsubmission",
        "catalog.view_category",
        "catalog.view_service",
        "notifications.resend_confirmation",
        "payments.add_paymentlink",
        "payments.view_payment",
        "payments.view_paymentlink",
    ],
}


def test_the_granted_matrix_is_the_platform_matrix():
    assembled = {role.value: sorted(names) for role, names in ROLE_PERMISSIONS.items() if names}

    assert assembled == MATRIX


def test_roles_with_no_grants_stay_empty():
    empty = {role.value for role, names in ROLE_PERMISSIONS.items() if not names}

    assert empty == {"super_admin", "society_admin", "customer", "partner", "specialist"}


@pytest.mark.django_db
def test_every_granted_permission_exists_and_reaches_its_group():
    roles_sync()

    for role, names in MATRIX.items():
        group = Group.objects.get(name=role)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert held == set(names), role


def test_grant_refuses_a_malformed_name_and_super_admin(monkeypatch):
    monkeypatch.setattr(roles, "ROLE_PERMISSIONS", {role: [] for role in Role})

    with pytest.raises(ValueError, match=r"app_label\.codename"):
        roles.grant({Role.ADMIN: ["view_booking"]})
    with pytest.raises(ValueError, match="super_admin"):
        roles.grant({Role.SUPER_ADMIN: ["bookings.view_booking"]})
    roles.grant({"support": ["bookings.view_booking"]})

    assert roles.ROLE_PERMISSIONS[Role.SUPPORT] == ["bookings.view_booking"]
