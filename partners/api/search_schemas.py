"""Query and answer serializers of seed 004's ``GET /services/search`` (``partners.api.search``).

The query takes the seed's camelCase names (``minPrice``, ``sortBy``...) or snake_case; errors name the
snake_case field (``min_price``), as the other new endpoints do. Answers are snake_case (DESIGN.md section 2).
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from core.api import CamelCaseInput
from partners.selectors.search import SORTS

MAX_LIMIT = 100


def _money(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False, **kwargs)


class ServiceSearchQuery(CamelCaseInput):
    ALIASES = {"minPrice": "min_price", "maxPrice": "max_price", "sortBy": "sort_by"}
    query = serializers.CharField(required=False, allow_blank=True, max_length=200)
    category = serializers.CharField(required=False, allow_blank=True, max_length=50)
    min_price = _money()
    max_price = _money()
    rating = serializers.DecimalField(max_digits=3, decimal_places=2, min_value=0, max_value=5, required=False)
    location = serializers.CharField(required=False, allow_blank=True, max_length=100)
    availability = serializers.DateField(required=False, input_formats=["%Y-%m-%d"], help_text="YYYY-MM-DD")
    specialties = serializers.CharField(required=False, allow_blank=True, max_length=500, help_text="Comma-separated.")
    sort_by = serializers.ChoiceField(choices=list(SORTS), required=False, default="rating")
    page = serializers.IntegerField(required=False, default=1, min_value=1)
    limit = serializers.IntegerField(required=False, default=20, min_value=1, max_value=MAX_LIMIT)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("min_price"), attrs.get("max_price")
        if low is not None and high is not None and low > high:
            message = "min_price must not be above max_price."
            raise serializers.ValidationError({"min_price": [ErrorDetail(message, code="VALIDATION_ERROR")]})
        return attrs


class ServiceSearchSpecialistOutput(serializers.Serializer):
    id = serializers.UUIDField()
    business_name = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    avatar = serializers.CharField(allow_null=True)
    rating = serializers.FloatField()
    total_reviews = serializers.IntegerField()
    is_verified = serializers.BooleanField()
    response_time = serializers.CharField(
        allow_null=True, help_text='How soon they usually confirm a paid request ("within 2 hours"); null if never.'
    )


class ServiceSearchRowOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    description = serializers.CharField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=False)
    duration = serializers.IntegerField(help_text="Minutes.")
    category = serializers.CharField(help_text="The category key.")
    specialist = ServiceSearchSpecialistOutput()
    next_available = serializers.DateTimeField(allow_null=True, help_text="First free slot (UTC) within 14 days.")


class ServiceSearchPaginationOutput(serializers.Serializer):
    current_page = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    total_items = serializers.IntegerField()
    has_next = serializers.BooleanField()
    has_prev = serializers.BooleanField()


class ServiceSearchCategoryFacetOutput(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class ServiceSearchPriceRangeOutput(serializers.Serializer):
    min = serializers.IntegerField()
    max = serializers.IntegerField(allow_null=True, help_text="Exclusive; null for the open last range.")
    count = serializers.IntegerField()


class ServiceSearchFiltersOutput(serializers.Serializer):
    categories = ServiceSearchCategoryFacetOutput(many=True)
    price_ranges = ServiceSearchPriceRangeOutput(many=True)


class ServiceSearchOutput(serializers.Serializer):
    services = ServiceSearchRowOutput(many=True)
    pagination = ServiceSearchPaginationOutput()
    filters = ServiceSearchFiltersOutput()


class ServiceCategoryCountOutput(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    icon = serializers.URLField(allow_null=True)
    service_count = serializers.IntegerField(help_text="Active services of verified specialists and clinicians.")
