"""A provider's own service in ``GET /services/{id}`` (seed 004's service detail), answered by the app that knows
providers.

catalog imports no app above it, yet seed 004's detail of a specialist's service shows the specialist, their
latest reviews and their next free slots. The partners app registers one function here in its
``AppConfig.ready()``; ``catalog.selectors.service_detail`` asks it for any id that is not a platform service.
Without a registration a provider's service is "not found", as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.types import Id

_answer: Callable[[Id], dict[str, Any] | None] | None = None


def register(answer: Callable[[Id], dict[str, Any] | None]) -> None:
    global _answer
    _answer = answer


def detail(service_id: Id) -> dict[str, Any] | None:
    return _answer(service_id) if _answer is not None else None
