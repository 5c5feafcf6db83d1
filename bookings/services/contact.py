"""The public contact form (seed 000): stored for staff, limited exactly per client IP; staff answer it (audited)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from bookings.models import ContactSubmission
from core import audit, ratelimit
from core.errors import DomainError, ErrorCode
from core.types import Id


def contact_submit(*, ip: str, user: User | AnonymousUser | None = None, **fields: str) -> ContactSubmission:
    ratelimit.enforce("contact", ip, limit=settings.CONTACT_MAX_PER_HOUR, window_seconds=3600, what="messages")
    return ContactSubmission.objects.create(user=user if user and user.is_authenticated else None, **fields)


def contact_update(*, submission_id: Id, status: str | None, admin_notes: str | None, actor: User) -> ContactSubmission:
    submission = ContactSubmission.objects.filter(pk=submission_id).first()
    if submission is None:
        raise DomainError("Submission not found.", code=ErrorCode.NOT_FOUND, field="id", reason="not_found")
    with audit.track(submission, action="update_contact_submission", actor=actor):
        if status is not None:
            submission.status = status
        if admin_notes is not None:
            submission.admin_notes = admin_notes
        submission.save()
    return submission
