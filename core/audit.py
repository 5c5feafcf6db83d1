"""The audit log's writer: every staff write, through the API or the Django admin, with before and after.

* :func:`record` writes one row; the actor, IP, user agent and request id come
  from the current request (set by :class:`AuditContextMiddleware`) unless
  given.
* :func:`track` snapshots a row's fields before a change and records the
  fields that changed after it (``{"field": {"old": ..., "new": ...}}``). A
  ``state`` function may replace the plain snapshot when a change spans
  related rows (a partner's name on the account, categories, working hours);
  ``extra`` is read after the block, so the block may fill it in (the id of a
  row it created).
* ``core.audit_admin.AuditedModelAdmin`` is the base of every ``ModelAdmin``:
  saves, deletes and bulk deletes in the Django admin are recorded with their diff.
* The middleware is the safety net: a staff member's successful write through
  the API that recorded nothing explicitly (an endpoint that has no tailored
  entry) is still recorded, with the route, its ids and the request body
  (secrets masked), so no staff write goes unrecorded.

* :func:`erase` is a person's erasure (``core.privacy.blank``, when they delete their account): the values
  of the fields their anonymisation blanks become ``"[erased]"`` in the entries about their rows (a staff
  member's edit of their booking recorded their phone in its diff). The entry stays: who did what, when,
  from where. The only change the append-only trigger lets through (migration ``0005``).

Secrets (passwords, tokens, Aadhaar, PAN, bank accounts, keyed lookup hashes)
never reach the log: such a field is recorded as ``"[secret <8 hex of its
SHA-256>]"``, so that a change shows and the value does not; a request body's
secrets as ``"[changed]"``. Both spellings of Aadhaar are secrets (the partner
model writes ``aadhar``).
"""

from __future__ import annotations

import contextvars
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from asgiref.sync import sync_to_async
from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty
from django_guid import get_guid

from core.middleware import BothModesMiddleware
from core.models import AuditLog

SECRET_MARKERS = (
    "password",
    "token",
    "secret",
    "encrypted",
    "aadhaar",
    "aadhar",
    "pan_number",
    "_hash",
    "account_number",
    "id_proof_number",
)
MASK = "[changed]"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
UNAUDITED_API_PREFIXES = ("/api/v1/auth/", "/api/v1/admin/auth/", "/api/v1/partner/auth/")


@dataclass
class _RequestContext:
    request: HttpRequest
    via: str
    recorded: list[AuditLog] = field(default_factory=list)


_current: contextvars.ContextVar[_RequestContext | None] = contextvars.ContextVar("audit_request", default=None)


def _is_secret(name: str) -> bool:
    lowered = name.lower()
    return lowered in ("pan", "otp", "bank_account") or any(marker in lowered for marker in SECRET_MARKERS)


def _masked(raw: Any) -> str:
    """A secret as ``[secret 1a2b3c4d]``: a change is visible, the value is not."""
    return f"[secret {hashlib.sha256(str(raw).encode()).hexdigest()[:8]}]"


def jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, FieldFile):
        return value.name or ""
    return str(value)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The row's concrete field values, JSON-safe, secrets masked."""
    values = {}
    for model_field in instance._meta.concrete_fields:
        name = model_field.attname
        raw = getattr(instance, name, None)
        values[model_field.name] = _masked(raw) if _is_secret(model_field.name) and raw else jsonable(raw)
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    changes = {}
    for key in sorted(set(before) | set(after)):
        if key in ("updated_at",):
            continue
        old, new = before.get(key), after.get(key)
        if old != new:
            changes[key] = {"old": old, "new": new}
    return changes


def resource_type_of(model: type[models.Model] | models.Model) -> str:
    name = model._meta.model_name
    assert name is not None  # set on every model class by its Options
    return name


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _request_user(request: HttpRequest):
    user = request.__dict__.get("user")
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):  # type: ignore[attr-defined]  # private, not in the stubs
        return None
    return user if getattr(user, "is_authenticated", False) else None


def record(
    *,
    action: str,
    resource_type: str,
    resource_id: Any = "",
    changes: dict[str, Any] | None = None,
    actor=None,
    via: str | None = None,
    request: HttpRequest | None = None,
) -> AuditLog:
    """Append one entry. Inside a request the actor and origin come from it unless given."""
    context = _current.get()
    request = request or (context.request if context else None)
    if actor is None and request is not None:
        actor = _request_user(request)
    entry = AuditLog(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(getattr(actor, "full_name", "") or "") if actor else "",
        actor_email=(getattr(actor, "email", "") or "") if actor else "",
        actor_role=(getattr(actor, "staff_role", "") or "") if actor else "",
        action=action[:100],
        resource_type=resource_type[:50],
        resource_id=str(resource_id or "")[:64],
        changes=jsonable(changes or {}),
        via=via or (context.via if context else AuditLog.Via.SYSTEM),
        ip_address=_client_ip(request) if request is not None else None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:1000],
        request_id=(get_guid() or "")[:64],
    )
    entry.save()
    if context is not None:
        context.recorded.append(entry)
    return entry


M = TypeVar("M", bound=models.Model)
# The values of ``instance`` that are compared and recorded (by default :func:`snapshot`).
State = Callable[[M], dict[str, Any]]


def record_created(
    instance: M,
    *,
    action: str,
    actor=None,
    state: State[M] | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditLog:
    """A new row: every field (of ``state``, by default the snapshot) recorded as ``{"old": None, "new": value}``."""
    changes = {key: {"old": None, "new": value} for key, value in (state or snapshot)(instance).items()}
    changes.update({key: jsonable(value) for key, value in (extra or {}).items()})
    return record(
        action=action,
        resource_type=resource_type_of(instance),
        resource_id=instance.pk,
        changes=changes,
        actor=actor,
    )


@contextmanager
def track(
    instance: M,
    *,
    action: str,
    actor=None,
    extra: dict[str, Any] | None = None,
    state: State[M] | None = None,
) -> Iterator[None]:
    """Record what changed on ``instance`` (re-read after the block) as ``action``.

    Use around a service call: ``with audit.track(booking, action="update_booking_status"): ...``.
    ``state`` (default :func:`snapshot`) gives the values compared before and after.
    """
    model = type(instance)
    state = state or snapshot
    before = state(instance)
    yield
    after_instance = model._base_manager.filter(pk=instance.pk).first()
    after = state(after_instance) if after_instance is not None else {}
    changes = diff(before, after)
    if extra:
        changes.update({key: jsonable(value) for key, value in extra.items()})
    record(action=action, resource_type=resource_type_of(model), resource_id=instance.pk, changes=changes, actor=actor)


def _storable(value: Any) -> Any:
    """``value`` with NULs and lone surrogates written out as escapes: PostgreSQL's jsonb and UTF-8 refuse them."""
    if isinstance(value, str):
        return value.replace("\x00", "\\u0000").encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_storable(item) for item in value]
    return value


def _masked_body(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}") if request.content_type == "application/json" else {}
    except (ValueError, UnicodeDecodeError):
        body = {}
    body = _storable(body)
    if not isinstance(body, dict):
        return {"body": MASK}
    return {key: (MASK if _is_secret(key) else jsonable(value)) for key, value in body.items()}


def _record_fallback(request: HttpRequest, response: HttpResponse) -> None:
    match = getattr(request, "resolver_match", None)
    route = (match.route if match else request.path.lstrip("/")).removeprefix("api/v1/")
    ids = {key: str(value) for key, value in (match.kwargs if match else {}).items()}
    resource_id = next(iter(ids.values()), "")
    segments = [part for part in route.split("/") if part and not part.startswith("<")]
    resource_type = next((part for part in segments if part not in ("admin", "admin-dashboard", "partner")), "api")
    record(
        action=f"{(request.method or '').lower()} {route}",
        resource_type=resource_type.rstrip("s")[:50] if resource_type.endswith("s") else resource_type,
        resource_id=resource_id,
        changes={"request": _masked_body(request), "status": response.status_code, **({"ids": ids} if ids else {})},
    )


def _needs_fallback(request: HttpRequest, response: HttpResponse, context: _RequestContext) -> bool:
    if context.recorded or request.method in SAFE_METHODS or response.status_code >= 400:
        return False
    path = request.path
    if not path.startswith("/api/") or path.startswith(UNAUDITED_API_PREFIXES):
        return False
    user = _request_user(request)
    # ``is_staff`` is a column (set with every staff role), so this check reads nothing from the database.
    return bool(user is not None and getattr(user, "is_staff", False))


class AuditContextMiddleware(BothModesMiddleware):
    """Makes the request available to :func:`record` and records staff API writes nothing else recorded.

    Unlike its base's hooks, the fallback writes to the database: under ASGI it
    runs through ``sync_to_async``, and only for a staff write that recorded
    nothing (never on reads).
    """

    @staticmethod
    def _context(request: HttpRequest) -> _RequestContext:
        via = AuditLog.Via.ADMIN_SITE if request.path.startswith("/admin/") else AuditLog.Via.API
        return _RequestContext(request=request, via=via)

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self._acall(request)
        context = self._context(request)
        token = _current.set(context)
        try:
            response = self.get_response(request)
            if _needs_fallback(request, response, context):
                _record_fallback(request, response)
            return response
        finally:
            _current.reset(token)

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        context = self._context(request)
        token = _current.set(context)
        try:
            response = await self.get_response(request)
            if _needs_fallback(request, response, context):
                await sync_to_async(_record_fallback, thread_sensitive=True)(request, response)
            return response
        finally:
            _current.reset(token)


def recorded_so_far() -> list:
    """The entries recorded so far in this request (empty outside one); grows as more are recorded."""
    context = _current.get()
    return context.recorded if context else []


ERASED = "[erased]"


def erase(*, resource_type: str, resource_ids: Iterable[Any], fields: Iterable[str]) -> int:
    """In every entry about these resources, the recorded values of ``fields`` become ``ERASED``: an ``old`` and
    ``new`` pair, a created row's value, a request body's field (the middleware's fallback), at any depth. Empty
    values stay empty. Returns how many entries changed. On PostgreSQL the append-only trigger lets this one
    change through: ``changes`` alone, while the transaction says ``core.audit_erasure`` (migration ``0005``)."""
    ids, names = [str(pk) for pk in resource_ids], frozenset(fields)
    if not ids or not names:
        return 0
    entries = AuditLog.objects.filter(resource_type=resource_type, resource_id__in=ids).values_list("pk", "changes")
    changed = [(pk, erased) for pk, changes in entries if (erased := _erased(changes, names)) != changes]
    _erasing("changes = %s", [(pk, [erased]) for pk, erased in changed])
    return len(changed)


def erase_actor(actor: Any, *, name: str) -> int:
    """In the entries the person made (a customer opening a dispute is recorded), their name becomes ``name``,
    and their email, IP address and user agent go; how many entries changed."""
    entries = list(AuditLog.objects.filter(actor_id=actor.pk).values_list("pk", flat=True))
    _erasing("actor_name = %s, actor_email = '', ip_address = NULL, user_agent = ''", [(pk, [name]) for pk in entries])
    return len(entries)


def _erasing(assignments: str, rows: list[tuple[Any, list[Any]]]) -> None:
    """``UPDATE`` each entry (its key, the values of ``assignments``) as the append-only trigger allows for an
    erasure: in a transaction that says ``core.audit_erasure`` for these statements only."""
    if not rows:
        return
    table, pk_field = connection.ops.quote_name(AuditLog._meta.db_table), AuditLog._meta.pk
    changes_field = AuditLog._meta.get_field("changes")
    postgres = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET LOCAL core.audit_erasure = 'on'")
        for pk, values in rows:
            prepared = [changes_field.get_db_prep_value(v, connection) if isinstance(v, dict) else v for v in values]
            cursor.execute(
                f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608 - fixed text, values bound
                [*prepared, pk_field.get_db_prep_value(pk, connection)],
            )
        if postgres:
            cursor.execute("SET LOCAL core.audit_erasure = 'off'")  # for these statements, not the transaction


def _erased(value: Any, names: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {key: _erased_value(item) if key in names else _erased(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [_erased(item, names) for item in value]
    return value


def _erased_value(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"old", "new"}:
        return {side: _erased_value(item) for side, item in value.items()}
    return value if value in (None, "", [], {}) else ERASED
