"""Input and output serializers of seed 003's clinic endpoints (``partners.api.clinic``).

Requests come in camelCase as the seed sends them (the JSON parser reads them as snake_case; query strings
take both spellings through ``CamelCaseInput``). Answers are snake_case like every other endpoint (DESIGN.md
section 2 "Names": ``full_name``, ``available_slots``...), not the seed's camelCase. Money is a JSON number;
times of day are the clinician's wall time (``"09:00:00"``) and ``starts_at`` the instant in UTC.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from accounts.serializers import PhoneField
from core.api import CamelCaseInput
from partners.models import Partner, PartnerAvailability
from partners.selectors.clinic import clinician_centres
from partners.services.clinic import DAYS

# --- queries ------------------------------------------------------------------------------------------


def _required(field: str) -> serializers.ValidationError:
    """A missing query value answered 422 naming it (seed 003 slot queries), not the generic 400."""
    return serializers.ValidationError({field: [ErrorDetail(f"{field} is required.", code="VALIDATION_ERROR")]})


class CentresQuery(serializers.Serializer):
    city = serializers.CharField(required=False, allow_blank=True, max_length=100)


class CliniciansQuery(CamelCaseInput):
    ALIASES = {"centreId": "centre_id"}
    centre_id = serializers.UUIDField(required=False)
    specialization = serializers.CharField(required=False, allow_blank=True, max_length=100)


class SlotsQuery(CamelCaseInput):
    ALIASES = {"clinicianId": "clinician_id", "centreId": "centre_id"}
    clinician_id = serializers.UUIDField(required=False)
    centre_id = serializers.UUIDField(required=False)
    date = serializers.DateField(required=False, help_text="The clinician's local date, YYYY-MM-DD.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for name in ("clinician_id", "date"):
            if attrs.get(name) is None:
                raise _required(name)
        return attrs


# --- inputs -------------------------------------------------------------------------------------------


class CentreInput(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    city = serializers.CharField(max_length=100)
    address = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    phone = PhoneField(required=False, max_length=20)
    email = serializers.EmailField(required=False, allow_blank=True)
    timezone = serializers.CharField(required=False, max_length=64, help_text="IANA zone, default Asia/Kolkata.")
    is_active = serializers.BooleanField(required=False)


def _names() -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=30)


class ClinicianInput(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    phone = PhoneField(max_length=20)
    email = serializers.EmailField(required=False, allow_blank=True)
    password = serializers.CharField(required=False, allow_blank=True, write_only=True, max_length=128)
    primary_centre_id = serializers.UUIDField(required=False, allow_null=True)
    specialization = _names()
    qualification = _names()
    years_of_experience = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=80)
    consultation_fee = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    languages = _names()
    profile_picture_url = serializers.URLField(required=False, allow_blank=True, max_length=500)
    default_consultation_duration_minutes = serializers.IntegerField(required=False, min_value=5, max_value=480)
    duration = serializers.IntegerField(
        required=False, min_value=5, max_value=480, help_text="Short name of defaultConsultationDurationMinutes."
    )
    timezone = serializers.CharField(required=False, max_length=64, help_text="Default: the primary centre's.")
    is_active = serializers.BooleanField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        minutes = attrs.pop("default_consultation_duration_minutes", None) or attrs.pop("duration", None)
        attrs.pop("duration", None)
        if minutes is not None:
            attrs["duration_minutes"] = minutes
        return attrs


class AvailabilityRuleInput(serializers.Serializer):
    day_of_week = serializers.CharField(max_length=16, help_text="MONDAY to SUNDAY.")
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    is_available = serializers.BooleanField(required=False, default=True)


class AvailabilityRulesInput(serializers.Serializer):
    availability_rules = AvailabilityRuleInput(many=True, allow_empty=True)


# --- outputs ------------------------------------------------------------------------------------------


class ClinicCentreOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    city = serializers.CharField()
    address = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    timezone = serializers.CharField()
    is_active = serializers.BooleanField()


class ClinicCentreRefOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    city = serializers.CharField()


class ClinicianCreatedOutput(serializers.Serializer):
    id = serializers.UUIDField()
    user_id = serializers.UUIDField()
    full_name = serializers.CharField(source="user.full_name")


class ClinicianProfileOutput(ClinicianCreatedOutput):
    """A clinician as anyone may see them: no phone, email or account data."""

    specialization = serializers.ListField(child=serializers.CharField(), source="specialties")
    qualification = serializers.ListField(child=serializers.CharField(), source="qualifications")
    years_of_experience = serializers.IntegerField(allow_null=True)
    consultation_fee = serializers.FloatField(allow_null=True)
    languages = serializers.ListField(child=serializers.CharField())
    profile_picture_url = serializers.CharField(source="user.profile_photo_url", allow_null=True)
    is_active = serializers.BooleanField()
    timezone = serializers.CharField(help_text="The zone of the clinician's hours and slot times.")
    session_minutes = serializers.IntegerField(source="default_session_minutes")
    centres = serializers.SerializerMethodField()

    @extend_schema_field(ClinicCentreRefOutput(many=True))
    def get_centres(self, partner: Partner) -> list[dict[str, Any]]:
        return [{"id": c.pk, "name": c.name, "city": c.city} for c in clinician_centres(partner)]


class AvailabilityRuleOutput(serializers.Serializer):
    day_of_week = serializers.SerializerMethodField()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    is_available = serializers.BooleanField(source="is_active")

    @extend_schema_field(serializers.ChoiceField(choices=DAYS))
    def get_day_of_week(self, row: PartnerAvailability) -> str:
        return DAYS[row.day_of_week - 1]


class ClinicianTimesOutput(serializers.Serializer):
    date = serializers.DateField()
    available_slots = serializers.ListField(
        child=serializers.CharField(), help_text='Free start times, the clinician\'s wall time ("09:00:00").'
    )


class PublicSlotOutput(serializers.Serializer):
    time = serializers.CharField(help_text="The clinician's wall time.")
    starts_at = serializers.DateTimeField(help_text="The instant, UTC.")
    available = serializers.BooleanField()


class PublicSlotsOutput(serializers.Serializer):
    date = serializers.DateField()
    timezone = serializers.CharField()
    available_slots = PublicSlotOutput(many=True)
