"""The public contact form (seed 000): stored for staff, limited exactly per client IP."""

from __future__ import annotations

from django.conf import settings

from bookings.models import ContactSubmission
from core import ratelimit
from core.errors import RateLimitError


def contact_submit(*, ip: str, user=None, **fields: str) -> ContactSubmission:
    result = ratelimit.hit("contact", ip, limit=settings.CONTACT_MAX_PER_HOUR, window_seconds=3600)
    if not result.allowed:
        raise RateLimitError(
            f"Too many messages. Please try again after {result.reset_in} seconds.",
            retry_after_seconds=result.reset_in,
            headers=result.headers(),
        )
    return ContactSubmission.objects.create(user=user if user and user.is_authenticated else None, **fields)
