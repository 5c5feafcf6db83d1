"""Clearing caches (seed 002): all of Redis's default cache, the catalog, free slots or runtime settings. Audited."""

from __future__ import annotations

from django.core.cache import caches

from accounts.models import User
from core import audit
from core.errors import DomainError, ErrorCode

CACHE_TYPES = ("all", "catalog", "slots", "settings")


def cache_clear(*, cache_type: str, actor: User) -> dict[str, list[str]]:
    from catalog import cache as catalog_cache
    from core import system_settings
    from partners.slots import slots_changed

    if cache_type not in CACHE_TYPES:
        raise DomainError(
            f"Unknown cache_type. Use one of: {', '.join(CACHE_TYPES)}.",
            code=ErrorCode.VALIDATION_ERROR,
            field="cache_type",
            reason="unknown_value",
        )
    cleared, errors = [], []
    try:
        if cache_type == "all":
            caches["default"].clear()
            catalog_cache.forget_local()
            cleared.append("default")
        if cache_type == "catalog":
            catalog_cache.invalidate()
            cleared.append("catalog")
        if cache_type == "slots":
            slots_changed()
            cleared.append("slots")
        if cache_type == "settings":
            system_settings.forget()
            cleared.append("settings")
    except Exception as exc:
        errors.append(f"{cache_type}: {exc}")
    audit.record(
        action="clear_cache",
        resource_type="cache",
        resource_id=cache_type,
        actor=actor,
        changes={"cleared": cleared, "errors": errors},
    )
    return {"cleared": cleared, "errors": errors}
