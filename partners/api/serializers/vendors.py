"""Seed 002 vendor shapes: availability by day, and vendor applications and their review.

A day's availability names the pincodes served that day (seed 002's service
areas), which dispatch reads for partners without a location. An application
carries document links (URLs) and is reviewed by an onboarding manager.
"""

from __future__ import annotations

from rest_framework import serializers

from catalog.models import Tier
from partners.models import PartnerApplication, PartnerAvailability


class DayAvailabilityInput(serializers.Serializer):
    day_of_week = serializers.IntegerField(min_value=1, max_value=7, help_text="1 = Monday ... 7 = Sunday")
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    is_active = serializers.BooleanField(default=True)
    primary_pincode = serializers.RegexField(r"^\d{6}$", required=False, allow_blank=True, default="")
    service_area_pincodes = serializers.ListField(
        child=serializers.RegexField(r"^\d{6}$"), required=False, default=list, max_length=200
    )
    preferred_buffer_minutes = serializers.IntegerField(min_value=0, max_value=240, default=15)


# Seed 002 ``vendor-availability`` row.
class AvailabilityOutput(serializers.ModelSerializer):
    """A partner's availability on one day: their hours and the pincodes they serve that day."""

    vendor = serializers.UUIDField(source="partner_id")
    vendor_name = serializers.CharField(source="partner.user.full_name")

    class Meta:
        model = PartnerAvailability
        fields = [
            "id",
            "vendor",
            "vendor_name",
            "day_of_week",
            "start_time",
            "end_time",
            "is_active",
            "primary_pincode",
            "service_area_pincodes",
            "preferred_buffer_minutes",
            "created_at",
            "updated_at",
        ]


class ApplicationInput(serializers.Serializer):
    application_type = serializers.CharField(max_length=32, required=False, default="new_vendor")
    full_name = serializers.CharField(max_length=255, required=False)
    primary_service_category = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    service_categories = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    service_tiers = serializers.ListField(child=serializers.ChoiceField(choices=Tier.choices), required=False)
    documents = serializers.DictField(child=serializers.URLField(), required=False, default=dict)


class ReviewInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ApplicationOutput(serializers.ModelSerializer):
    applicant_name = serializers.CharField(source="partner.user.full_name")
    partner_id = serializers.UUIDField()
    documents_count = serializers.SerializerMethodField()
    is_complete = serializers.BooleanField()

    class Meta:
        model = PartnerApplication
        fields = [
            "id",
            "partner_id",
            "applicant_name",
            "application_type",
            "full_name",
            "primary_service_category",
            "documents",
            "status",
            "submitted_at",
            "reviewed_at",
            "review_notes",
            "documents_count",
            "is_complete",
            "created_at",
        ]

    def get_documents_count(self, application: PartnerApplication) -> int:
        return len(application.documents or {})
