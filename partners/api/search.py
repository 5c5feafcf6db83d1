"""Seed 004's ``GET /services/search`` (public): active services of verified specialists and clinicians.

The rules and readings are in ``partners.selectors.search`` (SE1-SE4). This view validates the query
(``ServiceSearchQuery``: min above max, a bad date or an unknown ``sortBy`` are 422 naming the field) and
renders the selector's page. ``first_name`` / ``last_name`` split the account's full name at its first space;
``avatar`` is the account's uploaded photo URL or null.

Answers are cached for five minutes (seed 004's "Caching Strategy": search results, 5 minutes) under the
version ``partners.slots.slots_changed`` moves on whenever a service, a category, a provider, their hours, blocks
or bookings change, so an answer never outlives the change that made it stale; ``next_available`` may lag the
clock by up to the five minutes (a slot that has just started is refused at booking, 409).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from catalog.models import Service
from core.api import query
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer
from partners.api.search_schemas import ServiceCategoryCountOutput, ServiceSearchOutput, ServiceSearchQuery
from partners.selectors.search import (
    SearchParams,
    SearchResult,
    categories_with_counts,
    response_time,
    search_services,
)
from partners.slots import slots_version

TAG = "service search"
SEARCH_CACHE_SECONDS = 5 * 60


def _specialist(service: Service) -> dict[str, Any]:
    partner = service.partner
    assert partner is not None  # searchable() keeps provider services only
    user = partner.user
    first, _, last = (user.full_name or "").strip().partition(" ")
    return {
        "id": partner.pk,
        "business_name": partner.business_name,
        "first_name": first,
        "last_name": last.strip(),
        "avatar": user.photo.url if user.photo else None,
        "rating": float(partner.rating),
        "total_reviews": partner.rating_count,
        "is_verified": True,
        "response_time": response_time(partner),
    }


def _render(result: SearchResult) -> dict[str, Any]:
    return {
        "services": [
            {
                "id": s.pk,
                "name": s.name,
                "description": s.description,
                "price": s.product_cost,
                "duration": s.duration_minutes,
                "category": s.category.key,
                "specialist": _specialist(s),
                "next_available": result.next_available.get(s.partner_id),
            }
            for s in result.services
        ],
        "pagination": result.pagination,
        "filters": {"categories": result.categories, "price_ranges": result.price_ranges},
    }


def _params(data: dict[str, Any]) -> SearchParams:
    specialties = tuple(s.strip() for s in (data.get("specialties") or "").split(",") if s.strip())
    return SearchParams(
        query=data.get("query") or "",
        category=data.get("category") or "",
        min_price=data.get("min_price"),
        max_price=data.get("max_price"),
        rating=data.get("rating"),
        location=data.get("location") or "",
        availability=data.get("availability"),
        specialties=specialties,
        sort_by=data["sort_by"],
        page=data["page"],
        limit=data["limit"],
    )


class ServiceSearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=[TAG],
        summary="Search specialists' services (public)",
        parameters=[
            OpenApiParameter("query", str),
            OpenApiParameter("category", str, description="Category key or id."),
            OpenApiParameter("minPrice", float),
            OpenApiParameter("maxPrice", float),
            OpenApiParameter("rating", float, description="Minimum average rating."),
            OpenApiParameter("location", str, description="City of a centre, or the provider's address."),
            OpenApiParameter("availability", str, description="YYYY-MM-DD: a free slot that day."),
            OpenApiParameter("specialties", str, description="Comma-separated; any of them."),
            OpenApiParameter("sortBy", str, enum=["rating", "price", "reviews"]),
            OpenApiParameter("page", int),
            OpenApiParameter("limit", int),
        ],
        responses={200: ServiceSearchOutput, 422: ErrorResponseSerializer},
    )
    def get(self, request: Request) -> ApiResponse:
        params = _params(query(ServiceSearchQuery, request))
        key = f"search:{slots_version()}:{hashlib.sha256(repr(params).encode()).hexdigest()[:32]}"
        body = cache.get(key)
        if body is None:
            body = ServiceSearchOutput(_render(search_services(params))).data
            cache.set(key, body, timeout=SEARCH_CACHE_SECONDS)
        return ApiResponse(body)


# Seed 004's ``GET /services/categories``.
class ServiceCategoriesView(APIView):
    """The categories a customer can search, with how many services each has."""

    permission_classes = [AllowAny]

    @extend_schema(
        tags=[TAG],
        summary="Categories with how many specialists' services each has (public)",
        responses={200: ServiceCategoryCountOutput(many=True)},
    )
    def get(self, request: Request) -> ApiResponse:
        return ApiResponse(ServiceCategoryCountOutput(categories_with_counts(), many=True).data)
