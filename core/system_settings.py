"""System settings staff change at runtime (seed 000 System Settings): one accessor, one service.

Every module reads a runtime setting with :func:`value` (``value("tax_rate")``)
and nothing else; :func:`settings_update` is the only writer. A change takes
effect at once in every process: values are cached in the shared cache
(Redis) and the entry is dropped when a change is written and again when it
commits, so no process keeps an old value past the commit (an HTTP request
reads the cache once and keeps that snapshot to its end: see ``_request``).

A key nobody has changed is the deployment's default, read from
``config/settings`` (the environment variable of the same meaning), so
``.env`` still configures a fresh install and the database only holds what
staff changed.

The settings themselves are registered by the apps that read them, in their
``AppConfig.ready()`` (``system_settings.register(Definition(...))``, and
``register_rule`` for a rule that spans settings), so this module names no
domain setting; each app keeps its own in ``<app>/runtime_settings.py``.

Why not django-constance: its defaults are static in settings, its admin
form has no cross-field rules (business hours must close after they open) and
no audit of before/after values; the registry below is small and gives
both, with the envelope's ``VALIDATION_ERROR`` naming the field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction

from core import audit, snapshot
from core.errors import DomainError, ErrorCode
from core.models import SystemSetting

CACHE_KEY = snapshot.shared("system-settings:v1")
CACHE_SECONDS = 3600
LOCK_ID = 7_301_001  # the advisory lock serialising settings changes


@dataclass(frozen=True)
class Definition:
    key: str
    kind: str  # "decimal" | "int" | "clock"
    default: Callable[[], Any]
    description: str
    minimum: Any = None
    maximum: Any = None
    unit: str = ""
    # Where the setting is listed (admin API, Django admin page): by position, then by registration order.
    position: int = 1000


KINDS = ("decimal", "int", "clock")

DEFINITIONS: dict[str, Definition] = {}
"""Every registered setting by key, in listing order; filled by :func:`register` at app load."""

Rule = Callable[[dict[str, Any]], None]
_rules: list[Rule] = []


def register(*definitions: Definition) -> None:
    """Declare runtime settings; the owning app calls this in its ``AppConfig.ready()``.

    A key is registered once; a number needs its bounds. The listing order is
    ``position``, then the order of registration.
    """
    for definition in definitions:
        if definition.key in DEFINITIONS:
            raise ValueError(f"Setting {definition.key!r} is already registered.")
        if definition.kind not in KINDS:
            raise ValueError(f"Setting {definition.key!r} has kind {definition.kind!r}; known: {', '.join(KINDS)}.")
        if definition.kind != "clock" and (definition.minimum is None or definition.maximum is None):
            raise ValueError(f"Setting {definition.key!r} needs a minimum and a maximum.")
        listed = sorted([*DEFINITIONS.values(), definition], key=lambda d: d.position)
        DEFINITIONS.clear()
        DEFINITIONS.update((d.key, d) for d in listed)


def register_rule(rule: Rule) -> None:
    """A rule that spans settings (opening before closing): called with every value after a change is merged.

    It raises :func:`invalid` to refuse the change, which is then not stored.
    """
    _rules.append(rule)


def parse_clock(text: str) -> str:
    """A time of day as ``"HH:MM"`` (raises ``ValueError`` when it is not one)."""
    return time.fromisoformat(text).strftime("%H:%M")


def _stored() -> dict[str, Any]:
    """Every stored value by key: once per HTTP request, with the other shared values (``core.snapshot``)."""
    stored = snapshot.read(CACHE_KEY)
    if stored is None:
        stored = dict(SystemSetting.objects.values_list("key", "value"))
        snapshot.keep(CACHE_KEY, stored, CACHE_SECONDS)
    return stored  # type: ignore[no-any-return]


CENTS = Decimal("0.01")


def _typed(definition: Definition, raw: Any) -> Any:
    if definition.kind == "decimal":
        return Decimal(str(raw)).quantize(CENTS)
    if definition.kind == "int":
        return int(raw)
    return str(raw)


def value(key: str) -> Any:
    """The current value of one runtime setting (``Decimal``, ``int`` or ``"HH:MM"``)."""
    definition = DEFINITIONS[key]
    stored = _stored()
    return _typed(definition, stored[key] if key in stored else definition.default())


def clock(key: str) -> time:
    """A ``clock`` setting as a ``datetime.time``."""
    return time.fromisoformat(value(key))


def all_values() -> dict[str, Any]:
    stored = _stored()
    return {key: _typed(d, stored[key] if key in stored else d.default()) for key, d in DEFINITIONS.items()}


def describe() -> list[dict[str, Any]]:
    """Each setting with its bounds and whether it is the deployment's default (the admin pages show this)."""
    stored = _stored()
    current = all_values()
    return [
        {
            "key": key,
            "value": current[key],
            "description": d.description,
            "unit": d.unit,
            "minimum": d.minimum,
            "maximum": d.maximum,
            "is_default": key not in stored,
        }
        for key, d in DEFINITIONS.items()
    ]


def invalid(key: str, message: str, **context: Any) -> DomainError:
    """The error a change that breaks a setting's bounds or a rule answers (``VALIDATION_ERROR`` on ``key``)."""
    return DomainError(
        message, code=ErrorCode.VALIDATION_ERROR, field=key, reason="out_of_range", context=context or None
    )


def _clean(key: str, raw: Any) -> Any:
    definition = DEFINITIONS.get(key)
    if definition is None:
        raise DomainError(
            f"Unknown setting {key!r}.",
            code=ErrorCode.VALIDATION_ERROR,
            field=key,
            reason="unknown_setting",
            context={"known": sorted(DEFINITIONS)},
        )
    if raw is None or isinstance(raw, bool):
        raise invalid(key, f"{key} needs a value.")
    if definition.kind == "clock":
        try:
            return parse_clock(str(raw))
        except ValueError as exc:
            raise invalid(key, f"{key} must be a time of day as HH:MM.") from exc
    number: Decimal | int
    try:
        number = Decimal(str(raw))
    except (InvalidOperation, ValueError) as exc:
        raise invalid(key, f"{key} must be a number.") from exc
    if not number.is_finite():
        raise invalid(key, f"{key} must be a number.")
    if definition.kind == "int":
        if number != number.to_integral_value():
            raise invalid(key, f"{key} must be a whole number.")
        number = int(number)
    else:
        number = number.quantize(CENTS)
    if number < definition.minimum or number > definition.maximum:
        raise invalid(
            key,
            f"{key} must be between {definition.minimum} and {definition.maximum}.",
            minimum=str(definition.minimum),
            maximum=str(definition.maximum),
        )
    return number


def _stored_form(cleaned: Any) -> Any:
    return str(cleaned) if isinstance(cleaned, Decimal) else cleaned


def forget() -> None:
    snapshot.forget(CACHE_KEY)


def _lock() -> None:
    """One writer at a time: rules span keys (opening before closing), so two changes must not interleave."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])


def settings_update(*, actor, changes: dict[str, Any]) -> dict[str, Any]:
    """Validate and store ``changes`` (all or nothing); audited with before and after; returns all values."""
    if not changes:
        raise DomainError("Send at least one setting to change.", code=ErrorCode.VALIDATION_ERROR)
    cleaned = {key: _clean(key, raw) for key, raw in changes.items()}
    with transaction.atomic():
        _lock()
        forget()  # read what is committed now, under the lock, not a cached copy
        before = all_values()
        merged = {**before, **cleaned}
        for rule in _rules:
            rule(merged)
        for key, new in cleaned.items():
            SystemSetting.objects.update_or_create(key=key, defaults={"value": _stored_form(new), "updated_by": actor})
        diff = {
            key: {"old": _stored_form(before[key]), "new": _stored_form(new)}
            for key, new in cleaned.items()
            if before[key] != new
        }
        audit.record(
            action="update_settings", resource_type="system_settings", resource_id="", changes=diff, actor=actor
        )
        forget()
        transaction.on_commit(forget)
    return all_values()
