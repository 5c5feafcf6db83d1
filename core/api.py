"""Small helpers every app's views share: validate a body or query string, paginate a list, document a
paginated query, and accept seed 003's camelCase field names."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
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
    view.pagination_items_key, view.pagination_default_limit = key, default_limit  # type: ignore[attr-defined]  # read by PageLimitPagination
    page = paginator.paginate_queryset(rows, request, view)
    return {key: [render(row) for row in page], "pagination": paginator.pagination_data()}


def page_params(*names: str) -> list[OpenApiParameter]:
    """The OpenAPI parameters of a paginated list: its string filters ``names``, then ``page`` and ``limit``."""
    return [OpenApiParameter(name, str) for name in names] + [
        OpenApiParameter("page", int),
        OpenApiParameter("limit", int),
    ]


class CamelCaseInput(serializers.Serializer):
    """Accepts seed 003's camelCase names (``fullName``, ``isActive``...) beside snake_case."""

    ALIASES: dict[str, str] = {}

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "items"):
            data = {self.ALIASES.get(key, key): value for key, value in data.items()}
        return super().to_internal_value(data)


MISSING_CODES = frozenset({"required", "blank", "null"})


class MissingIs422Input(CamelCaseInput):
    """A missing or blank field here is answered 422 VALIDATION_ERROR naming it, not 400."""

    # Issue #20 asks this of the pricing, scheduling and chat endpoints ("without its required parameter: 422
    # naming it"); every other input keeps the 400 of a missing field. The docstring above is the schema's
    # description of each input, so it says nothing more.

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not isinstance(exc.detail, dict):
                raise
            raise serializers.ValidationError(
                {
                    name: [
                        ErrorDetail("This parameter is required.", code="VALIDATION_ERROR")
                        if getattr(error, "code", "") in MISSING_CODES
                        else error
                        for error in errors
                    ]
                    if isinstance(errors, list)
                    else errors
                    for name, errors in exc.detail.items()
                }
            ) from exc
