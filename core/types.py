"""Type aliases shared by services and selectors (``mypy`` checks those strictly)."""

from __future__ import annotations

from typing import TypeAlias
from uuid import UUID

# A primary key (every model's is a UUID) as the model holds it or as a URL or JSON body carries it.
Id: TypeAlias = UUID | str


def is_uuid(value: object) -> bool:
    """Whether ``value`` reads as a UUID (an id from a request or a gateway note may be anything)."""
    try:
        UUID(str(value))
    except ValueError:
        return False
    return True
