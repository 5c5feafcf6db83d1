"""Seed 004's provider steps on a booking: ``POST /bookings/{id}/confirm`` and ``POST /bookings/{id}/complete``.

The paths sit beside the customer's ``/bookings/{id}/...`` (distinct last segments), served here because the
rules live on the partners side (``partners.services.appointment_steps``). Someone who is not the
booking's provider (nor, for complete, staff with ``bookings.change_booking``) gets 404.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from bookings.selectors import booking_for_staff
from bookings.serializers import BookingDetailOutput
from core.api import valid
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer
from partners.services.appointment_steps import appointment_complete, appointment_confirm

TAG = "bookings"


class SpecialistConfirmInput(serializers.Serializer):
    meeting_link = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    preparation_notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class SpecialistConfirmedOutput(serializers.Serializer):
    booking = BookingDetailOutput()
    notifications_sent = serializers.ListField(
        child=serializers.CharField(), help_text='Channels a message was queued on, e.g. "customer_email".'
    )


class SpecialistCompleteInput(serializers.Serializer):
    completion_notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    deliverables = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, default=list, max_length=50
    )


class SpecialistCompletedOutput(serializers.Serializer):
    booking = BookingDetailOutput()
    partner_earning = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=False)


class SpecialistConfirmView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="The specialist confirms a paid booking, with the meeting link",
        request=SpecialistConfirmInput,
        responses={200: SpecialistConfirmedOutput, 404: ErrorResponseSerializer, 422: ErrorResponseSerializer},
    )
    def post(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        data = valid(SpecialistConfirmInput, request)
        result = appointment_confirm(provider_user=request.user, booking_id=booking_id, **data)
        return ApiResponse(
            {
                "booking": BookingDetailOutput(booking_for_staff(result.booking.pk)).data,
                "notifications_sent": result.notifications_sent,
            },
            message="Booking confirmed",
        )


class SpecialistCompleteView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="The specialist (or staff) completes a confirmed booking after its start",
        request=SpecialistCompleteInput,
        responses={200: SpecialistCompletedOutput, 404: ErrorResponseSerializer, 422: ErrorResponseSerializer},
    )
    def post(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        data = valid(SpecialistCompleteInput, request)
        booking, earning = appointment_complete(actor=request.user, booking_id=booking_id, **data)
        return ApiResponse(
            {
                "booking": BookingDetailOutput(booking_for_staff(booking.pk)).data,
                "partner_earning": earning.partner_earning,
            },
            message="Booking completed",
        )
