"""The catalog cache (seed 000: one hour in Redis), invalidated on any change.

Cached pages are keyed by a version number; any save or delete of a category
or service (through a service, the Django admin or a data fix) bumps the
version after its transaction commits, so every cached variant goes stale at
once. The receivers are the one place signals are used here: invalidation must
follow every write path, including ones that do not go through our services.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from catalog.models import Category, Service

VERSION_KEY = "catalog:version"
TTL_SECONDS = 60 * 60


def version() -> int:
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        current = cache.get(VERSION_KEY) or 1
    return int(current)


def invalidate() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: nothing cached under a version either
        cache.add(VERSION_KEY, 1, timeout=None)


def cached(name: str, build) -> Any:
    key = f"catalog:v{version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=TTL_SECONDS)
    return value


@receiver(post_save, sender=Category, dispatch_uid="catalog.category.saved")
@receiver(post_delete, sender=Category, dispatch_uid="catalog.category.deleted")
@receiver(post_save, sender=Service, dispatch_uid="catalog.service.saved")
@receiver(post_delete, sender=Service, dispatch_uid="catalog.service.deleted")
def _catalog_changed(sender, **kwargs) -> None:
    transaction.on_commit(invalidate)
