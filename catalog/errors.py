"""Named catalog errors. The seeds give the catalog no codes of its own, so these use seed 001's common ones."""

from __future__ import annotations

from typing import Any

from core.errors import DomainError, ErrorCode


class CategoryNotFound(DomainError):
    default_code = ErrorCode.NOT_FOUND
    default_message = "Category not found."

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("field", "id")
        kwargs.setdefault("reason", "not_found")
        super().__init__(message, **kwargs)


class ServiceNotFound(DomainError):
    default_code = ErrorCode.NOT_FOUND
    default_message = "Service not found."

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("field", "id")
        kwargs.setdefault("reason", "not_found")
        super().__init__(message, **kwargs)


class CatalogConflict(DomainError):
    """A name or key another row holds: ``field`` says which."""

    default_code = ErrorCode.CONFLICT

    def __init__(self, message: str, *, field: str, **kwargs: Any) -> None:
        kwargs.setdefault("reason", "duplicate")
        super().__init__(message, field=field, **kwargs)
