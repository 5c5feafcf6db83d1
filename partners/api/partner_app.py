"""The partner app (seed 000 "Partner APIs", seed 002's earnings and performance): ``/partner/...``.

The signed-in partner's own profile, dashboard, jobs (open offers and the jobs
they took; accept, reject, on the way / arrived, complete), availability and
location, working hours, earnings, payouts and performance. Another partner's
booking is "not found" (404). A job shows the customer's details only while
the job is theirs (``partners.api.serializers.common`` says what shows when).
Every view calls one service or selector; the rules are in
``partners.services.dispatch`` (offers) and ``partners.services.jobs`` (the
job's steps).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers

from accounts.authentication import AuthenticatedRequest
from core.api import paginate, query, valid
from core.responses import ApiResponse
from partners import performance, selectors
from partners.api import schemas as out
from partners.api.common import EARNINGS_PARAMS, DateRangeQuery, PartnerView, earnings_payload
from partners.api.serializers.common import EarningOutput, PartnerOutput, PayoutOutput, partner_job_row
from partners.api.serializers.partner_app import (
    AvailabilityStatusInput,
    CompleteInput,
    RejectInput,
    StatusInput,
    WorkingHoursUpdateInput,
)
from partners.models import PartnerAssignment
from partners.services import availability, dispatch, jobs

TAG_PARTNER = "partner app"


class PartnerProfileView(PartnerView):
    @extend_schema(
        tags=[TAG_PARTNER], summary="My partner profile (KYC and bank masked)", responses=out.PartnerProfileOutput
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        return ApiResponse({"partner": PartnerOutput(selectors.partner_detail(self.partner(request).pk)).data})


class PartnerDashboardView(PartnerView):
    @extend_schema(
        tags=[TAG_PARTNER], summary="Stats, upcoming jobs and recent earnings", responses=out.PartnerDashboardOutput
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        data = selectors.partner_dashboard(self.partner(request))
        data["upcoming_bookings"] = [partner_job_row(a) for a in data["upcoming_bookings"]]
        data["recent_earnings"] = EarningOutput(data["recent_earnings"], many=True).data
        return ApiResponse(data)


class PartnerBookingsView(PartnerView):
    @extend_schema(
        tags=[TAG_PARTNER],
        summary="My open offers and the jobs I took (customer details only while the job is mine)",
        parameters=[
            OpenApiParameter(
                "status", str, description="An assignment status (assigned, accepted...) or booking status"
            ),
            OpenApiParameter("date", str, description="Booking date, YYYY-MM-DD"),
            OpenApiParameter("page", int),
            OpenApiParameter("limit", int),
        ],
        responses=out.PartnerJobsPage,
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        params = query(DateRangeQuery, request)
        rows = selectors.partner_jobs(
            self.partner(request).pk, status=params.get("status"), day=params.get("date"), taken_only=True
        )
        return ApiResponse(paginate(self, request, rows, partner_job_row, "bookings"))


def _job_response(booking_id, assignment: PartnerAssignment, **extra) -> dict[str, Any]:
    assignment = selectors.assignment_detail(assignment.pk)
    return {"booking": partner_job_row(assignment), **extra}


class PartnerAcceptView(PartnerView):
    @extend_schema(
        tags=[TAG_PARTNER],
        summary="Accept an offered job (before it expires)",
        request=None,
        responses=out.JobDecisionOutput,
    )
    def post(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        booking, assignment = dispatch.offer_accept(partner=self.partner(request), booking_id=booking_id)
        return ApiResponse(_job_response(booking_id, assignment, status=booking.status), message="Booking accepted")


class PartnerRejectView(PartnerView):
    @extend_schema(
        tags=[TAG_PARTNER], summary="Decline an offered job", request=RejectInput, responses=out.JobDecisionOutput
    )
    def post(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        data = valid(RejectInput, request)
        _, assignment = dispatch.offer_reject(
            partner=self.partner(request), booking_id=booking_id, reason=data["reason"]
        )
        return ApiResponse(_job_response(booking_id, assignment, status="rejected"), message="Booking rejected")


class PartnerJobStatusView(PartnerView):
    @extend_schema(tags=[TAG_PARTNER], summary="On the way / arrived", request=StatusInput, responses=out.JobOutput)
    def patch(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        data = valid(StatusInput, request)
        _, assignment = jobs.job_advance(
            partner=self.partner(request),
            booking_id=booking_id,
            status=data["status"],
            estimated_arrival=data.get("estimated_arrival"),
        )
        return ApiResponse(_job_response(booking_id, assignment), message="Status updated")


class PartnerCompleteView(PartnerView):
    @extend_schema(
        tags=[TAG_PARTNER],
        summary="Finish the job (after arriving)",
        request=CompleteInput,
        responses=out.JobCompletedOutput,
    )
    def post(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        data = valid(CompleteInput, request)
        _, earning = jobs.job_complete(
            partner=self.partner(request), booking_id=booking_id, completed_at=data.get("service_completed_at")
        )
        return ApiResponse(
            _job_response(
                booking_id,
                earning.assignment,
                earning={"id": str(earning.pk), "amount": earning.partner_earning, "status": earning.status},
            ),
            message="Booking completed",
        )


class PartnerAvailabilityView(PartnerView):
    @extend_schema(
        tags=[TAG_PARTNER],
        summary="Available or not, and where I am",
        request=AvailabilityStatusInput,
        responses=inline_serializer(
            "AvailabilityStatus",
            {"is_available": serializers.BooleanField(), "last_seen_at": serializers.DateTimeField()},
        ),
    )
    def patch(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(AvailabilityStatusInput, request)
        partner = availability.availability_set_status(
            partner=self.partner(request),
            is_available=data.get("is_available"),
            lat=data.get("current_lat"),
            lng=data.get("current_lng"),
        )
        return ApiResponse({"is_available": partner.is_available, "last_seen_at": partner.last_seen_at})


class PartnerWorkingHoursView(PartnerView):
    @extend_schema(
        tags=[TAG_PARTNER],
        summary="Set my working hours",
        request=WorkingHoursUpdateInput,
        responses=out.WorkingHoursSetOutput,
    )
    def put(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(WorkingHoursUpdateInput, request)
        partner = self.partner(request)
        availability.availability_set_working_hours(partner=partner, working_hours=data["working_hours"])
        partner = selectors.partner_detail(partner.pk)
        return ApiResponse({"working_hours": availability.working_hours_of(partner)}, message="Working hours updated")


class PartnerEarningsView(PartnerView):
    @extend_schema(
        tags=[TAG_PARTNER], summary="My earnings with totals", parameters=EARNINGS_PARAMS, responses=out.EarningsPage
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        return ApiResponse(earnings_payload(self, request, self.partner(request).pk))


class PartnerEarningsSummaryView(PartnerView):
    @extend_schema(
        tags=[TAG_PARTNER],
        summary="My earnings: total, pending and the latest five",
        responses=out.EarningsSummaryOutput,
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        partner = self.partner(request)
        rows = selectors.earnings_of(partner.pk)
        totals = selectors.earnings_totals(rows)
        recent = [{"id": str(e.pk), "amount": e.partner_earning, "status": e.status} for e in rows[:5]]
        return ApiResponse(
            {
                "total_earnings": totals["total_earnings"],
                "pending_earnings": totals["pending"],
                "on_hold_earnings": totals["on_hold"],
                "recent_earnings": recent,
            }
        )


class PartnerPayoutsView(PartnerView):
    @extend_schema(tags=[TAG_PARTNER], summary="My payouts", responses=out.PayoutsPage)
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        rows = selectors.payouts_list(partner_id=self.partner(request).pk)
        return ApiResponse(paginate(self, request, rows, lambda p: PayoutOutput(p).data, "payouts"))


class PartnerPerformanceView(PartnerView):
    @extend_schema(
        tags=[TAG_PARTNER],
        summary="My performance: rating, completion, on-time and acceptance rates, tier and bonus points",
        responses=out.PerformanceOutput,
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        return ApiResponse(performance.partner_performance(self.partner(request)))
