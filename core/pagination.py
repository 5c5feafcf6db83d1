"""``page``/``limit`` pagination (DESIGN.md section 2).

List data is ``{"<items>": [...], "pagination": {"page", "limit", "total",
"total_pages"}}``. A view names its items with ``pagination_items_key``
(default ``"items"``) and its default page size with ``pagination_default_limit``
(seed 000 gives defaults per endpoint); ``limit`` is capped at 100. A page past
the end is an empty list, not an error; a non-numeric or non-positive ``page``
or ``limit`` is ``400 INVALID_REQUEST`` naming the parameter.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

from core.errors import DomainError, ErrorCode

MAX_LIMIT = 100


def _positive_int(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = 0
    if value < 1:
        raise DomainError(
            f"'{name}' must be a positive whole number.",
            code=ErrorCode.INVALID_REQUEST,
            field=name,
            reason="invalid_format",
        )
    return value


class PageLimitPagination(BasePagination):
    default_limit = 20
    max_limit = MAX_LIMIT
    items_key = "items"

    def _read_page(self, request: Request, view: Any) -> int:
        """Reads ``page`` and ``limit`` (400 when malformed); answers the offset."""
        self.items_key = getattr(view, "pagination_items_key", self.items_key)
        default_limit = getattr(view, "pagination_default_limit", self.default_limit)
        self.page = _positive_int(request, "page", 1)
        self.limit = min(_positive_int(request, "limit", default_limit), self.max_limit)
        return (self.page - 1) * self.limit

    def paginate_counted(self, fetch: Callable[[int, int], tuple[list[Any], int]], request: Request, view: Any) -> list:
        """For a selector that reads a page and the total together: ``fetch(offset, limit)`` answers both."""
        rows, self.total = fetch(self._read_page(request, view), self.limit)
        return rows

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        self._read_page(request, view)
        self.total = (
            queryset.count() if hasattr(queryset, "count") and not isinstance(queryset, list) else len(queryset)
        )
        offset = (self.page - 1) * self.limit
        if offset >= self.total:
            return []
        return list(queryset[offset : offset + self.limit])

    def pagination_data(self) -> dict[str, int]:
        return {
            "page": self.page,
            "limit": self.limit,
            "total": self.total,
            "total_pages": math.ceil(self.total / self.limit) if self.total else 0,
        }

    def get_paginated_response(self, data: Any) -> Response:
        return Response({self.items_key: data, "pagination": self.pagination_data()})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": [self.items_key, "pagination"],
            "properties": {
                self.items_key: schema,
                "pagination": {"$ref": "#/components/schemas/Pagination"},
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        default_limit = getattr(view, "pagination_default_limit", self.default_limit)
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "Page number, from 1.",
                "schema": {"type": "integer", "minimum": 1, "default": 1},
            },
            {
                "name": "limit",
                "required": False,
                "in": "query",
                "description": f"Items per page (at most {self.max_limit}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_limit, "default": default_limit},
            },
        ]
