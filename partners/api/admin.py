"""Staff endpoints of the partners app: ``/admin/partners``, ``/admin/payouts``, manual assignment, earnings.

Partners (list, create, detail with earnings and figures, update, verify,
availability, their jobs and earnings), a booking assigned by hand
(``/admin/bookings/{id}/assign-partner``), payouts (create, start, process,
fail) and seed 002's release of one earning (``/admin/earnings/{id}/release``).
Each endpoint is open to staff by the permission matrix (docs/permissions.md);
every write is audited with before and after by its service
(``partners.services.auditing`` lists the actions).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from bookings.models import Booking
from bookings.staff_scope import staff_booking_check, staff_bookings_q
from core.api import paginate, query, valid
from core.permissions import require_perms, require_perms_by_method
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer
from partners import selectors
from partners.api import schemas as out
from partners.api.common import EARNINGS_PARAMS, DateRangeQuery, earnings_payload, staff_booking_row
from partners.api.serializers.admin import (
    AdminAvailabilityInput,
    AssignInput,
    AssignmentOutput,
    PartnerCreateInput,
    PartnerFieldsInput,
    PartnerVerifyInput,
    PayoutCreateInput,
    PayoutFailInput,
    PayoutProcessInput,
    ReleaseInput,
)
from partners.api.serializers.common import PartnerOutput, PartnerRowOutput, PayoutOutput, partner_job_row
from partners.services import availability, manual, payouts, profiles

TAG_ADMIN = "admin: partners"


TAG_PAYOUTS = "admin: payouts"


class PartnerListQuery(serializers.Serializer):
    status = serializers.CharField(required=False)
    service_category = serializers.CharField(required=False)


class AdminPartnersView(APIView):
    permission_classes = [require_perms_by_method(read="partners.view_partner", write="partners.add_partner")]

    @extend_schema(
        tags=[TAG_ADMIN],
        summary="Partners",
        operation_id="admin_partners_list",
        parameters=[
            OpenApiParameter("status", str, description="active, inactive or pending"),
            OpenApiParameter("service_category", str),
            OpenApiParameter("page", int),
            OpenApiParameter("limit", int),
        ],
        responses=out.PartnersPage,
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(PartnerListQuery, request)
        rows = selectors.partners_list(**params)
        return ApiResponse(paginate(self, request, rows, lambda p: PartnerRowOutput(p).data, "partners"))

    @extend_schema(
        tags=[TAG_ADMIN],
        summary="Create a partner",
        request=PartnerCreateInput,
        responses={201: out.PartnerCreatedOutput},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(PartnerCreateInput, request)
        verified = data.pop("verified")
        partner = profiles.partner_create(data=data, created_by=request.user, verified=verified)
        partner = selectors.partner_detail(partner.pk)
        return ApiResponse(
            {"partner": PartnerOutput(partner).data, "partner_code": partner.partner_code},
            status=201,
            message="Partner created",
        )


class AdminPartnerDetailView(APIView):
    permission_classes = [require_perms_by_method(read="partners.view_partner", write="partners.change_partner")]

    @extend_schema(
        tags=[TAG_ADMIN],
        summary="A partner with earnings, bookings and performance",
        operation_id="admin_partner_retrieve",
        responses=out.PartnerDetailOutput,
    )
    def get(self, request: Request, partner_id) -> ApiResponse:
        partner = selectors.partner_detail(partner_id)
        totals = selectors.earnings_totals(selectors.earnings_of(partner.pk))
        rating = float(partner.rating)
        return ApiResponse(
            {
                "partner": PartnerOutput(partner).data,
                "earnings": {
                    "total": totals["total_earnings"],
                    "pending": totals["pending"],
                    "paid": totals["paid"],
                    "on_hold": totals["on_hold"],
                },
                "bookings": {
                    "total": partner.total_bookings,
                    "completed": partner.completed_bookings,
                    "cancelled": partner.cancelled_bookings,
                },
                "offers": {
                    "accepted": partner.offers_accepted,
                    "rejected": partner.offers_rejected,
                    "expired": partner.offers_expired,
                },
                "performance": {
                    "rating": rating,
                    "cancellation_rate": float(partner.cancellation_rate),
                    "acceptance_rate": float(partner.acceptance_rate),
                    "average_rating": rating,
                },
            }
        )

    @extend_schema(
        tags=[TAG_ADMIN], summary="Update a partner", request=PartnerFieldsInput, responses=out.PartnerProfileOutput
    )
    def put(self, request: AuthenticatedRequest, partner_id) -> ApiResponse:
        data = valid(PartnerFieldsInput, request)
        profiles.partner_update(partner_id=partner_id, data=data, actor=request.user)
        return ApiResponse({"partner": PartnerOutput(selectors.partner_detail(partner_id)).data})

    patch = put


class AdminPartnerVerifyView(APIView):
    permission_classes = [require_perms("partners.change_partner")]

    @extend_schema(
        tags=[TAG_ADMIN],
        summary="Verify or reject a partner",
        request=PartnerVerifyInput,
        responses=out.PartnerProfileOutput,
    )
    def post(self, request: AuthenticatedRequest, partner_id) -> ApiResponse:
        data = valid(PartnerVerifyInput, request)
        profiles.partner_verify(
            partner_id=partner_id, status=data["onboarding_status"], notes=data["notes"], by=request.user
        )
        return ApiResponse({"partner": PartnerOutput(selectors.partner_detail(partner_id)).data})


class AdminPartnerAvailabilityView(APIView):
    permission_classes = [require_perms("partners.change_partner")]

    @extend_schema(
        tags=[TAG_ADMIN],
        summary="Set a partner's availability",
        request=AdminAvailabilityInput,
        responses=out.PartnerProfileOutput,
    )
    def patch(self, request: AuthenticatedRequest, partner_id) -> ApiResponse:
        data = valid(AdminAvailabilityInput, request)
        availability.partner_availability_set(
            partner_id=partner_id,
            is_available=data.get("is_available"),
            working_hours=data.get("working_hours"),
            actor=request.user,
        )
        return ApiResponse({"partner": PartnerOutput(selectors.partner_detail(partner_id)).data})


class AdminPartnerBookingsView(APIView):
    permission_classes = [require_perms("partners.view_partner", "bookings.view_booking")]

    @extend_schema(
        tags=[TAG_ADMIN],
        summary="A partner's jobs",
        parameters=[
            OpenApiParameter("status", str),
            OpenApiParameter("date_from", str),
            OpenApiParameter("date_to", str),
            OpenApiParameter("page", int),
            OpenApiParameter("limit", int),
        ],
        responses=out.PartnerJobsPage,
    )
    def get(self, request: AuthenticatedRequest, partner_id) -> ApiResponse:
        selectors.partner_detail(partner_id)
        params = query(DateRangeQuery, request)
        rows = selectors.partner_jobs(
            partner_id, status=params.get("status"), date_from=params.get("date_from"), date_to=params.get("date_to")
        )
        scope = staff_bookings_q(request.user)  # a centre manager: the jobs on their centres' appointments only
        if scope is not None:
            rows = rows.filter(booking__in=Booking.objects.filter(scope))  # a subquery: no statement more
        return ApiResponse(paginate(self, request, rows, lambda a: partner_job_row(a, staff=True), "bookings"))


class AdminPartnerEarningsView(APIView):
    permission_classes = [require_perms("partners.view_partnerearning")]

    @extend_schema(
        tags=[TAG_ADMIN], summary="A partner's earnings", parameters=EARNINGS_PARAMS, responses=out.EarningsPage
    )
    def get(self, request: Request, partner_id) -> ApiResponse:
        selectors.partner_detail(partner_id)
        return ApiResponse(earnings_payload(self, request, partner_id))


class AdminAssignPartnerView(APIView):
    permission_classes = [require_perms("partners.add_partnerassignment")]

    @extend_schema(
        tags=[TAG_ADMIN],
        summary="Assign a partner by hand (force skips eligibility)",
        request=AssignInput,
        responses=out.StaffAssignedOutput,
    )
    def post(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        staff_booking_check(request.user, booking_id)  # a centre manager: appointments at their centres only
        data = valid(AssignInput, request)
        booking, assignment = manual.assign_manually(
            booking_id=booking_id, partner_id=data["partner_id"], by=request.user, force=data["force"]
        )
        assignment = selectors.assignment_detail(assignment.pk)
        return ApiResponse(
            {"booking": staff_booking_row(booking.pk), "assignment": AssignmentOutput(assignment).data},
            message="Partner assigned",
        )


class PayoutQuery(serializers.Serializer):
    partner_id = serializers.UUIDField(required=False)
    status = serializers.CharField(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


class AdminPayoutsView(APIView):
    permission_classes = [
        require_perms_by_method(read="partners.view_partnerpayout", write="partners.add_partnerpayout")
    ]

    @extend_schema(
        tags=[TAG_PAYOUTS],
        summary="Payouts",
        parameters=[
            OpenApiParameter("partner_id", str),
            OpenApiParameter("status", str),
            OpenApiParameter("date_from", str),
            OpenApiParameter("date_to", str),
            OpenApiParameter("page", int),
            OpenApiParameter("limit", int),
        ],
        responses=out.PayoutsPage,
    )
    def get(self, request: Request) -> ApiResponse:
        rows = selectors.payouts_list(**query(PayoutQuery, request))
        return ApiResponse(paginate(self, request, rows, lambda p: PayoutOutput(p).data, "payouts"))

    @extend_schema(
        tags=[TAG_PAYOUTS],
        summary="Pay out pending earnings",
        request=PayoutCreateInput,
        responses={
            201: out.PayoutCreatedOutput,
            404: OpenApiResponse(ErrorResponseSerializer, description="No such partner"),
        },
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(PayoutCreateInput, request)
        payout = payouts.payout_create(
            partner_id=data["partner_id"],
            earning_ids=data.get("earnings_ids"),
            payment_method=data["payment_method"],
            notes=data["notes"],
            by=request.user,
        )
        return ApiResponse(
            {"payout": PayoutOutput(payout).data, "payout_number": payout.payout_number},
            status=201,
            message="Payout created",
        )


class AdminPayoutProcessView(APIView):
    permission_classes = [require_perms("partners.change_partnerpayout")]

    @extend_schema(
        tags=[TAG_PAYOUTS],
        summary="Mark paid (completed)",
        request=PayoutProcessInput,
        responses=out.PayoutResultOutput,
    )
    def post(self, request: AuthenticatedRequest, payout_id) -> ApiResponse:
        data = valid(PayoutProcessInput, request)
        payout = payouts.payout_process(payout_id=payout_id, by=request.user, **data)
        return ApiResponse({"payout": PayoutOutput(payout).data, "status": payout.status}, message="Payout processed")


class AdminPayoutStartView(APIView):
    permission_classes = [require_perms("partners.change_partnerpayout")]

    @extend_schema(
        tags=[TAG_PAYOUTS], summary="Mark sent to the bank (processing)", request=None, responses=out.PayoutResultOutput
    )
    def post(self, request: AuthenticatedRequest, payout_id) -> ApiResponse:
        payout = payouts.payout_start(payout_id=payout_id, by=request.user)
        return ApiResponse({"payout": PayoutOutput(payout).data, "status": payout.status})


class AdminPayoutFailView(APIView):
    permission_classes = [require_perms("partners.change_partnerpayout")]

    @extend_schema(
        tags=[TAG_PAYOUTS],
        summary="Mark failed (earnings pending again)",
        request=PayoutFailInput,
        responses=out.PayoutResultOutput,
    )
    def post(self, request: AuthenticatedRequest, payout_id) -> ApiResponse:
        data = valid(PayoutFailInput, request)
        payout = payouts.payout_fail(payout_id=payout_id, reason=data["failure_reason"], by=request.user)
        return ApiResponse({"payout": PayoutOutput(payout).data, "status": payout.status}, message="Payout failed")


class AdminEarningReleaseView(APIView):
    permission_classes = [require_perms("partners.change_partnerearning")]

    @extend_schema(
        tags=[TAG_PAYOUTS],
        summary="Pay one earning to its partner now, ahead of the next payout",
        request=ReleaseInput,
        responses=out.EarningReleasedOutput,
    )
    def post(self, request: AuthenticatedRequest, earning_id) -> ApiResponse:
        data = valid(ReleaseInput, request)
        payout = payouts.earning_release(earning_id=earning_id, by=request.user, payment_method=data["payment_method"])
        return ApiResponse(
            {"earning_id": str(earning_id), "payout_number": payout.payout_number},
            message="Payment released successfully",
        )
