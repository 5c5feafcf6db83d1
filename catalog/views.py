"""Public catalog endpoints: seed 000 ``/services/catalog`` and ``/services/{id}``, seed 001 ``/categories``."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request

from catalog import selectors
from core.responses import ApiResponse
from core.views import PublicAPIView

TAG = "catalog"


class ServiceOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    service_key = serializers.CharField()
    description = serializers.CharField()
    category = serializers.CharField()
    category_key = serializers.CharField()
    service_type = serializers.CharField()
    tier = serializers.CharField()
    product_cost = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=False)
    market_price = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=False, allow_null=True)
    duration_minutes = serializers.IntegerField()
    default_turnaround_hours = serializers.IntegerField(allow_null=True)
    pricing_model = serializers.CharField()
    image_url = serializers.URLField(allow_null=True)


class ServiceProviderOutput(serializers.Serializer):
    id = serializers.UUIDField()
    business_name = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    rating = serializers.FloatField()
    total_reviews = serializers.IntegerField()
    is_verified = serializers.BooleanField()
    response_time = serializers.CharField(
        allow_null=True, help_text='How soon they usually confirm a paid request ("within 2 hours"); null if never.'
    )


class ServiceReviewOutput(serializers.Serializer):
    id = serializers.UUIDField()
    rating = serializers.IntegerField()
    comment = serializers.CharField()
    customer_name = serializers.CharField(help_text='First name and last initial, e.g. "Asha C."')
    created_at = serializers.DateTimeField()


# A provider's own service is seed 004's.
class ServiceDetailOutput(ServiceOutput):
    """A platform service, or a provider's own service with the provider, their reviews and next free slots."""

    long_description = serializers.CharField(required=False, help_text="A provider's service only.")
    deliverables = serializers.ListField(child=serializers.CharField(), required=False)
    specialist = ServiceProviderOutput(required=False)
    reviews = ServiceReviewOutput(many=True, required=False, help_text="The provider's three latest reviews.")
    availability = serializers.ListField(
        child=serializers.DateTimeField(), required=False, help_text="The next five free starts (14 days)."
    )


class CatalogView(PublicAPIView):
    @extend_schema(
        tags=[TAG],
        summary="The service catalog, grouped by category (cached an hour)",
        parameters=[
            OpenApiParameter("category", str, description="Category name or key, e.g. Facial"),
            OpenApiParameter("tier", str, description="Minimal, Exclusive or E-Lite"),
        ],
        responses=inline_serializer(
            "Catalog",
            {
                "categories": serializers.DictField(child=ServiceOutput(many=True)),
                "all_services": ServiceOutput(many=True),
                "last_updated": serializers.DateTimeField(allow_null=True),
            },
        ),
    )
    def get(self, request: Request) -> HttpResponse:
        params = request.query_params
        body = selectors.catalog_json(category=params.get("category"), tier=params.get("tier"))
        return HttpResponse(body, content_type="application/json")

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:  # the stubs type it as DRF's own view class
        """A GET without parameters (the hot path, issue #21) answers the cached body as :meth:`get` does, without
        DRF's request wrapping and negotiation (nothing there applies: no authentication, throttle or parameter);
        any other request goes through DRF."""
        drf_view = super().as_view(**initkwargs)

        @functools.wraps(drf_view)  # keeps ``cls`` and ``csrf_exempt`` for the URL resolver and the schema
        def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method != "GET" or request.GET:
                return drf_view(request, *args, **kwargs)
            response = HttpResponse(selectors.catalog_json(), content_type="application/json")
            response["Allow"] = CATALOG_ALLOW  # what DRF's answer carries
            return response

        return view


CATALOG_ALLOW = "GET, HEAD, OPTIONS"


class ServiceDetailView(PublicAPIView):
    @extend_schema(
        tags=[TAG],
        summary="One service: a platform service, or a specialist's own with the specialist, reviews and slots",
        responses=ServiceDetailOutput,
    )
    def get(self, request: Request, service_id) -> ApiResponse:
        return ApiResponse(selectors.service_detail(service_id))


class CategoriesView(PublicAPIView):
    @extend_schema(
        tags=[TAG],
        summary="Service categories with their services",  # seed 001 5.1
        parameters=[OpenApiParameter("is_live", bool, description="Only live (true) or coming-soon (false)")],
        responses=inline_serializer(
            "Categories",
            {
                "categories": inline_serializer(
                    "CategoryRow",
                    {
                        "category_id": serializers.IntegerField(),
                        "category_key": serializers.CharField(),
                        "category_name": serializers.CharField(),
                        "description": serializers.CharField(),
                        "icon_url": serializers.URLField(allow_null=True),
                        "color_hex": serializers.CharField(allow_null=True),
                        "is_live": serializers.BooleanField(),
                        "display_order": serializers.IntegerField(),
                        "subcategories": serializers.ListField(child=serializers.DictField(), required=False),
                        "message": serializers.CharField(required=False),
                    },
                    many=True,
                )
            },
        ),
    )
    def get(self, request: Request) -> ApiResponse:
        raw = (request.query_params.get("is_live") or "").lower()
        is_live = {"true": True, "1": True, "false": False, "0": False}.get(raw)
        return ApiResponse({"categories": selectors.categories(is_live=is_live)})
