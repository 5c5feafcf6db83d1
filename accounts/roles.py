"""Roles and the permission matrix (DESIGN.md section 3; seed 000 table 18, seed 003 RBAC).

Every role is a Django ``Group`` of the same name, so the Django admin honours
it through ordinary permissions. Account kinds (``customer``, ``partner``,
``specialist``) say what a person is; staff roles say what they may do.
``society_admin`` is scoped to societies (the scope table comes with the
societies app; the role exists now).

``ROLE_PERMISSIONS`` is the matrix, as ``app_label.codename`` strings: a
permission whose model does not exist yet is skipped and picked up by the
``post_migrate`` sync once its app is installed. ``docs/permissions.md``
shows the same matrix as a table.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    PARTNER = "partner", "Partner (technician or vendor)"
    SPECIALIST = "specialist", "Specialist"
    SUPER_ADMIN = "super_admin", "Super admin"
    ADMIN = "admin", "Admin"
    SUPPORT = "support", "Support"
    FINANCE = "finance", "Finance"
    OPS_MANAGER = "ops_manager", "Operations manager"
    ONBOARD_MANAGER = "onboard_manager", "Onboarding manager"
    CENTRE_MANAGER = "centre_manager", "Centre manager"
    CARE_COORDINATOR = "care_coordinator", "Care coordinator"
    FRONT_DESK = "front_desk", "Front desk"
    SOCIETY_ADMIN = "society_admin", "Society admin"


ACCOUNT_KINDS = frozenset({Role.CUSTOMER, Role.PARTNER, Role.SPECIALIST})
PARTNER_ROLES = frozenset({Role.PARTNER, Role.SPECIALIST})
STAFF_ROLES = frozenset(set(Role) - ACCOUNT_KINDS)

_VIEW_PEOPLE = ["accounts.view_user", "accounts.view_address"]
_MANAGE_PEOPLE = [*_VIEW_PEOPLE, "accounts.change_user", "accounts.add_user"]
_VIEW_MONEY = ["payments.view_payment", "payments.view_refund", "payments.view_paymentlink"]
_BOOKS = [
    "payments.view_ledgerentry",
    "payments.view_ledgeraccount",
    "payments.view_paymentwebhook",
    "payments.view_reconciliationreport",
]
_MOVE_MONEY = ["payments.add_refund", "payments.add_payment"]  # refunds; cash and manual payments
_BOOKINGS = ["bookings.view_booking", "bookings.view_bookingservice", "bookings.view_bookingevent"]
_CATALOG = ["catalog.view_category", "catalog.view_service"]
_LINKS = ["payments.add_paymentlink", "payments.view_paymentlink", "payments.view_payment"]
_VIEW_PARTNERS = [
    "partners.view_partner",
    "partners.view_partneravailability",
    "partners.view_partnerassignment",
    "partners.view_dispatch",
]
_MANAGE_PARTNERS = [*_VIEW_PARTNERS, "partners.add_partner", "partners.change_partner"]
_DISPATCH = ["partners.add_partnerassignment", "partners.change_dispatch"]  # assign by hand, work the queue
_ONBOARDING = ["partners.view_partnerapplication", "partners.change_partnerapplication"]
_PARTNER_MONEY = ["partners.view_partnerearning", "partners.view_partnerpayout"]
_PAY_PARTNERS = [*_PARTNER_MONEY, "partners.add_partnerpayout", "partners.change_partnerpayout"]
# Back office (adminpanel): dashboards, analytics, booking changes, catalog and promo upkeep, contact answers,
# settings (read; only super_admin changes them), the audit log (read-only for everyone) and caches.
_DASHBOARD = ["adminpanel.view_dashboard"]
_ANALYTICS = ["adminpanel.view_analytics"]
_CHANGE_BOOKINGS = ["bookings.change_booking"]
_RUN_CATALOG = ["catalog.add_service", "catalog.change_service", "catalog.delete_service", "catalog.change_category"]
_VIEW_PROMOS = ["bookings.view_promocode", "bookings.view_promocodeusage"]
_RUN_PROMOS = [*_VIEW_PROMOS, "bookings.add_promocode", "bookings.change_promocode"]
_CONTACT = ["bookings.view_contactsubmission", "bookings.change_contactsubmission"]
_VIEW_SETTINGS = ["core.view_systemsetting"]
_AUDIT = ["core.view_auditlog"]
_CACHES = ["adminpanel.manage_cache"]
# Notifications (seed 003): delivery history and stats, resending a confirmation, reminders, broadcasts.
_DELIVERIES = ["notifications.view_delivery", "notifications.view_deliveryattempt", "notifications.view_notification"]
_RESEND = ["notifications.resend_confirmation"]
_REMIND = ["notifications.send_reminder"]
_BROADCAST = ["notifications.broadcast", "notifications.view_devicetoken"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    # super_admin is a Django superuser as well: every permission, present and future.
    Role.SUPER_ADMIN: [],
    Role.ADMIN: [
        *_BOOKINGS,
        *_CATALOG,
        *_MANAGE_PEOPLE,
        "accounts.change_address",
        *_VIEW_MONEY,
        *_BOOKS,
        *_MOVE_MONEY,
        *_LINKS,
        "payments.change_paymentwebhook",
        *_MANAGE_PARTNERS,
        *_DISPATCH,
        *_ONBOARDING,
        *_PAY_PARTNERS,
        "partners.change_partnerearning",
        *_DASHBOARD,
        *_ANALYTICS,
        *_CHANGE_BOOKINGS,
        *_RUN_CATALOG,
        *_RUN_PROMOS,
        *_CONTACT,
        *_VIEW_SETTINGS,
        *_AUDIT,
        *_CACHES,
        *_DELIVERIES,
        *_RESEND,
        *_REMIND,
        *_BROADCAST,
    ],
    Role.SUPPORT: [
        *_BOOKINGS,
        *_CATALOG,
        *_VIEW_PEOPLE,
        *_VIEW_MONEY,
        *_VIEW_PARTNERS,
        *_DASHBOARD,
        *_VIEW_PROMOS,
        *_CONTACT,
    ],
    Role.FINANCE: [
        *_BOOKINGS,
        *_CATALOG,
        "accounts.view_user",
        *_VIEW_MONEY,
        *_BOOKS,
        *_MOVE_MONEY,
        "payments.change_paymentwebhook",
        *_VIEW_PARTNERS,
        *_PAY_PARTNERS,
        *_DASHBOARD,
        *_ANALYTICS,
        *_VIEW_PROMOS,
        *_VIEW_SETTINGS,
    ],
    Role.OPS_MANAGER: [
        *_BOOKINGS,
        *_CATALOG,
        *_VIEW_PEOPLE,
        *_VIEW_MONEY,
        *_LINKS,
        *_MANAGE_PARTNERS,
        *_DISPATCH,
        *_PARTNER_MONEY,
        "partners.change_partnerearning",  # seed 002: operations managers release a partner's payment
        *_DASHBOARD,
        *_ANALYTICS,
        *_CHANGE_BOOKINGS,
        *_RUN_CATALOG,
        *_RUN_PROMOS,
        *_CONTACT,
        *_VIEW_SETTINGS,
        *_DELIVERIES,
        *_RESEND,
        *_REMIND,
    ],
    Role.ONBOARD_MANAGER: ["accounts.view_user", *_MANAGE_PARTNERS, *_ONBOARDING],
    Role.CENTRE_MANAGER: [
        *_BOOKINGS,
        *_CATALOG,
        *_VIEW_PEOPLE,
        *_VIEW_MONEY,
        *_LINKS,
        *_VIEW_PARTNERS,
        *_DISPATCH,
        *_DASHBOARD,
        *_ANALYTICS,  # seed 003: analytics for ADMIN, MANAGER, CENTRE_MANAGER
        *_CHANGE_BOOKINGS,
        *_DELIVERIES,
        *_RESEND,
    ],
    Role.CARE_COORDINATOR: [*_BOOKINGS, *_CATALOG, *_VIEW_PEOPLE, *_LINKS, *_CHANGE_BOOKINGS, *_CONTACT, *_RESEND],
    Role.FRONT_DESK: [*_BOOKINGS, *_CATALOG, *_VIEW_PEOPLE, *_LINKS, *_CONTACT, *_RESEND],
    # Reads people of their own societies only: granted with the societies app's scope, not globally.
    Role.SOCIETY_ADMIN: [],
    Role.CUSTOMER: [],
    Role.PARTNER: [],
    Role.SPECIALIST: [],
}

# Who may read another person's profile through the API (seed 001 9.1 is owner-only otherwise).
PROFILE_READ_PERMISSION = "accounts.view_user"
