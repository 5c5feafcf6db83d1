"""Seed 002's vendor endpoints, kept at its paths under ``/api/v1/`` (DESIGN.md section 2).

``/vendor-availability`` is a partner's own availability by day (a partner
view); ``/vendor-search`` finds the partners serving a pincode for anyone
signed in, with partners' email and phone only for staff who may view
partners; ``/vendor-applications`` lets a user apply and submit, and
onboarding managers list and review every application (the review is audited
by ``partners.services.profiles``).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.api import paginate, query, valid
from core.fields import LatitudeField, LongitudeField
from core.permissions import require_perms
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer
from partners import selectors
from partners.api import schemas as out
from partners.api.common import PartnerView
from partners.api.serializers.vendors import (
    ApplicationInput,
    ApplicationOutput,
    AvailabilityOutput,
    DayAvailabilityInput,
    ReviewInput,
)
from partners.services import availability, profiles

TAG_VENDORS = "vendors"


class VendorAvailabilityView(PartnerView):
    @extend_schema(tags=[TAG_VENDORS], summary="My availability by day", responses=out.AvailabilityListOutput)
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        data = AvailabilityOutput(selectors.availability_of(self.partner(request)), many=True).data
        return ApiResponse({"count": len(data), "results": data})

    @extend_schema(
        tags=[TAG_VENDORS], summary="Set one day", request=DayAvailabilityInput, responses={201: AvailabilityOutput}
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(DayAvailabilityInput, request)
        row = availability.availability_set_day(partner=self.partner(request), data=data)
        return ApiResponse(AvailabilityOutput(row).data, status=201, message="Availability saved")


class VendorSearchQuery(serializers.Serializer):
    pincode = serializers.RegexField(r"^\d{6}$")
    service_id = serializers.UUIDField(required=False)
    lat = LatitudeField(required=False)
    lng = LongitudeField(required=False)


class VendorSearchView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG_VENDORS],
        summary="Partners serving a pincode",
        parameters=[
            OpenApiParameter("pincode", str, required=True),
            OpenApiParameter("service_id", str),
            OpenApiParameter("lat", float),
            OpenApiParameter("lng", float),
        ],
        responses=out.VendorSearchOutput,
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(VendorSearchQuery, request)
        with_contact = request.user.has_perm("partners.view_partner")  # staff; customers and partners: no contact
        return ApiResponse(selectors.vendor_search(**params, with_contact=with_contact))


class ApplicationsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG_VENDORS],
        summary="Vendor applications (all for onboarding managers, one's own otherwise)",
        parameters=[OpenApiParameter("status", str)],
        responses=out.ApplicationsPage,
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        rows = selectors.applications_for(request.user, status=request.query_params.get("status"))
        page = paginate(self, request, rows, lambda a: ApplicationOutput(a).data, "results")
        return ApiResponse({"count": page["pagination"]["total"], **page})

    @extend_schema(
        tags=[TAG_VENDORS],
        summary="Apply as a vendor",
        request=ApplicationInput,
        responses={
            201: ApplicationOutput,
            409: OpenApiResponse(ErrorResponseSerializer, description="Already a verified partner, or applied"),
        },
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(ApplicationInput, request)
        application = profiles.application_create(user=request.user, data=data)
        return ApiResponse(ApplicationOutput(application).data, status=201, message="Application created")


class ApplicationSubmitView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG_VENDORS], summary="Submit my application", request=None, responses=ApplicationOutput)
    def post(self, request: AuthenticatedRequest, application_id) -> ApiResponse:
        application = profiles.application_submit(user=request.user, application_id=application_id)
        return ApiResponse(ApplicationOutput(application).data, message="Application submitted")


class ApplicationReviewView(APIView):
    permission_classes = [require_perms("partners.change_partnerapplication")]

    @extend_schema(
        tags=[TAG_VENDORS],
        summary="Approve or reject (onboarding manager)",
        request=ReviewInput,
        responses=out.ApplicationReviewedOutput,
    )
    def post(self, request: AuthenticatedRequest, application_id) -> ApiResponse:
        data = valid(ReviewInput, request)
        application = profiles.application_review(application_id=application_id, by=request.user, **data)
        return ApiResponse(
            {"id": str(application.pk), "status": application.status, "reviewed_at": application.reviewed_at},
            message=f"Application {application.status}",
        )
