"""The admin API's rate limit (seed 000: 500 requests per minute per admin), exact in Redis.

It is one of the default throttle classes, so it covers every admin endpoint
whichever app serves it (``/api/v1/admin/...`` and seed 002's
``/api/v1/admin-dashboard/...``); other paths pass through untouched.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
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
