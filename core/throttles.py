"""The API's rate limits, each one counter in Redis per window.

``AdminRateThrottle``: the admin API's limit (seed 000: 500 requests per minute per admin). It is one of the
default throttle classes, so it covers every admin endpoint whichever app serves it (``/api/v1/admin/...`` and
seed 002's ``/api/v1/admin-dashboard/...``); other paths pass through untouched.

``AnonRateThrottle``, ``UserRateThrottle`` and ``ScopedRateThrottle``: DRF's classes (same scopes, rates and cache
keys) counting in a fixed window (``core.ratelimit.hit``: one INCR and EXPIRE) instead of DRF's sliding log,
which keeps every request's timestamp of the last window in the cache and reads, unpickles, pickles and writes
the whole list on each request: up to 1,000 timestamps for a user at the default 1,000 a minute, its cost
growing with the user's rate (issue #21's list benchmark spent most of a request there). The price is DRF's own
note on fixed windows: a client can send up to twice the rate across a window's edge.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from rest_framework import throttling
from rest_framework.throttling import BaseThrottle

from core import ratelimit

ADMIN_PREFIXES = ("/api/v1/admin/", "/api/v1/admin-dashboard/")
SIGN_IN_PREFIX = "/api/v1/admin/auth/"


class AdminRateThrottle(BaseThrottle):
    def allow_request(self, request: Any, view: Any) -> bool:
        path = request.path
        if not path.startswith(ADMIN_PREFIXES) or path.startswith(SIGN_IN_PREFIX):
            return True
        user = request.user
        if not (user and user.is_authenticated):
            return True  # refused by authentication or permissions anyway
        self.result = ratelimit.hit(
            "admin-api", str(user.pk), limit=settings.ADMIN_API_RATE_PER_MINUTE, window_seconds=60
        )
        return self.result.allowed

    def wait(self) -> float | None:
        result = getattr(self, "result", None)
        return result.reset_in if result else None


class FixedWindowMixin:
    """A ``SimpleRateThrottle`` that counts in a fixed window in Redis instead of keeping a log in the cache."""

    # Supplied by the DRF class this is mixed into (declared, never assigned here, so the MRO finds DRF's).
    rate: str | None
    scope: str | None
    num_requests: int | None
    duration: int | None
    get_cache_key: Callable[[Any, Any], str | None]

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None or self.num_requests is None or self.duration is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.result = ratelimit.hit(f"api-{self.scope}", key, limit=self.num_requests, window_seconds=self.duration)
        return self.result.allowed

    def wait(self) -> float | None:
        result = getattr(self, "result", None)
        return float(result.reset_in) if result else None


class AnonRateThrottle(FixedWindowMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FixedWindowMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(FixedWindowMixin, throttling.ScopedRateThrottle):
    def allow_request(self, request: Any, view: Any) -> bool:
        # DRF's scoped class learns its scope and rate from the view here, not in __init__.
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
