"""Seed 004's service search (``GET /services/search``, notes 2.3 "Search", rules SE1-SE4).

Rules and the readings chosen where the seed is silent:

* **What is searched (SE1).** Active ``catalog.Service`` rows owned by a provider (``Service.partner``) that is
  active and verified and of kind ``specialist`` **or** ``clinician``: both are booked by name at a chosen time
  (issue #18), so a clinician's consultation is found too. The platform catalogue (no partner), technicians'
  and vendors' services are never found.
* **query**: on PostgreSQL a full-text search (``websearch`` syntax, English configuration) over the service's
  name (weight A), its description and the provider's business name (B) and specialties (C); matches are
  ranked and the rank breaks ties of the chosen sort. On another database (SQLite) a case-insensitive
  substring of the name or description. A blank query is no filter.
* **category**: a category id (digits) or key, case-insensitive (``consultation`` finds ``CONSULTATION``).
* **min_price / max_price** bound ``product_cost`` inclusively; min above max is 422 naming ``min_price``.
* **rating (SE2)** is a minimum on the provider's average rating (``Partner.rating``).
* **location**: a case-insensitive substring of the city of one of the provider's active centres (primary or
  linked) or of the provider's address.
* **specialties**: comma-separated; a provider having any of them (case-insensitive, whole specialty). On
  PostgreSQL a match on the quoted element in the JSON text; elsewhere in Python over the candidate providers
  (one query).
* **availability (SE3)**: a date; keeps providers with at least one free slot on that local day of theirs
  (their session length). Computed for every candidate provider in ONE ``free_slots_of`` call (three queries)
  before paginating, so totals and pages agree.
* **sort_by**: ``rating`` (default: rating desc, then reviews desc), ``price`` (price asc, then rating desc),
  ``reviews`` (rating count desc, then rating desc); then the text rank, then the id, so pages are stable.
* **response_time**: the provider's running response time as the seed words it (``response_time``), null before
  their first confirmation.
* **next_available**: the provider's first free slot (UTC) from now until 14 days ahead, of the provider's
  session length (not the service's duration), from ONE ``free_slots_of`` call over the page's providers;
  ``None`` when there is none.
* **filters**: categories (id, key, name, count) and fixed price buckets 0-500, 500-1000, 1000-2000, 2000+
  (``min`` inclusive, ``max`` exclusive, the last ``max`` null) counted with aggregates over the filtered set.
* **SE4**: the query count does not depend on the page size: facets (1), total and buckets (1), the page (1),
  next available (3); plus 1 for a text query on PostgreSQL (the matching ids, read once so the text is
  matched once, not in each of the three reads), 1 + 3 with ``availability``, 1 for specialties outside
  PostgreSQL.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import CharField, Count, F, Q, QuerySet, TextField
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast
from django.utils import timezone

from bookings.models import Review
from catalog.models import Category, Service
from catalog.selectors import service_row
from core.types import Id, is_uuid
from partners.models import OnboardingStatus, Partner, PartnerKind
from partners.selectors import agenda

PROVIDER_KINDS = (PartnerKind.SPECIALIST, PartnerKind.CLINICIAN)
SORTS = ("rating", "price", "reviews")
PRICE_BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 500), (500, 1000), (1000, 2000), (2000, None))
NEXT_AVAILABLE_DAYS = 14
TEXT_CONFIG = "english"

_ORDER = {
    "rating": ("-partner__rating", "-partner__rating_count"),
    "price": ("product_cost", "-partner__rating"),
    "reviews": ("-partner__rating_count", "-partner__rating"),
}


@dataclass(frozen=True)
class SearchParams:
    query: str = ""
    category: str = ""
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    rating: Decimal | None = None
    location: str = ""
    availability: date | None = None
    specialties: tuple[str, ...] = ()
    sort_by: str = "rating"
    page: int = 1
    limit: int = 20


@dataclass
class SearchResult:
    services: list[Service]
    next_available: dict[Any, datetime | None]
    total: int
    page: int
    limit: int
    categories: list[dict[str, Any]] = field(default_factory=list)
    price_ranges: list[dict[str, Any]] = field(default_factory=list)

    @property
    def pagination(self) -> dict[str, Any]:
        pages = math.ceil(self.total / self.limit) if self.total else 0
        return {
            "current_page": self.page,
            "total_pages": pages,
            "total_items": self.total,
            "has_next": self.page < pages,
            "has_prev": self.page > 1,
        }


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def searchable() -> QuerySet[Service]:
    """SE1: active services of active, verified specialists and clinicians."""
    return Service.objects.filter(
        is_active=True,
        partner__kind__in=PROVIDER_KINDS,
        partner__is_active=True,
        partner__onboarding_status=OnboardingStatus.VERIFIED,
    )


def _vector() -> CombinedExpression:
    return (
        SearchVector("name", weight="A", config=TEXT_CONFIG)
        + SearchVector("description", "partner__business_name", weight="B", config=TEXT_CONFIG)
        + SearchVector(Cast("partner__specialties", TextField()), weight="C", config=TEXT_CONFIG)
    )


def _text_query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=TEXT_CONFIG)


def _specialty_filter(rows: QuerySet[Service], wanted: tuple[str, ...]) -> QuerySet[Service]:
    names = [w.strip().casefold() for w in wanted if w.strip()]
    if not names:
        return rows
    if _postgres():
        # jsonb text is ["A", "B"]: the quoted element matches a whole specialty, case-insensitively.
        rows = rows.alias(specialties_text=Cast("partner__specialties", CharField()))
        match = Q()
        for name in names:
            match |= Q(specialties_text__icontains='"' + name.replace('"', '\\"') + '"')
        return rows.filter(match)
    candidates = Partner.objects.filter(pk__in=rows.values("partner_id")).values_list("pk", "specialties")
    keep = [pk for pk, specs in candidates if {str(s).strip().casefold() for s in specs or []} & set(names)]
    return rows.filter(partner_id__in=keep)


def _available_on(rows: QuerySet[Service], day: date, now: datetime) -> QuerySet[Service]:
    """SE3: keep providers with a free slot on ``day``, computed for every candidate provider at once."""
    providers = list(Partner.objects.filter(pk__in=rows.values("partner_id")))
    free = agenda.free_slots_of(providers, first_day=day, last_day=day, now=now)
    return rows.filter(partner_id__in=[pk for pk, slots in free.items() if slots])


def filtered(params: SearchParams, *, now: datetime | None = None) -> QuerySet[Service]:
    """The services matching every filter (unordered)."""
    now = now or timezone.now()
    rows = searchable()
    text = params.query.strip()
    if text:
        if _postgres():
            rows = rows.alias(search=_vector()).filter(search=_text_query(text))
        else:
            rows = rows.filter(Q(name__icontains=text) | Q(description__icontains=text))
    category = params.category.strip()
    if category:
        rows = (
            rows.filter(category_id=int(category))
            if category.isdigit()
            else rows.filter(category__key__iexact=category)
        )
    if params.min_price is not None:
        rows = rows.filter(product_cost__gte=params.min_price)
    if params.max_price is not None:
        rows = rows.filter(product_cost__lte=params.max_price)
    if params.rating is not None:
        rows = rows.filter(partner__rating__gte=params.rating)
    place = params.location.strip()
    if place:
        near = Partner.objects.filter(
            Q(centres__city__icontains=place, centres__is_active=True)
            | Q(primary_centre__city__icontains=place, primary_centre__is_active=True)
            | Q(address__icontains=place)
        ).values("pk")
        rows = rows.filter(partner_id__in=near)
    rows = _specialty_filter(rows, params.specialties)
    if text and _postgres():
        # One pass of to_tsvector over the candidates; the facets and the page then read the matches by id
        # instead of each recomputing every candidate's vector (bench_search.py).
        rows = searchable().filter(pk__in=list(rows.values_list("pk", flat=True)))
    if params.availability is not None:
        rows = _available_on(rows, params.availability, now)
    return rows


def _facets(rows: QuerySet[Service]) -> tuple[int, list[dict[str, Any]], list[dict[str, Any]]]:
    buckets = {}
    for n, (low, high) in enumerate(PRICE_BUCKETS):
        cond = Q(product_cost__gte=low) if high is None else Q(product_cost__gte=low, product_cost__lt=high)
        buckets[f"b{n}"] = Count("pk", filter=cond)
    counts = rows.aggregate(total=Count("pk"), **buckets)
    ranges = [{"min": low, "max": high, "count": counts[f"b{n}"] or 0} for n, (low, high) in enumerate(PRICE_BUCKETS)]
    categories = [
        {"id": row["category_id"], "key": row["category__key"], "name": row["category__name"], "count": row["count"]}
        for row in rows.order_by()
        .values("category_id", "category__key", "category__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "category__name")
    ]
    return counts["total"] or 0, categories, ranges


def _next_available(services: list[Service], now: datetime) -> dict[Any, datetime | None]:
    """Each page provider's first free slot in the next 14 days (one ``free_slots_of`` call)."""
    providers = list({s.partner_id: s.partner for s in services if s.partner is not None}.values())
    today = now.date()
    free = agenda.free_slots_of(
        providers, first_day=today - timedelta(days=1), last_day=today + timedelta(days=NEXT_AVAILABLE_DAYS), now=now
    )
    until = now + timedelta(days=NEXT_AVAILABLE_DAYS)
    return {pk: next((s for s in slots if now <= s <= until), None) for pk, slots in free.items()}


def search_services(params: SearchParams, *, now: datetime | None = None) -> SearchResult:
    """A page of matching services with facets and each provider's next free slot (SE1-SE4)."""
    now = now or timezone.now()
    rows = filtered(params, now=now)
    total, categories, ranges = _facets(rows)
    order: list[Any] = list(_ORDER[params.sort_by])
    text = params.query.strip()
    if text and _postgres():
        rows = rows.annotate(rank=SearchRank(_vector(), _text_query(text)))
        order.append(F("rank").desc())
    order.append("pk")
    offset = (params.page - 1) * params.limit
    page: list[Service] = []
    if offset < total:
        page = list(
            rows.select_related("category", "partner", "partner__user").order_by(*order)[offset : offset + params.limit]
        )
    return SearchResult(
        services=page,
        next_available=_next_available(page, now) if page else {},
        total=total,
        page=params.page,
        limit=params.limit,
        categories=categories,
        price_ranges=ranges,
    )


__all__ = [
    "PRICE_BUCKETS",
    "SORTS",
    "SearchParams",
    "SearchResult",
    "filtered",
    "response_time",
    "search_services",
    "searchable",
]


def categories_with_counts() -> list[dict[str, Any]]:
    """Seed 004 ``GET /services/categories``: every live category with how many searchable services it has
    (SE1's set: active services of active, verified specialists and clinicians), in one query."""
    counted = (
        Category.objects.filter(is_live=True)
        .annotate(service_count=Count("services", filter=Q(services__in=searchable())))
        .order_by("display_order", "name")
    )
    return [
        {
            "id": c.pk,
            "key": c.key,
            "name": c.name,
            "description": c.description,
            "icon": c.icon_url or None,
            "service_count": c.service_count,
        }
        for c in counted
    ]


def provider_service_detail(service_id: Id) -> dict[str, Any] | None:
    """Seed 004 ``GET /services/{id}`` for a searchable provider's service (``catalog.provider_details``): the
    catalogue row plus the long description, the specialist, their three latest visible reviews and the next
    five free slots of this service's length in the coming 14 days. ``None`` for anything else (404)."""
    if not is_uuid(str(service_id)):
        return None
    service = searchable().select_related("category", "partner__user").filter(pk=service_id).first()
    if service is None or service.partner is None:
        return None
    partner = service.partner
    first, _, last = (partner.user.full_name or "").strip().partition(" ")
    reviews = Review.objects.filter(partner=partner, is_hidden=False).select_related("customer")[:3]
    today = timezone.now().astimezone(agenda.zone_of(partner)).date()
    free = agenda.free_slots_of(
        [partner], first_day=today, last_day=today + timedelta(days=14), duration_minutes=service.duration_minutes
    )[partner.pk][:5]
    return {
        **service_row(service),
        "long_description": service.description,
        "deliverables": [],
        "specialist": {
            "id": str(partner.pk),
            "business_name": partner.business_name,
            "first_name": first,
            "last_name": last.strip(),
            "rating": float(partner.rating),
            "total_reviews": partner.rating_count,
            "is_verified": True,
            "response_time": response_time(partner),
        },
        "reviews": [
            {
                "id": str(r.pk),
                "rating": r.rating,
                "comment": r.comment,
                "customer_name": _short_name(r.customer.full_name),
                "created_at": r.created_at,
            }
            for r in reviews
        ],
        "availability": [slot.isoformat() for slot in free],
    }


RESPONSE_LABELS: tuple[tuple[int, str], ...] = (
    (60, "within an hour"),
    (120, "within 2 hours"),
    (24 * 60, "within a day"),
)


def response_time(partner: Partner) -> str | None:
    """Seed 004's ``responseTime`` ("within 2 hours") from the running ``response_minutes``; ``None`` before the
    provider's first confirmation."""
    minutes = partner.response_minutes
    if minutes is None:
        return None
    return next((label for most, label in RESPONSE_LABELS if minutes <= most), "within a few days")


def _short_name(full_name: str) -> str:
    first, _, last = (full_name or "").strip().partition(" ")
    return f"{first} {last.strip()[:1]}." if last.strip() else first
