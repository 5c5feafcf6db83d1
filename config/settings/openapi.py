"""drf-spectacular's settings (``SPECTACULAR_SETTINGS`` in base.py): the schema's title, and enum names that
several serializers share."""

from __future__ import annotations

from typing import Any

OPENAPI_SETTINGS: dict[str, Any] = {
    "TITLE": "Services Booking Platform API",
    "DESCRIPTION": (
        "Customers book services, partners work jobs, societies order from vendors, staff run the back "
        "office. Every response uses the envelope `{success, data, message}` / `{success: false, error}`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "OtpSendPurposeEnum": "accounts.serializers.OTP_SEND_PURPOSES",
        "OtpLoginPurposeEnum": "accounts.serializers.OTP_LOGIN_PURPOSES",
        "PaymentKindEnum": "payments.models.PaymentKind",
        "LoyaltyTierEnum": "bookings.models.LoyaltyTier",
        "LoyaltyKindEnum": "bookings.models.LoyaltyKind",
        "PaymentStatusEnum": "payments.models.PaymentStatus",
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
