"""Reads of orders: vendor discovery for a society (seed 001 sections 5.2 and 5.3) and a vendor's reviews.

Who serves a society: a vendor the platform approved (``onboarding_status`` verified, kind vendor, active),
that the society approved (``VendorAccess`` APPROVED) and that has a live rate card there
(``RateCard.is_live``: active and published at least once). A card edited after publishing stays live:
residents keep seeing its published snapshot, prices included, until the vendor republishes (issue 17's
reading of 4.3, which governs over the digest's rule 8 wording "disappears until republished").

Decisions where the seed is silent:

* The caller has a residence in the society that is PENDING or VERIFIED (``can_browse``); a REJECTED one
  does not count. Platform staff and the society's own admins may look too; anyone else is 403.
* Default filter: vendors whose active areas cover the caller's unit (the whole society, or a group
  above the unit). ``group_id`` (a level-2 node of this society, else 404 ``NODE_NOT_FOUND``) replaces the
  resident's group: that group plus the society-wide vendors. ``show_all`` wins over ``group_id`` (which is
  still checked) and ignores service areas, so a vendor approved with a live card but no area yet is
  listed only there. Staff without a unit in the society get ``show_all``.
* ``services_offered`` are the services of the vendor's published snapshots in the society (all
  categories, whatever the filters); ``turnaround_hours`` is the vendor's own (``VendorService``, null
  when the vendor has none for it); ``starting_price`` is the lowest price in the snapshot for that service
  (the snapshot holds only items active when published). ``is_published`` is false when any of the
  vendor's live cards there has unpublished edits.
* ``category`` (a category key, any case) keeps vendors with a live card of that category; ``service_id``
  those whose snapshot prices that service. Unknown values just match nothing.
* ``total_orders`` counts the vendor's society orders that were not cancelled, ``completed_orders`` those
  delivered or later (every society: a track record). Sorting: ``rating`` by the partner's average,
  ``orders`` by ``total_orders``, ``delivery_time`` by the fastest turnaround among the services offered (vendors
  without one come last in both directions); ties by business name, then id, so pages are stable.
* ``filter_info.total_vendors_in_society`` counts every vendor serving the society; ``vendors_shown`` those
  matching all the filters (across pages, as ``pagination.total_items``).

``recent_reviews`` (5.3) are the vendor's 5 latest order ratings **in that society** (the residents who
read them are that society's, the prices and service they rated are its card's; residents of other
societies stay out of sight), newest first, star-only ratings included with an empty ``review``.
``avg_rating`` stays the vendor's average over every rating (``Partner.rating``). A rating's
``service_id``/``service_name`` is the service of the order's first line (an order may hold several);
``resident_name`` is the first name and the last name's initial ("Ramesh K."), the first name alone when
there is one word, "Resident" when there is none. One query, whatever the number of ratings.

A society's vendors are tens, not thousands: one query reads every vendor serving it with three
prefetches (live cards, vendor services, service areas), and filters on snapshot contents, the area
match and the sorting happen in memory. The number of queries never depends on the number of vendors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery

from accounts.models import User
from core.errors import DomainError, ErrorCode
from core.types import Id
from orders.models import Order, OrderItem, OrderRating, OrderStatus, RateCard
from partners.models import OnboardingStatus, Partner, PartnerKind, VendorService
from societies.errors import SocietyErrorCode
from societies.models import (
    GROUP_DEPTH,
    ApprovalStatus,
    AssignmentType,
    HierarchyNode,
    Residence,
    ServiceArea,
    Society,
    VendorAccess,
)
from societies.scope import is_platform_staff, runs

SORTS = ("rating", "delivery_time", "orders")
RECENT_REVIEWS = 5


def live_cards(society: Society) -> QuerySet[RateCard]:
    return RateCard.objects.filter(society=society, is_active=True, published_at__isnull=False)


def caller_unit(user: User, society: Society) -> HierarchyNode | None:
    """The caller's unit in ``society`` (None for staff without one); 403 for anyone else."""
    residence = (
        Residence.objects.filter(user=user, society=society)
        .exclude(verification_status=ApprovalStatus.REJECTED)
        .select_related("unit")
        .first()
    )
    if residence is not None:
        return residence.unit
    if is_platform_staff(user) or runs(user, society.pk):
        return None
    raise DomainError(
        "Only residents of this society can browse its vendors.", code=ErrorCode.FORBIDDEN, reason="not_a_resident"
    )


def group_of(society: Society, group_id: int) -> HierarchyNode:
    group = HierarchyNode.objects.filter(pk=group_id, society=society, level_depth=GROUP_DEPTH).first()
    if group is None:
        raise DomainError("No such group in this society.", code=SocietyErrorCode.NODE_NOT_FOUND, field="group_id")
    return group


def serving(society: Society, *, with_counts: bool = False) -> QuerySet[Partner]:
    """Every vendor serving ``society``, with its live cards, services and active areas there prefetched (and,
    ``with_counts``, its ``total_orders`` and ``completed_orders`` across societies)."""
    approved = Exists(
        VendorAccess.objects.filter(society=society, partner=OuterRef("pk"), approval_status=ApprovalStatus.APPROVED)
    )
    rows = Partner.objects.all()
    if with_counts:
        rows = rows.annotate(
            total_orders=_order_count(~Q(status=OrderStatus.CANCELLED)),
            completed_orders=_order_count(Q(status__in=COMPLETED)),
        )
    return (
        rows.filter(kind=PartnerKind.VENDOR, onboarding_status=OnboardingStatus.VERIFIED, is_active=True)
        .filter(approved, Exists(live_cards(society).filter(partner=OuterRef("pk"))))
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "rate_cards",
                queryset=live_cards(society).select_related("category").order_by("category__display_order", "pk"),
                to_attr="live_cards",
            ),
            Prefetch(
                "vendor_services",
                queryset=VendorService.objects.filter(is_active=True).select_related("service"),
                to_attr="active_services",
            ),
            Prefetch(
                "service_areas",
                queryset=ServiceArea.objects.filter(society=society, is_active=True).select_related("node"),
                to_attr="areas",
            ),
        )
    )


COMPLETED = (OrderStatus.DELIVERED, OrderStatus.PAYMENT_RECEIVED, OrderStatus.DISPUTED, OrderStatus.CLOSED)


def _order_count(condition: Q) -> Subquery:
    rows = Order.objects.filter(condition, partner=OuterRef("pk")).order_by().values("partner")
    return Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField())


def _list(obj: object, name: str) -> list[Any]:
    value: list[Any] = getattr(obj, name)
    return value


@dataclass
class VendorView:
    """One vendor as discovery shows it, computed from the prefetched rows."""

    partner: Partner
    cards: list[RateCard]
    areas: list[ServiceArea]
    services: list[dict[str, Any]] = field(default_factory=list)

    @property
    def fastest(self) -> int | None:
        hours = [s["turnaround_hours"] for s in self.services if s["turnaround_hours"] is not None]
        return min(hours) if hours else None

    def covers(self, node_ids: set[int]) -> bool:
        return any(a.node_id is None or a.node_id in node_ids for a in self.areas)

    def categories(self) -> set[str]:
        return {card.category.key for card in self.cards}

    def service_ids(self) -> set[str]:
        return {s["service_id"] for s in self.services}


def vendor_view(partner: Partner) -> VendorView:
    cards = _list(partner, "live_cards")
    turnaround = {str(vs.service_id): vs.turnaround_hours for vs in _list(partner, "active_services")}
    services: dict[str, dict[str, Any]] = {}
    for card in cards:
        for item in card.published_items:
            price = Decimal(item["price_per_piece"])
            entry = services.get(item["service_id"])
            if entry is None:
                services[item["service_id"]] = {
                    "service_id": item["service_id"],
                    "service_name": item["service_name"],
                    "service_key": item["service_key"],
                    "category": card.category.key,
                    "turnaround_hours": turnaround.get(item["service_id"]),
                    "starting_price": price,
                }
            elif price < entry["starting_price"]:
                entry["starting_price"] = price
    return VendorView(partner=partner, cards=cards, areas=_list(partner, "areas"), services=list(services.values()))


def _sort(views: list[VendorView], sort_by: str, descending: bool) -> list[VendorView]:
    def figure(view: VendorView) -> float | None:
        if sort_by == "delivery_time":
            fastest = view.fastest
            return None if fastest is None else float(fastest)
        if sort_by == "orders":
            return float(getattr(view.partner, "total_orders", None) or 0)
        return float(view.partner.rating)

    views = sorted(views, key=lambda v: (v.partner.business_name.lower(), str(v.partner.pk)))
    known = [v for v in views if figure(v) is not None]
    unknown = [v for v in views if figure(v) is None]
    known.sort(key=lambda v: figure(v) or 0.0, reverse=descending)  # stable: the name order stays within ties
    return known + unknown


@dataclass(frozen=True)
class Discovery:
    vendors: list[VendorView]
    show_all: bool
    group: HierarchyNode | None
    filtered_by_group: bool
    total_in_society: int


def discover(
    *,
    user: User,
    society: Society,
    category: str = "",
    service_id: Id | None = None,
    group_id: int | None = None,
    show_all: bool = False,
    sort_by: str = "rating",
    order: str = "desc",
) -> Discovery:
    """Seed 001 5.2: the vendors serving the caller's place in ``society`` (see the module's decisions)."""
    unit = caller_unit(user, society)
    group = group_of(society, group_id) if group_id is not None else None
    views = [vendor_view(p) for p in serving(society, with_counts=True)]
    total = len(views)
    if not show_all and group is None and unit is None:
        show_all = True
    if show_all:
        group = None
    elif group is not None:
        views = [v for v in views if v.covers({group.pk})]
    elif unit is not None:
        above = {*unit.ancestor_ids, unit.pk}
        views = [v for v in views if v.covers(above)]
        group = HierarchyNode.objects.filter(pk__in=above, level_depth=GROUP_DEPTH).first()
    if category:
        views = [v for v in views if category.upper() in v.categories()]
    if service_id is not None:
        views = [v for v in views if str(service_id) in v.service_ids()]
    return Discovery(
        vendors=_sort(views, sort_by, order == "desc"),
        show_all=show_all,
        group=group,
        filtered_by_group=not show_all,
        total_in_society=total,
    )


def vendor_in_society(*, user: User, society: Society, vendor_id: Id) -> VendorView:
    """Seed 001 5.3: one vendor serving ``society`` (404 ``VENDOR_NOT_FOUND`` when it does not)."""
    caller_unit(user, society)
    partner = serving(society, with_counts=True).filter(pk=vendor_id).first()
    if partner is None:
        raise DomainError(
            "This vendor does not serve this society.", code=SocietyErrorCode.VENDOR_NOT_FOUND, field="vendor_id"
        )
    return vendor_view(partner)


def area_summary(view: VendorView) -> dict[str, Any]:
    """``service_areas`` of a listed vendor: the whole society, its groups, or nothing yet (``show_all`` only)."""
    if any(a.assignment_type == AssignmentType.SOCIETY for a in view.areas):
        return {"assignment_type": AssignmentType.SOCIETY.value, "covers_entire_society": True, "assigned_groups": None}
    nodes = [a.node for a in view.areas if a.node is not None]
    return {
        "assignment_type": AssignmentType.GROUP.value if nodes else None,
        "covers_entire_society": False,
        "assigned_groups": [
            {"group_id": n.pk, "group_name": n.node_name, "group_type": n.node_type}
            for n in sorted(nodes, key=lambda n: (n.display_order, n.node_code))
        ],
    }


def short_name(full_name: str) -> str:
    """ "Ramesh Kumar" -> "Ramesh K." (see the module's decisions)."""
    words = full_name.split()
    if not words:
        return "Resident"
    return words[0] if len(words) == 1 else f"{words[0]} {words[-1][0].upper()}."


def recent_reviews(*, partner: Partner, society: Society) -> list[dict[str, Any]]:
    """Seed 001 5.3's ``recent_reviews``: the vendor's latest order ratings in ``society`` (one query).

    Rows hold Python values (``rating_id`` a UUID, ``created_at`` an aware datetime); the view renders them.
    """
    first_line = OrderItem.objects.filter(order_id=OuterRef("order_id")).order_by("pk")
    rows = (
        OrderRating.objects.filter(partner=partner, order__society=society)
        .order_by("-created_at", "pk")
        .values("rating", "review", "created_at", rating_id=F("pk"), full_name=F("user__full_name"))
        .annotate(
            service_id=Subquery(first_line.values("service_id")[:1]),
            service_name=Subquery(first_line.values("service__name")[:1]),
        )[:RECENT_REVIEWS]
    )
    reviews = []
    for row in rows:
        full_name = row.pop("full_name")
        reviews.append({**row, "resident_name": short_name(full_name)})
    return reviews


def orders_of(*, user: User, role: str | None, statuses: list[str]) -> QuerySet[Order]:
    """GET /orders: the caller's orders as a resident or as a vendor (readings in ``orders.api.lists``), newest
    first, with what a row shows joined (one query a page)."""
    vendor = (
        Partner.objects.filter(user=user, kind=PartnerKind.VENDOR).only("pk").first() if role != "resident" else None
    )
    if role == "vendor" and vendor is None:
        raise DomainError("You have no vendor profile.", code=ErrorCode.FORBIDDEN, field="role", reason="not_a_vendor")
    rows = Order.objects.filter(partner=vendor) if vendor is not None else Order.objects.filter(residence__user=user)
    if statuses:
        rows = rows.filter(status__in=statuses)
    return rows.select_related("partner", "residence__user", "residence__unit", "rating").order_by("-created_at", "pk")
