"""Request-level idempotency: ``X-Idempotency-Key`` (seed 000 "Payment Idempotency", DESIGN.md section 6).

A view opts in with :class:`IdempotentMixin` (``idempotent_methods = {"POST"}``).
The first request under a key runs and its response is stored; a retry with
the same key and the same body gets that response again, byte for byte (with
``Idempotent-Replayed: true``); the same key with another body is ``409
IDEMPOTENCY_KEY_REUSED``; a retry while the first is still running is ``409
REQUEST_IN_PROGRESS``. Keys are per user (per client IP for anonymous
callers) and live ``IDEMPOTENCY_TTL_HOURS`` (24). The claim is a row insert
under a unique constraint, so twenty concurrent requests with one key run the
view once. A response of 500 or more is not kept: the client may retry.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from core.errors import DomainError, ErrorCode, ErrorCodeEnum
from core.models import IdempotencyKey

HEADER = "X-Idempotency-Key"
MAX_KEY_LENGTH = 255
SCHEMA_PARAMETER = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="A new UUID per attempt; a retry of the same attempt sends the same one.",
)


class IdempotencyErrorCode(ErrorCodeEnum):
    IDEMPOTENCY_KEY_REQUIRED = ("IDEMPOTENCY_KEY_REQUIRED", 400)
    IDEMPOTENCY_KEY_REUSED = ("IDEMPOTENCY_KEY_REUSED", 409)
    REQUEST_IN_PROGRESS = ("REQUEST_IN_PROGRESS", 409)


def _scope(request: Request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


def _fingerprint(request: Request) -> str:
    digest = hashlib.sha256()
    digest.update((request.method or "").encode())
    digest.update(request.path.rstrip("/").encode())
    digest.update(request.body or b"")
    return digest.hexdigest()


def idempotency_key(request: Request) -> str:
    key = (request.headers.get(HEADER) or "").strip()
    if not key:
        raise DomainError(
            f"Send an {HEADER} header (a UUID is best) so that a retried request cannot charge twice.",
            code=IdempotencyErrorCode.IDEMPOTENCY_KEY_REQUIRED,
            field=HEADER,
            reason="missing",
        )
    if len(key) > MAX_KEY_LENGTH:
        raise DomainError(
            f"{HEADER} is at most {MAX_KEY_LENGTH} characters.",
            code=ErrorCode.INVALID_REQUEST,
            field=HEADER,
            reason="too_long",
        )
    return key


def _in_progress() -> DomainError:
    return DomainError(
        "A request with this idempotency key is still being processed. Retry in a moment.",
        code=IdempotencyErrorCode.REQUEST_IN_PROGRESS,
        field=HEADER,
        reason="in_progress",
        headers={"Retry-After": "1"},
    )


def claim(request: Request) -> tuple[IdempotencyKey, HttpResponse | None]:
    """Claim the request's key: (record, None) to run the view, or (record, stored response) to replay."""
    key = idempotency_key(request)
    scope = _scope(request)
    fingerprint = _fingerprint(request)
    now = timezone.now()
    expires_at = now + timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS)
    record = IdempotencyKey(scope=scope, key=key, fingerprint=fingerprint, expires_at=expires_at)
    if _inserted(record):  # one statement in autocommit: no BEGIN/COMMIT round trips, no savepoint
        return record, None
    with transaction.atomic():
        found = IdempotencyKey.objects.select_for_update().filter(scope=scope, key=key).first()
        if found is None:  # the first request failed and released the key a moment ago
            raise _in_progress()
        record = found
        if record.expires_at <= now:  # an expired key starts over
            record.fingerprint, record.expires_at = fingerprint, expires_at
            record.status, record.response_status, record.response_body = IdempotencyKey.Status.IN_PROGRESS, None, b""
            record.save()
            return record, None
    if record.fingerprint != fingerprint:
        raise DomainError(
            "This idempotency key was used for a different request. Use a new key for a new request.",
            code=IdempotencyErrorCode.IDEMPOTENCY_KEY_REUSED,
            field=HEADER,
            reason="different_request",
        )
    if record.status == IdempotencyKey.Status.IN_PROGRESS:
        raise _in_progress()
    replay = HttpResponse(
        bytes(record.response_body), status=record.response_status, content_type=record.response_content_type
    )
    replay["Idempotent-Replayed"] = "true"
    return record, replay


def complete(record: IdempotencyKey, response: HttpResponse) -> None:
    if response.status_code >= 500:
        release(record)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            _statements().complete,
            [
                IdempotencyKey.Status.COMPLETED.value,
                response.status_code,
                response.content,
                response.get("Content-Type", "application/json"),
                record.pk,
            ],
        )


# Every idempotent request writes its key twice, so both statements are written out once here: the ORM's
# ``create`` and ``update`` spent about 1 ms of CPU per checkout confirm building them (issue #21), and a key
# already claimed cost an ``IntegrityError`` (and, inside a transaction, a savepoint) where ``ON CONFLICT DO
# NOTHING`` answers no row.
_FIELDS = [field for field in IdempotencyKey._meta.concrete_fields if not field.primary_key]


@dataclass(frozen=True)
class _Statements:
    claim: str
    complete: str


@functools.cache
def _statements() -> _Statements:
    quote = connection.ops.quote_name
    table, pk = quote(IdempotencyKey._meta.db_table), quote(IdempotencyKey._meta.pk.column)
    columns = ", ".join(quote(field.column) for field in _FIELDS)
    answer = ("status", "response_status", "response_body", "response_content_type")
    return _Statements(
        claim=f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(_FIELDS))})"  # noqa: S608 - our names
        f" ON CONFLICT ({quote('scope')}, {quote('key')}) DO NOTHING RETURNING {pk}",
        complete=f"UPDATE {table} SET {', '.join(f'{quote(name)} = %s' for name in answer)} WHERE {pk} = %s",  # noqa: S608
    )


def _inserted(record: IdempotencyKey) -> bool:
    """Insert ``record`` unless its scope has claimed the key already (``False``, and nothing is written)."""
    values = [field.get_db_prep_save(field.pre_save(record, True), connection) for field in _FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(_statements().claim, values)
        row = cursor.fetchone()
    if row is None:
        return False
    record.pk, record._state.adding = row[0], False
    return True


def release(record: IdempotencyKey) -> None:
    IdempotencyKey.objects.filter(pk=record.pk, status=IdempotencyKey.Status.IN_PROGRESS).delete()


class _Replay(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


if TYPE_CHECKING:
    from rest_framework.views import APIView

    _ViewBase = APIView
else:
    _ViewBase = object


class IdempotentMixin(_ViewBase):
    """For DRF views: the methods in ``idempotent_methods`` need ``X-Idempotency-Key`` and replay."""

    idempotent_methods: frozenset[str] = frozenset({"POST"})

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication first: keys are per user
        self._idempotency_record = None
        self._idempotency_replay = None
        if request.method in self.idempotent_methods:
            record, replay = claim(request)
            if replay is not None:
                self._idempotency_replay = replay
                raise _Replay(replay)
            self._idempotency_record = record

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, _Replay):
            return exc.response
        record = getattr(self, "_idempotency_record", None)
        response = super().handle_exception(exc)
        if record is not None and response.status_code >= 500:
            release(record)
            self._idempotency_record = None
        return response

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        replay = getattr(self, "_idempotency_replay", None)
        if replay is not None:
            return replay
        response = super().finalize_response(request, response, *args, **kwargs)
        record = getattr(self, "_idempotency_record", None)
        if record is not None:
            response.render()
            complete(record, response)
        return response
