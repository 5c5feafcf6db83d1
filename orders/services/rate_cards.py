"""Rate cards (seed 001 section 4): create, read, edit items, publish.

Decisions where the seed is silent (``shared/notes/seed-001-societies-orders.md`` 2.4, C7; issue 17):

* One card per vendor, society and parent category: the services of one card share a category (422
  otherwise) and a second card for the same three is 409 ``RATE_CARD_EXISTS``.
* Creating and publishing need the vendor approved in the society (403 ``VENDOR_NOT_APPROVED``);
  publishing also needs the platform's approval and at least one active item (422).
* An edit after publishing is a draft: the card is no longer ``is_published`` ("requires republish"),
  but residents keep the last published snapshot (and its prices) until the vendor publishes again.
* The owning vendor and staff who may view rate cards read the draft; everyone else reads only the
  published snapshot, and a card never published is 404 ``RATE_CARD_NOT_FOUND`` to them.
* Items: a price per piece above zero with two decimals (the serializer); an item name is unique per
  service within a card (422 naming the item); an ``item_id`` of another card is 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from catalog.models import Category, Service
from core.errors import DomainError, ErrorCode
from core.types import Id
from orders.errors import OrderErrorCode
from orders.models import RateCard, RateCardItem
from partners.models import OnboardingStatus, Partner
from partners.services.vendors import own_vendor
from societies.errors import SocietyErrorCode
from societies.models import Society
from societies.scope import society_or_404
from societies.services.vendors import approved_vendor

STAFF_READ = "orders.view_ratecard"


def _services(lines: list[dict[str, Any]], field: str) -> dict[Any, Service]:
    ids = [line["service_id"] for line in lines]
    found: dict[Any, Service] = {
        s.pk: s for s in Service.objects.filter(pk__in=ids, is_active=True).select_related("category")
    }
    for index, line in enumerate(lines):
        service = found.get(line["service_id"])
        if service is None:
            raise DomainError(
                "No such service.", code=ErrorCode.NOT_FOUND, field=f"{field}.{index}.service_id", reason="unknown"
            )
        if line.get("service_key") and line["service_key"] != service.service_key:
            raise DomainError(
                f"service_key {line['service_key']} is not the key of that service ({service.service_key}).",
                code=ErrorCode.VALIDATION_ERROR,
                field=f"{field}.{index}.service_key",
                reason="mismatch",
            )
    return found


def _one_category(services: list[Service], field: str) -> Category:
    categories = {s.category_id: s.category for s in services}
    if len(categories) != 1:
        raise DomainError(
            "A rate card covers the services of one category; make one card per category.",
            code=ErrorCode.VALIDATION_ERROR,
            field=field,
            reason="several_categories",
            context={"categories": sorted(c.key for c in categories.values())},
        )
    return next(iter(categories.values()))


def _duplicate_name(rows: list[tuple[Any, str, str]]) -> None:
    """``rows`` are (service id, item name, the request field naming it); a name twice for one service is 422."""
    seen: set[tuple[Any, str]] = set()
    for service_id, name, field in rows:
        key = (service_id, name.strip().lower())
        if key in seen:
            raise DomainError(
                f"{name} is listed twice for one service.",
                code=ErrorCode.VALIDATION_ERROR,
                field=field,
                reason="duplicate",
            )
        seen.add(key)


def rate_card_create(*, user: User, vendor_id: Id, data: dict[str, Any]) -> RateCard:
    """Seed 001 4.1: a draft card of the vendor's prices in one society."""
    own_vendor(user, vendor_id)
    society = society_or_404(data["society_id"])
    partner = approved_vendor(society, vendor_id)
    lines = data["items"]
    found = _services(lines, "items")
    category = _one_category([found[line["service_id"]] for line in lines], "items")
    flat = [(line["service_id"], item) for line in lines for item in line["items"]]
    _duplicate_name(
        [
            (line["service_id"], item["item_name"], f"items.{i}.items.{j}.item_name")
            for i, line in enumerate(lines)
            for j, item in enumerate(line["items"])
        ]
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                card = RateCard.objects.create(partner=partner, society=society, category=category)
        except IntegrityError as exc:
            raise DomainError(
                f"You already have a {category.key} rate card in {society.name}; edit its items instead.",
                code=OrderErrorCode.RATE_CARD_EXISTS,
                field="society_id",
                reason="exists",
            ) from exc
        RateCardItem.objects.bulk_create(
            RateCardItem(
                rate_card=card,
                service_id=service_id,
                item_name=item["item_name"].strip(),
                description=item.get("description", ""),
                price_per_piece=item["price_per_piece"],
                display_order=item.get("display_order", 0),
            )
            for service_id, item in flat
        )
    return card


def _card(partner: Partner, rate_card_id: int, *, lock: bool = False) -> RateCard:
    rows = RateCard.objects.select_for_update() if lock else RateCard.objects
    card = rows.filter(pk=rate_card_id, partner=partner).first()
    if card is None:
        raise DomainError("Rate card not found.", code=OrderErrorCode.RATE_CARD_NOT_FOUND, field="rate_card_id")
    return card


@dataclass(frozen=True)
class ItemsChanged:
    card: RateCard
    updated: int
    added: int


UPDATABLE = ("price_per_piece", "is_active", "item_name", "description", "display_order")


def rate_card_update_items(
    *, user: User, vendor_id: Id, rate_card_id: int, items: list[dict[str, Any]]
) -> ItemsChanged:
    """Seed 001 4.3: update items (``item_id``) and add new ones (``service_id``); the card becomes a draft."""
    partner = own_vendor(user, vendor_id)
    with transaction.atomic():
        card = _card(partner, rate_card_id, lock=True)
        existing = {item.pk: item for item in card.items.all()}
        new_lines = [(index, line) for index, line in enumerate(items) if not line.get("item_id")]
        found = _services([line for _, line in new_lines], "items") if new_lines else {}
        for index, line in new_lines:
            if found[line["service_id"]].category_id != card.category_id:
                raise DomainError(
                    "That service is not of this card's category.",
                    code=ErrorCode.VALIDATION_ERROR,
                    field=f"items.{index}.service_id",
                    reason="other_category",
                )
        updated = 0
        for index, line in enumerate(items):
            if not line.get("item_id"):
                continue
            item = existing.get(line["item_id"])
            if item is None:
                raise DomainError(
                    "No such item on this rate card.",
                    code=ErrorCode.NOT_FOUND,
                    field=f"items.{index}.item_id",
                    reason="not_on_card",
                )
            for name in UPDATABLE:
                if name in line:
                    setattr(item, name, line[name].strip() if name == "item_name" else line[name])
            updated += 1
        line_of = {line["item_id"]: index for index, line in enumerate(items) if line.get("item_id")}
        names = [
            (i.service_id, i.item_name, f"items.{line_of[pk]}.item_name" if pk in line_of else "items")
            for pk, i in existing.items()
        ]
        names += [(line["service_id"], line["item_name"], f"items.{index}.item_name") for index, line in new_lines]
        _duplicate_name(names)
        RateCardItem.objects.bulk_update(
            [existing[line["item_id"]] for line in items if line.get("item_id")], UPDATABLE
        )
        RateCardItem.objects.bulk_create(
            RateCardItem(
                rate_card=card,
                service_id=line["service_id"],
                item_name=line["item_name"].strip(),
                description=line.get("description", ""),
                price_per_piece=line["price_per_piece"],
                display_order=line.get("display_order", 0),
            )
            for _, line in new_lines
        )
        if updated or new_lines:
            card.is_published = False
            card.save(update_fields=["is_published", "updated_at"])
    return ItemsChanged(card=card, updated=updated, added=len(new_lines))


def snapshot(card: RateCard) -> list[dict[str, Any]]:
    """The active items as residents will see them (JSON: prices as strings with two decimals)."""
    rows = (
        card.items.filter(is_active=True)
        .select_related("service")
        .order_by("service__display_order", "service__name", "display_order", "pk")
    )
    return [
        {
            "item_id": item.pk,
            "service_id": str(item.service_id),
            "service_name": item.service.name,
            "service_key": item.service.service_key,
            "item_name": item.item_name,
            "description": item.description,
            "price_per_piece": f"{item.price_per_piece:.2f}",
            "display_order": item.display_order,
            "is_active": True,
        }
        for item in rows
    ]


def rate_card_publish(*, user: User, vendor_id: Id, rate_card_id: int) -> RateCard:
    """Seed 001 4.4: residents now see (and order at) the card as it is."""
    partner = own_vendor(user, vendor_id)
    with transaction.atomic():
        card = _card(partner, rate_card_id, lock=True)
        society = Society.objects.get(pk=card.society_id)
        approved_vendor(society, partner.pk)
        if partner.onboarding_status != OnboardingStatus.VERIFIED:
            raise DomainError(
                "The platform has not approved this vendor yet.",
                code=SocietyErrorCode.VENDOR_NOT_APPROVED,
                reason="platform_pending",
                context={"vendor_approval_status": "PENDING"},
            )
        items = snapshot(card)
        if not items:
            raise DomainError(
                "Add at least one active item before publishing.",
                code=ErrorCode.VALIDATION_ERROR,
                field="items",
                reason="empty",
            )
        card.published_items, card.published_at, card.is_published = items, timezone.now(), True
        card.save(update_fields=["published_items", "published_at", "is_published", "updated_at"])
    return card


def rate_card_read(*, user: User, vendor_id: Id, society_id: int, category: str = "") -> tuple[RateCard, bool]:
    """Seed 001 4.2: the card of a vendor in a society, and whether the caller sees the draft."""
    rows = RateCard.objects.filter(partner_id=vendor_id, society_id=society_id, is_active=True).select_related(
        "partner__user", "society", "category"
    )
    if category:
        rows = rows.filter(category__key=category.upper())
    card = rows.order_by("category__display_order", "pk").first()
    draft = card is not None and (card.partner.user_id == user.pk or user.has_perm(STAFF_READ))
    if card is None or not (draft or card.is_live):
        raise DomainError("Rate card not found.", code=OrderErrorCode.RATE_CARD_NOT_FOUND, field="society_id")
    return card, draft


def draft_items(card: RateCard) -> list[dict[str, Any]]:
    rows = card.items.select_related("service").order_by(
        "service__display_order", "service__name", "display_order", "pk"
    )
    return [
        {
            "item_id": item.pk,
            "service_id": str(item.service_id),
            "service_name": item.service.name,
            "service_key": item.service.service_key,
            "item_name": item.item_name,
            "description": item.description,
            "price_per_piece": f"{item.price_per_piece:.2f}",
            "display_order": item.display_order,
            "is_active": item.is_active,
        }
        for item in rows
    ]


def price_range(prices: list[Decimal]) -> dict[str, Decimal]:
    return {"min": min(prices), "max": max(prices)}
