"""Catalog reads: built in a fixed number of queries, then served from the cache; the staff lists, uncached."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from catalog import cache, provider_details
from catalog.errors import CategoryNotFound
from catalog.models import Category, Service, Tier, WorkflowTemplate
from core.envelope import success_body
from core.errors import DomainError, ErrorCode
from core.renderers import EnvelopeJSONRenderer
from core.types import Id


def service_row(service: Service) -> dict[str, Any]:
    return {
        "id": str(service.pk),
        "name": service.name,
        "service_key": service.service_key,
        "description": service.description,
        "category": service.category.name,
        "category_key": service.category.key,
        "service_type": service.service_type,
        "tier": service.tier,
        "product_cost": service.product_cost,
        "market_price": service.market_price,
        "duration_minutes": service.duration_minutes,
        "default_turnaround_hours": service.default_turnaround_hours,
        "pricing_model": service.pricing_model,
        "image_url": service.image_url or None,
    }


def bookable_services() -> QuerySet[Service]:
    """The platform catalogue's services a customer may book (a provider's own services are booked with that
    provider, never dispatched: issue #18)."""
    rows = Service.objects.filter(is_active=True, category__is_live=True, partner__isnull=True)
    return rows.select_related("category")


def normalise_tier(tier: str | None) -> str | None:
    """A tier as stored (``Minimal``...), matched case-insensitively; unknown is ``INVALID_REQUEST``."""
    if not tier:
        return None
    for choice in Tier.values:
        if choice.lower() == tier.lower():
            return choice
    raise DomainError(
        f"Unknown tier. Use one of: {', '.join(Tier.values)}.",
        code=ErrorCode.INVALID_REQUEST,
        field="tier",
        reason="unknown_tier",
    )


def _build_catalog(category: str | None, tier: str | None) -> dict[str, Any]:
    services = bookable_services()
    if category:
        services = services.filter(Q(category__name__iexact=category) | Q(category__key__iexact=category))
    if tier:
        services = services.filter(tier=tier)
    rows = [service_row(service) for service in services.order_by("category__display_order", "display_order", "name")]
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["category"], []).append(row)
    stamps = [
        Service.objects.aggregate(last=Max("updated_at"))["last"],
        Category.objects.aggregate(last=Max("updated_at"))["last"],
    ]
    stamps = [stamp for stamp in stamps if stamp]
    return {"categories": grouped, "all_services": rows, "last_updated": max(stamps) if stamps else None}


def catalog(*, category: str | None = None, tier: str | None = None) -> dict[str, Any]:
    """Seed 000 ``/services/catalog``: grouped by category, filtered, cached an hour, three queries when built."""
    tier = normalise_tier(tier)
    name = f"catalog:{(category or '*').lower()}:{tier or '*'}"
    return cache.cached(name, lambda: _build_catalog(category, tier))


def catalog_json(*, category: str | None = None, tier: str | None = None) -> bytes:
    """The whole enveloped catalog response body, rendered once per catalog version (the hot path)."""
    tier = normalise_tier(tier)
    name = f"catalog-json:{(category or '*').lower()}:{tier or '*'}"
    return cache.cached_bytes(
        name, lambda: EnvelopeJSONRenderer().render(success_body(catalog(category=category, tier=tier)))
    )


def service_detail(service_id: Id) -> dict[str, Any]:
    """A platform service, or a provider's own one as the partners app describes it (``provider_details``)."""
    service = bookable_services().filter(pk=service_id).first()
    if service is not None:
        return service_row(service)
    provided = provider_details.detail(service_id)
    if provided is None:
        raise DomainError("Service not found.", code=ErrorCode.NOT_FOUND, field="id", reason="not_found")
    return provided


def categories(*, is_live: bool | None = None) -> list[dict[str, Any]]:
    """Seed 001 5.1: categories with their services as subcategories (two queries), cached."""

    def build() -> list[dict[str, Any]]:
        rows = Category.objects.prefetch_related(
            Prefetch(
                "services",
                queryset=Service.objects.filter(is_active=True, partner__isnull=True).order_by("display_order", "name"),
            )
        )
        out = []
        for category in rows:
            item: dict[str, Any] = {
                "category_id": category.pk,
                "category_key": category.key,
                "category_name": category.name,
                "description": category.description,
                "icon_url": category.icon_url or None,
                "color_hex": category.color_hex or None,
                "is_live": category.is_live,
                "display_order": category.display_order,
            }
            if category.is_live:
                item["subcategories"] = [
                    {
                        "service_id": str(service.pk),
                        "service_key": service.service_key,
                        "service_name": service.name,
                        "tier": service.tier,
                        "default_turnaround_hours": service.default_turnaround_hours,
                    }
                    for service in category.services.all()
                ]
            else:
                item["message"] = "Coming Soon"
            out.append(item)
        return out

    rows = cache.cached("categories", build)
    if is_live is None:
        return rows
    return [row for row in rows if row["is_live"] == is_live]


# --- staff lists (not cached: staff see their change at once) ------------------------------------


def staff_services(
    *,
    category: str | None = None,
    category_id: int | None = None,
    tier: str | None = None,
    is_active: bool | None = None,
) -> QuerySet[Service]:
    """Every service, active or not, with its category (one query per page)."""
    rows = Service.objects.select_related("category").order_by("category__display_order", "display_order", "name")
    if category:
        rows = rows.filter(Q(category__name__iexact=category) | Q(category__key__iexact=category))
    if category_id:
        rows = rows.filter(category_id=category_id)
    if tier:
        rows = rows.filter(tier=normalise_tier(tier))
    if is_active is not None:
        rows = rows.filter(is_active=is_active)
    return rows


def staff_categories(*, is_live: bool | None = None, search: str | None = None) -> QuerySet[Category]:
    """Every category with its service counts (counted in the same query as the page)."""
    rows = Category.objects.annotate(
        services_count=Count("services"),
        active_services_count=Count("services", filter=Q(services__is_active=True)),
    ).order_by("display_order", "name", "pk")
    if is_live is not None:
        rows = rows.filter(is_live=is_live)
    if search:
        rows = rows.filter(Q(name__icontains=search) | Q(key__icontains=search))
    return rows


def staff_category(category_id: int) -> Category:
    category = staff_categories().filter(pk=category_id).first()
    if category is None:
        raise CategoryNotFound()
    return category


def service_with_workflows(service_id: Id) -> Service | None:
    """A service with its workflow templates (the default first) and their steps: three queries."""
    templates = WorkflowTemplate.objects.order_by("-is_default", "pk").prefetch_related("steps")
    rows = Service.objects.filter(pk=service_id).prefetch_related(Prefetch("workflow_templates", queryset=templates))
    return rows.first()
