"""What the societies endpoints share: seed 001's pagination keys, a society's row, a person's residences."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from accounts.models import User
from core.api import paginate
from core.errors import DomainError, ErrorCode
from core.types import Id
from societies import selectors
from societies.models import ApprovalStatus, Society


def seed001_page(view: APIView, request: Request, rows, render, key: str) -> dict[str, Any]:
    """A page with every key seed 001's three pagination shapes use."""
    page = paginate(view, request, rows, render, key)
    p = page["pagination"]
    p.update(current_page=p["page"], total_items=p["total"], items_per_page=p["limit"])
    return page


def society_row(society: Society) -> dict[str, Any]:
    return {
        "society_id": society.pk,
        "name": society.name,
        "society_type": society.society_type,
        "address": society.address,
        "city": society.city,
        "state": society.state,
        "pincode": society.pincode,
        **selectors.society_counts(society),
        "status": society.status,
        "has_subscription": society.has_subscription,
    }


def residences_payload(user: User) -> dict[str, Any]:
    rows = selectors.residence_rows(selectors.residences_of(user))
    active = next((r for r in rows if r["is_active"]), None)
    return {
        "user_id": str(user.pk),
        "residences": rows,
        "active_society": {"society_id": active["society_id"], "society_name": active["society_name"]}
        if active
        else None,
        "total_residences": len(rows),
        "verified_count": sum(r["verification_status"] == ApprovalStatus.VERIFIED for r in rows),
        "pending_count": sum(r["verification_status"] == ApprovalStatus.PENDING for r in rows),
    }


def yourself(request: AuthenticatedRequest, user_id: Id) -> User:
    """A ``{user_id}`` in a resident's path must be the caller (staff who may view people may read)."""
    if str(user_id) == str(request.user.pk):
        return request.user
    if request.method == "GET" and request.user.has_perm("accounts.view_user"):
        person = User.objects.filter(pk=user_id).first()
        if person is not None:
            return person
    raise DomainError("You can only act on your own account.", code=ErrorCode.FORBIDDEN, reason="not_yours")


def actor_name(user: User | None) -> str:
    return user.full_name or user.email or str(user.pk) if user else ""
