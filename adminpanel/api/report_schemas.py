"""OpenAPI shapes and inputs of the staff reports (``adminpanel.api.reports``); the selectors build the dicts."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail


def _method() -> serializers.CharField:
    return serializers.CharField(
        help_text='How the answer was worked out: "heuristic" (rules over the data, no model).'
    )


def _based_on() -> serializers.CharField:
    return serializers.CharField(help_text="What the heuristic read.")


class MissingIs422(serializers.Serializer):
    """A required value that is missing answers 422 naming it (not the generic 400 of a missing field)."""

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "get"):
            for name, field in self.fields.items():
                given = data.get(name)
                if field.required and (given is None or (isinstance(given, str) and not given.strip())):
                    raise serializers.ValidationError(
                        {name: [ErrorDetail(f"{name} is required.", code="VALIDATION_ERROR")]}
                    )
        return super().to_internal_value(data)


class DaysQuery(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=366, default=30, help_text="How many days back (30).")


class PincodeQuery(MissingIs422, DaysQuery):
    pincode = serializers.RegexField(r"^\d{6}$", help_text="Six digits.")


class VendorBonusQuery(DaysQuery):
    vendor_id = serializers.UUIDField(required=False, help_text="Staff: the partner. Partners get their own.")


# --- pincode analytics ------------------------------------------------------------------------


class ForecastDayOutput(serializers.Serializer):
    date = serializers.DateField()
    predicted_bookings = serializers.FloatField()
    confidence = serializers.FloatField()

    class Meta:
        ref_name = "ReportForecastDay"


class DemandForecastOutput(serializers.Serializer):
    next_7_days = ForecastDayOutput(many=True)
    trend = serializers.ChoiceField(choices=["increasing", "decreasing", "stable"])
    seasonal_factor = serializers.FloatField(help_text="The last 7 days' daily average over the period's.")
    daily_average = serializers.FloatField()
    bookings_in_period = serializers.IntegerField()

    class Meta:
        ref_name = "ReportDemandForecast"


class VendorRecommendationsOutput(serializers.Serializer):
    optimal_vendor_count = serializers.IntegerField()
    current_vendor_count = serializers.IntegerField()
    shortage = serializers.IntegerField()
    demand_per_vendor = serializers.FloatField(allow_null=True, help_text="Forecast bookings a day per partner.")
    vendor_shortage = serializers.BooleanField()

    class Meta:
        ref_name = "ReportVendorRecommendations"


class PricingInsightsOutput(serializers.Serializer):
    recommended_surge_multiplier = serializers.FloatField()
    peak_hours = serializers.ListField(child=serializers.CharField(), help_text='"09:00-10:00"')

    class Meta:
        ref_name = "ReportPricingInsights"


class PincodeAnalysisBodyOutput(serializers.Serializer):
    pincode = serializers.CharField()
    days = serializers.IntegerField()
    demand_forecast = DemandForecastOutput()
    vendor_recommendations = VendorRecommendationsOutput()
    pricing_insights = PricingInsightsOutput()

    class Meta:
        ref_name = "ReportPincodeAnalysisBody"


class PincodeAnalysisOutput(serializers.Serializer):
    pincode_analysis = PincodeAnalysisBodyOutput()
    method = _method()
    based_on = _based_on()
    timestamp = serializers.DateTimeField()

    class Meta:
        ref_name = "ReportPincodeAnalysis"


# --- dispute advice ---------------------------------------------------------------------------


class ResolutionAnalysisOutput(serializers.Serializer):
    recommended_action = serializers.ChoiceField(choices=["full_refund", "partial_refund", "revisit", "no_action"])
    confidence = serializers.FloatField()
    reasoning = serializers.CharField()
    suggested_amount = serializers.FloatField(allow_null=True)
    similar_cases = serializers.IntegerField()

    class Meta:
        ref_name = "ReportResolutionAnalysis"


class EscalationAnalysisOutput(serializers.Serializer):
    should_escalate = serializers.BooleanField()
    escalation_score = serializers.FloatField()
    factors = serializers.ListField(child=serializers.CharField())

    class Meta:
        ref_name = "ReportEscalationAnalysis"


class DisputeAdviceOutput(serializers.Serializer):
    dispute_id = serializers.UUIDField()
    resolution_analysis = ResolutionAnalysisOutput()
    escalation_analysis = EscalationAnalysisOutput()
    method = _method()
    based_on = _based_on()

    class Meta:
        ref_name = "ReportDisputeAdvice"


# --- vendor bonus -----------------------------------------------------------------------------


class BonusBreakdownOutput(serializers.Serializer):
    quality_bonus = serializers.FloatField()
    efficiency_bonus = serializers.FloatField()
    customer_satisfaction_bonus = serializers.FloatField()

    class Meta:
        ref_name = "ReportBonusBreakdown"


class BonusFiguresOutput(serializers.Serializer):
    jobs_accepted = serializers.IntegerField()
    jobs_completed = serializers.IntegerField()
    arrivals = serializers.IntegerField()
    on_time_arrivals = serializers.IntegerField()
    five_star_ratings = serializers.IntegerField()
    average_rating = serializers.FloatField(allow_null=True)
    disputes = serializers.IntegerField()

    class Meta:
        ref_name = "ReportBonusFigures"


class VendorBonusBodyOutput(serializers.Serializer):
    vendor_id = serializers.UUIDField()
    vendor_name = serializers.CharField()
    days = serializers.IntegerField()
    performance_score = serializers.FloatField(help_text="0 to 10.")
    predicted_bonus = serializers.FloatField()
    bonus_points = serializers.IntegerField()
    bonus_breakdown = BonusBreakdownOutput()
    figures = BonusFiguresOutput()
    improvement_suggestions = serializers.ListField(child=serializers.CharField())

    class Meta:
        ref_name = "ReportVendorBonusBody"


class VendorBonusOutput(serializers.Serializer):
    vendor_bonus_analysis = VendorBonusBodyOutput()
    method = _method()
    based_on = _based_on()

    class Meta:
        ref_name = "ReportVendorBonus"


# --- analytics --------------------------------------------------------------------------------


class DisputeAnalyticsOutput(serializers.Serializer):
    days = serializers.IntegerField()
    total_disputes = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField(), help_text="Every status, 0 when none.")
    by_type = serializers.DictField(child=serializers.IntegerField(), help_text="Every type, 0 when none.")
    average_resolution_time_hours = serializers.FloatField(allow_null=True)
    resolution_rate = serializers.FloatField(help_text="Resolved or closed, in percent.")

    class Meta:
        ref_name = "ReportDisputeAnalytics"


class VendorOnboardingAnalyticsOutput(serializers.Serializer):
    total_applications = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField(), help_text="Every status, 0 when none.")
    average_review_time_days = serializers.FloatField(allow_null=True)
    approval_rate = serializers.FloatField(help_text="Approved of those decided, in percent.")

    class Meta:
        ref_name = "ReportVendorOnboardingAnalytics"
