"""Bookings API views (so far: promo-code validation and the contact form)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.serializers import PhoneField
from bookings.services.contact import contact_submit
from bookings.services.promos import promo_evaluate
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
