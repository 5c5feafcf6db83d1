"""Seed 002's ``GET /disputes`` and a dispute's detail: what a person may see, in a fixed number of queries.

A customer sees the disputes they opened, a partner those on their jobs, a mediator those they mediate, and staff
holding ``bookings.view_dispute`` all of them. The partner is found through ``Dispute.vendor`` (a relation, not
an import of the partners app).
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from bookings.errors import BookingErrorCode
from bookings.models import Dispute, DisputeMessageType
from core.errors import DomainError
from core.types import Id


def disputes_for(user: User, *, status: str | None = None, dispute_type: str | None = None) -> QuerySet[Dispute]:
    rows = (
        Dispute.objects.select_related("booking", "customer", "vendor__user", "assigned_mediator", "resolved_by")
        .annotate(messages_count=Count("messages", filter=~Q(messages__message_type=DisputeMessageType.SYSTEM)))
        .order_by("-created_at", "-pk")
    )
    if not user.has_perm("bookings.view_dispute"):
        rows = rows.filter(Q(customer=user) | Q(vendor__user=user) | Q(assigned_mediator=user))
    if status:
        rows = rows.filter(status=status)
    if dispute_type:
        rows = rows.filter(dispute_type=dispute_type)
    return rows


def dispute_of(user: User, dispute_id: Id) -> Dispute:
    """One dispute the person may see (404 otherwise)."""
    found = disputes_for(user).filter(pk=dispute_id).first()
    if found is None:
        raise DomainError("Dispute not found.", code=BookingErrorCode.DISPUTE_NOT_FOUND, field="id")
    return found
