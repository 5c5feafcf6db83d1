"""The customer's endpoints: my bookings (list, detail, cancel, reschedule, rate), the home-screen dashboard,
promo-code validation and the public contact form.

Seed 004 adds, on the same resources: ``POST /bookings`` (a chosen specialist at ``scheduled_at``, answered
with the deposit's gateway order), the list filters ``start_date``/``end_date`` (the booking's own day,
both included), ``PUT /bookings/{id}`` (notes, or a new time: a reschedule), ``DELETE /bookings/{id}`` (the
customer's cancel, under ``bookings.policy``) and ``POST /bookings/{id}/reschedule`` with
``new_scheduled_at`` and ``reason`` beside seed 000's ``new_date`` and ``new_time``.

Seed 002 adds ``POST /bookings`` with ``service``, ``pincode`` and ``scheduled_date`` (a dispatched booking) and
``PATCH /bookings/{id}`` (``vendor_notes``, ``status``): ``bookings.api.booking_writes``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from accounts.selectors import addresses_of
from accounts.serializers import AddressOutput, PhoneField
from bookings import list_rows, selectors
from bookings import serializers as io
from bookings.api import booking_writes, schemas
from bookings.models import Booking
from bookings.services import lifecycle
from bookings.services.contact import contact_submit
from bookings.services.promos import promo_evaluate
from bookings.services.specialist_bookings import booking_notes_update, specialist_book
from core.api import query, valid
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer
from payments.serializers import PaymentDetailOutput


class PromoValidateInput(serializers.Serializer):
    code = serializers.CharField(max_length=50)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, help_text="The order subtotal.")


class PromoValidateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["promo codes"],
        summary="Check a promo code against an order amount",
        request=PromoValidateInput,
        responses=inline_serializer(
            "PromoValidation",
            {
                "code": serializers.CharField(),
                "valid": serializers.BooleanField(),
                "discount": serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=False),
                "message": serializers.CharField(),
                "reason": serializers.CharField(required=False, help_text="Why it does not apply (PROMO_...)"),
            },
        ),
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = PromoValidateInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = promo_evaluate(
            code=data.validated_data["code"], user=request.user, subtotal=data.validated_data["amount"]
        )
        return ApiResponse(result.as_dict(), message=result.message)


class ContactInput(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    email = serializers.EmailField()
    phone = PhoneField(required=False)
    subject = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    message = serializers.CharField(max_length=5000)


class ContactView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["contact"],
        summary="Send a message to the team",
        request=ContactInput,
        responses={201: inline_serializer("ContactReceived", {"id": serializers.UUIDField()})},
    )
    def post(self, request: Request) -> ApiResponse:
        data = ContactInput(data=request.data)
        data.is_valid(raise_exception=True)
        submission = contact_submit(ip=request.META.get("REMOTE_ADDR", ""), user=request.user, **data.validated_data)
        return ApiResponse(
            {"id": str(submission.pk)},
            message="Thank you for contacting us. We'll get back to you soon.",
            status=201,
        )


CANCELLED = inline_serializer(
    "Cancelled",
    {
        "booking_id": serializers.UUIDField(),
        "status": serializers.CharField(),
        "cancellation_fee": serializers.DecimalField(max_digits=10, decimal_places=2),
        "refund_amount": serializers.DecimalField(max_digits=10, decimal_places=2),
        "refund_status": serializers.CharField(),
    },
)


class CancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class BookingListView(booking_writes.QuickIdempotentMixin, ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = io.BookingOutput
    pagination_items_key = "bookings"
    pagination_default_limit = 10

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Booking.objects.none()
        return selectors.bookings_of(self.request.user, **query(schemas.BookingListQuery, self.request))

    def _reader(self, request: Request) -> Callable[[int, int], tuple[list[Any], int]]:
        """``(offset, limit) -> (page, total)``: one hand-written statement on PostgreSQL, else the ORM's page."""
        if not list_rows.available():
            rows = self.get_queryset()
            return lambda offset, limit: selectors.bookings_page(rows, offset=offset, limit=limit)
        filters = schemas.booking_list_filters(request)
        selectors.check_status(filters.get("status"))
        return lambda offset, limit: list_rows.customer_page(request.user.pk, **filters, offset=offset, limit=limit)

    @extend_schema(
        tags=["bookings"],
        summary="My bookings, newest first",
        parameters=[
            OpenApiParameter("status", str, description="Only bookings in this status"),
            OpenApiParameter("start_date", str, description="From this day (YYYY-MM-DD; startDate too)"),
            OpenApiParameter("end_date", str, description="Up to this day, included (YYYY-MM-DD; endDate too)"),
            OpenApiParameter("scheduled_date", str, description="Only this day (YYYY-MM-DD; scheduledDate too)"),
            OpenApiParameter("pincode", str, description="Booked at an address in this 6-digit pincode"),
        ],
    )
    def get(self, request: Request, *args, **kwargs):
        page = self.paginator.paginate_counted(self._reader(request), request, self)  # type: ignore[union-attr]  # PageLimitPagination
        return self.get_paginated_response(io.booking_rows(page))

    @extend_schema(
        tags=["bookings"],
        summary="Book: a chosen specialist's service at a time (held until the deposit is paid), or a service at "
        "my address in a pincode with a partner sent",
        description="Two bodies, told apart by their fields: specialist_id, service_id and scheduled_at (a "
        "specialist), or service, pincode and scheduled_date (a partner is dispatched; X-Idempotency-Key optional).",
        request=booking_writes.BOOKING_CREATE_REQUEST,
        responses={
            201: PolymorphicProxySerializer(
                component_name="BookingCreated",
                serializers=[schemas.SpecialistBookedOutput, booking_writes.QUICK_BOOKED],
                resource_type_field_name=None,
            ),
            404: ErrorResponseSerializer,
            409: ErrorResponseSerializer,
            422: ErrorResponseSerializer,
        },
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        if booking_writes.booking_kind(request.data) == booking_writes.QUICK:
            return booking_writes.quick_book_response(request)
        data = valid(schemas.SpecialistBookingInput, request)
        result = specialist_book(
            customer=request.user,
            specialist_id=data["specialist_id"],
            service_id=data["service_id"],
            start=data["scheduled_at"],
            duration_minutes=data.get("duration"),
            notes=data["notes"],
            total_amount=data.get("total_amount"),
            idempotency_key=request.headers.get("X-Idempotency-Key") or None,
        )
        return ApiResponse(
            {
                "booking": schemas.specialist_booking(result.booking),
                "payment_intent": result.payment_intent,
            },
            message="Booking held: pay the deposit to keep it"
            if result.payment_intent
            else "Booking held: pay it with /payments/process-deposit",
            status=201,
        )


class BookingDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["bookings"],
        summary="One of my bookings, with its timeline and payments",
        responses=io.BookingDetailOutput,
    )
    def get(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        return ApiResponse(io.BookingDetailOutput(selectors.booking_of(request.user, booking_id)).data)

    @extend_schema(
        tags=["bookings"],
        summary="Change my booking's notes, or move it to another time",
        request=schemas.BookingUpdateInput,
        responses={200: io.BookingDetailOutput, 409: ErrorResponseSerializer, 422: ErrorResponseSerializer},
    )
    def put(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        data = valid(schemas.BookingUpdateInput, request)
        selectors.booking_of(request.user, booking_id)  # someone else's booking is "not found" before anything
        if "scheduled_at" in data:
            lifecycle.booking_reschedule(
                user=request.user, booking_id=booking_id, new_start=data["scheduled_at"], reason=data["reason"]
            )
        if "notes" in data:
            booking_notes_update(user=request.user, booking_id=booking_id, notes=data["notes"])
        return ApiResponse(
            io.BookingDetailOutput(selectors.booking_of(request.user, booking_id)).data, message="Booking updated"
        )

    @extend_schema(
        tags=["bookings"],
        summary="The partner's notes (the partner working it), my notes, or cancel (status cancelled)",
        request=booking_writes.BookingPatchInput,
        responses={
            200: booking_writes.BookingPatchedOutput,
            403: ErrorResponseSerializer,
            404: ErrorResponseSerializer,
            422: ErrorResponseSerializer,
        },
    )
    def patch(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        return booking_writes.patch_response(request, booking_id)

    @extend_schema(
        tags=["bookings"],
        summary="Cancel my booking (the same as POST /bookings/{id}/cancel)",
        request=None,
        responses={200: CANCELLED, 422: ErrorResponseSerializer},
    )
    def delete(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        data = valid(CancelInput, request)
        return _cancel(request.user, booking_id, data["reason"])


class BookingCancelView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["bookings"],
        summary="Cancel my booking (refunds what was paid, less any fee)",
        request=CancelInput,
        responses=CANCELLED,
    )
    def post(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        data = valid(CancelInput, request)
        return _cancel(request.user, booking_id, data["reason"])


def _cancel(user, booking_id, reason: str) -> ApiResponse:
    result = lifecycle.booking_cancel(user=user, booking_id=booking_id, reason=reason)
    return ApiResponse(
        {
            "booking_id": str(result.booking.pk),
            "status": result.booking.status,
            "cancellation_fee": result.fee,
            "refund_amount": result.refund_amount,
            "refund_status": result.refund_status,
        },
        message="Booking cancelled",
    )


# Seed 000's ``new_date`` and ``new_time``, or seed 004's ``new_scheduled_at``.
class RescheduleInput(serializers.Serializer):
    """The new time: ``new_date`` and ``new_time``, or ``new_scheduled_at`` (an instant with its offset);
    ``reason`` is kept on the booking's timeline."""

    new_date = serializers.DateField(required=False)
    new_time = serializers.CharField(max_length=8, required=False)
    new_scheduled_at = schemas.AwareDateTimeField(required=False)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "new_scheduled_at" in attrs:
            return {"new_start": attrs["new_scheduled_at"], "reason": attrs["reason"]}
        missing = [name for name in ("new_date", "new_time") if name not in attrs]
        if missing:
            raise serializers.ValidationError(
                {missing[0]: ["Send new_scheduled_at, or new_date and new_time."]}, code="required"
            )
        return attrs


class BookingRescheduleView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["bookings"],
        summary="Move my booking to another slot",
        request=RescheduleInput,
        responses=io.BookingOutput,
    )
    def post(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        data = valid(RescheduleInput, request)
        lifecycle.booking_reschedule(user=request.user, booking_id=booking_id, **data)
        return ApiResponse(
            io.BookingOutput(selectors.booking_of(request.user, booking_id)).data, message="Booking rescheduled"
        )


class RateInput(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    feedback = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class BookingRateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["bookings"],
        summary="Rate my completed booking, once",
        request=RateInput,
        responses=inline_serializer("Rated", {"rating": serializers.IntegerField()}),
    )
    def post(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        data = RateInput(data=request.data)
        data.is_valid(raise_exception=True)
        booking = lifecycle.booking_rate(user=request.user, booking_id=booking_id, **data.validated_data)
        return ApiResponse({"rating": booking.customer_rating}, message="Rating submitted successfully")


# Seed 000's combined endpoint.
class DashboardView(APIView):
    """The customer's home screen in one call: their account, addresses, recent bookings and notifications."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["dashboard"],
        summary="Everything the home screen needs",
        responses=inline_serializer(
            "Dashboard",
            {
                "user": serializers.DictField(),
                "addresses": serializers.ListField(),
                "recent_bookings": serializers.ListField(),
                "notifications": serializers.ListField(),
            },
        ),
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        user = request.user
        return ApiResponse(
            {
                "user": {"id": str(user.pk), "name": user.full_name, "phone_number": user.phone, "email": user.email},
                "addresses": AddressOutput(addresses_of(user), many=True).data,
                "recent_bookings": io.booking_rows(selectors.bookings_of(user)[:5]),
                "notifications": [
                    {
                        "id": str(n.pk),
                        "type": n.event_type,
                        "title": n.title,
                        "message": n.message,
                        "is_read": n.is_read,
                        "created_at": n.created_at.isoformat(),
                    }
                    for n in user.notifications.order_by("-created_at")[:5]
                ],
            }
        )


# Seed 003 ``GET /payments/{appointmentId}``, which collides with seed 000's ``/payments/{payment_id}``.
class BookingPaymentView(APIView):
    """The payments of one of my bookings, newest first, with their refunds."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["bookings"],
        summary="My booking's payments, newest first, with their refunds",
        responses={200: PaymentDetailOutput(many=True), 404: ErrorResponseSerializer},
    )
    def get(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        return ApiResponse(PaymentDetailOutput(selectors.booking_payments(request.user, booking_id), many=True).data)
