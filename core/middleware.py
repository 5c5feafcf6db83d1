"""Request-level middleware: access log, API path handling, body limit, envelope fallback.

Each class works in both sync and async mode (no thread hop under ASGI).
The request id itself comes from django-guid (``X-Request-ID``), which sits
first in ``MIDDLEWARE``.

* :class:`RequestLogMiddleware` writes one JSON line per request (request id,
  user, method, path, status, duration). The path keeps its query string, but
  the value of every sensitive parameter (:func:`is_sensitive_param`: tokens,
  one-time codes, passwords, signatures, and the admin ``search``/``q``,
  ``phone``, ``email`` filters, which carry people's contact details) is
  replaced by ``[masked]``, so neither access tokens (the WebSocket's
  ``?token=``) nor OTPs nor customers' details reach a log. The server's own
  lines get the same mask: uvicorn logs each WebSocket handshake with its query
  string on ``uvicorn.error`` at INFO (and HTTP requests on ``uvicorn.access``),
  so the middleware, when a web process loads it, puts
  :class:`MaskQueryStringFilter` on those two loggers. Our consumers log no
  query string.
* :class:`ErrorEnvelopeMiddleware` is the safety net for responses Django
  builds outside DRF (debug 404 pages, ``HttpResponseNotAllowed``, CSRF
  failures): an error response that is not JSON becomes the envelope. The
  Django admin keeps its HTML pages.
* :class:`ApiRequestMiddleware` makes ``/api/`` paths work with and without a
  trailing slash (routes are declared without one) and refuses a body larger
  than ``REQUEST_MAX_BODY_BYTES`` (``REQUEST_MAX_UPLOAD_BYTES`` for multipart
  uploads) with ``413`` before anything reads it. A chunked body without
  ``Content-Length`` is bounded by the proxy in front (nginx
  ``client_max_body_size``), as Django's ASGI handler reads it whole.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import unquote_plus

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.encoding import escape_uri_path
from django.utils.functional import SimpleLazyObject, empty

from core import metrics
from core.envelope import STATUS_MESSAGES, json_error_response
from core.errors import ErrorCode, code_for_status

request_logger = logging.getLogger("core.request")

API_PREFIX = "/api/"


class BothModesMiddleware:
    """Base for middleware whose hooks do no I/O: ``before`` may answer early, ``after`` may replace."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def before(self, request: HttpRequest) -> HttpResponse | None:
        return None

    def after(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        return response

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self._acall(request)
        early = self.before(request)
        response = early if early is not None else self.get_response(request)
        return self.after(request, response)

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        early = self.before(request)
        response = early if early is not None else await self.get_response(request)
        return self.after(request, response)


def _user_id(request: HttpRequest) -> str | None:
    user = request.__dict__.get("user")
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):  # type: ignore[attr-defined]  # private, not in the stubs
        return None  # never force a lazy user (a database read) just to log it
    if getattr(user, "is_authenticated", False):
        return str(user.pk)
    return None


QUERY_MASK = "[masked]"
SENSITIVE_PARAMS = frozenset(
    {
        "code",
        "otp",
        "otp_code",
        "pin",
        "key",
        "api_key",
        "sig",
        "signature",
        "search",
        "q",
        "query",
        "phone",
        "phone_number",
        "mobile",
        "email",
        "aadhar_number",
        "aadhaar_number",
        "pan_number",
        "bank_account_number",
    }
)
SENSITIVE_PARAM_MARKERS = ("token", "password", "secret", "otp_", "session")
SERVER_LOGGERS = ("uvicorn.error", "uvicorn.access")


def is_sensitive_param(name: str) -> bool:
    lowered = name.strip().lower()
    return lowered in SENSITIVE_PARAMS or any(marker in lowered for marker in SENSITIVE_PARAM_MARKERS)


def mask_query_string(query_string: str) -> str:
    """``query_string`` with the values of sensitive parameters masked; everything else as it came."""
    parts = []
    for part in query_string.split("&"):
        name, sep, _value = part.partition("=")
        parts.append(f"{name}={QUERY_MASK}" if sep and is_sensitive_param(unquote_plus(name)) else part)
    return "&".join(parts)


def loggable_path(path_with_query: str) -> str:
    """A path as it may be logged: ``/ws/x/?token=[masked]&since=...``."""
    path, sep, query_string = path_with_query.partition("?")
    return f"{path}?{mask_query_string(query_string)}" if sep else path


class MaskQueryStringFilter(logging.Filter):
    """Masks sensitive query parameters in a log record's path arguments (uvicorn's access lines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(_has_query(arg) for arg in record.args):
            record.args = tuple(loggable_path(str(arg)) if _has_query(arg) else arg for arg in record.args)
        return True


def _has_query(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("/") and "?" in value


def mask_server_logs() -> None:
    """Put :class:`MaskQueryStringFilter` on the server's loggers, once per process."""
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, MaskQueryStringFilter) for existing in logger.filters):
            logger.addFilter(MaskQueryStringFilter())


class RequestLogMiddleware(BothModesMiddleware):
    def __init__(self, get_response: Any) -> None:
        super().__init__(get_response)
        mask_server_logs()

    def before(self, request: HttpRequest) -> None:
        request._started_at = time.perf_counter()  # type: ignore[attr-defined]
        return None

    def after(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        duration_ms = (time.perf_counter() - request._started_at) * 1000  # type: ignore[attr-defined]
        metrics.observe_request(request, response.status_code, duration_ms / 1000)
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        request_logger.log(
            level,
            "request",
            extra={
                "user_id": _user_id(request),
                "method": request.method,
                "path": _request_path(request),
                "status": response.status_code,
                "duration_ms": round(duration_ms, 2),
            },
        )
        return response


def _request_path(request: HttpRequest) -> str:
    path, query_string = escape_uri_path(request.path), request.META.get("QUERY_STRING", "")
    return f"{path}?{mask_query_string(query_string)}" if query_string else path


class ErrorEnvelopeMiddleware(BothModesMiddleware):
    def after(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code < 400 or request.path.startswith("/admin/"):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        enveloped = json_error_response(
            status,
            code=code_for_status(status),
            message=STATUS_MESSAGES.get(status, "The request could not be completed."),
        )
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                enveloped[header] = response[header]
        return enveloped


class ApiRequestMiddleware(BothModesMiddleware):
    def before(self, request: HttpRequest) -> HttpResponse | None:
        if not request.path_info.startswith(API_PREFIX):
            return None
        if len(request.path_info) > 1 and request.path_info.endswith("/"):
            request.path_info = request.path_info.rstrip("/")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        is_upload = request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data")
        limit = settings.REQUEST_MAX_UPLOAD_BYTES if is_upload else settings.REQUEST_MAX_BODY_BYTES
        if length > limit:
            return json_error_response(
                413,
                code=ErrorCode.PAYLOAD_TOO_LARGE,
                message=f"The request body is too large (at most {limit} bytes).",
                details={"reason": "too_large", "context": {"max_bytes": limit}},
            )
        return None
