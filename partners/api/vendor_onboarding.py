"""Seed 001 2.2.1-2.2.3: a vendor registers, adds bank details and the services they offer.

The caller is the signed-in person (their verified phone); ``{vendor_id}``
must be their own vendor profile (404 otherwise, so ids are not confirmed).
Numbers are validated here (IFSC, PAN, GST) and stored encrypted by the
service; answers show them masked. Asking for societies is
``societies.api.vendor`` (societies imports partners, not the reverse).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from accounts.serializers import PhoneField
from accounts.services.tokens import tokens_issue
from core.api import valid
from core.responses import ApiResponse
from core.types import Id
from partners.models import IdProofType, Partner
from partners.services import vendors

TAG = "vendors: onboarding"
IFSC = r"^[A-Z]{4}0[A-Z0-9]{6}$"
PAN = r"^[A-Z]{5}[0-9]{4}[A-Z]$"
GST = r"^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$"


class UpperRegexField(serializers.RegexField):
    def to_internal_value(self, data: Any) -> str:
        return super().to_internal_value(str(data).strip().upper())


class VendorRegisterInput(serializers.Serializer):
    phone = PhoneField(required=False)
    full_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True)
    business_name = serializers.CharField(max_length=255)
    store_address = serializers.CharField(max_length=1000)
    id_proof_type = serializers.ChoiceField(choices=IdProofType.choices)
    id_proof_number = serializers.CharField(min_length=4, max_length=30)
    id_proof_photo_url = serializers.URLField(required=False, allow_blank=True, max_length=500, default="")
    store_photo_url = serializers.URLField(required=False, allow_blank=True, max_length=500, default="")
    gst_number = UpperRegexField(GST, required=False, allow_blank=True, default="")
    pan_number = UpperRegexField(PAN, required=False, allow_blank=True, default="")


class BankDetailsInput(serializers.Serializer):
    bank_account_number = serializers.RegexField(r"^[0-9]{9,18}$")
    bank_ifsc_code = UpperRegexField(IFSC)
    bank_account_holder = serializers.CharField(max_length=255)
    bank_name = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")
    branch_name = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")


class VendorServiceInput(serializers.Serializer):
    service_id = serializers.UUIDField()
    service_key = serializers.CharField(required=False, max_length=50)
    turnaround_hours = serializers.IntegerField(required=False, min_value=1, max_value=24 * 30)
    is_active = serializers.BooleanField(required=False, default=True)


class VendorServicesInput(serializers.Serializer):
    services = VendorServiceInput(many=True, min_length=1, max_length=100)  # type: ignore[call-arg]  # ListSerializer takes them


class VendorUserOutput(serializers.Serializer):
    user_id = serializers.UUIDField()
    phone = serializers.CharField(allow_null=True)
    full_name = serializers.CharField()
    user_type = serializers.CharField()
    is_verified = serializers.BooleanField()


class VendorRowOutput(serializers.Serializer):
    vendor_id = serializers.UUIDField()
    business_name = serializers.CharField()
    store_address = serializers.CharField()
    approval_status = serializers.CharField()
    created_at = serializers.DateTimeField()


class RegisteredOutput(serializers.Serializer):
    user = VendorUserOutput()
    vendor = VendorRowOutput()
    tokens = serializers.DictField()
    next_steps = serializers.DictField()


class BankOutput(serializers.Serializer):
    bank_account_number = serializers.CharField(help_text="Masked: all but the last 4 digits.")
    bank_ifsc_code = serializers.CharField()
    bank_account_holder = serializers.CharField()
    bank_name = serializers.CharField()
    branch_name = serializers.CharField()
    verified = serializers.BooleanField()


class BankDetailsOutput(serializers.Serializer):
    vendor_id = serializers.UUIDField()
    bank_details = BankOutput()


class OfferedOutput(serializers.Serializer):
    service_id = serializers.UUIDField()
    service_name = serializers.CharField()
    service_key = serializers.CharField()
    category = serializers.CharField()
    turnaround_hours = serializers.IntegerField()
    is_active = serializers.BooleanField()


class ServicesOutput(serializers.Serializer):
    vendor_id = serializers.UUIDField()
    services_offered = OfferedOutput(many=True)


class VendorRegisterView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG], summary="Register as a vendor", request=VendorRegisterInput, responses={201: RegisteredOutput}
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        partner = vendors.vendor_register(user=request.user, data=valid(VendorRegisterInput, request))
        user = partner.user
        tokens = tokens_issue(user=user)
        return ApiResponse(
            {
                "user": {
                    "user_id": str(user.pk),
                    "phone": user.phone,
                    "full_name": user.full_name,
                    "user_type": "VENDOR",
                    "is_verified": False,
                },
                "vendor": {
                    "vendor_id": str(partner.pk),
                    "business_name": partner.business_name,
                    "store_address": partner.store_address,
                    "approval_status": vendors.approval_status(partner),
                    "created_at": partner.created_at,
                },
                "tokens": {k: tokens[k] for k in ("access_token", "refresh_token", "expires_in")},
                "next_steps": {
                    "message": "Registration submitted. Complete your profile to get verified",
                    "required_actions": [
                        "Add bank account details",
                        "Select services offered",
                        "Choose societies to serve",
                        "Create rate cards",
                    ],
                },
            },
            status=201,
            message="Vendor registration submitted successfully",
        )


def bank_row(partner: Partner) -> dict[str, Any]:
    return {
        "bank_account_number": partner.bank_account_masked,
        "bank_ifsc_code": partner.ifsc_code,
        "bank_account_holder": partner.bank_account_holder,
        "bank_name": partner.bank_name,
        "branch_name": partner.branch_name,
        "verified": partner.bank_verified,
    }


class BankDetailsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="Set bank details", request=BankDetailsInput, responses=BankDetailsOutput)
    def put(self, request: AuthenticatedRequest, vendor_id: Id) -> ApiResponse:
        data = valid(BankDetailsInput, request)
        partner = vendors.vendor_bank_details(user=request.user, vendor_id=vendor_id, data=data)
        return ApiResponse(
            {"vendor_id": str(partner.pk), "bank_details": bank_row(partner)},
            message="Bank details updated successfully",
        )


class ServicesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="Set services offered", request=VendorServicesInput, responses=ServicesOutput)
    def post(self, request: AuthenticatedRequest, vendor_id: Id) -> ApiResponse:
        data = valid(VendorServicesInput, request)
        partner = vendors.vendor_services_set(user=request.user, vendor_id=vendor_id, services=data["services"])
        rows = partner.vendor_services.select_related("service__category").order_by("created_at")
        return ApiResponse(
            {
                "vendor_id": str(partner.pk),
                "services_offered": [
                    {
                        "service_id": str(row.service_id),
                        "service_name": row.service.name,
                        "service_key": row.service.service_key,
                        "category": row.service.category.key,
                        "turnaround_hours": row.turnaround_hours,
                        "is_active": row.is_active,
                    }
                    for row in rows
                ],
            },
            message="Services updated successfully",
        )
