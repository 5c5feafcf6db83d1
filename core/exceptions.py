"""The one DRF exception handler: every error becomes the seed-001 envelope.

Mapping decisions (seed 001 section 0.3 is the authority):

* a DRF ``ValidationError`` whose errors include a missing required field
  (absent, null or blank) is ``400 INVALID_REQUEST`` ("missing required
  fields"); any other field error
  is ``422 VALIDATION_ERROR`` ("field format incorrect"). A serializer may
  raise ``ValidationError(msg, code="SOME_CODE")`` with an upper-case code to
  answer that code; a code that one of our error enums knows gets its status.
* malformed JSON (``ParseError``) is ``400 INVALID_REQUEST``.
* 405, 406, 413 and 415 have no code in seed 001; they answer
  ``METHOD_NOT_ALLOWED``, ``NOT_ACCEPTABLE``, ``PAYLOAD_TOO_LARGE`` and
  ``UNSUPPORTED_MEDIA_TYPE``.
* anything unexpected is logged with its traceback and answers
  ``500 INTERNAL_SERVER_ERROR`` with the request id; the exception's type and
  text are added to ``details`` only when ``DEBUG`` is on.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions as drf
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from core.envelope import STATUS_MESSAGES, error_body
from core.errors import DomainError, ErrorCode, ErrorCodeEnum, code_for_status

logger = logging.getLogger("core.exceptions")

_MISSING_CODES = {"required", "blank", "null"}


def _known_code(code: str) -> ErrorCodeEnum | None:
    pending: list[type[ErrorCodeEnum]] = [ErrorCodeEnum]
    while pending:
        enum_cls = pending.pop()
        pending.extend(enum_cls.__subclasses__())
        if code in enum_cls.__members__:
            return enum_cls[code]
    return None


def _flatten(detail: Any, path: str = "") -> list[tuple[str, str, str]]:
    """(field path, message, code) for every leaf of DRF's full error details."""
    if isinstance(detail, dict) and set(detail) == {"message", "code"}:
        return [(path, str(detail["message"]), str(detail["code"]))]
    if isinstance(detail, dict):
        out: list[tuple[str, str, str]] = []
        for key, value in detail.items():
            out.extend(_flatten(value, f"{path}.{key}" if path else str(key)))
        return out
    if isinstance(detail, list):
        out = []
        for index, value in enumerate(detail):
            leaf = isinstance(value, dict) and set(value) == {"message", "code"}
            out.extend(_flatten(value, path if leaf else f"{path}.{index}" if path else str(index)))
        return out
    return [(path, str(detail), "invalid")]


def _validation_error(exc: drf.ValidationError) -> tuple[int, dict[str, Any]]:
    errors = _flatten(exc.get_full_details()) or [("", "Invalid input.", "invalid")]
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    field, message, reason = errors[0]
    field = "" if field == non_field else field
    if reason.isupper():
        # A serializer chose a specific code, e.g. ValidationError(msg, code="INVALID_PHONE_NUMBER").
        known = _known_code(reason)
        code: ErrorCodeEnum | str = known or reason
        status = known.http_status if known else 422
    else:
        missing = any(err_code in _MISSING_CODES for _, _, err_code in errors)
        code = ErrorCode.INVALID_REQUEST if missing else ErrorCode.VALIDATION_ERROR
        status = code.http_status
        if field:
            message = f"{field}: {message}"
    details: dict[str, Any] = {"reason": reason.lower()}
    if field:
        details["field"] = field
    if len(errors) > 1:
        grouped: dict[str, list[str]] = {}
        for err_field, err_message, _ in errors:
            grouped.setdefault(err_field or non_field, []).append(err_message)
        details["context"] = grouped
    return status, error_body(code=code, message=message, details=details)


def as_serializer_error(exc: DjangoValidationError) -> dict[str, Any]:
    """A model's ``ValidationError`` in DRF's shape, so it answers 422 like a serializer's."""
    detail = get_error_detail(exc)
    if isinstance(detail, dict):
        return detail
    return {api_settings.NON_FIELD_ERRORS_KEY: detail}


def _detail_text(exc: drf.APIException) -> str:
    detail: Any = exc.detail
    if isinstance(detail, dict):
        detail = detail.get("detail", next(iter(detail.values()), ""))
    if isinstance(detail, list):
        detail = detail[0] if detail else ""
    return str(detail)


_DRF_CODES: dict[type[drf.APIException], ErrorCode] = {
    drf.ParseError: ErrorCode.INVALID_REQUEST,
    drf.AuthenticationFailed: ErrorCode.UNAUTHORIZED,
    drf.NotAuthenticated: ErrorCode.UNAUTHORIZED,
    drf.PermissionDenied: ErrorCode.FORBIDDEN,
    drf.NotFound: ErrorCode.NOT_FOUND,
    drf.MethodNotAllowed: ErrorCode.METHOD_NOT_ALLOWED,
    drf.NotAcceptable: ErrorCode.NOT_ACCEPTABLE,
    drf.UnsupportedMediaType: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
}


def build_error(exc: Exception) -> tuple[int, dict[str, Any], dict[str, str]]:
    """(status, envelope body, extra headers) for any exception."""
    if isinstance(exc, DomainError):
        body = error_body(code=exc.code, message=exc.message, details=exc.details(), metadata=exc.metadata)
        return exc.status, body, dict(exc.headers)

    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = drf.ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, RequestDataTooBig):
        return (
            413,
            error_body(code=ErrorCode.PAYLOAD_TOO_LARGE, message=STATUS_MESSAGES[413], details={"reason": "too_large"}),
            {},
        )

    if isinstance(exc, drf.ValidationError):
        status, body = _validation_error(exc)
        return status, body, {}

    if isinstance(exc, drf.Throttled):
        wait = max(1, math.ceil(exc.wait or 1))  # type: ignore[attr-defined]  # set by Throttled.__init__, not in the stubs
        body = error_body(
            code=ErrorCode.RATE_LIMIT_EXCEEDED,
            message=f"Too many requests. Please try again after {wait} seconds.",
            details={"reason": "too_many_requests"},
            metadata={"retry_after_seconds": wait},
        )
        return 429, body, {"Retry-After": str(wait)}

    if isinstance(exc, drf.APIException):
        headers: dict[str, str] = {}
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:
            headers["WWW-Authenticate"] = auth_header
        codes = exc.get_codes()
        specific: ErrorCodeEnum | None = _known_code(codes.upper()) if isinstance(codes, str) else None
        code = specific or next((c for cls, c in _DRF_CODES.items() if isinstance(exc, cls)), None)
        code = code or code_for_status(exc.status_code)
        reason = codes if isinstance(codes, str) else exc.default_code if isinstance(exc.default_code, str) else None
        message = STATUS_MESSAGES[404] if isinstance(exc, drf.NotFound) else None
        body = error_body(code=code, message=message or _detail_text(exc), details={"reason": reason} if reason else {})
        return exc.status_code, body, headers

    logger.exception("Unhandled exception", exc_info=exc)
    details: dict[str, Any] = {}
    if settings.DEBUG:
        details = {"reason": type(exc).__name__, "context": {"exception": str(exc)}}
    body = error_body(
        code=ErrorCode.INTERNAL_SERVER_ERROR,
        message="Something went wrong on our side. Please try again; if it keeps happening, "
        "contact support with the request id.",
        details=details,
    )
    return 500, body, {}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF ``EXCEPTION_HANDLER``: every exception, expected or not, answers the envelope."""
    status, body, headers = build_error(exc)
    set_rollback()
    return Response(body, status=status, headers=headers)
