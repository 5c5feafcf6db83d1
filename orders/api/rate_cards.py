"""Seed 001 section 4: a vendor's rate cards under ``/vendors/{vendor_id}/rate-cards``.

Writes need the caller's own vendor (404 otherwise); reading a card is for anyone signed in, who sees
the published version (the owner and staff see the draft). As the seed writes it, the segment after
``rate-cards/`` is a society id in GET and a rate card id in the item and publish paths.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.api import valid
from core.responses import ApiResponse
from core.types import Id
from orders.models import RateCard
from orders.services import rate_cards

TAG = "vendors: rate cards"


def price_field(**kwargs: Any) -> serializers.DecimalField:
    """A price per piece: above zero, two decimals, read as a JSON number."""
    return serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0.01"), coerce_to_string=False, **kwargs
    )


class RateCardItemInput(serializers.Serializer):
    item_name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    price_per_piece = price_field()
    display_order = serializers.IntegerField(required=False, min_value=0, default=0)


class RateCardServiceInput(serializers.Serializer):
    service_id = serializers.UUIDField()
    service_key = serializers.CharField(required=False, max_length=50)
    items = RateCardItemInput(many=True, min_length=1, max_length=200)  # type: ignore[call-arg]  # ListSerializer takes them


class RateCardInput(serializers.Serializer):
    society_id = serializers.IntegerField(min_value=1)
    items = RateCardServiceInput(many=True, min_length=1, max_length=50)  # type: ignore[call-arg]  # ListSerializer takes them


class RateCardItemChangeInput(serializers.Serializer):
    item_id = serializers.IntegerField(required=False, min_value=1)
    service_id = serializers.UUIDField(required=False)
    item_name = serializers.CharField(required=False, max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, max_length=500)
    price_per_piece = price_field(required=False)
    display_order = serializers.IntegerField(required=False, min_value=0)
    is_active = serializers.BooleanField(required=False)

    def validate(self, attrs):
        if attrs.get("item_id"):
            return attrs
        missing = [name for name in ("service_id", "item_name", "price_per_piece") if name not in attrs]
        if missing:
            message = "A new item needs service_id, item_name and price_per_piece."
            raise serializers.ValidationError({missing[0]: [ErrorDetail(message, code="required")]})
        return attrs


class RateCardItemsInput(serializers.Serializer):
    items = RateCardItemChangeInput(many=True, min_length=1, max_length=200)  # type: ignore[call-arg]  # ListSerializer takes them


# --- outputs --------------------------------------------------------------------------------------


class PriceRangeOutput(serializers.Serializer):
    min = serializers.FloatField()
    max = serializers.FloatField()


class RateCardCoveredOutput(serializers.Serializer):
    service_id = serializers.UUIDField()
    service_name = serializers.CharField()
    items_count = serializers.IntegerField()
    price_range = PriceRangeOutput()


class RateCardCreatedOutput(serializers.Serializer):
    rate_card_id = serializers.IntegerField()
    vendor_id = serializers.UUIDField()
    society_id = serializers.IntegerField()
    society_name = serializers.CharField()
    category = serializers.CharField()
    is_active = serializers.BooleanField()
    is_published = serializers.BooleanField()
    total_items = serializers.IntegerField()
    services_covered = RateCardCoveredOutput(many=True)
    created_at = serializers.DateTimeField()
    next_steps = serializers.DictField()


class RateCardItemOutput(serializers.Serializer):
    item_id = serializers.IntegerField()
    item_name = serializers.CharField()
    description = serializers.CharField()
    price_per_piece = serializers.FloatField()
    display_order = serializers.IntegerField()
    is_active = serializers.BooleanField()


class RateCardServiceOutput(serializers.Serializer):
    service_id = serializers.UUIDField()
    service_name = serializers.CharField()
    service_key = serializers.CharField()
    items = RateCardItemOutput(many=True)


class RateCardOutput(serializers.Serializer):
    rate_card_id = serializers.IntegerField()
    vendor_id = serializers.UUIDField()
    vendor_name = serializers.CharField()
    society_id = serializers.IntegerField()
    society_name = serializers.CharField()
    category = serializers.CharField()
    is_active = serializers.BooleanField()
    is_published = serializers.BooleanField()
    published_at = serializers.DateTimeField(allow_null=True)
    showing = serializers.ChoiceField(choices=["draft", "published"], help_text="Which version this is.")
    services = RateCardServiceOutput(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class RateCardItemsChangedOutput(serializers.Serializer):
    rate_card_id = serializers.IntegerField()
    updated_items = serializers.IntegerField()
    added_items = serializers.IntegerField()
    total_items = serializers.IntegerField()
    is_published = serializers.BooleanField()
    requires_republish = serializers.BooleanField()
    message = serializers.CharField()


class RateCardPublishedOutput(serializers.Serializer):
    rate_card_id = serializers.IntegerField()
    is_published = serializers.BooleanField()
    published_at = serializers.DateTimeField()
    total_items = serializers.IntegerField()
    services_covered = serializers.IntegerField()
    message = serializers.CharField()


def grouped(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items grouped by service, in the order given (prices as JSON numbers)."""
    services: dict[str, dict[str, Any]] = {}
    for item in items:
        entry = services.setdefault(
            item["service_id"],
            {
                "service_id": item["service_id"],
                "service_name": item["service_name"],
                "service_key": item["service_key"],
                "items": [],
            },
        )
        entry["items"].append(
            {
                "item_id": item["item_id"],
                "item_name": item["item_name"],
                "description": item["description"],
                "price_per_piece": float(item["price_per_piece"]),
                "display_order": item["display_order"],
                "is_active": item["is_active"],
            }
        )
    return list(services.values())


def covered(card: RateCard) -> list[dict[str, Any]]:
    prices: dict[str, list[Decimal]] = defaultdict(list)
    names: dict[str, str] = {}
    for item in card.items.filter(is_active=True).select_related("service"):
        prices[str(item.service_id)].append(item.price_per_piece)
        names[str(item.service_id)] = item.service.name
    return [
        {
            "service_id": service_id,
            "service_name": names[service_id],
            "items_count": len(values),
            "price_range": {k: float(v) for k, v in rate_cards.price_range(values).items()},
        }
        for service_id, values in prices.items()
    ]


class RateCardsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG], summary="Create a rate card", request=RateCardInput, responses={201: RateCardCreatedOutput}
    )
    def post(self, request: AuthenticatedRequest, vendor_id: Id) -> ApiResponse:
        card = rate_cards.rate_card_create(user=request.user, vendor_id=vendor_id, data=valid(RateCardInput, request))
        card = RateCard.objects.select_related("society", "category").get(pk=card.pk)
        return ApiResponse(
            {
                "rate_card_id": card.pk,
                "vendor_id": str(card.partner_id),
                "society_id": card.society_id,
                "society_name": card.society.name,
                "category": card.category.key,
                "is_active": card.is_active,
                "is_published": card.is_published,
                "total_items": card.items.count(),
                "services_covered": covered(card),
                "created_at": card.created_at,
                "next_steps": {"message": "Review and publish rate card to make it visible to residents"},
            },
            status=201,
            message="Rate card created successfully",
        )


class RateCardView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="A vendor's rate card in a society",
        parameters=[OpenApiParameter("category", str, description="The category key, when the vendor has several")],
        responses=RateCardOutput,
    )
    def get(self, request: AuthenticatedRequest, vendor_id: Id, society_id: int) -> ApiResponse:
        card, draft = rate_cards.rate_card_read(
            user=request.user,
            vendor_id=vendor_id,
            society_id=society_id,
            category=request.query_params.get("category", ""),
        )
        items = rate_cards.draft_items(card) if draft else card.published_items
        return ApiResponse(
            {
                "rate_card_id": card.pk,
                "vendor_id": str(card.partner_id),
                "vendor_name": card.partner.business_name,
                "society_id": card.society_id,
                "society_name": card.society.name,
                "category": card.category.key,
                "is_active": card.is_active,
                "is_published": card.is_published,
                "published_at": card.published_at,
                "showing": "draft" if draft else "published",
                "services": grouped(items),
                "created_at": card.created_at,
                "updated_at": card.updated_at,
            }
        )


class RateCardItemsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Update and add items (a draft)",
        request=RateCardItemsInput,
        responses=RateCardItemsChangedOutput,
    )
    def put(self, request: AuthenticatedRequest, vendor_id: Id, rate_card_id: int) -> ApiResponse:
        data = valid(RateCardItemsInput, request)
        changed = rate_cards.rate_card_update_items(
            user=request.user, vendor_id=vendor_id, rate_card_id=rate_card_id, items=data["items"]
        )
        return ApiResponse(
            {
                "rate_card_id": changed.card.pk,
                "updated_items": changed.updated,
                "added_items": changed.added,
                "total_items": changed.card.items.count(),
                "is_published": changed.card.is_published,
                "requires_republish": not changed.card.is_published,
                "message": "Changes saved as draft. Publish to make visible to residents",
            },
            message="Rate card updated successfully",
        )


class RateCardPublishView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="Publish", request=None, responses=RateCardPublishedOutput)
    def post(self, request: AuthenticatedRequest, vendor_id: Id, rate_card_id: int) -> ApiResponse:
        card = rate_cards.rate_card_publish(user=request.user, vendor_id=vendor_id, rate_card_id=rate_card_id)
        society = card.society
        return ApiResponse(
            {
                "rate_card_id": card.pk,
                "is_published": True,
                "published_at": card.published_at,
                "total_items": len(card.published_items),
                "services_covered": len({item["service_id"] for item in card.published_items}),
                "message": f"Your rate card is now visible to all residents in {society.name}",
            },
            message="Rate card published successfully",
        )
