"""Seed 002's sign-off: ``POST /bookings/{id}/request_signature``, ``GET /signatures``,
``POST /signatures/{id}/sign`` and ``POST /signatures/{id}/refuse``.

Rules are in ``bookings.services.signatures`` (S1-S9); the list in ``bookings.signature_selectors``. Signing takes
JSON or multipart (a drawn signature image); camelCase names (``satisfactionRating``, ``signatureImage``) are read
as snake_case.
"""

from __future__ import annotations

from djangorestframework_camel_case.parser import CamelCaseJSONParser
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from bookings import signature_selectors
from bookings.models import BookingSignature, Dispute, SignatureStatus
from bookings.models.disputes import ACTIVE_DISPUTE_STATUSES
from bookings.services import signatures
from core.api import CamelCaseInput, valid
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer

TAG = "sign-off"
ERRORS = {404: ErrorResponseSerializer, 409: ErrorResponseSerializer, 422: ErrorResponseSerializer}


class SignatureRequestedOutput(serializers.Serializer):
    message = serializers.CharField(help_text='"Signature requested for <service name>".')
    signature_id = serializers.UUIDField()
    expires_at = serializers.DateTimeField(help_text="The customer signs before this (48 hours by default).")


class SignatureRowOutput(serializers.Serializer):
    id = serializers.UUIDField()
    booking = serializers.UUIDField(source="booking_id")
    booking_number = serializers.CharField(source="booking.booking_number")
    status = serializers.ChoiceField(choices=SignatureStatus.choices)
    requested_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    signed_at = serializers.DateTimeField(allow_null=True)
    satisfaction_rating = serializers.IntegerField(allow_null=True)
    satisfaction_comments = serializers.CharField()
    signature_hash = serializers.CharField(help_text="SHA-256 hex of the signed fields; empty until signed.")

    class Meta:
        ref_name = "SignatureRow"


class SignatureListOutput(serializers.Serializer):
    count = serializers.IntegerField()
    results = SignatureRowOutput(many=True)


class SignInput(CamelCaseInput):
    """The customer's sign-off: 1 to 5 stars, comments, and optionally the drawn signature (multipart)."""

    ALIASES = {"satisfactionRating": "satisfaction_rating", "signatureImage": "signature_image"}

    satisfaction_rating = serializers.IntegerField(min_value=1, max_value=5)
    comments = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    signature_image = serializers.FileField(required=False, allow_null=True, default=None)


class SignedOutput(serializers.Serializer):
    message = serializers.CharField()
    signature_hash = serializers.CharField(help_text="SHA-256 hex of the signed fields, reproducible.")


class RefuseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class MessageOutput(serializers.Serializer):
    message = serializers.CharField()

    class Meta:
        ref_name = "SignatureMessage"


class RefusedOutput(serializers.Serializer):
    message = serializers.CharField()
    dispute_id = serializers.UUIDField(help_text="The dispute the refusal opened (or joined).")


class SignatureRequestView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Ask the customer to sign the completed job off (the booking's partner or staff)",
        request=None,
        responses={201: SignatureRequestedOutput, 403: ErrorResponseSerializer, **ERRORS},
    )
    def post(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        asked = signatures.signature_request(actor=request.user, booking_id=booking_id)
        body = {
            "message": asked.message,
            "signature_id": asked.signature.pk,
            "expires_at": asked.signature.expires_at,
        }
        return ApiResponse(SignatureRequestedOutput(body).data, message=asked.message, status=201)


class SignaturesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="My sign-off requests, newest first (staff: all)",
        responses={200: SignatureListOutput},
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        rows: list[BookingSignature] = list(signature_selectors.signatures_for(request.user))
        return ApiResponse({"count": len(rows), "results": SignatureRowOutput(rows, many=True).data})


class SignatureSignView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [CamelCaseJSONParser, MultiPartParser]

    @extend_schema(
        tags=[TAG],
        summary="Sign the job off with a satisfaction rating (the booking's customer, once)",
        request={"application/json": SignInput, "multipart/form-data": SignInput},
        responses={200: SignedOutput, **ERRORS},
    )
    def post(self, request: AuthenticatedRequest, signature_id) -> ApiResponse:
        data = valid(SignInput, request)
        signature = signatures.signature_sign(user=request.user, signature_id=signature_id, **data)
        message = "Thank you: the job is signed off."
        return ApiResponse({"message": message, "signature_hash": signature.signature_hash}, message=message)


class SignatureRefuseView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Refuse to sign the job off, with a reason (the booking's customer)",
        request=RefuseInput,
        responses={200: RefusedOutput, **ERRORS},
    )
    def post(self, request: AuthenticatedRequest, signature_id) -> ApiResponse:
        data = valid(RefuseInput, request)
        signature = signatures.signature_refuse(user=request.user, signature_id=signature_id, reason=data["reason"])
        dispute = (
            signature.disputes.order_by("-created_at").first()
            or Dispute.objects.filter(booking_id=signature.booking_id, status__in=ACTIVE_DISPUTE_STATUSES).first()
        )
        message = "Your refusal is recorded and a dispute is open: our team will look into it."
        return ApiResponse({"message": message, "dispute_id": dispute.pk if dispute else None}, message=message)
