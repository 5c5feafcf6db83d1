"""Domain errors and error codes.

Every error the API sends has a machine-readable code (SCREAMING_SNAKE_CASE)
and an HTTP status, as seed 001 section 0.3 lists them. Codes are enums so a
typo is an ``AttributeError`` at import time, not a silent new code.

Apps declare their own enum on top of :class:`ErrorCodeEnum` (for example
``accounts.errors.AccountErrorCode``) and raise :class:`DomainError` (or a
subclass) from services; the exception handler in :mod:`core.exceptions`
turns it into the envelope. Services never build HTTP responses.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCodeEnum(StrEnum):
    """Base for error-code enums: each member is ``CODE = ("CODE", http_status)``."""

    http_status: int

    def __new__(cls, value: str, http_status: int) -> ErrorCodeEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.http_status = http_status
        return member

    def __str__(self) -> str:
        return self.value


class ErrorCode(ErrorCodeEnum):
    """The common codes of seed 001 section 0.3, plus the HTTP-level ones it leaves out."""

    INVALID_REQUEST = ("INVALID_REQUEST", 400)
    UNAUTHORIZED = ("UNAUTHORIZED", 401)
    FORBIDDEN = ("FORBIDDEN", 403)
    NOT_FOUND = ("NOT_FOUND", 404)
    METHOD_NOT_ALLOWED = ("METHOD_NOT_ALLOWED", 405)
    NOT_ACCEPTABLE = ("NOT_ACCEPTABLE", 406)
    CONFLICT = ("CONFLICT", 409)
    PAYLOAD_TOO_LARGE = ("PAYLOAD_TOO_LARGE", 413)
    UNSUPPORTED_MEDIA_TYPE = ("UNSUPPORTED_MEDIA_TYPE", 415)
    VALIDATION_ERROR = ("VALIDATION_ERROR", 422)
    RATE_LIMIT_EXCEEDED = ("RATE_LIMIT_EXCEEDED", 429)
    TOO_MANY_REQUESTS = ("TOO_MANY_REQUESTS", 429)
    INTERNAL_SERVER_ERROR = ("INTERNAL_SERVER_ERROR", 500)
    SERVICE_UNAVAILABLE = ("SERVICE_UNAVAILABLE", 503)

    # Authentication (seed 001 0.3)
    INVALID_OTP = ("INVALID_OTP", 401)
    INVALID_CREDENTIALS = ("INVALID_CREDENTIALS", 401)
    TOKEN_EXPIRED = ("TOKEN_EXPIRED", 401)
    SESSION_EXPIRED = ("SESSION_EXPIRED", 401)


_STATUS_DEFAULT_CODES: dict[int, ErrorCode] = {
    400: ErrorCode.INVALID_REQUEST,
    401: ErrorCode.UNAUTHORIZED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    406: ErrorCode.NOT_ACCEPTABLE,
    409: ErrorCode.CONFLICT,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    422: ErrorCode.VALIDATION_ERROR,
    429: ErrorCode.RATE_LIMIT_EXCEEDED,
    500: ErrorCode.INTERNAL_SERVER_ERROR,
    503: ErrorCode.SERVICE_UNAVAILABLE,
}


def code_for_status(status: int) -> ErrorCode:
    """The generic code for an HTTP status (used when nothing more specific is known)."""
    if status in _STATUS_DEFAULT_CODES:
        return _STATUS_DEFAULT_CODES[status]
    return ErrorCode.INTERNAL_SERVER_ERROR if status >= 500 else ErrorCode.INVALID_REQUEST


class DomainError(Exception):
    """An error a service raises; rendered as the error envelope.

    ``field`` names the request field at fault, ``reason`` a short snake_case
    reason, ``context`` recovery data for the client; ``extra`` adds keys to
    ``details`` itself where a seed puts them there (seed 001 9.4's
    ``attempts_remaining``); ``metadata`` is merged into the envelope's
    metadata (e.g. ``retry_after_seconds``).
    """

    default_code: ErrorCodeEnum = ErrorCode.INVALID_REQUEST
    default_message = "The request could not be completed."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: ErrorCodeEnum | None = None,
        field: str | None = None,
        reason: str | None = None,
        context: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        status: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.code = code or self.default_code
        self.message = message or self.default_message
        self.field = field
        self.reason = reason
        self.context = context
        self.extra = extra or {}
        self.metadata = metadata or {}
        self.status = status or self.code.http_status
        self.headers = headers or {}
        super().__init__(self.message)

    def details(self) -> dict[str, Any]:
        details: dict[str, Any] = dict(self.extra)
        if self.field:
            details["field"] = self.field
        if self.reason:
            details["reason"] = self.reason
        if self.context:
            details["context"] = self.context
        return details


class RateLimitError(DomainError):
    """A business rate limit was hit; carries ``retry_after_seconds``."""

    default_code = ErrorCode.RATE_LIMIT_EXCEEDED
    default_message = "Too many requests. Please try again later."

    def __init__(self, message: str | None = None, *, retry_after_seconds: int, **kwargs: Any) -> None:
        kwargs.setdefault("reason", "too_many_requests")
        metadata = {**kwargs.pop("metadata", {}), "retry_after_seconds": int(retry_after_seconds)}
        headers = {**kwargs.pop("headers", {}), "Retry-After": str(int(retry_after_seconds))}
        super().__init__(message, metadata=metadata, headers=headers, **kwargs)
