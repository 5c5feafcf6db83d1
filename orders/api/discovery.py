"""Seed 001 sections 5.2 and 5.3: the vendors serving a society, and one vendor with its published card.

``orders.selectors`` holds the reading rules and the decisions where the seed is silent (who may look,
which vendors serve, the filters, the sorting, ``filter_info``). Here:

* The caller must be signed in and belong to the society (a PENDING or VERIFIED residence) or be platform
  staff or its society admin (403 ``FORBIDDEN`` otherwise); an unknown society is 404 ``SOCIETY_NOT_FOUND``,
  checked first. A bad ``sort_by``/``order``/``service_id``/``group_id`` is 422 ``VALIDATION_ERROR``.
* Vendor details need ``society_id`` (400 ``INVALID_REQUEST`` without it) because prices, cards and
  approval are per society; a vendor not serving that society is 404 ``VENDOR_NOT_FOUND``.
  ``rate_card`` is the vendor's published snapshot of the card for ``category`` (a key) when given, else
  of its first category; ``pricing_model`` is ``PER_ITEM`` because a rate card prices per piece.
* ``recent_reviews`` are the vendor's 5 latest order ratings in that society, newest first
  (``orders.selectors.recent_reviews`` says which and how they are named); ``avg_rating`` is the vendor's
  average over all its ratings.
* Prices (``starting_price``, ``price_per_piece``) and ``avg_rating`` are JSON numbers.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.api import query
from core.responses import ApiResponse
from core.types import Id
from orders import selectors
from societies.api.common import seed001_page
from societies.api.schemas import Seed001Pagination
from societies.models import AssignmentType, NodeType
from societies.scope import society_or_404

TAG = "residents: vendor discovery"
S, Int, B = serializers.CharField, serializers.IntegerField, serializers.BooleanField


class DiscoveryQuery(serializers.Serializer):
    category = S(required=False, allow_blank=True, max_length=50, default="")
    service_id = serializers.UUIDField(required=False)
    group_id = Int(required=False, min_value=1)
    show_all = B(required=False, default=False)
    sort_by = serializers.ChoiceField(choices=selectors.SORTS, required=False, default="rating")
    order = serializers.ChoiceField(choices=["asc", "desc"], required=False, default="desc")


class DiscoveryVendorQuery(serializers.Serializer):
    society_id = Int(min_value=1)
    category = S(required=False, allow_blank=True, max_length=50, default="")


# --- outputs --------------------------------------------------------------------------------------


class DiscoveryGroup(serializers.Serializer):
    group_id = Int()
    group_name = S()
    group_type = serializers.ChoiceField(choices=NodeType.choices)


class DiscoveryServiceAreas(serializers.Serializer):
    assignment_type = serializers.ChoiceField(
        choices=AssignmentType.choices, allow_null=True, help_text="Null while the vendor has no area yet."
    )
    covers_entire_society = B()
    assigned_groups = DiscoveryGroup(many=True, allow_null=True, help_text="Null when it covers the society.")


class DiscoveryService(serializers.Serializer):
    service_id = serializers.UUIDField()
    service_name = S()
    service_key = S()
    category = S()
    turnaround_hours = Int(allow_null=True)


class DiscoveryListedService(DiscoveryService):
    starting_price = serializers.FloatField(help_text="The lowest published price per piece of this service.")


class DiscoveryVendorBase(serializers.Serializer):
    vendor_id = serializers.UUIDField()
    business_name = S()
    store_address = S()
    store_photo_url = S()
    avg_rating = serializers.FloatField()
    total_orders = Int()
    completed_orders = Int()
    is_available = B()


class DiscoveryVendor(DiscoveryVendorBase):
    service_areas = DiscoveryServiceAreas()
    services_offered = DiscoveryListedService(many=True)
    has_rate_card = B()
    is_published = B(help_text="False when a live card has edits not yet republished (residents see the last one).")


class DiscoveryFilterInfo(serializers.Serializer):
    show_all = B()
    filtered_by_group = B()
    group_id = Int(allow_null=True)
    group_name = S(allow_null=True)
    group_type = serializers.ChoiceField(choices=NodeType.choices, allow_null=True)
    total_vendors_in_society = Int()
    vendors_shown = Int(help_text="Vendors matching the filters, on all pages.")


class DiscoveryVendorsPage(serializers.Serializer):
    vendors = DiscoveryVendor(many=True)
    filter_info = DiscoveryFilterInfo()
    pagination = Seed001Pagination()


class DiscoveryOfferedService(DiscoveryService):
    pricing_model = serializers.ChoiceField(choices=["PER_ITEM"])


class DiscoveryCardItem(serializers.Serializer):
    item_id = Int()
    item_name = S()
    price_per_piece = serializers.FloatField()


class DiscoveryCardService(serializers.Serializer):
    service_id = serializers.UUIDField()
    service_name = S()
    items = DiscoveryCardItem(many=True)


class DiscoveryRateCard(serializers.Serializer):
    rate_card_id = Int()
    society_id = Int()
    is_published = B()
    services = DiscoveryCardService(many=True)


class DiscoveryReview(serializers.Serializer):
    rating_id = serializers.UUIDField()
    rating = Int(min_value=1, max_value=5)
    review = S()
    service_id = serializers.UUIDField(allow_null=True, help_text="The service of the order's first line.")
    service_name = S(allow_null=True)
    resident_name = S(help_text='First name and last initial: "Ramesh K."')
    created_at = serializers.DateTimeField()


class DiscoveryVendorDetail(DiscoveryVendorBase):
    full_name = S()
    phone = S(allow_null=True)
    services_offered = DiscoveryOfferedService(many=True)
    rate_card = DiscoveryRateCard()
    recent_reviews = DiscoveryReview(many=True, help_text="The vendor's 5 latest order ratings in this society.")


class DiscoveryVendorOutput(serializers.Serializer):
    vendor = DiscoveryVendorDetail()


# --- rendering ------------------------------------------------------------------------------------


def _vendor_base(view: selectors.VendorView) -> dict[str, Any]:
    p = view.partner
    return {
        "vendor_id": str(p.pk),
        "business_name": p.business_name,
        "store_address": p.store_address,
        "store_photo_url": p.store_photo_url,
        "avg_rating": float(p.rating),
        "total_orders": getattr(p, "total_orders", None) or 0,
        "completed_orders": getattr(p, "completed_orders", None) or 0,
        "is_available": p.is_available,
    }


def vendor_row(view: selectors.VendorView) -> dict[str, Any]:
    return {
        **_vendor_base(view),
        "service_areas": selectors.area_summary(view),
        "services_offered": [{**s, "starting_price": float(s["starting_price"])} for s in view.services],
        "has_rate_card": bool(view.cards),
        "is_published": all(card.is_published for card in view.cards),
    }


def review_row(review: dict[str, Any]) -> dict[str, Any]:
    return {
        **review,
        "rating_id": str(review["rating_id"]),
        "service_id": None if review["service_id"] is None else str(review["service_id"]),
        "created_at": timezone.localtime(review["created_at"]).isoformat(),
    }


def vendor_detail(view: selectors.VendorView, category: str, reviews: list[dict[str, Any]]) -> dict[str, Any]:
    card = next((c for c in view.cards if c.category.key == category.upper()), None) if category else None
    card = card or view.cards[0]
    services: dict[str, dict[str, Any]] = {}
    for item in card.published_items:
        entry = services.setdefault(
            item["service_id"], {"service_id": item["service_id"], "service_name": item["service_name"], "items": []}
        )
        entry["items"].append(
            {
                "item_id": item["item_id"],
                "item_name": item["item_name"],
                "price_per_piece": float(item["price_per_piece"]),
            }
        )
    offered = [
        {k: v for k, v in s.items() if k != "starting_price"} | {"pricing_model": "PER_ITEM"} for s in view.services
    ]
    return {
        **_vendor_base(view),
        "full_name": view.partner.user.full_name,
        "phone": view.partner.user.phone,
        "services_offered": offered,
        "rate_card": {
            "rate_card_id": card.pk,
            "society_id": card.society_id,
            "is_published": card.is_published,
            "services": list(services.values()),
        },
        "recent_reviews": [review_row(r) for r in reviews],
    }


class SocietyVendorsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Vendors serving my place in a society",
        parameters=[
            OpenApiParameter("category", str, description="A category key, e.g. LAUNDRY"),
            OpenApiParameter("service_id", str, description="Only vendors whose published card prices it"),
            OpenApiParameter("group_id", int, description="A group of the society instead of the resident's own"),
            OpenApiParameter("show_all", bool, description="Every vendor serving the society"),
            OpenApiParameter("sort_by", str, enum=list(selectors.SORTS)),
            OpenApiParameter("order", str, enum=["asc", "desc"]),
            OpenApiParameter("page", int),
            OpenApiParameter("limit", int),
        ],
        responses=DiscoveryVendorsPage,
    )
    def get(self, request: AuthenticatedRequest, society_id: int) -> ApiResponse:
        society = society_or_404(society_id)
        params = query(DiscoveryQuery, request)
        found = selectors.discover(user=request.user, society=society, **params)
        page = seed001_page(self, request, found.vendors, vendor_row, "vendors")
        group = found.group
        page["filter_info"] = {
            "show_all": found.show_all,
            "filtered_by_group": found.filtered_by_group,
            "group_id": group.pk if group else None,
            "group_name": group.node_name if group else None,
            "group_type": group.node_type if group else None,
            "total_vendors_in_society": found.total_in_society,
            "vendors_shown": len(found.vendors),
        }
        return ApiResponse(page, message="Vendors retrieved successfully")


class VendorDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="A vendor serving a society, with its published rate card",
        parameters=[
            OpenApiParameter("society_id", int, required=True),
            OpenApiParameter("category", str, description="Which card to show when the vendor has several"),
        ],
        responses=DiscoveryVendorOutput,
    )
    def get(self, request: AuthenticatedRequest, vendor_id: Id) -> ApiResponse:
        params = query(DiscoveryVendorQuery, request)
        society = society_or_404(params["society_id"])
        view = selectors.vendor_in_society(user=request.user, society=society, vendor_id=vendor_id)
        reviews = selectors.recent_reviews(partner=view.partner, society=society)
        return ApiResponse({"vendor": vendor_detail(view, params["category"], reviews)})
