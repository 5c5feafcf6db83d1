"""The response envelope of seed 001 section 0, built in one place.

Success: ``{"success": true, "data": ..., "message": "..."}`` (``message`` only
when there is one). Error: ``{"success": false, "error": {"code", "message",
"details", "metadata"}}`` where ``metadata.timestamp`` and
``metadata.request_id`` are always set.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django_guid import get_guid
from rest_framework.utils.encoders import JSONEncoder

from core.errors import ErrorCodeEnum, code_for_status

STATUS_MESSAGES: dict[int, str] = {
    400: "The request is malformed.",
    401: "Authentication is required.",
    403: "You do not have permission to perform this action.",
    404: "The requested resource was not found.",
    405: "This method is not allowed on this resource.",
    413: "The request body is too large.",
    415: "Unsupported content type.",
    500: "Something went wrong on our side. Please try again; if it keeps happening, "
    "contact support with the request id.",
}


def current_request_id() -> str | None:
    """The id of the request being served (set by the request-id middleware)."""
    return get_guid()


def success_body(data: Any = None, message: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"success": True, "data": data}
    if message:
        body["message"] = message
    return body


def error_body(
    *,
    code: ErrorCodeEnum | str,
    message: str,
    details: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    meta = {
        **(metadata or {}),
        "timestamp": timezone.now().isoformat().replace("+00:00", "Z"),
        "request_id": current_request_id(),
    }
    return {
        "success": False,
        "error": {
            "code": str(code),
            "message": message,
            "details": details or {},
            "metadata": meta,
        },
    }


def json_error_response(
    status: int,
    *,
    code: ErrorCodeEnum | str | None = None,
    message: str,
    details: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
) -> HttpResponse:
    """A plain Django response carrying the error envelope (for code outside DRF views)."""
    body = error_body(code=code or code_for_status(status), message=message, details=details, metadata=metadata)
    return HttpResponse(
        json.dumps(body, cls=JSONEncoder, separators=(",", ":")),
        status=status,
        content_type="application/json",
    )
