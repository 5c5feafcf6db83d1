"""The public contact form (seed 000): stored for staff, limited exactly per client IP."""

from __future__ import annotations

from django.conf import settings

from bookings.models import ContactSubmission
from core import ratelimit


def contact_submit(*, ip: str, user=None, **fields: str) -> ContactSubmission:
    ratelimit.enforce("contact", ip, limit=settings.CONTACT_MAX_PER_HOUR, window_seconds=3600, what="messages")
    return ContactSubmission.objects.create(user=user if user and user.is_authenticated else None, **fields)
