"""Seed 002's travel time, smart scheduling and vendor optimisation (issue #20, SC1-SC4): tag "scheduling".

* ``GET /travel-time?from_pincode&to_pincode`` (anyone signed in): the trip now, ``partners.travel``; a pincode
  with no known place is 422 naming it.
* ``GET /smart-scheduling?vendor_id&service_id&customer_pincode&preferred_date`` (anyone signed in): every slot
  of the vendor's working hours that day, free or not, with its score; ``POST`` with the same fields in the body
  (camelCase accepted): the best one with its reasons (``partners.scheduling``). An unknown vendor or service is
  404, a day without a free slot 422 naming ``preferred_date``.
* ``GET /vendor-optimization?date`` (the signed-in partner; anyone else 403 as every partner endpoint): the day's
  jobs, travel and suggestions (``partners.day_plan``).

Each missing or malformed parameter is 422 naming it (SC4).
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.api import MissingIs422Input, query, valid
from core.errors import DomainError, ErrorCode
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer
from partners import travel
from partners.api.common import PartnerView
from partners.day_plan import vendor_day
from partners.scheduling import best_slot, day_slots, slot_row

TAG = "scheduling"
PINCODE = r"^\d{6}$"


class TravelTimeQuery(MissingIs422Input):
    """The two pincodes of a trip."""

    ALIASES = {"fromPincode": "from_pincode", "toPincode": "to_pincode"}
    from_pincode = serializers.RegexField(PINCODE, help_text="Six digits.")
    to_pincode = serializers.RegexField(PINCODE, help_text="Six digits.")


class SmartSchedulingInput(MissingIs422Input):
    """Whose day, for which service, where and when (camelCase names accepted too)."""

    ALIASES = {
        "vendorId": "vendor_id",
        "serviceId": "service_id",
        "customerPincode": "customer_pincode",
        "preferredDate": "preferred_date",
    }
    vendor_id = serializers.UUIDField(help_text="The partner's id.")
    service_id = serializers.UUIDField()
    customer_pincode = serializers.RegexField(PINCODE, help_text="Six digits.")
    preferred_date = serializers.DateField(input_formats=["%Y-%m-%d"], help_text="YYYY-MM-DD")


class VendorOptimizationQuery(MissingIs422Input):
    """The day to look at."""

    date = serializers.DateField(input_formats=["%Y-%m-%d"], help_text="YYYY-MM-DD")


class TravelTimeOutput(serializers.Serializer):
    from_pincode = serializers.CharField()
    to_pincode = serializers.CharField()
    duration_minutes = serializers.IntegerField()
    distance_km = serializers.FloatField(help_text="Straight line between the pincodes' centres.")
    estimated_traffic_multiplier = serializers.FloatField(help_text="Of the current hour; 1.0 off peak.")
    cached = serializers.BooleanField(help_text="Answered from the cache.")


class SchedulingSlotOutput(serializers.Serializer):
    start_time = serializers.DateTimeField()
    end_time = serializers.DateTimeField()
    is_available = serializers.BooleanField()
    score = serializers.FloatField(help_text="0-10; 0 when taken.")
    travel_time_minutes = serializers.IntegerField(help_text="From the previous job (or the base) to the customer.")
    buffer_time_minutes = serializers.IntegerField(help_text="The vendor's own buffer, before and after.")


class SmartSchedulingSlotsOutput(serializers.Serializer):
    available_slots = SchedulingSlotOutput(many=True)
    total_slots = serializers.IntegerField()


class OptimalSlotOutput(serializers.Serializer):
    recommended_time = serializers.DateTimeField()
    end_time = serializers.DateTimeField()
    score = serializers.FloatField()
    reasoning = serializers.ListField(child=serializers.CharField(), help_text="Why this slot, in words.")
    travel_time_minutes = serializers.IntegerField()
    buffer_time_minutes = serializers.IntegerField()
    estimated_duration_minutes = serializers.IntegerField()


class SmartSchedulingOptimalOutput(serializers.Serializer):
    optimal_slot = OptimalSlotOutput()


class ScheduleSuggestionOutput(serializers.Serializer):
    type = serializers.ChoiceField(choices=["route_optimization", "tight_schedule", "short_gap", "idle_gap"])
    message = serializers.CharField()
    potential_savings_minutes = serializers.IntegerField()


class VendorOptimizationOutput(serializers.Serializer):
    optimization_date = serializers.DateField()
    total_bookings = serializers.IntegerField()
    total_duration_minutes = serializers.IntegerField()
    total_travel_time_minutes = serializers.IntegerField()
    efficiency_score = serializers.FloatField(help_text="0-10: work / (work + travel + idle time between jobs).")
    suggestions = ScheduleSuggestionOutput(many=True)


ERRORS = {401: ErrorResponseSerializer, 422: ErrorResponseSerializer}


class TravelTimeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Travel time between two pincodes now",
        parameters=[
            OpenApiParameter("from_pincode", str, required=True),
            OpenApiParameter("to_pincode", str, required=True),
        ],
        responses={200: TravelTimeOutput, **ERRORS},
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(TravelTimeQuery, request)
        for name in ("from_pincode", "to_pincode"):
            if travel.centroid(params[name]) is None:
                raise DomainError(
                    "We do not know where this pincode is.",
                    code=ErrorCode.VALIDATION_ERROR,
                    field=name,
                    reason="unknown_pincode",
                )
        trip = travel.travel_time(params["from_pincode"], params["to_pincode"], hour=timezone.localtime().hour)
        assert trip is not None  # both places are known
        return ApiResponse(TravelTimeOutput(vars(trip)).data)


SCHEDULING_PARAMS = [
    OpenApiParameter("vendor_id", str, required=True),
    OpenApiParameter("service_id", str, required=True),
    OpenApiParameter("customer_pincode", str, required=True),
    OpenApiParameter("preferred_date", str, required=True, description="YYYY-MM-DD"),
]


def _plan(data: dict):
    return day_slots(
        vendor_id=data["vendor_id"],
        service_id=data["service_id"],
        customer_pincode=data["customer_pincode"],
        day=data["preferred_date"],
    )


class SmartSchedulingView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="A vendor's slots of a day, counting travel and their buffer, scored",
        parameters=SCHEDULING_PARAMS,
        responses={200: SmartSchedulingSlotsOutput, 404: ErrorResponseSerializer, **ERRORS},
    )
    def get(self, request: Request) -> ApiResponse:
        plan = _plan(query(SmartSchedulingInput, request))
        rows = [slot_row(slot) for slot in plan.slots]
        return ApiResponse(SmartSchedulingSlotsOutput({"available_slots": rows, "total_slots": len(rows)}).data)

    @extend_schema(
        tags=[TAG],
        summary="The best slot of a vendor's day, with its reasons",
        request=SmartSchedulingInput,
        responses={200: SmartSchedulingOptimalOutput, 404: ErrorResponseSerializer, **ERRORS},
    )
    def post(self, request: Request) -> ApiResponse:
        plan = _plan(valid(SmartSchedulingInput, request))
        slot = best_slot(plan)
        optimal = {
            "recommended_time": slot.start_time,
            "end_time": slot.end_time,
            "score": slot.score,
            "reasoning": slot.reasoning,
            "travel_time_minutes": slot.travel_time_minutes,
            "buffer_time_minutes": slot.buffer_time_minutes,
            "estimated_duration_minutes": plan.service.duration_minutes,
        }
        return ApiResponse(SmartSchedulingOptimalOutput({"optimal_slot": optimal}).data)


class VendorOptimizationView(PartnerView):
    @extend_schema(
        tags=[TAG],
        summary="My day: jobs, travel, efficiency and suggestions",
        parameters=[OpenApiParameter("date", str, required=True, description="YYYY-MM-DD")],
        responses={200: VendorOptimizationOutput, 403: ErrorResponseSerializer, **ERRORS},
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        day = query(VendorOptimizationQuery, request)["date"]
        return ApiResponse(VendorOptimizationOutput(vendor_day(self.partner(request), day).as_dict()).data)
