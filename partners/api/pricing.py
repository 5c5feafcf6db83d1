"""Seed 002's dynamic pricing: ``GET /dynamic-pricing`` (a service's price at a pincode and time) and
``POST /dynamic-pricing`` (the next days' predicted prices). The math is ``catalog.pricing``, the factors
``partners.pricing_factors`` (which says how each is read).

Decision: with dynamic pricing off (``DYNAMIC_PRICING_ENABLED``, the default) both answer ``enabled: false``
with the catalog's price, multiplier 1.0 and every factor 1.0, never a computed surge, so a client is never
quoted a price checkout would not charge. A missing or malformed ``service_id`` or ``pincode`` (or ``days``
outside 1-30) is 422 naming it; a service that is unknown or not bookable is 404.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from catalog.models import Service
from catalog.selectors import bookable_services
from core.api import MissingIs422Input, query, valid
from core.errors import DomainError, ErrorCode
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer
from partners import pricing_factors

TAG = "pricing"
MAX_DAYS = 30
PINCODE = r"^\d{6}$"


class PriceQuery(MissingIs422Input):
    ALIASES = {"serviceId": "service_id", "scheduledDatetime": "scheduled_datetime"}
    service_id = serializers.UUIDField()
    pincode = serializers.RegexField(PINCODE)
    scheduled_datetime = serializers.DateTimeField(required=False)


class PredictionInput(MissingIs422Input):
    ALIASES = {"serviceId": "service_id"}
    service_id = serializers.UUIDField()
    pincode = serializers.RegexField(PINCODE)
    days = serializers.IntegerField(min_value=1, max_value=MAX_DAYS, default=7)


class PricedServiceOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    category = serializers.CharField(help_text="The service's category name.")


class PredictedServiceOutput(PricedServiceOutput):
    base_price = serializers.FloatField()


class PricingFactorsOutput(serializers.Serializer):
    time_based_multiplier = serializers.FloatField(help_text="Peak hours and weekends.")
    demand_based_multiplier = serializers.FloatField(help_text="Recent bookings at the pincode per partner serving it.")
    vendor_availability_multiplier = serializers.FloatField(help_text="Fewer partners working there then: higher.")


class PricingBreakdownOutput(serializers.Serializer):
    base = serializers.FloatField()
    surge = serializers.FloatField(help_text="total - base")
    total = serializers.FloatField()


class DynamicPriceOutput(serializers.Serializer):
    base_price = serializers.FloatField()
    surge_multiplier = serializers.FloatField(help_text="The factors' product, rounded and capped; 1.0 when off.")
    final_price = serializers.FloatField()
    demand_level = serializers.ChoiceField(choices=["normal", "high", "very_high"])
    factors = PricingFactorsOutput()
    breakdown = PricingBreakdownOutput()


class DynamicPricingOutput(serializers.Serializer):
    service = PricedServiceOutput()
    pincode = serializers.CharField()
    enabled = serializers.BooleanField(help_text="Whether dynamic pricing is on; off, the price is the catalog's.")
    pricing = DynamicPriceOutput()
    timestamp = serializers.DateTimeField()


class PricePredictionOutput(serializers.Serializer):
    date = serializers.DateField()
    predicted_price = serializers.FloatField()
    surge_multiplier = serializers.FloatField()
    confidence = serializers.FloatField(
        help_text="A heuristic, not a statistical interval: 0.5 with no recent bookings at the pincode, up to 0.9 "
        "with many, less for each day further ahead; 1.0 when dynamic pricing is off (the price is fixed)."
    )
    demand_level = serializers.ChoiceField(choices=["normal", "high", "very_high"])


class PricePredictionsOutput(serializers.Serializer):
    service = PredictedServiceOutput()
    pincode = serializers.CharField()
    enabled = serializers.BooleanField()
    predictions = PricePredictionOutput(many=True)
    timestamp = serializers.DateTimeField()


def _service(service_id: Any) -> Service:
    service = bookable_services().filter(pk=service_id).first()
    if service is None:
        raise DomainError("Service not found.", code=ErrorCode.NOT_FOUND, field="service_id", reason="not_found")
    return service


def _service_row(service: Service) -> dict[str, Any]:
    return {"id": service.pk, "name": service.name, "category": service.category.name}


class DynamicPricingView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="A service's price at a pincode and time",
        parameters=[
            OpenApiParameter("service_id", str, required=True),
            OpenApiParameter("pincode", str, required=True, description="Six digits."),
            OpenApiParameter("scheduled_datetime", str, description="ISO 8601; now when absent."),
        ],
        responses=DynamicPricingOutput,
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(PriceQuery, request)
        service = _service(params["service_id"])
        moment = params.get("scheduled_datetime") or timezone.now()
        quoted = pricing_factors.price_at(service, params["pincode"], moment)
        return ApiResponse(
            {
                "service": _service_row(service),
                "pincode": params["pincode"],
                "enabled": pricing_factors.enabled(),
                "pricing": quoted.as_dict(),
                "timestamp": timezone.now(),
            }
        )

    @extend_schema(
        tags=[TAG],
        summary="Predicted prices for the next days",
        request=PredictionInput,
        responses={
            200: PricePredictionsOutput,
            404: OpenApiResponse(ErrorResponseSerializer, description="No such service"),
        },
    )
    def post(self, request: Request) -> ApiResponse:
        data = valid(PredictionInput, request)
        service = _service(data["service_id"])
        return ApiResponse(
            {
                "service": {**_service_row(service), "base_price": float(service.product_cost)},
                "pincode": data["pincode"],
                "enabled": pricing_factors.enabled(),
                "predictions": pricing_factors.predictions(service, data["pincode"], data["days"]),
                "timestamp": timezone.now(),
            }
        )
