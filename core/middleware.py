"""Request-level middleware: access log, API path handling, body limit, envelope fallback.

Each class works in both sync and async mode (no thread hop under ASGI).
The request id itself comes from django-guid (``X-Request-ID``), which sits
first in ``MIDDLEWARE``.

* :class:`RequestLogMiddleware` writes one JSON line per request (request id,
  user, method, path, status, duration).
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

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

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
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None  # never force a lazy user (a database read) just to log it
    if getattr(user, "is_authenticated", False):
        return str(user.pk)
    return None


class RequestLogMiddleware(BothModesMiddleware):
    def before(self, request: HttpRequest) -> None:
        request._started_at = time.perf_counter()  # type: ignore[attr-defined]
        return None

    def after(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        duration_ms = (time.perf_counter() - request._started_at) * 1000  # type: ignore[attr-defined]
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        request_logger.log(
            level,
            "request",
            extra={
                "user_id": _user_id(request),
                "method": request.method,
                "path": request.get_full_path(),
                "status": response.status_code,
                "duration_ms": round(duration_ms, 2),
            },
        )
        return response


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
