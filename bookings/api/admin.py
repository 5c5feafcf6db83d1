"""Staff bookings endpoints (seed 000 Admin APIs): one booking, cancel, refund; promo codes; contact
submissions; and seed 003's "send a booking's confirmation or reminder again".

Routed by ``adminpanel.urls`` under ``/api/v1/admin/`` (the seed 003 notices by ``bookings.urls``).
Each view names the Django permission it needs (``docs/permissions.md``, matrix "back office").
Writes go through ``bookings.services`` (audited). The bookings list (it filters by partner) and the
status change (staff completion is the partner's completion) read and write ``partners`` too, so
they stay in ``adminpanel.api.bookings``.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from bookings import admin_serializers as staff_io
from bookings import selectors, staff_scope
from bookings import serializers as io
from bookings.api import schemas as out
from bookings.services import contact, promos, staff
from core.api import page_params, paginate, query, valid
from core.errors import DomainError, ErrorCode
from core.permissions import require_perms, require_perms_by_method
from core.responses import ApiResponse
from core.schema import NULL_DATA

TAG_BOOKINGS = "admin: bookings"
TAG_PROMOS = "admin: promo codes"
TAG_CONTACT = "admin: users and staff"


def booking_data(booking_id) -> dict:
    """The staff view of a booking (customer, partner, payment, timeline), read afresh."""
    return io.staff_booking_detail(selectors.booking_for_staff(booking_id))


# --- one booking ------------------------------------------------------------------------------


class AdminBookingDetailView(APIView):
    permission_classes = [require_perms("bookings.view_booking")]

    @extend_schema(
        tags=[TAG_BOOKINGS],
        summary="A booking with customer, partner, payment and timeline",
        responses=out.StaffBookingDetailOutput,
    )
    def get(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        staff_scope.staff_booking_check(request.user, booking_id)
        return ApiResponse(booking_data(booking_id))


class AdminBookingCancelView(APIView):
    permission_classes = [require_perms("bookings.view_booking", "bookings.change_booking")]

    @extend_schema(
        tags=[TAG_BOOKINGS],
        summary="Cancel a booking (with a refund)",
        request=staff_io.AdminCancelInput,
        responses=out.StaffCancelOutput,
    )
    def post(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        staff_scope.staff_booking_check(request.user, booking_id)
        data = valid(staff_io.AdminCancelInput, request)
        refund_amount = data.get("refund_amount")
        if refund_amount is not None and not request.user.has_perm("payments.add_refund"):
            raise DomainError(
                "Your role may cancel but not refund; leave refund_amount out or ask finance.",
                code=ErrorCode.FORBIDDEN,
                field="refund_amount",
                reason="may_not_refund",
            )
        result = staff.booking_cancel(
            booking_id=booking_id, reason=data["reason"], refund_amount=refund_amount, actor=request.user
        )
        return ApiResponse(
            {
                "booking": booking_data(booking_id)["booking"],
                "refund": {
                    "amount": float(result.refund_amount),
                    "cancellation_fee": float(result.fee),
                    "status": result.refund_status,
                    "destination": "original_payment_method",
                },
            },
            message="Booking cancelled",
        )


class AdminBookingRefundView(APIView):
    permission_classes = [require_perms("bookings.view_booking", "payments.add_refund")]

    @extend_schema(
        tags=[TAG_BOOKINGS],
        summary="Refund a booking's payment (partial or full)",
        request=staff_io.AdminRefundInput,
        responses=out.StaffRefundOutput,
    )
    def post(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        staff_scope.staff_booking_check(request.user, booking_id)
        data = valid(staff_io.AdminRefundInput, request)
        refund = staff.booking_refund(
            booking_id=booking_id,
            amount=data.get("amount"),
            reason=data["reason"],
            notes=data["notes"],
            actor=request.user,
        )
        return ApiResponse(
            {
                "refund_id": str(refund.pk),
                "refund_amount": float(refund.amount),
                "status": "processing" if refund.status == "pending" else refund.status,
            },
            message="Refund started",
        )


# --- promo codes ------------------------------------------------------------------------------


class AdminPromoCodesView(APIView):
    permission_classes = [require_perms_by_method(read="bookings.view_promocode", write="bookings.add_promocode")]

    @extend_schema(
        tags=[TAG_PROMOS], summary="Promo codes", parameters=page_params("is_active"), responses=out.PromoCodesPage
    )
    def get(self, request: Request) -> ApiResponse:
        rows = selectors.promo_codes(is_active=query(staff_io.PromoQuery, request).get("is_active"))
        return ApiResponse(
            paginate(self, request, rows, lambda p: staff_io.AdminPromoOutput(p).data, "promo_codes", 50)
        )

    @extend_schema(
        tags=[TAG_PROMOS],
        summary="Create a promo code",
        request=staff_io.AdminPromoInput,
        responses={201: out.PromoCodeOutput},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        promo = promos.promo_create(data=valid(staff_io.AdminPromoInput, request), actor=request.user)
        return ApiResponse(
            {"promo_code": staff_io.AdminPromoOutput(promo).data}, status=201, message="Promo code created"
        )


class AdminPromoCodeDetailView(APIView):
    permission_classes = [require_perms_by_method(read="bookings.view_promocode", write="bookings.change_promocode")]

    @extend_schema(
        tags=[TAG_PROMOS],
        summary="Update a promo code",
        request=staff_io.AdminPromoInput(partial=True),
        responses=out.PromoCodeOutput,
    )
    def put(self, request: AuthenticatedRequest, promo_id) -> ApiResponse:
        data = valid(staff_io.AdminPromoInput, request, partial=True)
        data.pop("code", None)  # the code is the promo's identity; create a new one instead
        promo = promos.promo_update(promo_id=promo_id, data=data, actor=request.user)
        return ApiResponse({"promo_code": staff_io.AdminPromoOutput(promo).data}, message="Promo code updated")

    patch = put


# --- contact submissions ----------------------------------------------------------------------


class AdminContactSubmissionsView(APIView):
    permission_classes = [require_perms("bookings.view_contactsubmission")]

    @extend_schema(
        tags=[TAG_CONTACT],
        summary="Contact form submissions",
        parameters=page_params("status"),
        responses=out.ContactSubmissionsPage,
    )
    def get(self, request: Request) -> ApiResponse:
        rows = selectors.contact_submissions(status=query(staff_io.ContactQuery, request).get("status"))
        return ApiResponse(paginate(self, request, rows, lambda s: staff_io.AdminContactOutput(s).data, "submissions"))


class AdminContactSubmissionView(APIView):
    permission_classes = [require_perms("bookings.view_contactsubmission", "bookings.change_contactsubmission")]

    @extend_schema(
        tags=[TAG_CONTACT],
        summary="Answer a contact submission",
        request=staff_io.AdminContactUpdateInput,
        responses=out.ContactSubmissionOutput,
    )
    def patch(self, request: AuthenticatedRequest, submission_id) -> ApiResponse:
        data = valid(staff_io.AdminContactUpdateInput, request)
        submission = contact.contact_update(
            submission_id=submission_id,
            status=data.get("status"),
            admin_notes=data.get("admin_notes"),
            actor=request.user,
        )
        return ApiResponse({"submission": staff_io.AdminContactOutput(submission).data}, message="Submission updated")


# --- seed 003: send a booking's confirmation or reminder again ----------------------------------


class BookingNoticeInput(serializers.Serializer):
    booking_id = serializers.UUIDField(required=False)
    appointment_id = serializers.UUIDField(required=False, help_text="Another name for booking_id")  # seed 003

    def validate(self, attrs):
        booking_id = attrs.get("booking_id") or attrs.get("appointment_id")
        if booking_id is None:
            raise serializers.ValidationError({"booking_id": "This field is required."})
        return {"booking_id": booking_id}


# Seed 003.
class _BookingNoticeView(APIView):
    """Staff send a booking's confirmation or reminder to the customer again, on every channel the customer
    allows."""

    event_type = ""
    done = ""

    def post(self, request: Request) -> ApiResponse:
        from bookings.notify import booking_notice_send

        booking_id = valid(BookingNoticeInput, request)["booking_id"]
        # as for an unknown id (booking_notice_send's answer)
        staff_scope.staff_booking_check(
            request.user,  # type: ignore[arg-type]  # signed in (the permission class)
            booking_id,
            code=ErrorCode.NOT_FOUND,
            field="booking_id",
        )
        booking_notice_send(booking_id=booking_id, event_type=self.event_type, actor=request.user)
        return ApiResponse(None, message=self.done)


class ResendConfirmationView(_BookingNoticeView):
    permission_classes = [require_perms("bookings.view_booking", "notifications.resend_confirmation")]
    event_type, done = "booking_confirmed", "Appointment confirmation sent successfully"

    @extend_schema(
        tags=["notifications"],
        summary="Send a booking's confirmation again",
        request=BookingNoticeInput,
        responses={200: NULL_DATA},
    )
    def post(self, request: Request) -> ApiResponse:
        return super().post(request)


class SendReminderView(_BookingNoticeView):
    permission_classes = [require_perms("bookings.view_booking", "notifications.send_reminder")]
    event_type, done = "appointment_reminder", "Appointment reminder sent successfully"

    @extend_schema(
        tags=["notifications"],
        summary="Send a booking's reminder now",
        request=BookingNoticeInput,
        responses={200: NULL_DATA},
    )
    def post(self, request: Request) -> ApiResponse:
        return super().post(request)
