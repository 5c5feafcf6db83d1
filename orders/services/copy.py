"""Copy a vendor's services and rate cards from one society to another (seed 001 2.3.1).

Decisions where the seed is silent (``shared/notes/seed-001-societies-orders.md`` 2.2, C6-C8; issue 17):

* Only the caller's own vendor (404 ``PARTNER_NOT_FOUND`` otherwise, checked first). The source equal to
  the target is 422 ``VALIDATION_ERROR`` on ``target_society_id``; an unknown society is 404
  ``SOCIETY_NOT_FOUND`` on the field that names it.
* The vendor must be APPROVED in both societies: 403 ``VENDOR_NOT_APPROVED`` with ``details.context``
  ``{target_society_id | source_society_id, vendor_approval_status}`` (``NOT_REQUESTED`` without a
  request); the target is checked first, as the seed's example. The platform's approval is not needed:
  copied cards are unpublished, and publishing (4.4) asks for it.
* Services in scope: the active catalogue services with an active item on one of the vendor's active
  rate cards in the source society, plus the vendor's active ``SocietyVendorService`` rows there (seed
  C8: per-society rows beside the vendor-level ``partners.VendorService`` defaults). ``parent_category_id``
  (a catalogue ``Category`` id; unknown → 404 ``NOT_FOUND``) narrows them to one category,
  ``services_to_copy`` to a subset; a listed service that is not in that scope is 422 naming it, and a
  scope with nothing in it is 422 ``nothing_to_copy`` (a copy that copies nothing is a mistake).
* A service "already exists" in the target when the vendor has a ``SocietyVendorService`` row for it
  there (active or not) or any item of it on its target card. Then nothing is copied: 400
  ``SERVICES_ALREADY_EXIST`` (the seed's status, C6) with ``details.context`` ``{existing_services:
  [{service_id, service_name, action}], services_that_can_be_copied: [ids]}``.
* Turnaround of a copied service: with ``copy_turnaround_times`` the source society's row, else (or
  without one) the vendor's default (``VendorService``), else the service's default, else 24 hours.
* With ``copy_rate_cards`` the source card's active items of the copied services are copied (name,
  description, price, order) onto the vendor's target card of that category: a new card, unpublished
  (``is_published`` false, ``published_at`` null); if the vendor already has a card of that category in
  the target, the items join it as a draft (``is_published`` false: residents keep its last published
  version until the vendor republishes, as after a 4.3 edit). A category with no item to copy gets no
  card (``rate_card_id`` and ``rate_card_status`` null), as with ``copy_rate_cards`` false, which writes
  the service rows only ("without pricing").
* All or nothing: one transaction that first locks the vendor row, so two copies at once run one after
  the other and the second finds the services the first wrote (400, never a duplicate or a 500).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q

from accounts.models import User
from catalog.models import Category, Service
from core.errors import DomainError, ErrorCode
from core.types import Id
from orders.errors import OrderErrorCode
from orders.models import RateCard, RateCardItem, SocietyVendorService
from partners.models import Partner, VendorService
from partners.services.vendors import own_vendor
from societies.errors import SocietyErrorCode
from societies.models import ApprovalStatus, Society, VendorAccess

FALLBACK_TURNAROUND_HOURS = 24
UPDATE_ACTION = "Use PUT endpoint to update instead"


@dataclass
class CopiedService:
    service: Service
    turnaround_hours: int
    rate_card_items: int


@dataclass
class CopiedCategory:
    category: Category
    services: list[CopiedService] = field(default_factory=list)
    rate_card: RateCard | None = None


@dataclass(frozen=True)
class CopyResult:
    source: Society
    target: Society
    categories: list[CopiedCategory]

    @property
    def services_copied(self) -> int:
        return sum(len(c.services) for c in self.categories)

    @property
    def items_copied(self) -> int:
        return sum(s.rate_card_items for c in self.categories for s in c.services)


def _societies(source_id: int, target_id: int) -> tuple[Society, Society]:
    found = Society.objects.in_bulk([source_id, target_id])
    for pk, name in ((source_id, "source_society_id"), (target_id, "target_society_id")):
        if pk not in found:
            raise DomainError("Society not found.", code=SocietyErrorCode.SOCIETY_NOT_FOUND, field=name)
    return found[source_id], found[target_id]


def _approved_in_both(partner: Partner, source: Society, target: Society) -> None:
    statuses = dict(
        VendorAccess.objects.filter(partner=partner, society__in=[source, target]).values_list(
            "society_id", "approval_status"
        )
    )
    for society, side in ((target, "target"), (source, "source")):
        status = statuses.get(society.pk)
        if status != ApprovalStatus.APPROVED:
            raise DomainError(
                f"Vendor is not approved in the {side} society",
                code=SocietyErrorCode.VENDOR_NOT_APPROVED,
                field=f"{side}_society_id",
                context={f"{side}_society_id": society.pk, "vendor_approval_status": status or "NOT_REQUESTED"},
            )


def _scope(partner: Partner, source: Society, data: dict[str, Any]) -> tuple[list[Service], dict[Id, int]]:
    """The services to copy (in catalogue order) and the source society's turnaround of those that have one."""
    item_services = RateCardItem.objects.filter(
        rate_card__partner=partner, rate_card__society=source, rate_card__is_active=True, is_active=True
    ).values("service_id")
    rows = SocietyVendorService.objects.filter(partner=partner, society=source, is_active=True)
    source_turnaround: dict[Id, int] = dict(rows.values_list("service_id", "turnaround_hours"))
    services = Service.objects.filter(Q(pk__in=item_services) | Q(pk__in=rows.values("service_id")), is_active=True)
    category_id = data.get("parent_category_id")
    if category_id is not None:
        if not Category.objects.filter(pk=category_id).exists():
            raise DomainError("No such category.", code=ErrorCode.NOT_FOUND, field="parent_category_id")
        services = services.filter(category_id=category_id)
    in_scope = list(
        services.select_related("category").order_by("category__display_order", "category_id", "display_order", "name")
    )
    wanted = data.get("services_to_copy")
    if wanted is not None:
        known = {s.pk for s in in_scope}
        missing = [str(pk) for pk in dict.fromkeys(wanted) if pk not in known]
        if missing:
            raise DomainError(
                "Some of these services are not offered by the vendor in the source society"
                + (" in that category." if category_id is not None else "."),
                code=ErrorCode.VALIDATION_ERROR,
                field="services_to_copy",
                reason="not_in_source",
                context={"service_ids": missing},
            )
        in_scope = [s for s in in_scope if s.pk in set(wanted)]
    if not in_scope:
        raise DomainError(
            "The vendor offers nothing to copy in the source society.",
            code=ErrorCode.VALIDATION_ERROR,
            field="source_society_id",
            reason="nothing_to_copy",
        )
    return in_scope, source_turnaround


def _refuse_existing(partner: Partner, target: Society, services: list[Service]) -> None:
    ids = [s.pk for s in services]
    existing = set(
        SocietyVendorService.objects.filter(partner=partner, society=target, service_id__in=ids).values_list(
            "service_id", flat=True
        )
    ) | set(
        RateCardItem.objects.filter(
            rate_card__partner=partner, rate_card__society=target, service_id__in=ids
        ).values_list("service_id", flat=True)
    )
    if existing:
        raise DomainError(
            "Some services already exist in the target society",
            code=OrderErrorCode.SERVICES_ALREADY_EXIST,
            context={
                "existing_services": [
                    {"service_id": str(s.pk), "service_name": s.name, "action": UPDATE_ACTION}
                    for s in services
                    if s.pk in existing
                ],
                "services_that_can_be_copied": [str(s.pk) for s in services if s.pk not in existing],
            },
        )


def _turnarounds(
    partner: Partner, services: list[Service], source_turnaround: dict[Id, int], copy_source: bool
) -> dict[Id, int]:
    defaults: dict[Id, int] = dict(
        VendorService.objects.filter(
            partner=partner, service_id__in=[s.pk for s in services], is_active=True
        ).values_list("service_id", "turnaround_hours")
    )
    return {
        s.pk: (source_turnaround.get(s.pk) if copy_source else None)
        or defaults.get(s.pk)
        or s.default_turnaround_hours
        or FALLBACK_TURNAROUND_HOURS
        for s in services
    }


def _copy_items(
    partner: Partner, source: Society, target: Society, services: list[Service]
) -> tuple[dict[int, RateCard], dict[Id, int]]:
    """Copy the active source items of ``services``: the target card of each category that got items (by
    category id) and the number of items copied per service."""
    items = list(
        RateCardItem.objects.filter(
            rate_card__partner=partner,
            rate_card__society=source,
            rate_card__is_active=True,
            is_active=True,
            service_id__in=[s.pk for s in services],
        )
        .select_related("rate_card")
        .order_by("display_order", "pk")
    )
    by_category: dict[int, list[RateCardItem]] = defaultdict(list)
    counts: dict[Id, int] = defaultdict(int)
    for item in items:
        by_category[item.rate_card.category_id].append(item)
        counts[item.service_id] += 1
    cards: dict[int, RateCard] = {}
    for category_id, rows in by_category.items():
        card, created = RateCard.objects.get_or_create(partner=partner, society=target, category_id=category_id)
        if not created and card.is_published:
            card.is_published = False
            card.save(update_fields=["is_published", "updated_at"])
        cards[category_id] = card
        RateCardItem.objects.bulk_create(
            RateCardItem(
                rate_card=card,
                service_id=item.service_id,
                item_name=item.item_name,
                description=item.description,
                price_per_piece=item.price_per_piece,
                display_order=item.display_order,
            )
            for item in rows
        )
    return cards, counts


def services_copy(*, user: User, vendor_id: Id, data: dict[str, Any]) -> CopyResult:
    """Seed 001 2.3.1: copy the vendor's services (and their rate-card items) to another society, all or nothing."""
    partner = own_vendor(user, vendor_id)
    if data["source_society_id"] == data["target_society_id"]:
        raise DomainError(
            "The target society must differ from the source.",
            code=ErrorCode.VALIDATION_ERROR,
            field="target_society_id",
            reason="same_as_source",
        )
    source, target = _societies(data["source_society_id"], data["target_society_id"])
    with transaction.atomic():
        Partner.objects.select_for_update().filter(pk=partner.pk).first()  # one copy of this vendor at a time
        _approved_in_both(partner, source, target)
        services, source_turnaround = _scope(partner, source, data)
        _refuse_existing(partner, target, services)
        turnaround = _turnarounds(partner, services, source_turnaround, data.get("copy_turnaround_times", True))
        SocietyVendorService.objects.bulk_create(
            SocietyVendorService(
                partner=partner, society=target, service=s, turnaround_hours=turnaround[s.pk], is_active=True
            )
            for s in services
        )
        cards: dict[int, RateCard] = {}
        counts: dict[Id, int] = {}
        if data.get("copy_rate_cards", True):
            cards, counts = _copy_items(partner, source, target, services)
    categories: dict[int, CopiedCategory] = {}
    for s in services:
        entry = categories.setdefault(
            s.category_id, CopiedCategory(category=s.category, rate_card=cards.get(s.category_id))
        )
        entry.services.append(
            CopiedService(service=s, turnaround_hours=turnaround[s.pk], rate_card_items=counts.get(s.pk, 0))
        )
    return CopyResult(source=source, target=target, categories=list(categories.values()))
