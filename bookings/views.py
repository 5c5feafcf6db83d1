"""Bookings API views: checkout, bookings list and detail, promo-code validation, contact form."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.selectors import addresses_of
from accounts.serializers import AddressOutput, PhoneField
from bookings import selectors
from bookings import serializers as io
from bookings.models import Booking
from bookings.services import checkout, lifecycle
from bookings.services.contact import contact_submit
from bookings.services.promos import promo_evaluate
from core.api import valid
from core.idempotency import SCHEMA_PARAMETER as IDEMPOTENCY
from core.idempotency import IdempotentMixin, idempotency_key
from core.permissions import require_perms
from core.responses import ApiResponse


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
    def post(self, request: Request) -> ApiResponse:
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


class CheckoutPrepareView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["checkout"],
        summary="Price a cart and offer time slots (a 2-minute preview)",
        request=io.PrepareInput,
        responses=inline_serializer(
            "CheckoutPreview",
            {
                "preview_id": serializers.UUIDField(),
                "services": serializers.ListField(),
                "pricing": serializers.DictField(),
                "promo": serializers.DictField(allow_null=True),
                "booking_date": serializers.DateField(),
                "available_time_slots": serializers.ListField(child=serializers.CharField()),
                "address": serializers.DictField(allow_null=True),
                "expires_at": serializers.DateTimeField(),
            },
        ),
    )
    def post(self, request: Request) -> ApiResponse:
        data = io.PrepareInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        preview = checkout.checkout_prepare(
            user=request.user,
            items=values["items"],
            promo_code=values.get("promo_code") or None,
            address_id=values.get("address_id"),
            booking_date=values.get("booking_date"),
        )
        return ApiResponse(preview)


class CheckoutConfirmView(IdempotentMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["checkout"],
        summary="Confirm a preview into a booking",
        request=io.ConfirmInput,
        parameters=[IDEMPOTENCY],
        responses={
            201: inline_serializer(
                "Confirmed",
                {
                    "booking": serializers.DictField(),
                    "payment": serializers.DictField(required=False),
                    "message": serializers.CharField(),
                },
            )
        },
    )
    def post(self, request: Request) -> ApiResponse:
        data = io.ConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        confirmed = checkout.checkout_confirm(
            user=request.user, idempotency_key=idempotency_key(request), **data.validated_data
        )
        booking = confirmed.booking
        summary = {
            "id": str(booking.pk),
            "booking_number": booking.booking_number,
            "status": booking.status,
            "grand_total": booking.grand_total,
        }
        if booking.payment_method == "cash":
            message = "Booking created. Partner will be assigned shortly."
            return ApiResponse({"booking": summary, "message": message}, message=message, status=201)
        payload: dict = {"booking": summary}
        if confirmed.payment is not None:
            payload["payment"] = confirmed.payment
            message = "Booking created. Complete the payment to confirm it."
        else:
            message = f"Booking created, but the payment could not be started ({confirmed.payment_error}). Retry it."
        return ApiResponse(payload, message=message, status=201)


class BookingListView(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = io.BookingOutput
    pagination_items_key = "bookings"
    pagination_default_limit = 10

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Booking.objects.none()
        return selectors.bookings_of(self.request.user, status=self.request.query_params.get("status"))

    @extend_schema(
        tags=["bookings"],
        summary="My bookings, newest first",
        parameters=[OpenApiParameter("status", str, description="Only bookings in this status")],
    )
    def get(self, request: Request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([io.booking_row(booking) for booking in page])


class BookingDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["bookings"],
        summary="One of my bookings, with its timeline and payments",
        responses=io.BookingDetailOutput,
    )
    def get(self, request: Request, booking_id) -> ApiResponse:
        return ApiResponse(io.BookingDetailOutput(selectors.booking_of(request.user, booking_id)).data)


class CancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class BookingCancelView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["bookings"],
        summary="Cancel my booking (refunds what was paid, less any fee)",
        request=CancelInput,
        responses=inline_serializer(
            "Cancelled",
            {
                "booking_id": serializers.UUIDField(),
                "status": serializers.CharField(),
                "cancellation_fee": serializers.DecimalField(max_digits=10, decimal_places=2),
                "refund_amount": serializers.DecimalField(max_digits=10, decimal_places=2),
                "refund_status": serializers.CharField(),
            },
        ),
    )
    def post(self, request: Request, booking_id) -> ApiResponse:
        data = CancelInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = lifecycle.booking_cancel(
            user=request.user, booking_id=booking_id, reason=data.validated_data["reason"]
        )
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


class RescheduleInput(serializers.Serializer):
    new_date = serializers.DateField()
    new_time = serializers.CharField(max_length=8)


class BookingRescheduleView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["bookings"],
        summary="Move my booking to another slot (seed 004)",
        request=RescheduleInput,
        responses=io.BookingOutput,
    )
    def post(self, request: Request, booking_id) -> ApiResponse:
        data = RescheduleInput(data=request.data)
        data.is_valid(raise_exception=True)
        lifecycle.booking_reschedule(user=request.user, booking_id=booking_id, **data.validated_data)
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
    def post(self, request: Request, booking_id) -> ApiResponse:
        data = RateInput(data=request.data)
        data.is_valid(raise_exception=True)
        booking = lifecycle.booking_rate(user=request.user, booking_id=booking_id, **data.validated_data)
        return ApiResponse({"rating": booking.customer_rating}, message="Rating submitted successfully")


class DashboardView(APIView):
    """Seed 000's combined endpoint: the user, their addresses, recent bookings and notifications, in one call."""

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
    def get(self, request: Request) -> ApiResponse:
        user = request.user
        return ApiResponse(
            {
                "user": {"id": str(user.pk), "name": user.full_name, "phone_number": user.phone, "email": user.email},
                "addresses": AddressOutput(addresses_of(user), many=True).data,
                "recent_bookings": [io.booking_row(booking) for booking in selectors.bookings_of(user)[:5]],
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


class BookingNoticeInput(serializers.Serializer):
    booking_id = serializers.UUIDField(required=False)
    appointment_id = serializers.UUIDField(required=False, help_text="Seed 003's name for booking_id")

    def validate(self, attrs):
        booking_id = attrs.get("booking_id") or attrs.get("appointment_id")
        if booking_id is None:
            raise serializers.ValidationError({"booking_id": "This field is required."})
        return {"booking_id": booking_id}


class _BookingNoticeView(APIView):
    """Seed 003: staff send a booking's confirmation or reminder again (every channel the customer allows)."""

    event_type = ""
    done = ""

    def post(self, request: Request) -> ApiResponse:
        from bookings.notify import booking_notice_send

        booking_id = valid(BookingNoticeInput, request)["booking_id"]
        booking_notice_send(booking_id=booking_id, event_type=self.event_type, actor=request.user)
        return ApiResponse(None, message=self.done)


class ResendConfirmationView(_BookingNoticeView):
    permission_classes = [require_perms("bookings.view_booking", "notifications.resend_confirmation")]
    event_type, done = "booking_confirmed", "Appointment confirmation sent successfully"

    @extend_schema(
        tags=["notifications"],
        summary="Send a booking's confirmation again",
        request=BookingNoticeInput,
        responses=OpenApiTypes.OBJECT,
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
        responses=OpenApiTypes.OBJECT,
    )
    def post(self, request: Request) -> ApiResponse:
        return super().post(request)
