"""Residents (seed 001 2.1 and 3.1.1-3.1.2): the roster check, registration, switching, and the admin's decision.

Decisions where the seed is silent (``shared/notes/seed-001-societies-orders.md`` 2.1, 2.3):

* The caller must own the phone: registration and the roster check act on the
  signed-in person's own verified phone (verify-otp created the account and
  signed it in), so nobody learns who lives where by typing a number. A
  ``phone`` in the request that is not theirs is 403.
* A registration is verified at once only when the server finds (phone,
  society, unit) on the roster; ``from_roster`` from the client is ignored.
  An additional society always waits for the society admin, roster or not.
* One residence per society per person (409 ``ALREADY_REGISTERED``); the first
  is primary and becomes the active society. Registrations of one person are
  serialised on their account row, and partial unique indexes hold "one
  primary, one active" whatever happens.
* Approving makes the residence verified and, if the person has no active
  society yet (their first was rejected), makes it active and primary.
  Only a pending residence can be decided (422 ``INVALID_APPROVAL_STATUS``);
  the row is locked, so of two admins deciding at once one wins.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.services.profile import own_phone, registration_details
from core import audit
from core.errors import DomainError
from core.statemachine import StateMachine
from notifications.services import notify
from societies.errors import SocietyErrorCode
from societies.models import (
    RESIDENCE_TRANSITIONS,
    ApprovalStatus,
    HierarchyNode,
    NodeType,
    Residence,
    RosterEntry,
    Society,
    SocietyStatus,
)

RESIDENCE_STATES = StateMachine(
    Residence,
    RESIDENCE_TRANSITIONS,
    SocietyErrorCode.INVALID_APPROVAL_STATUS,
    "residence",
    field_name="verification_status",
    refuse_repeats=True,
)

REGISTERED, PENDING, ADDITIONAL = "registered", "pending", "additional"


def roster_entries(phone: str) -> QuerySet[RosterEntry]:
    """Roster rows for ``phone`` in active societies, primary first, with their society and unit."""
    return (
        RosterEntry.objects.filter(phone=phone, society__status=SocietyStatus.ACTIVE)
        .select_related("society", "unit")
        .order_by("-is_primary", "society__name", "pk")
    )


def _society(society_id: int) -> Society:
    society = Society.objects.filter(pk=society_id, status=SocietyStatus.ACTIVE).first()
    if society is None:
        raise DomainError("Society not found.", code=SocietyErrorCode.SOCIETY_NOT_FOUND, field="society_id")
    return society


def unit_of(society: Society, unit_node_id: int) -> HierarchyNode:
    unit = HierarchyNode.objects.filter(
        pk=unit_node_id, society=society, node_type=NodeType.UNIT, is_active=True
    ).first()
    if unit is None:
        raise DomainError(
            f"Unit {unit_node_id} is not a unit of {society.name}.",
            code=SocietyErrorCode.UNIT_NOT_FOUND,
            field="unit_node_id",
        )
    return unit


def residence_register(*, user: User, data: dict[str, Any]) -> tuple[Residence, str]:
    """Seed 001 2.1.3. Answers the residence and which of the three answers it is."""
    own_phone(user, data.get("phone"))
    society = _society(data["society_id"])
    unit = unit_of(society, data["unit_node_id"])
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one registration of a person at a time
        existing = list(Residence.objects.filter(user=user).select_related("society"))
        if any(r.society_id == society.pk for r in existing):
            raise DomainError(
                f"You are already registered in {society.name}.",
                code=SocietyErrorCode.ALREADY_REGISTERED,
                field="society_id",
                reason="duplicate",
            )
        registration_details(user=user, full_name=data.get("full_name"), email=data.get("email"))
        first = not existing
        on_roster = RosterEntry.objects.filter(society=society, phone=user.phone, unit=unit).exists()
        verified = first and on_roster
        now = timezone.now()
        residence = Residence.objects.create(
            user=user,
            society=society,
            unit=unit,
            unit_type=society.unit_type,
            verification_status=ApprovalStatus.VERIFIED if verified else ApprovalStatus.PENDING,
            is_primary=first,
            is_active=first,
            notes=data.get("notes", ""),
            verified_at=now if verified else None,
        )
    return residence, (ADDITIONAL if not first else REGISTERED if verified else PENDING)


def residence_switch(*, user: User, society_id: int) -> tuple[Residence, Residence | None]:
    """Seed 001 2.1.4: make a verified residence the active society. Answers it and the one it replaced."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        residences = list(Residence.objects.filter(user=user).select_related("society", "unit"))
        target = next((r for r in residences if r.society_id == society_id), None)
        if target is None:
            verified = [r for r in residences if r.verification_status == ApprovalStatus.VERIFIED]
            available = [{"society_id": r.society_id, "society_name": r.society.name} for r in verified]
            raise DomainError(
                "You are not registered in the specified society.",
                code=SocietyErrorCode.SOCIETY_NOT_FOUND,
                field="society_id",
                context={"available_societies": available},
            )
        if target.verification_status != ApprovalStatus.VERIFIED:
            raise DomainError(
                f"You are not verified as a resident of {target.society.name}",
                code=SocietyErrorCode.SOCIETY_NOT_VERIFIED,
                field="society_id",
                reason="not_verified",
                context={
                    "society_id": target.society_id,
                    "society_name": target.society.name,
                    "verification_status": target.verification_status,
                    "submitted_at": target.created_at.isoformat(),
                },
            )
        previous = next((r for r in residences if r.is_active), None)
        if previous is not target:
            if previous is not None:
                previous.is_active = False
                previous.save(update_fields=["is_active", "updated_at"])
            target.is_active = True
            target.save(update_fields=["is_active", "updated_at"])
    return target, previous


def residence_decide(
    *, society: Society, residence_id: Any, action: str, reason: str = "", notes: str = "", by: User
) -> Residence:
    """Seed 001 3.1.2: a society admin approves or rejects a pending residence."""
    with transaction.atomic():
        residence = (
            Residence.objects.select_for_update(of=("self",))
            .select_related("user", "society", "unit")
            .filter(pk=residence_id, society=society)
            .first()
        )
        if residence is None:
            raise DomainError(
                "No such resident in this society.", code=SocietyErrorCode.RESIDENT_NOT_FOUND, field="resident_id"
            )
        now = timezone.now()
        before = residence.verification_status
        if action == "APPROVE":
            RESIDENCE_STATES.move(
                residence, ApprovalStatus.VERIFIED, changes={"verified_at": now, "approved_by": by, "notes": notes}
            )
            _activate_if_none(residence)
            notify(
                "residence_verified",
                user=residence.user,
                context={"society_name": society.name, "unit": residence.unit.node_name},
                data={"resident_id": str(residence.pk), "society_id": society.pk},
            )
        else:
            RESIDENCE_STATES.move(
                residence,
                ApprovalStatus.REJECTED,
                changes={"rejected_at": now, "rejected_by": by, "rejection_reason": reason, "notes": notes},
            )
            notify(
                "residence_rejected",
                user=residence.user,
                context={"society_name": society.name, "reason": reason},
                data={"resident_id": str(residence.pk), "society_id": society.pk},
            )
        audit.record(
            action="approve_resident" if action == "APPROVE" else "reject_resident",
            resource_type="residence",
            resource_id=residence.pk,
            changes={
                "verification_status": {"old": before, "new": residence.verification_status},
                "society_id": society.pk,
                **({"rejection_reason": reason} if reason else {}),
            },
            actor=by,
        )
    return residence


def _activate_if_none(residence: Residence) -> None:
    others = Residence.objects.filter(user_id=residence.user_id).exclude(pk=residence.pk)
    fields = []
    if not others.filter(is_active=True).exists():
        residence.is_active = True
        fields.append("is_active")
    if not others.filter(is_primary=True).exists():
        residence.is_primary = True
        fields.append("is_primary")
    if fields:
        residence.save(update_fields=[*fields, "updated_at"])
