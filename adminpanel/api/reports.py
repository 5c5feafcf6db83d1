"""Staff reports of issue #20 (seed 002 "Advanced AI Features" and "Analytics"), at the seed's paths.

* ``GET /pincode-ai-analytics?pincode&days=30``: analytics staff reading the whole platform
  (``adminpanel.view_analytics`` and ``partners.view_partner``; a centre manager bound to their centres is 403).
* ``GET /advanced-dispute-resolution/{dispute_id}`` and ``GET /analytics/disputes?days=30``: the same, with
  ``bookings.view_dispute`` (admins, operations managers, finance).
* ``GET /advanced-vendor-bonus?vendor_id&days=30``: a partner gets their own analysis (``vendor_id`` left out or
  their own; another's is 403 naming ``vendor_id``); analytics staff name the partner (``vendor_id`` missing is
  422, an unknown one 404 ``PARTNER_NOT_FOUND``).
* ``GET /analytics/vendor-onboarding``: onboarding staff (``partners.view_partnerapplication``).

The heuristics and their definitions are in ``adminpanel.selectors.ai_reports``, ``ai_advice`` and ``reports``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from accounts.models import User
from adminpanel.api import report_schemas as io
from adminpanel.selectors import ai_advice, ai_reports, reports
from adminpanel.selectors.common import ANALYTICS_PERMISSION, centre_scope
from core.api import query
from core.errors import DomainError, ErrorCode
from core.permissions import require_perms
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer
from partners.errors import PartnerErrorCode
from partners.models import Partner

TAG = "reports"
ERRORS = {403: ErrorResponseSerializer, 422: ErrorResponseSerializer}
DAYS = OpenApiParameter("days", int, description="How many days back (30).")


def reads_platform(user: User, *perms: str) -> bool:
    """Analytics over the whole platform: the analytics permission and ``perms``, not bound to some centres."""
    return bool(
        user.is_authenticated
        and user.has_perms([ANALYTICS_PERMISSION, *perms])
        and centre_scope(user, None).is_platform
    )


def platform_report(*perms: str) -> type[BasePermission]:
    class PlatformReport(BasePermission):
        message = "You do not have permission to perform this action."

        def has_permission(self, request: Any, view: Any) -> bool:
            return reads_platform(request.user, *perms)

    return PlatformReport


class PincodeAnalyticsView(APIView):
    permission_classes = [platform_report("partners.view_partner")]

    @extend_schema(
        tags=[TAG],
        summary="Demand forecast, partner shortage and a surge to charge at one pincode (heuristic)",
        parameters=[OpenApiParameter("pincode", str, required=True), DAYS],
        responses={200: io.PincodeAnalysisOutput, **ERRORS},
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        params = query(io.PincodeQuery, request)
        return ApiResponse(ai_reports.pincode_analytics(pincode=params["pincode"], days=params["days"]))


class DisputeAdviceView(APIView):
    permission_classes = [platform_report("bookings.view_dispute")]

    @extend_schema(
        tags=[TAG],
        summary="How to resolve a dispute, from similar resolved ones, and whether to escalate it (heuristic)",
        responses={200: io.DisputeAdviceOutput, 404: ErrorResponseSerializer, **ERRORS},
    )
    def get(self, request: AuthenticatedRequest, dispute_id: Any) -> ApiResponse:
        return ApiResponse(ai_advice.dispute_advice(dispute_id))


def _bonus_partner(user: User, vendor_id: Any) -> Partner:
    own = Partner.objects.filter(user_id=user.pk).first()
    if own is not None and vendor_id in (None, own.pk):
        return own
    if not reads_platform(user, "partners.view_partner"):
        raise DomainError(
            "Only analytics staff may name another partner.",
            code=ErrorCode.FORBIDDEN,
            field="vendor_id" if vendor_id else None,
            reason="staff_only",
        )
    if vendor_id is None:
        raise DomainError(
            "vendor_id is required.", code=ErrorCode.VALIDATION_ERROR, field="vendor_id", reason="required"
        )
    partner = Partner.objects.filter(pk=vendor_id).first()
    if partner is None:
        raise DomainError(
            "Partner not found.", code=PartnerErrorCode.PARTNER_NOT_FOUND, field="vendor_id", reason="not_found"
        )
    return partner


class VendorBonusView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="A partner's performance score and the bonus it would earn (heuristic)",
        parameters=[OpenApiParameter("vendor_id", str), DAYS],
        responses={200: io.VendorBonusOutput, 404: ErrorResponseSerializer, **ERRORS},
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        params = query(io.VendorBonusQuery, request)
        partner = _bonus_partner(request.user, params.get("vendor_id"))
        return ApiResponse(ai_advice.vendor_bonus(partner=partner, days=params["days"]))


class DisputeAnalyticsView(APIView):
    permission_classes = [platform_report("bookings.view_dispute")]

    @extend_schema(
        tags=[TAG],
        summary="Disputes opened lately: by status and type, time to resolve, share resolved",
        parameters=[DAYS],
        responses={200: io.DisputeAnalyticsOutput, **ERRORS},
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        return ApiResponse(reports.dispute_analytics(days=query(io.DaysQuery, request)["days"]))


class VendorOnboardingAnalyticsView(APIView):
    permission_classes = [require_perms("partners.view_partnerapplication")]

    @extend_schema(
        tags=[TAG],
        summary="Vendor applications: by status, time to review, share approved",
        responses={200: io.VendorOnboardingAnalyticsOutput, 403: ErrorResponseSerializer},
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        return ApiResponse(reports.vendor_onboarding_analytics())
