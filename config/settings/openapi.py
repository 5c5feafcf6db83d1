"""drf-spectacular's settings (``SPECTACULAR_SETTINGS`` in base.py): the schema's title and description, one
line per tag, and enum names that several serializers share.

Every tag an operation uses has a line in ``TAGS`` (tests/core/test_schema_words.py checks it); the tags are the
``TAG...`` constants of ``<app>/api/*.py`` and the views. The repository has no public address yet, so the
description names ``README.md`` as a path rather than a link.
"""

from __future__ import annotations

from typing import Any

# One line per tag, in the order the docs list them: customers, partners and specialists, clinics and patients,
# societies, staff, and the platform's own.
TAG_LINES: dict[str, str] = {
    "auth": "Sign in (one-time code, password, Google, Facebook, Telegram), register, passwords, sign out.",
    "users": "My profile, avatar and contact details, and verifying a new email or phone.",
    "addresses": "My saved addresses and which one is the default.",
    "catalog": "The services on offer, their categories and the steps of each service.",
    "service search": "Customers search specialists' services by category, price, rating and free day.",
    "checkout": "Price a cart, see free slots, and confirm it into a booking.",
    "bookings": "My bookings: book, reschedule, cancel, rate; specialists confirm and complete them.",
    "promo codes": "Check a promo code against my cart before paying.",
    "pricing": "A service's price at a pincode and time as demand moves it, and the next days' prices.",
    "payments": "Pay for a booking or order and see my payments; staff refund, take cash and send links.",
    "loyalty": "My loyalty points and tier, and spending points on a booking.",
    "reviews": "Reviews of specialists: read them, and review my own completed bookings.",
    "sign-off": "The customer signs a completed job off with a rating, or refuses; partners ask for it.",
    "booking photos": "Photos of a job before and after it, taken by the partner on it; read by its customer.",
    "disputes": "Disputes about a job: opened by its customer, talked over with its partner, resolved by staff.",
    "dashboard": "The customer's home screen in one call.",
    "assistant": "Ask the assistant about my own bookings, jobs, sign-offs, disputes and earnings.",
    "notifications": "My inbox and notification preferences; for staff, delivery history and webhooks.",
    "contact": "Send a message to the support team.",
    "partner app": "Partners: my profile, job offers and jobs, availability, earnings and payouts.",
    "specialist self-service": "Specialists: my profile, services, weekly hours and time off.",
    "analytics": "A specialist's own dashboard, and the platform's headline figures for staff.",
    "video": "Meeting links of online appointments.",
    "centres": "Clinic centres: list, open, change and close them.",
    "clinicians": "Clinicians, their weekly hours, and switching them on or off.",
    "free slots": "The free appointment times of a clinician on a day.",
    "appointment booking": "Patients and the front desk book, view and cancel appointments.",
    "appointments": "Staff and clinicians manage appointments, including no-shows.",
    "patients": "Staff and clinicians look up and register patients and keep medical notes.",
    "patient": "Patients: my profile, dashboard, appointments and payments.",
    "patient-auth": "Patients sign in with their phone and a one-time code.",
    "societies: residents": "Residents find their society, register, and switch between their societies.",
    "societies: hierarchy": "A society's buildings, floors and units, and adding to them.",
    "societies: society admin": "Society admins approve residents and vendors and set groups and service areas.",
    "societies: platform admin": "Platform staff set a society up and verify vendors.",
    "residents: vendor discovery": "Residents see the vendors serving their society, with their rates.",
    "residents: society orders": "Residents order from society vendors, approve counts, pay and rate.",
    "vendors: onboarding": "Vendors register, add bank details and services, and ask to serve societies.",
    "vendors: rate cards": "Vendors set and publish their prices for each society.",
    "vendors: society orders": "Vendors count, work and close residents' orders and mark them paid.",
    "society admins: society orders": "Society admins settle residents' payment disputes.",
    "scheduling": "Travel time between pincodes, a partner's free slots scored by travel, and their day optimised.",
    "vendors": "Vendor applications and their review, vendors' availability by day, and vendor search.",
    "admin: dashboard": "Staff: the back-office dashboard and system health.",
    "admin: analytics": "Staff: revenue, bookings, partners, services and demand per pincode.",
    "reports": "Staff: heuristic demand per pincode, dispute advice, partner bonus; dispute and onboarding figures.",
    "admin: bookings": "Staff: every booking, its status, cancellation and refund.",
    "admin: partners": "Staff: partners, their verification, availability and jobs, and assigning a job by hand.",
    "admin: payouts": "Staff: pay partners their earnings.",
    "admin: catalog": "Staff: services and categories.",
    "admin: promo codes": "Staff: create and change promo codes.",
    "admin: users and staff": "Staff: customers, staff accounts and roles, and contact messages.",
    "admin: settings, audit log, caches": "Staff: platform settings, who changed what, caches, notification jobs.",
    "internal": "For the platform's own services only (service token): dispatch and its queue.",
    "Telegram": "Where Telegram delivers the bot's messages.",
    "health": "Whether the API is up and ready, for monitoring.",
}
TAGS: list[dict[str, str]] = [{"name": name, "description": line} for name, line in TAG_LINES.items()]


OPENAPI_SETTINGS: dict[str, Any] = {
    "TITLE": "Services Booking Platform API",
    "DESCRIPTION": (
        "Customers book services, partners work jobs, societies order from vendors, staff run the back "
        "office. Every response uses the envelope `{success, data, message}` / `{success: false, error}`.\n\n"
        "How to install, run and test the platform, and the demo accounts to sign in with: see `README.md` at "
        "the root of the repository."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "TAGS": TAGS,
    "ENUM_NAME_OVERRIDES": {
        "OtpSendPurposeEnum": "accounts.serializers.OTP_SEND_PURPOSES",
        "OtpLoginPurposeEnum": "accounts.serializers.OTP_LOGIN_PURPOSES",
        "OtpMethodEnum": "accounts.serializers.OTP_METHOD_CHOICES",
        "PaymentKindEnum": "payments.models.PaymentKind",
        "LoyaltyTierEnum": "bookings.models.LoyaltyTier",
        "LoyaltyKindEnum": "bookings.models.LoyaltyKind",
        "PaymentStatusEnum": "payments.models.PaymentStatus",
        "DisputeStatusEnum": "bookings.models.DisputeStatus",
        "DisputeMessageTypeEnum": "bookings.models.DisputeMessageType",
        "RefundStatusEnum": "payments.models.RefundStatus",
        "RefundTypeEnum": "payments.models.RefundType",
        "PaymentLinkStatusEnum": "payments.models.PaymentLinkStatus",
        "PaymentGatewayEnum": "payments.models.PaymentGatewayName",
        "RoleKindEnum": ["account", "staff"],
        "BookingStatusEnum": "bookings.models.BookingStatus",
        "BookingPaymentStatusEnum": "bookings.models.BookingPaymentStatus",
        "ContactStatusEnum": "bookings.models.ContactStatus",
        "BookingPaymentModeEnum": "bookings.models.PaymentMode",
        "PayoutMethodEnum": "partners.models.PayoutMethod",
        "PayoutStatusEnum": "partners.models.PayoutStatus",
        "EarningStatusEnum": "partners.models.EarningStatus",
        "AssignmentStatusEnum": "partners.models.AssignmentStatus",
        "OnboardingStatusEnum": "partners.models.OnboardingStatus",
        "ApplicationStatusEnum": "partners.models.ApplicationStatus",
        "ServiceTierEnum": "catalog.models.Tier",
        "PricingModelEnum": "catalog.models.PricingModel",
        "DiscountTypeEnum": "bookings.models.DiscountType",
        "AuditViaEnum": "core.models.AuditLog.Via",
        "SocietyApprovalStatusEnum": "societies.models.ApprovalStatus",
        "SocietyStatusEnum": "societies.models.SocietyStatus",
        "SocietyTypeEnum": "societies.models.SocietyType",
        "NodeTypeEnum": "societies.models.NodeType",
        "GroupTypeEnum": "societies.api.serializers.GROUP_TYPE_CHOICES",
        "ServiceAreaTypeEnum": "societies.models.AssignmentType",
        "DecisionActionEnum": "societies.api.serializers.ACTIONS",
        "SocietyOrderCountActionEnum": "orders.api.count.ACTIONS",
    },
}
