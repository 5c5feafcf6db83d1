"""Partners API: the partner app (seed 000 Partner APIs, seed 002 vendor endpoints), staff and internal endpoints.

* ``/partner/...``: the signed-in partner's own profile, jobs, availability,
  earnings and payouts; another partner's booking is "not found" (404).
  Throttled at seed 000's 200 requests per minute per partner.
* ``/admin/partners``, ``/admin/payouts``, ``/admin/bookings/{id}/assign-partner``,
  ``/admin/earnings/{id}/release``: staff, by the permission matrix
  (docs/permissions.md).
* ``/internal/...``: service token only (``core.internal``).
* ``/vendor-availability``, ``/vendor-search``, ``/vendor-applications``: seed 002's
  paths, kept as written under ``/api/v1/`` (DESIGN.md section 2).

Staff writes here are audited with before and after by their services
(``partners.services.auditing`` lists the actions).

Privacy: ``/partner/bookings`` lists open offers and the jobs the partner took,
with the customer's details only while the job is theirs
(``partners.serializers`` says what shows when); ``/vendor-search`` gives
partners' email and phone only to staff who may view partners.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from bookings.serializers import booking_row
from core.api import paginate, query, valid
from core.fields import LatitudeField, LongitudeField
from core.internal import InternalTokenAuthentication, IsInternalService
from core.permissions import require_perms, require_perms_by_method
from core.responses import ApiResponse
from partners import performance, selectors
from partners import serializers as io
from partners.models import PartnerAssignment, PartnerAvailability
from partners.services import availability, dispatch, jobs, payouts, profiles

TAG_PARTNER = "partner app"
TAG_ADMIN = "admin: partners"
TAG_PAYOUTS = "admin: payouts"
TAG_INTERNAL = "internal"
TAG_VENDORS = "vendors (seed 002)"
ANY = OpenApiTypes.OBJECT


class IsPartner(BasePermission):
    message = "This is for partners only."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and hasattr(user, "partner_profile"))


class PartnerView(APIView):
    permission_classes = [IsAuthenticated, IsPartner]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "partner"

    def partner(self, request: Request):
        return selectors.partner_of_user(request.user)


class DateRangeQuery(serializers.Serializer):
    status = serializers.CharField(required=False)
    date = serializers.DateField(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


# --- the partner app ---------------------------------------------------------------------------


class PartnerProfileView(PartnerView):
    @extend_schema(tags=[TAG_PARTNER], summary="My partner profile (KYC and bank masked)", responses=io.PartnerOutput)
    def get(self, request: Request) -> ApiResponse:
        return ApiResponse({"partner": io.PartnerOutput(selectors.partner_detail(self.partner(request).pk)).data})


class PartnerDashboardView(PartnerView):
    @extend_schema(tags=[TAG_PARTNER], summary="Stats, upcoming jobs and recent earnings", responses=ANY)
    def get(self, request: Request) -> ApiResponse:
        data = selectors.partner_dashboard(self.partner(request))
        data["upcoming_bookings"] = [io.partner_job_row(a) for a in data["upcoming_bookings"]]
        data["recent_earnings"] = io.EarningOutput(data["recent_earnings"], many=True).data
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
        responses=ANY,
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(DateRangeQuery, request)
        rows = selectors.partner_jobs(
            self.partner(request).pk, status=params.get("status"), day=params.get("date"), taken_only=True
        )
        return ApiResponse(paginate(self, request, rows, io.partner_job_row, "bookings"))


def _job_response(booking_id, assignment: PartnerAssignment, **extra) -> dict[str, Any]:
    assignment = PartnerAssignment.objects.select_related("booking", "partner__user").get(pk=assignment.pk)
    return {"booking": io.partner_job_row(assignment), **extra}


class PartnerAcceptView(PartnerView):
    @extend_schema(tags=[TAG_PARTNER], summary="Accept an offered job (before it expires)", request=None, responses=ANY)
    def post(self, request: Request, booking_id) -> ApiResponse:
        booking, assignment = dispatch.offer_accept(partner=self.partner(request), booking_id=booking_id)
        return ApiResponse(_job_response(booking_id, assignment, status=booking.status), message="Booking accepted")


class PartnerRejectView(PartnerView):
    @extend_schema(tags=[TAG_PARTNER], summary="Decline an offered job", request=io.RejectInput, responses=ANY)
    def post(self, request: Request, booking_id) -> ApiResponse:
        data = valid(io.RejectInput, request)
        _, assignment = dispatch.offer_reject(
            partner=self.partner(request), booking_id=booking_id, reason=data["reason"]
        )
        return ApiResponse(_job_response(booking_id, assignment, status="rejected"), message="Booking rejected")


class PartnerJobStatusView(PartnerView):
    @extend_schema(tags=[TAG_PARTNER], summary="On the way / arrived", request=io.StatusInput, responses=ANY)
    def patch(self, request: Request, booking_id) -> ApiResponse:
        data = valid(io.StatusInput, request)
        _, assignment = jobs.job_advance(
            partner=self.partner(request),
            booking_id=booking_id,
            status=data["status"],
            estimated_arrival=data.get("estimated_arrival"),
        )
        return ApiResponse(_job_response(booking_id, assignment), message="Status updated")


class PartnerCompleteView(PartnerView):
    @extend_schema(
        tags=[TAG_PARTNER], summary="Finish the job (after arriving)", request=io.CompleteInput, responses=ANY
    )
    def post(self, request: Request, booking_id) -> ApiResponse:
        data = valid(io.CompleteInput, request)
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
        request=io.AvailabilityStatusInput,
        responses=inline_serializer(
            "AvailabilityStatus",
            {"is_available": serializers.BooleanField(), "last_seen_at": serializers.DateTimeField()},
        ),
    )
    def patch(self, request: Request) -> ApiResponse:
        data = valid(io.AvailabilityStatusInput, request)
        partner = availability.availability_set_status(
            partner=self.partner(request),
            is_available=data.get("is_available"),
            lat=data.get("current_lat"),
            lng=data.get("current_lng"),
        )
        return ApiResponse({"is_available": partner.is_available, "last_seen_at": partner.last_seen_at})


class PartnerWorkingHoursView(PartnerView):
    @extend_schema(
        tags=[TAG_PARTNER], summary="Set my working hours", request=io.WorkingHoursUpdateInput, responses=ANY
    )
    def put(self, request: Request) -> ApiResponse:
        data = valid(io.WorkingHoursUpdateInput, request)
        partner = self.partner(request)
        availability.availability_set_working_hours(partner=partner, working_hours=data["working_hours"])
        partner = selectors.partner_detail(partner.pk)
        return ApiResponse({"working_hours": availability.working_hours_of(partner)}, message="Working hours updated")


def earnings_payload(view: APIView, request: Request, partner_id) -> dict[str, Any]:
    params = query(DateRangeQuery, request)
    rows = selectors.earnings_of(
        partner_id, status=params.get("status"), date_from=params.get("date_from"), date_to=params.get("date_to")
    )
    return {
        **selectors.earnings_totals(rows),
        **paginate(view, request, rows, lambda e: io.EarningOutput(e).data, "earnings"),
    }


EARNINGS_PARAMS = [
    OpenApiParameter("status", str, description="pending, in_payout, paid or cancelled"),
    OpenApiParameter("date_from", str),
    OpenApiParameter("date_to", str),
    OpenApiParameter("page", int),
    OpenApiParameter("limit", int),
]


class PartnerEarningsView(PartnerView):
    @extend_schema(tags=[TAG_PARTNER], summary="My earnings with totals", parameters=EARNINGS_PARAMS, responses=ANY)
    def get(self, request: Request) -> ApiResponse:
        return ApiResponse(earnings_payload(self, request, self.partner(request).pk))


class PartnerEarningsSummaryView(PartnerView):
    @extend_schema(tags=[TAG_PARTNER], summary="Seed 002 earnings summary", responses=ANY)
    def get(self, request: Request) -> ApiResponse:
        partner = self.partner(request)
        rows = selectors.earnings_of(partner.pk)
        totals = selectors.earnings_totals(rows)
        recent = [{"id": str(e.pk), "amount": e.partner_earning, "status": e.status} for e in rows[:5]]
        return ApiResponse(
            {
                "total_earnings": totals["total_earnings"],
                "pending_earnings": totals["pending"],
                "recent_earnings": recent,
            }
        )


class PartnerPayoutsView(PartnerView):
    @extend_schema(tags=[TAG_PARTNER], summary="My payouts", responses=ANY)
    def get(self, request: Request) -> ApiResponse:
        rows = selectors.payouts_list(partner_id=self.partner(request).pk)
        return ApiResponse(paginate(self, request, rows, lambda p: io.PayoutOutput(p).data, "payouts"))


class PartnerPerformanceView(PartnerView):
    @extend_schema(tags=[TAG_PARTNER], summary="Seed 002 performance summary", responses=ANY)
    def get(self, request: Request) -> ApiResponse:
        return ApiResponse(performance.partner_performance(self.partner(request)))


# --- seed 002 vendor endpoints ----------------------------------------------------------------


class VendorAvailabilityView(PartnerView):
    @extend_schema(tags=[TAG_VENDORS], summary="My availability by day", responses=io.AvailabilityOutput(many=True))
    def get(self, request: Request) -> ApiResponse:
        rows = PartnerAvailability.objects.filter(partner=self.partner(request)).select_related("partner__user")
        data = io.AvailabilityOutput(rows.order_by("day_of_week"), many=True).data
        return ApiResponse({"count": len(data), "results": data})

    @extend_schema(
        tags=[TAG_VENDORS], summary="Set one day", request=io.DayAvailabilityInput, responses=io.AvailabilityOutput
    )
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.DayAvailabilityInput, request)
        row = availability.availability_set_day(partner=self.partner(request), data=data)
        return ApiResponse(io.AvailabilityOutput(row).data, status=201, message="Availability saved")


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
        responses=ANY,
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
        responses=io.ApplicationOutput(many=True),
    )
    def get(self, request: Request) -> ApiResponse:
        rows = selectors.applications_for(request.user, status=request.query_params.get("status"))
        page = paginate(self, request, rows, lambda a: io.ApplicationOutput(a).data, "results")
        return ApiResponse({"count": page["pagination"]["total"], **page})

    @extend_schema(
        tags=[TAG_VENDORS], summary="Apply as a vendor", request=io.ApplicationInput, responses=io.ApplicationOutput
    )
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.ApplicationInput, request)
        application = profiles.application_create(user=request.user, data=data)
        return ApiResponse(io.ApplicationOutput(application).data, status=201, message="Application created")


class ApplicationSubmitView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG_VENDORS], summary="Submit my application", request=None, responses=io.ApplicationOutput)
    def post(self, request: Request, application_id) -> ApiResponse:
        application = profiles.application_submit(user=request.user, application_id=application_id)
        return ApiResponse(io.ApplicationOutput(application).data, message="Application submitted")


class ApplicationReviewView(APIView):
    permission_classes = [require_perms("partners.change_partnerapplication")]

    @extend_schema(
        tags=[TAG_VENDORS], summary="Approve or reject (onboarding manager)", request=io.ReviewInput, responses=ANY
    )
    def post(self, request: Request, application_id) -> ApiResponse:
        data = valid(io.ReviewInput, request)
        application = profiles.application_review(application_id=application_id, by=request.user, **data)
        return ApiResponse(
            {"id": str(application.pk), "status": application.status, "reviewed_at": application.reviewed_at},
            message=f"Application {application.status}",
        )


# --- staff -------------------------------------------------------------------------------------


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
        responses=ANY,
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(PartnerListQuery, request)
        rows = selectors.partners_list(**params)
        return ApiResponse(paginate(self, request, rows, lambda p: io.PartnerRowOutput(p).data, "partners"))

    @extend_schema(tags=[TAG_ADMIN], summary="Create a partner", request=io.PartnerCreateInput, responses=ANY)
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.PartnerCreateInput, request)
        verified = data.pop("verified")
        partner = profiles.partner_create(data=data, created_by=request.user, verified=verified)
        partner = selectors.partner_detail(partner.pk)
        return ApiResponse(
            {"partner": io.PartnerOutput(partner).data, "partner_code": partner.partner_code},
            status=201,
            message="Partner created",
        )


class AdminPartnerDetailView(APIView):
    permission_classes = [require_perms_by_method(read="partners.view_partner", write="partners.change_partner")]

    @extend_schema(
        tags=[TAG_ADMIN],
        summary="A partner with earnings, bookings and performance",
        operation_id="admin_partner_retrieve",
        responses=ANY,
    )
    def get(self, request: Request, partner_id) -> ApiResponse:
        partner = selectors.partner_detail(partner_id)
        totals = selectors.earnings_totals(selectors.earnings_of(partner.pk))
        rating = float(partner.rating)
        return ApiResponse(
            {
                "partner": io.PartnerOutput(partner).data,
                "earnings": {"total": totals["total_earnings"], "pending": totals["pending"], "paid": totals["paid"]},
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

    @extend_schema(tags=[TAG_ADMIN], summary="Update a partner", request=io.PartnerFieldsInput, responses=ANY)
    def put(self, request: Request, partner_id) -> ApiResponse:
        data = valid(io.PartnerFieldsInput, request)
        profiles.partner_update(partner_id=partner_id, data=data, actor=request.user)
        return ApiResponse({"partner": io.PartnerOutput(selectors.partner_detail(partner_id)).data})

    patch = put


class AdminPartnerVerifyView(APIView):
    permission_classes = [require_perms("partners.change_partner")]

    @extend_schema(tags=[TAG_ADMIN], summary="Verify or reject a partner", request=io.PartnerVerifyInput, responses=ANY)
    def post(self, request: Request, partner_id) -> ApiResponse:
        data = valid(io.PartnerVerifyInput, request)
        profiles.partner_verify(
            partner_id=partner_id, status=data["onboarding_status"], notes=data["notes"], by=request.user
        )
        return ApiResponse({"partner": io.PartnerOutput(selectors.partner_detail(partner_id)).data})


class AdminPartnerAvailabilityView(APIView):
    permission_classes = [require_perms("partners.change_partner")]

    @extend_schema(
        tags=[TAG_ADMIN], summary="Set a partner's availability", request=io.AdminAvailabilityInput, responses=ANY
    )
    def patch(self, request: Request, partner_id) -> ApiResponse:
        data = valid(io.AdminAvailabilityInput, request)
        availability.partner_availability_set(
            partner_id=partner_id,
            is_available=data.get("is_available"),
            working_hours=data.get("working_hours"),
            actor=request.user,
        )
        return ApiResponse({"partner": io.PartnerOutput(selectors.partner_detail(partner_id)).data})


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
        responses=ANY,
    )
    def get(self, request: Request, partner_id) -> ApiResponse:
        selectors.partner_detail(partner_id)
        params = query(DateRangeQuery, request)
        rows = selectors.partner_jobs(
            partner_id, status=params.get("status"), date_from=params.get("date_from"), date_to=params.get("date_to")
        )
        return ApiResponse(paginate(self, request, rows, lambda a: io.partner_job_row(a, staff=True), "bookings"))


class AdminPartnerEarningsView(APIView):
    permission_classes = [require_perms("partners.view_partnerearning")]

    @extend_schema(tags=[TAG_ADMIN], summary="A partner's earnings", parameters=EARNINGS_PARAMS, responses=ANY)
    def get(self, request: Request, partner_id) -> ApiResponse:
        selectors.partner_detail(partner_id)
        return ApiResponse(earnings_payload(self, request, partner_id))


class AdminAssignPartnerView(APIView):
    permission_classes = [require_perms("partners.add_partnerassignment")]

    @extend_schema(
        tags=[TAG_ADMIN],
        summary="Assign a partner by hand (force skips eligibility)",
        request=io.AssignInput,
        responses=ANY,
    )
    def post(self, request: Request, booking_id) -> ApiResponse:
        data = valid(io.AssignInput, request)
        booking, assignment = dispatch.assign_manually(
            booking_id=booking_id, partner_id=data["partner_id"], by=request.user, force=data["force"]
        )
        assignment = PartnerAssignment.objects.select_related("partner__user").get(pk=assignment.pk)
        return ApiResponse(
            {"booking": _staff_booking(booking.pk), "assignment": io.AssignmentOutput(assignment).data},
            message="Partner assigned",
        )


def _staff_booking(booking_id) -> dict[str, Any]:
    from bookings import hooks
    from bookings.models import Booking

    booking = hooks.with_partner(Booking.objects.prefetch_related("items")).get(pk=booking_id)
    return booking_row(booking)


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
        responses=ANY,
    )
    def get(self, request: Request) -> ApiResponse:
        rows = selectors.payouts_list(**query(PayoutQuery, request))
        return ApiResponse(paginate(self, request, rows, lambda p: io.PayoutOutput(p).data, "payouts"))

    @extend_schema(tags=[TAG_PAYOUTS], summary="Pay out pending earnings", request=io.PayoutCreateInput, responses=ANY)
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.PayoutCreateInput, request)
        payout = payouts.payout_create(
            partner_id=data["partner_id"],
            earning_ids=data.get("earnings_ids"),
            payment_method=data["payment_method"],
            notes=data["notes"],
            by=request.user,
        )
        return ApiResponse(
            {"payout": io.PayoutOutput(payout).data, "payout_number": payout.payout_number},
            status=201,
            message="Payout created",
        )


class AdminPayoutProcessView(APIView):
    permission_classes = [require_perms("partners.change_partnerpayout")]

    @extend_schema(tags=[TAG_PAYOUTS], summary="Mark paid (completed)", request=io.PayoutProcessInput, responses=ANY)
    def post(self, request: Request, payout_id) -> ApiResponse:
        data = valid(io.PayoutProcessInput, request)
        payout = payouts.payout_process(payout_id=payout_id, by=request.user, **data)
        return ApiResponse(
            {"payout": io.PayoutOutput(payout).data, "status": payout.status}, message="Payout processed"
        )


class AdminPayoutStartView(APIView):
    permission_classes = [require_perms("partners.change_partnerpayout")]

    @extend_schema(tags=[TAG_PAYOUTS], summary="Mark sent to the bank (processing)", request=None, responses=ANY)
    def post(self, request: Request, payout_id) -> ApiResponse:
        payout = payouts.payout_start(payout_id=payout_id, by=request.user)
        return ApiResponse({"payout": io.PayoutOutput(payout).data, "status": payout.status})


class AdminPayoutFailView(APIView):
    permission_classes = [require_perms("partners.change_partnerpayout")]

    @extend_schema(
        tags=[TAG_PAYOUTS], summary="Mark failed (earnings pending again)", request=io.PayoutFailInput, responses=ANY
    )
    def post(self, request: Request, payout_id) -> ApiResponse:
        data = valid(io.PayoutFailInput, request)
        payout = payouts.payout_fail(payout_id=payout_id, reason=data["failure_reason"], by=request.user)
        return ApiResponse({"payout": io.PayoutOutput(payout).data, "status": payout.status}, message="Payout failed")


class AdminEarningReleaseView(APIView):
    permission_classes = [require_perms("partners.change_partnerearning")]

    @extend_schema(tags=[TAG_PAYOUTS], summary="Seed 002: pay one earning now", request=io.ReleaseInput, responses=ANY)
    def post(self, request: Request, earning_id) -> ApiResponse:
        data = valid(io.ReleaseInput, request)
        payout = payouts.earning_release(earning_id=earning_id, by=request.user, payment_method=data["payment_method"])
        return ApiResponse(
            {"earning_id": str(earning_id), "payout_number": payout.payout_number},
            message="Payment released successfully",
        )


# --- internal ----------------------------------------------------------------------------------


class InternalView(APIView):
    authentication_classes = [InternalTokenAuthentication]
    permission_classes = [IsInternalService]
    throttle_classes: list = []


class InternalAutoAssignView(InternalView):
    @extend_schema(tags=[TAG_INTERNAL], summary="Dispatch a booking now", request=io.AutoAssignInput, responses=ANY)
    def post(self, request: Request, booking_id) -> ApiResponse:
        data = valid(io.AutoAssignInput, request)
        assignment = dispatch.dispatch_now(booking_id, force=data["force"])
        assignment = PartnerAssignment.objects.select_related("partner__user").get(pk=assignment.pk)
        return ApiResponse(
            {
                "booking": _staff_booking(booking_id),
                "assignment": {
                    "partner_id": str(assignment.partner_id),
                    "partner_name": assignment.partner.name,
                    "status": assignment.status,
                    "expires_at": assignment.expires_at,
                    "score": assignment.score,
                    "score_parts": assignment.score_parts,
                },
            }
        )


class QueueQuery(serializers.Serializer):
    status = serializers.CharField(required=False)
    priority = serializers.IntegerField(required=False)


class InternalQueueView(InternalView):
    @extend_schema(
        tags=[TAG_INTERNAL],
        summary="Bookings waiting for a partner",
        parameters=[OpenApiParameter("status", str), OpenApiParameter("priority", int)],
        responses=ANY,
    )
    def get(self, request: Request) -> ApiResponse:
        rows = selectors.assignment_queue(**query(QueueQuery, request))

        def render(item) -> dict[str, Any]:
            booking = item.booking
            categories = sorted({line.service.category.name for line in booking.items.all()})
            return {
                "booking_id": str(booking.pk),
                "booking_number": booking.booking_number,
                "booking_date": booking.booking_date,
                "booking_time": booking.booking_time,
                "service_categories": categories,
                "address": booking.address_snapshot,
                "priority": item.priority,
                "status": item.status,
                "reason": item.reason,
                "attempts": item.attempts,
                "queued_at": item.queued_at,
            }

        page = paginate(self, request, rows, render, "pending_assignments", default_limit=50)
        return ApiResponse(page)
