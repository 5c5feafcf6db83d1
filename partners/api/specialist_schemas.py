"""Inputs and typed answers of seed 004's specialist self-service (issue #19, ``partners.api.specialists``).

Bodies arrive camelCase (``businessName``, ``workingHours``, ``startDateTime``...) and are read snake_case
by the project's parser; the query of ``GET /specialists/availability`` takes ``startDate``/``endDate`` or
``start_date``/``end_date``. Answers are snake_case (DESIGN section 2).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from core.api import CamelCaseInput


def _money(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=False, **kwargs)


# --- inputs -------------------------------------------------------------------------------------------


class SpecialistDayHoursInput(serializers.Serializer):
    start = serializers.TimeField(help_text="Local wall time, HH:MM.")
    end = serializers.TimeField(help_text="Local wall time, HH:MM; after start.")


class SpecialistAvailabilityInput(serializers.Serializer):
    timezone = serializers.CharField(max_length=64, required=False, help_text="IANA name, e.g. America/New_York.")
    working_hours = serializers.DictField(
        child=SpecialistDayHoursInput(),
        required=False,
        help_text="{monday: {start, end}, ...}; replaces the whole week (days left out have no hours).",
    )


class SpecialistProfileInput(serializers.Serializer):
    business_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    specialties = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=50)
    base_rate = _money(required=False, min_value=Decimal("0"))
    deposit_amount = _money(required=False, allow_null=True, min_value=Decimal("0"))
    availability = SpecialistAvailabilityInput(required=False)


class SpecialistServiceInput(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    category = serializers.CharField(max_length=100, help_text="A category id, key or name.")
    duration = serializers.IntegerField(help_text="Minutes, a positive multiple of 15.")
    price = _money(min_value=Decimal("0.01"), help_text="More than 0.")
    is_active = serializers.BooleanField(required=False)


class SpecialistBlockInput(serializers.Serializer):
    start_date_time = serializers.DateTimeField()
    end_date_time = serializers.DateTimeField()
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    recurring = serializers.BooleanField(required=False, default=False, help_text="Repeat weekly.")
    recur_until = serializers.DateField(
        required=False, allow_null=True, help_text="Last local date of a weekly block (default: 52 weeks on)."
    )


class SpecialistAvailabilityQuery(CamelCaseInput):
    ALIASES = {"startDate": "start_date", "endDate": "end_date"}
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    timezone = serializers.CharField(max_length=64, required=False, allow_blank=True)


# --- answers ------------------------------------------------------------------------------------------


class SpecialistDayHoursOutput(serializers.Serializer):
    start = serializers.CharField()
    end = serializers.CharField()


class SpecialistHoursOutput(serializers.Serializer):
    timezone = serializers.CharField()
    working_hours = serializers.DictField(child=SpecialistDayHoursOutput())


class SpecialistPricingOutput(serializers.Serializer):
    base_rate = _money(allow_null=True)
    currency = serializers.CharField()
    deposit_amount = _money(allow_null=True)


class SpecialistRevenueOutput(serializers.Serializer):
    this_month = _money()
    last_month = _money()
    total = _money()


class SpecialistSelfProfileOutput(serializers.Serializer):
    id = serializers.UUIDField()
    user_id = serializers.UUIDField()
    business_name = serializers.CharField()
    description = serializers.CharField()
    specialties = serializers.ListField(child=serializers.CharField())
    experience = serializers.IntegerField(allow_null=True)
    rating = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False)
    total_reviews = serializers.IntegerField()
    total_bookings = serializers.IntegerField()
    is_verified = serializers.BooleanField()
    response_time = serializers.CharField(allow_null=True, help_text='"within 2 hours"; null before the first.')
    availability = SpecialistHoursOutput()
    pricing = SpecialistPricingOutput()
    revenue = SpecialistRevenueOutput()


class SpecialistServiceOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    description = serializers.CharField()
    duration = serializers.IntegerField(source="duration_minutes")
    price = _money(source="product_cost")
    category = serializers.CharField(source="category.key")
    category_id = serializers.IntegerField(source="category.pk")
    service_key = serializers.CharField()
    is_active = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class SpecialistServiceDeletedOutput(serializers.Serializer):
    id = serializers.UUIDField()
    deleted = serializers.BooleanField(help_text="False: bookings reference it, so it was deactivated instead.")
    is_active = serializers.BooleanField()


class SpecialistSlotOutput(serializers.Serializer):
    start_time = serializers.CharField(help_text="HH:MM in the display zone.")
    end_time = serializers.CharField()
    starts_at = serializers.DateTimeField(help_text="The same start, UTC.")
    available = serializers.BooleanField()
    reason = serializers.ChoiceField(choices=["booked", "blocked", "past"], required=False)


class SpecialistSlotDayOutput(serializers.Serializer):
    date = serializers.DateField()
    slots = SpecialistSlotOutput(many=True)


class SpecialistAvailabilityOutput(serializers.Serializer):
    timezone = serializers.CharField()
    available_slots = SpecialistSlotDayOutput(many=True)


class SpecialistBlockOutput(serializers.Serializer):
    id = serializers.UUIDField()
    start_date_time = serializers.DateTimeField(source="starts_at")
    end_date_time = serializers.DateTimeField(source="ends_at")
    reason = serializers.CharField()
    recurring = serializers.SerializerMethodField()
    recur_until = serializers.DateField(source="weekly_until", allow_null=True)

    def get_recurring(self, block) -> bool:
        return block.weekly_until is not None
