"""Seed 001 2.3.1: ``POST /vendors/{vendor_id}/services/copy`` copies a vendor's services and rate cards
from one society to another (the rules are in ``orders.services.copy``).

The 400 ``SERVICES_ALREADY_EXIST`` and 403 ``VENDOR_NOT_APPROVED`` answers carry their lists and status
under ``error.details.context``, as every domain error of the project does (the seed puts them straight
under ``details``). ``rate_card_id`` and ``rate_card_status`` are null for a category whose items were not
copied (``copy_rate_cards`` false, or no item to copy).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.api import valid
from core.responses import ApiResponse
from core.types import Id
from orders.services.copy import services_copy
from societies.models import Society

TAG = "vendors: rate cards"


class ServicesCopyInput(serializers.Serializer):
    source_society_id = serializers.IntegerField(min_value=1)
    target_society_id = serializers.IntegerField(min_value=1)
    copy_turnaround_times = serializers.BooleanField(required=False, default=True)
    copy_rate_cards = serializers.BooleanField(required=False, default=True)
    parent_category_id = serializers.IntegerField(
        required=False, min_value=1, help_text="A catalogue category id; omit to copy every category."
    )
    services_to_copy = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        min_length=1,
        max_length=200,
        help_text="Service ids; omit to copy every service in scope.",
    )


class ServicesCopySocietyOutput(serializers.Serializer):
    society_id = serializers.IntegerField()
    society_name = serializers.CharField()


class ServicesCopyServiceOutput(serializers.Serializer):
    service_id = serializers.UUIDField()
    service_name = serializers.CharField()
    turnaround_hours = serializers.IntegerField()
    rate_card_items = serializers.IntegerField(help_text="How many rate-card items of the service were copied.")


class ServicesCopyCategoryOutput(serializers.Serializer):
    parent_category_id = serializers.IntegerField()
    category_name = serializers.CharField()
    services = ServicesCopyServiceOutput(many=True)
    rate_card_id = serializers.IntegerField(allow_null=True)
    rate_card_status = serializers.ChoiceField(choices=["UNPUBLISHED"], allow_null=True)


class ServicesCopyOutput(serializers.Serializer):
    source_society = ServicesCopySocietyOutput()
    target_society = ServicesCopySocietyOutput()
    categories_copied = ServicesCopyCategoryOutput(many=True)
    total_categories_copied = serializers.IntegerField()
    total_services_copied = serializers.IntegerField()
    total_rate_card_items_copied = serializers.IntegerField()


def _society(society: Society) -> dict[str, Any]:
    return {"society_id": society.pk, "society_name": society.name}


class ServicesCopyView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Copy services and rate cards to another society",
        request=ServicesCopyInput,
        responses=ServicesCopyOutput,
    )
    def post(self, request: AuthenticatedRequest, vendor_id: Id) -> ApiResponse:
        result = services_copy(user=request.user, vendor_id=vendor_id, data=valid(ServicesCopyInput, request))
        return ApiResponse(
            {
                "source_society": _society(result.source),
                "target_society": _society(result.target),
                "categories_copied": [
                    {
                        "parent_category_id": c.category.pk,
                        "category_name": c.category.key,
                        "services": [
                            {
                                "service_id": str(s.service.pk),
                                "service_name": s.service.name,
                                "turnaround_hours": s.turnaround_hours,
                                "rate_card_items": s.rate_card_items,
                            }
                            for s in c.services
                        ],
                        "rate_card_id": c.rate_card.pk if c.rate_card else None,
                        "rate_card_status": "UNPUBLISHED" if c.rate_card else None,
                    }
                    for c in result.categories
                ],
                "total_categories_copied": len(result.categories),
                "total_services_copied": result.services_copied,
                "total_rate_card_items_copied": result.items_copied,
            },
            message="Services copied successfully to target society",
        )
