"""The catalog cache (seed 000: one hour in Redis), invalidated on any change.

Cached pages are keyed by a version token; any save or delete of a category
or service (through a service, the Django admin or a data fix) bumps the
version after its transaction commits, so every cached variant goes stale at
once. The receivers are the one place signals are used here: invalidation must
follow every write path, including ones that do not go through our services.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from catalog.models import Category, Service

T = TypeVar("T")

VERSION_KEY = "catalog:version"
TTL_SECONDS = 60 * 60


def version() -> str:
    """A random token, not a counter: after Redis is flushed the new token matches no copy kept anywhere."""
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        current = cache.get(VERSION_KEY)
    return str(current)


def invalidate() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    forget_local()


def cached(name: str, build: Callable[[], T]) -> T:
    key = f"catalog:v{version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=TTL_SECONDS)
    return value


_local: dict[str, bytes] = {}
_LOCAL_MAX = 64
LOCAL_VERSION_SECONDS = 1.0
_local_version: tuple[float, str] = (0.0, "")


def _recent_version() -> str:
    """The version, read from Redis at most once a second per process (other processes see a change within 1 s)."""
    global _local_version
    now = time.monotonic()
    if now - _local_version[0] > LOCAL_VERSION_SECONDS:
        _local_version = (now, version())
    return _local_version[1]


def forget_local() -> None:
    global _local_version
    _local_version = (0.0, "")
    _local.clear()


def cached_bytes(name: str, build: Callable[[], bytes]) -> bytes:
    """Like :func:`cached`, for a rendered response body, with a per-process copy.

    The body comes from process memory while the version is unchanged, else
    from Redis, else is built; the version itself is re-read from Redis at
    most once a second. The process that changes the catalog forgets its copy
    at once; the others within a second.
    """
    key = f"catalog:v{_recent_version()}:{name}"
    body = _local.get(key)
    if body is None:
        body = cache.get(key)
        if body is None:
            body = build()
            cache.set(key, body, timeout=TTL_SECONDS)
        if len(_local) >= _LOCAL_MAX:
            _local.clear()
        _local[key] = body
    return body


@receiver(post_save, sender=Category, dispatch_uid="catalog.category.saved")
@receiver(post_delete, sender=Category, dispatch_uid="catalog.category.deleted")
@receiver(post_save, sender=Service, dispatch_uid="catalog.service.saved")
@receiver(post_delete, sender=Service, dispatch_uid="catalog.service.deleted")
def _catalog_changed(sender, **kwargs) -> None:
    transaction.on_commit(invalidate)
