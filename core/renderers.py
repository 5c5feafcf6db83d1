"""The JSON renderer that wraps every successful DRF response in the envelope.

Views return their payload (``Response(data)`` or :class:`core.responses.ApiResponse`
with a ``message``); errors are enveloped by :mod:`core.exceptions` and pass
through untouched. A 204 has no body.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework.renderers import JSONRenderer

from core.envelope import success_body


class EnvelopeJSONRenderer(JSONRenderer):
    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Mapping[str, Any] | None = None
    ) -> bytes:
        response = (renderer_context or {}).get("response")
        if response is not None:
            if response.status_code == 204:
                return b""
            already_enveloped = getattr(response, "exception", False) or (
                response.status_code >= 400 and isinstance(data, dict) and "success" in data
            )
            if not already_enveloped:
                data = success_body(data, getattr(response, "message", None))
        return super().render(data, accepted_media_type, renderer_context)
