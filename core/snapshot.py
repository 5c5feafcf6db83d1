"""Values every process shares through the cache, read once per HTTP request and all together.

Runtime settings (``core.system_settings``), the partners' search reach (``partners.matching``) and the active
webhook endpoints (``notifications.webhooks``) change rarely and are read on many requests: a checkout confirm
read all three, one cache round trip each (issue #21). From Django's ``request_started`` to ``request_finished``
the thread keeps what it read, and its first read of any key :func:`shared` registered reads every one of them
in one ``get_many``; so a request also sees one consistent set of values. A change this thread makes drops its
copy (:func:`forget`, which also deletes the cached value); other processes' changes reach the next request, as
before. Work outside a request (the worker, a shell) reads the cache each time.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.cache import cache

_KEYS: list[str] = []
_request = threading.local()


def shared(key: str) -> str:
    """Register ``key`` to be read with the others at a request's first read (a module's constant: returns it)."""
    if key not in _KEYS:
        _KEYS.append(key)
    return key


def request_started(**kwargs: Any) -> None:
    _request.active, _request.values = True, None


def request_finished(**kwargs: Any) -> None:
    _request.active, _request.values = False, None


def read(key: str) -> Any:
    """The cached value of ``key`` (``None`` when the cache has none: the caller computes it and :func:`keep` it)."""
    if not getattr(_request, "active", False) or key not in _KEYS:
        return cache.get(key)
    if _request.values is None:
        _request.values = cache.get_many(_KEYS)
    return _request.values.get(key)  # absent when the request began, or forgotten since: computed again


def keep(key: str, value: Any, timeout: int) -> None:
    """Cache ``value`` under ``key`` for every process (``timeout`` seconds) and for the rest of this request."""
    cache.set(key, value, timeout)
    if getattr(_request, "active", False) and _request.values is not None:
        _request.values[key] = value


def forget(key: str) -> None:
    """Drop ``key``'s value, in the cache and in this request's copy: the next read computes it again."""
    cache.delete(key)
    if getattr(_request, "active", False) and _request.values is not None:
        _request.values.pop(key, None)
