"""Small helpers every app's views share: validate a body or query string, and paginate a list."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.views import APIView

from core.pagination import PageLimitPagination


def valid(serializer_class, request: Request, **kwargs) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def query(serializer_class, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def paginate(view: APIView, request: Request, rows, render, key: str, default_limit: int = 20) -> dict[str, Any]:
    """``{key: [...], "pagination": {...}}`` for a queryset (or list), ``render`` applied to each row on the page."""
    paginator = PageLimitPagination()
    view.pagination_items_key, view.pagination_default_limit = key, default_limit
    page = paginator.paginate_queryset(rows, request, view)
    return {key: [render(row) for row in page], "pagination": paginator.pagination_data()}
