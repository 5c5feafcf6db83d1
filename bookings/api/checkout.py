"""Checkout (seed 000): price a cart and offer slots (a 2-minute preview), then confirm it into a booking."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from bookings import serializers as io
from bookings.services import checkout
from core.idempotency import SCHEMA_PARAMETER as IDEMPOTENCY
from core.idempotency import IdempotentMixin, idempotency_key
from core.responses import ApiResponse


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
                "dynamic_pricing": serializers.DictField(
                    required=False,
                    help_text="With dynamic pricing on: the cart before and after the surge (promo and tax come "
                    "after it), the multiplier, its demand level and factors, and the pincode and day it holds for.",
                ),
            },
        ),
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
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
    """Turn my checkout preview into a booking at the slot I chose.
    Send ``X-Idempotency-Key``: a retry with the same key gets the first answer instead of acting twice."""

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
                    "booking": inline_serializer(
                        "ConfirmedBooking",
                        {
                            "id": serializers.UUIDField(),
                            "booking_number": serializers.CharField(),
                            "status": serializers.CharField(),
                            "grand_total": serializers.FloatField(),
                        },
                    ),
                    "payment": serializers.DictField(
                        required=False,
                        help_text="Online payment: the payment order, as POST /payments/create-order answers it "
                        "(the Checkout component); absent when it could not be started (the message says why).",
                    ),
                    "message": serializers.CharField(required=False, help_text="Cash bookings only."),
                },
            )
        },
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
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
