"""Staff API shapes for services (seed 000 admin) and categories (seed 001 5.1's fields).

Update inputs are their create input with every field optional and no
defaults (:func:`all_optional`), so a partial update changes only what it sends.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from catalog.models import Category, PricingModel, Service, Tier
from core.schema import PaginationSerializer

MONEY: dict[str, Any] = {"max_digits": 10, "decimal_places": 2, "coerce_to_string": False}
KEY_PATTERN = r"^[A-Z][A-Z0-9_]*$"
HEX_COLOUR = r"^#[0-9A-Fa-f]{6}$"


def all_optional(serializer_class: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    """A copy of ``serializer_class`` whose declared fields are all optional and have no default."""
    fields = {}
    for field_name, field in serializer_class._declared_fields.items():
        # Field.__new__ keeps the constructor's arguments in _args and _kwargs (not in the stubs)
        kwargs = {k: v for k, v in field._kwargs.items() if k != "default"}  # type: ignore[attr-defined]
        fields[field_name] = type(field)(*field._args, **{**kwargs, "required": False})  # type: ignore[attr-defined]
    return type(name, (serializer_class,), {**fields, "__module__": serializer_class.__module__})


# --- services ---------------------------------------------------------------------------------


class AdminServicesQuery(serializers.Serializer):
    category = serializers.CharField(required=False, max_length=100, help_text="Category name or key")
    category_id = serializers.IntegerField(required=False, min_value=1)
    tier = serializers.CharField(required=False, max_length=16)
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)


class AdminServiceInput(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.CharField(
        max_length=100,
        help_text="Category name or key, e.g. Facial; a name no category has yet creates that category",
    )
    service_type = serializers.CharField(max_length=100)
    service_key = serializers.RegexField(
        KEY_PATTERN,
        max_length=50,
        required=False,
        help_text="UPPER_SNAKE_CASE; derived from the name (GOLD_FACIAL, GOLD_FACIAL_2...) when left out",
    )
    tier = serializers.ChoiceField(choices=Tier.choices, default=Tier.MINIMAL)
    product_cost = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    market_price = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    duration_minutes = serializers.IntegerField(min_value=5, max_value=24 * 60, default=60)
    default_turnaround_hours = serializers.IntegerField(
        min_value=1,
        max_value=24 * 90,
        required=False,
        allow_null=True,
        help_text="How long an order of it usually takes, e.g. 24 for ironing",  # seed 001
    )
    pricing_model = serializers.ChoiceField(choices=PricingModel.choices, default=PricingModel.FIXED)
    image_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(default=True)
    display_order = serializers.IntegerField(min_value=0, max_value=32767, default=0)

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "get") and isinstance(data.get("tier"), str):
            match = next((t for t in Tier.values if t.lower() == data["tier"].lower()), data["tier"])
            data = {**data, "tier": match}
        return super().to_internal_value(data)


AdminServiceUpdateInput = all_optional(AdminServiceInput, "AdminServiceUpdateInput")


class AdminServiceOutput(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name")
    category_key = serializers.CharField(source="category.key")
    category_id = serializers.IntegerField()
    product_cost = serializers.DecimalField(**MONEY)
    market_price = serializers.DecimalField(**MONEY, allow_null=True)

    class Meta:
        model = Service
        fields = [
            "id",
            "name",
            "service_key",
            "description",
            "category",
            "category_key",
            "category_id",
            "service_type",
            "tier",
            "product_cost",
            "market_price",
            "duration_minutes",
            "default_turnaround_hours",
            "pricing_model",
            "image_url",
            "is_active",
            "display_order",
            "created_at",
            "updated_at",
        ]
        # the model's help_text names a seed; the API says it in staff's words
        extra_kwargs = {"service_key": {"help_text": "The service's key, in capitals, e.g. IRONING."}}


class AdminServiceList(serializers.Serializer):
    services = AdminServiceOutput(many=True)
    pagination = PaginationSerializer()


class AdminServiceResult(serializers.Serializer):
    service = AdminServiceOutput()


# --- categories -------------------------------------------------------------------------------


class AdminCategoriesQuery(serializers.Serializer):
    is_live = serializers.BooleanField(required=False, allow_null=True, default=None)
    search = serializers.CharField(required=False, max_length=100, help_text="Part of the name or key")


# Seed 001 5.1's fields.
class AdminCategoryInput(serializers.Serializer):
    """A service category, with the fields ``GET /categories`` shows."""

    category_name = serializers.CharField(source="name", max_length=100)
    category_key = serializers.RegexField(
        KEY_PATTERN,
        source="key",
        max_length=50,
        required=False,
        help_text="UPPER_SNAKE_CASE; derived from the name (Nail Art: NAIL_ART) when left out",
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    icon_url = serializers.URLField(max_length=500, required=False, allow_blank=True, allow_null=True, default="")
    color_hex = serializers.RegexField(
        HEX_COLOUR, max_length=7, required=False, allow_blank=True, allow_null=True, default="", help_text="#3B82F6"
    )
    is_live = serializers.BooleanField(default=True, help_text='Off: listed as "Coming Soon", nothing bookable')
    display_order = serializers.IntegerField(
        min_value=0, max_value=32767, required=False, help_text="Left out on create: after every other category"
    )

    def validate_category_name(self, value: str) -> str:
        return " ".join(value.split())  # as a service's category is read (catalog.services)

    def validate_icon_url(self, value: str | None) -> str:
        return value or ""

    def validate_color_hex(self, value: str | None) -> str:
        return value.upper() if value else ""


AdminCategoryUpdateInput = all_optional(AdminCategoryInput, "AdminCategoryUpdateInput")


class AdminCategoryOutput(serializers.Serializer):
    category_id = serializers.IntegerField(source="pk")
    category_key = serializers.CharField(source="key")
    category_name = serializers.CharField(source="name")
    description = serializers.CharField()
    icon_url = serializers.URLField(allow_null=True)
    color_hex = serializers.CharField(allow_null=True)
    is_live = serializers.BooleanField()
    display_order = serializers.IntegerField()
    services_count = serializers.IntegerField(help_text="Services in the category, active or not")
    active_services_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def to_representation(self, instance: Category) -> dict[str, Any]:
        data = super().to_representation(instance)
        for name in ("icon_url", "color_hex"):
            data[name] = data[name] or None
        return data


class AdminCategoryList(serializers.Serializer):
    categories = AdminCategoryOutput(many=True)
    pagination = PaginationSerializer()


class AdminCategoryResult(serializers.Serializer):
    category = AdminCategoryOutput()
