"""``ApiResponse``: a DRF response that can carry the envelope's ``message``."""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response


class ApiResponse(Response):
    """``ApiResponse(data, message="Booking confirmed", status=201)``; the renderer envelopes it."""

    def __init__(self, data: Any = None, *, message: str | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.message = message
