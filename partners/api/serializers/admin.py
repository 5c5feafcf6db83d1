"""Staff shapes: creating, editing and verifying partners, their availability, manual assignment and payouts.

A partner created or edited by staff takes seed 000's fields (KYC and bank
details are validated here and stored encrypted by the service; outputs mask
them, ``partners.api.serializers.common``). ``AssignmentOutput`` shows staff
the whole offer, score and its parts included.
"""

from __future__ import annotations

from rest_framework import serializers

from accounts.serializers import PhoneField
from catalog.models import Tier
from core.fields import LatitudeField, LongitudeField
from partners.api.serializers.common import MONEY, WorkingHoursInput
from partners.models import PartnerAssignment, PayoutMethod


class PartnerFieldsInput(serializers.Serializer):
    name = serializers.CharField(max_length=150, required=False)
    email = serializers.EmailField(required=False, allow_blank=True)
    aadhar_number = serializers.RegexField(r"^\d{12}$", required=False, allow_blank=True)
    pan_number = serializers.RegexField(r"^[A-Za-z]{5}\d{4}[A-Za-z]$", required=False, allow_blank=True)
    bank_account_number = serializers.RegexField(r"^\d{6,20}$", required=False, allow_blank=True)
    ifsc_code = serializers.RegexField(r"^[A-Za-z]{4}0[A-Za-z0-9]{6}$", required=False, allow_blank=True)
    bank_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    upi_id = serializers.CharField(max_length=100, required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    service_categories = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    service_tiers = serializers.ListField(child=serializers.ChoiceField(choices=Tier.choices), required=False)
    working_hours = WorkingHoursInput(required=False)
    service_radius_km = serializers.IntegerField(min_value=1, max_value=200, required=False)
    current_lat = LatitudeField(required=False)
    current_lng = LongitudeField(required=False)
    is_active = serializers.BooleanField(required=False)
    is_available = serializers.BooleanField(required=False)


class PartnerCreateInput(PartnerFieldsInput):
    name = serializers.CharField(max_length=150)
    phone_number = PhoneField()
    service_categories = serializers.ListField(child=serializers.CharField(max_length=100), min_length=1)
    service_tiers = serializers.ListField(child=serializers.ChoiceField(choices=Tier.choices), min_length=1)
    verified = serializers.BooleanField(default=False, help_text="Staff may create an already verified partner.")


class PartnerVerifyInput(serializers.Serializer):
    onboarding_status = serializers.ChoiceField(choices=["verified", "rejected"])
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AdminAvailabilityInput(serializers.Serializer):
    is_available = serializers.BooleanField(required=False)
    working_hours = WorkingHoursInput(required=False)


class AssignInput(serializers.Serializer):
    partner_id = serializers.UUIDField()
    force = serializers.BooleanField(default=False)


class AssignmentOutput(serializers.ModelSerializer):
    partner_id = serializers.UUIDField()
    partner_name = serializers.CharField(source="partner.user.full_name")
    partner_code = serializers.CharField(source="partner.partner_code")
    partner_earning = serializers.DecimalField(**MONEY)
    commission_percentage = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    score = serializers.DecimalField(max_digits=6, decimal_places=4, coerce_to_string=False, allow_null=True)

    class Meta:
        model = PartnerAssignment
        fields = [
            "id",
            "booking_id",
            "partner_id",
            "partner_name",
            "partner_code",
            "status",
            "attempt",
            "dispatch_round",
            "assigned_at",
            "expires_at",
            "accepted_at",
            "rejected_at",
            "rejection_reason",
            "estimated_arrival",
            "actual_arrival",
            "service_started_at",
            "service_completed_at",
            "partner_earning",
            "commission_percentage",
            "score",
            "score_parts",
            "forced",
        ]


class PayoutCreateInput(serializers.Serializer):
    partner_id = serializers.UUIDField()
    earnings_ids = serializers.ListField(child=serializers.UUIDField(), required=False, min_length=1, max_length=500)
    payment_method = serializers.ChoiceField(choices=PayoutMethod.choices, default=PayoutMethod.BANK_TRANSFER)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class PayoutProcessInput(serializers.Serializer):
    bank_transaction_id = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    upi_transaction_id = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class PayoutFailInput(serializers.Serializer):
    failure_reason = serializers.CharField(max_length=2000)


class ReleaseInput(serializers.Serializer):
    payment_method = serializers.ChoiceField(choices=PayoutMethod.choices, default=PayoutMethod.BANK_TRANSFER)
