"""Catalog writes: categories and services, each audited (``core.audit``: before and after), one transaction each.

The staff API (``catalog.api.admin``) calls these; the Django admin writes the
models directly. Either way ``catalog.cache`` drops the cached catalog once the
transaction commits.

Decisions where the seeds are silent:

* **A category is named by its name or its key**, case-insensitively (seed 000
  sends ``"category": "Facial"``; seed 001 shows ``FACIAL``-style keys). A
  service written with a category nobody has created yet creates it: live, last
  in display order, its key derived from the name. Creating a category through
  a service needs the same permission as managing categories
  (``catalog.change_category``).
* **Keys are UPPER_SNAKE_CASE**, the format every catalog key already has
  (seed 001: ``WASHING_IRONING``): "Gold Facial" becomes ``GOLD_FACIAL``, the
  next service of that name in the category ``GOLD_FACIAL_2``, then
  ``GOLD_FACIAL_3``. A derived service key is unique in its category whatever
  the tier; a key the client chooses only has to be free for its tier (seed
  001 keeps one key per tier, e.g. ``FACIAL`` in Minimal and Exclusive), and a
  taken one is a 409. A category's derived key gets the same suffixes.
* **Concurrency.** A category's name (any case) and key are unique in the
  database; two requests creating the same new category end with one, the
  second reading the first's row after its insert fails. Creating a service
  locks its category row, so services of one category get their keys one at a
  time; an insert that still collides (a writer that does not lock, such as
  the Django admin) moves on to the next suffix.
* **Deactivating a category** turns ``is_live`` off (seed 001's only switch):
  it is listed as "Coming Soon" and none of its services can be booked. Its
  services keep their own ``is_active``, so turning it live again restores
  the catalog as it was. Nothing in the catalog is ever deleted: bookings and
  partners point at it.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet, Value
from django.db.models.functions import Lower

from accounts.models import User
from catalog.errors import CatalogConflict, CategoryNotFound, ServiceNotFound
from catalog.models import Category, Service
from core import audit
from core.errors import DomainError, ErrorCode
from core.types import Id

KEY_MAX_LENGTH = 50
DISPLAY_ORDER_MAX = 32767
MAX_INSERT_ATTEMPTS = 5

# --- keys -------------------------------------------------------------------------------------


def derive_key(text: str, *, fallback: str) -> str:
    """``"Gold Facial"`` -> ``GOLD_FACIAL``: ASCII letters and digits, words joined by ``_``, a letter first."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    key = re.sub(r"[^A-Z0-9]+", "_", ascii_text.upper()).strip("_") or fallback
    if not key[0].isalpha():
        key = f"{fallback[0]}_{key}"
    return key[:KEY_MAX_LENGTH].rstrip("_")


def _suffixed(base: str, number: int) -> str:
    suffix = f"_{number}"
    return base[: KEY_MAX_LENGTH - len(suffix)].rstrip("_") + suffix


def _free_key(base: str, taken: set[str]) -> str:
    """``base`` if nobody has it, else ``base_2``, ``base_3``... the first one free."""
    if base not in taken:
        return base
    number = 2
    while _suffixed(base, number) in taken:
        number += 1
    return _suffixed(base, number)


# --- categories -------------------------------------------------------------------------------


def _named(name: str) -> QuerySet[Category]:
    """Categories whose name is ``name`` in the unique constraint's sense (``lower(name)``, by the database)."""
    return Category.objects.alias(lower_name=Lower("name")).filter(lower_name=Lower(Value(name)))


def _find_category(name_or_key: str) -> Category | None:
    return _named(name_or_key).first() or Category.objects.filter(key__iexact=name_or_key).first()


class _NameTaken(Exception):
    def __init__(self, category: Category) -> None:
        super().__init__(category.name)
        self.category = category


def _last_display_order() -> int:
    last = Category.objects.aggregate(last=Max("display_order"))["last"]
    return DISPLAY_ORDER_MAX if last is not None and last >= DISPLAY_ORDER_MAX else (last or 0) + 1


def _insert_category(*, name: str, key: str | None, fields: dict[str, Any]) -> Category:
    """Insert a category; a taken name raises ``_NameTaken`` (with the row), a taken key is a 409 or the next
    suffix (when the key was derived)."""
    fields = dict(fields)
    if fields.get("display_order") is None:
        fields["display_order"] = _last_display_order()
    base = key or derive_key(name, fallback="CATEGORY")
    taken = set(Category.objects.filter(key__startswith=base[:40]).values_list("key", flat=True))
    for _ in range(MAX_INSERT_ATTEMPTS):
        candidate = key or _free_key(base, taken)
        try:
            with transaction.atomic():
                return Category.objects.create(name=name, key=candidate, **fields)
        except IntegrityError:
            existing = _named(name).first()
            if existing is not None:
                raise _NameTaken(existing) from None
            if not Category.objects.filter(key=candidate).exists():
                raise
            if key:
                raise CatalogConflict(
                    f"Another category has the key {key}.", field="category_key", context={"category_key": key}
                ) from None
            taken.add(candidate)  # another request took it a moment ago: the next suffix
    raise DomainError("Could not choose a free category key; please try again.", code=ErrorCode.CONFLICT, reason="busy")


def category_create(*, data: dict[str, Any], actor: User) -> Category:
    """A new category (seed 001 5.1 fields); a name or key another category has is a 409."""
    data = dict(data)
    name = data.pop("name")
    key = data.pop("key", None)
    with transaction.atomic():
        existing = _named(name).first()
        try:
            if existing is not None:
                raise _NameTaken(existing)
            category = _insert_category(name=name, key=key, fields=data)
        except _NameTaken as taken:
            raise CatalogConflict(
                f"A category named {taken.category.name!r} exists.",
                field="category_name",
                context={"category_id": taken.category.pk},
            ) from None
        audit.record_created(category, action="create_category", actor=actor)
    return category


def category_for_service(*, name_or_key: str, may_create: bool, actor: User) -> tuple[Category, bool]:
    """The category a service names; created (live, last) when there is none and ``may_create``.

    Call inside the caller's transaction. Returns ``(category, created)``.
    """
    name = " ".join(name_or_key.split())
    category = _find_category(name)
    if category is not None:
        return category, False
    if not may_create:
        raise DomainError(
            f"There is no category {name!r}, and your role may not create one.",
            code=ErrorCode.FORBIDDEN,
            field="category",
            reason="may_not_create_category",
        )
    try:
        category = _insert_category(name=name, key=None, fields={"is_live": True})
    except _NameTaken as taken:  # created by a simultaneous request
        return taken.category, False
    audit.record_created(category, action="create_category", actor=actor)
    return category, True


def _locked_category(category_id: int, *, no_key: bool = False) -> Category:
    """The category row, locked. ``no_key``: a lock that still lets others insert services pointing at it
    (PostgreSQL's ``FOR NO KEY UPDATE``; it only keeps out other holders of the same lock)."""
    category = Category.objects.select_for_update(no_key=no_key).filter(pk=category_id).first()
    if category is None:
        raise CategoryNotFound()
    return category


def category_update(*, category_id: int, data: dict[str, Any], actor: User) -> Category:
    """Change any of seed 001 5.1's fields; a name or key another category has is a 409."""
    with transaction.atomic():
        category = _locked_category(category_id)
        with audit.track(category, action="update_category", actor=actor):
            for name, value in data.items():
                setattr(category, name, value)
            try:
                with transaction.atomic():
                    category.save()
            except IntegrityError:
                if "name" in data and _named(data["name"]).exclude(pk=category.pk).exists():
                    raise CatalogConflict(
                        f"Another category is named {data['name']!r}.", field="category_name"
                    ) from None
                if "key" in data and Category.objects.filter(key=data["key"]).exclude(pk=category.pk).exists():
                    raise CatalogConflict(
                        f"Another category has the key {data['key']}.", field="category_key"
                    ) from None
                raise
    return category


def category_deactivate(*, category_id: int, actor: User) -> Category:
    """Turn the category off (not live: "Coming Soon", nothing in it bookable); already off is a no-op."""
    with transaction.atomic():
        category = _locked_category(category_id)
        if not category.is_live:
            return category
        with audit.track(category, action="deactivate_category", actor=actor):
            category.is_live = False
            category.save(update_fields=["is_live", "updated_at"])
    return category


# --- services ---------------------------------------------------------------------------------


def _check_prices(product_cost: Decimal | None, market_price: Decimal | None) -> None:
    if market_price is not None and product_cost is not None and market_price < product_cost:
        raise DomainError(
            "market_price cannot be below product_cost.",
            code=ErrorCode.VALIDATION_ERROR,
            field="market_price",
            reason="below_cost",
        )


def _key_taken(category: Category, key: str, tier: str) -> CatalogConflict:
    return CatalogConflict(
        f"The category {category.name!r} has a {tier} service with the key {key}.",
        field="service_key",
        context={"service_key": key, "tier": tier},
    )


def _insert_service(*, category: Category, key: str | None, data: dict[str, Any]) -> Service:
    tier = data.get("tier") or Service._meta.get_field("tier").default
    if key:
        try:
            with transaction.atomic():
                return Service.objects.create(category=category, service_key=key, **data)
        except IntegrityError:
            if Service.objects.filter(category=category, service_key=key, tier=tier).exists():
                raise _key_taken(category, key, tier) from None
            raise
    base = derive_key(data["name"], fallback="SERVICE")
    taken = set(Service.objects.filter(category=category).values_list("service_key", flat=True))
    for _ in range(MAX_INSERT_ATTEMPTS):
        candidate = _free_key(base, taken)
        try:
            with transaction.atomic():
                return Service.objects.create(category=category, service_key=candidate, **data)
        except IntegrityError:
            if not Service.objects.filter(category=category, service_key=candidate, tier=tier).exists():
                raise
            taken.add(candidate)  # written meanwhile by someone who did not lock the category
    raise DomainError("Could not choose a free service key; please try again.", code=ErrorCode.CONFLICT, reason="busy")


def service_create(*, data: dict[str, Any], may_create_category: bool, actor: User) -> Service:
    """Seed 000 ``POST /admin/services``: the category by name (created if new), the key derived if not given."""
    data = dict(data)
    key = data.pop("service_key", None)
    _check_prices(data.get("product_cost"), data.get("market_price"))
    with transaction.atomic():
        category, _ = category_for_service(
            name_or_key=data.pop("category"), may_create=may_create_category, actor=actor
        )
        category = _locked_category(category.pk, no_key=True)  # keys in a category are chosen one at a time
        service = _insert_service(category=category, key=key, data=data)
        audit.record_created(service, action="create_service", actor=actor)
    return service_get(service_id=service.pk)


def service_get(*, service_id: Id) -> Service:
    service = Service.objects.select_related("category").filter(pk=service_id).first()
    if service is None:
        raise ServiceNotFound()
    return service


def service_update(*, service_id: Id, data: dict[str, Any], may_create_category: bool, actor: User) -> Service:
    data = dict(data)
    with transaction.atomic():
        service = Service.objects.select_for_update().filter(pk=service_id).first()
        if service is None:
            raise ServiceNotFound()
        if "category" in data:
            data["category"], _ = category_for_service(
                name_or_key=data["category"], may_create=may_create_category, actor=actor
            )
        _check_prices(data.get("product_cost", service.product_cost), data.get("market_price", service.market_price))
        with audit.track(service, action="update_service", actor=actor):
            for name, value in data.items():
                setattr(service, name, value)
            try:
                with transaction.atomic():
                    service.save()
            except IntegrityError:
                clash = Service.objects.filter(
                    category=service.category, service_key=service.service_key, tier=service.tier
                ).exclude(pk=service.pk)
                if clash.exists():
                    raise _key_taken(service.category, service.service_key, service.tier) from None
                raise
    return service_get(service_id=service_id)


def service_deactivate(*, service_id: Id, actor: User) -> Service:
    """Seed 000 ``DELETE /admin/services/{id}``: past bookings keep pointing at the service, so it is never removed."""
    return service_update(service_id=service_id, data={"is_active": False}, may_create_category=False, actor=actor)
