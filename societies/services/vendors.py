"""A vendor and a society: the request to serve it (2.2.4), the admin's decision (3.1.4), and service areas (3.1.9).

Decisions where the seed is silent (``shared/notes/seed-001-societies-orders.md`` 2.2-2.3, C9, C10):

* A vendor may ask for societies while the platform review is pending; a
  vendor the platform rejected may not (403 ``VENDOR_NOT_APPROVED``). Asking
  again for a society is idempotent (the row as it is); a rejected request
  asked again goes back to pending. The vendor's row is locked while asking,
  and the table is unique on (vendor, society), so one row whatever races.
* Society approval makes the vendor serve the whole society (a SOCIETY
  area) until the admin narrows it to groups: adding a group replaces the
  society-wide area, adding the society replaces the groups. Only the
  society or a group (a level-2 node) can be an area (422 for a floor or a
  unit); a node of another society is 404.
* Deleting the last area leaves the vendor serving nothing there (it does not
  silently become society-wide).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core import audit
from core.errors import DomainError, ErrorCode
from core.statemachine import StateMachine
from core.types import Id
from notifications.services import notify
from partners.models import OnboardingStatus, Partner, PartnerKind
from partners.services.vendors import own_vendor
from societies.errors import SocietyErrorCode
from societies.models import (
    GROUP_DEPTH,
    GROUP_TYPES,
    VENDOR_ACCESS_TRANSITIONS,
    ApprovalStatus,
    AssignmentType,
    HierarchyNode,
    ServiceArea,
    Society,
    SocietyStatus,
    VendorAccess,
)

ACCESS_STATES = StateMachine(
    VendorAccess,
    VENDOR_ACCESS_TRANSITIONS,
    SocietyErrorCode.INVALID_APPROVAL_STATUS,
    "vendor access request",
    field_name="approval_status",
    refuse_repeats=True,
)


def access_request(*, user: User, vendor_id: Id, society_ids: list[int]) -> list[VendorAccess]:
    own_vendor(user, vendor_id)  # another person's vendor id is 404 before anything about the societies
    society_ids = list(dict.fromkeys(society_ids))
    societies = {s.pk: s for s in Society.objects.filter(pk__in=society_ids, status=SocietyStatus.ACTIVE)}
    missing = [pk for pk in society_ids if pk not in societies]
    if missing:
        raise DomainError(
            f"Society {missing[0]} not found.",
            code=SocietyErrorCode.SOCIETY_NOT_FOUND,
            field="society_ids",
            context={"society_ids": missing},
        )
    with transaction.atomic():
        partner = own_vendor(user, vendor_id, lock=True)
        if partner.onboarding_status == OnboardingStatus.REJECTED:
            raise DomainError(
                "The platform did not approve this vendor.",
                code=SocietyErrorCode.VENDOR_NOT_APPROVED,
                reason="platform_rejected",
                context={"vendor_approval_status": "REJECTED"},
            )
        now = timezone.now()
        rows = []
        for pk in society_ids:
            access, created = VendorAccess.objects.get_or_create(
                partner=partner, society=societies[pk], defaults={"requested_at": now}
            )
            if not created and access.approval_status == ApprovalStatus.REJECTED:
                ACCESS_STATES.move(
                    access,
                    ApprovalStatus.PENDING,
                    changes={"requested_at": now, "rejected_at": None, "rejected_by": None, "rejection_reason": ""},
                )
            rows.append(access)
    return rows


def _vendor_in(society: Society, vendor_id: Id) -> Partner:
    partner = Partner.objects.filter(pk=vendor_id, kind=PartnerKind.VENDOR).select_related("user").first()
    if partner is None:
        raise DomainError("Vendor not found.", code=SocietyErrorCode.VENDOR_NOT_FOUND, field="vendor_id")
    return partner


def access_decide(
    *, society: Society, vendor_id: Id, action: str, reason: str = "", notes: str = "", by: User
) -> VendorAccess:
    """Seed 001 3.1.4: approve (the vendor serves the whole society) or reject a pending request."""
    with transaction.atomic():
        access = (
            VendorAccess.objects.select_for_update(of=("self",))
            .select_related("partner__user")
            .filter(partner_id=vendor_id, society=society)
            .first()
        )
        if access is None:
            raise DomainError(
                "This vendor has not asked to serve this society.",
                code=SocietyErrorCode.VENDOR_NOT_FOUND,
                field="vendor_id",
            )
        now = timezone.now()
        approve = action == "APPROVE"
        if approve:
            ACCESS_STATES.move(
                access, ApprovalStatus.APPROVED, changes={"approved_at": now, "approved_by": by, "notes": notes}
            )
            ServiceArea.objects.get_or_create(
                partner=access.partner, society=society, node=None, defaults={"assignment_type": AssignmentType.SOCIETY}
            )
        else:
            ACCESS_STATES.move(
                access,
                ApprovalStatus.REJECTED,
                changes={"rejected_at": now, "rejected_by": by, "rejection_reason": reason, "notes": notes},
            )
            ServiceArea.objects.filter(partner=access.partner, society=society).delete()
        notify(
            "vendor_society_approved" if approve else "vendor_society_rejected",
            user=access.partner.user,
            context={"society_name": society.name, "reason": reason},
            data={"vendor_id": str(access.partner_id), "society_id": society.pk},
        )
        audit.record(
            action="approve_vendor_for_society" if approve else "reject_vendor_for_society",
            resource_type="vendor_access",
            resource_id=access.pk,
            changes={
                "approval_status": {"old": ApprovalStatus.PENDING, "new": access.approval_status},
                "society_id": society.pk,
                "vendor_id": str(access.partner_id),
                **({"rejection_reason": reason} if reason else {}),
            },
            actor=by,
        )
    return access


# --- service areas ----------------------------------------------------------------------------------


def approved_vendor(society: Society, vendor_id: Id) -> Partner:
    """The vendor, approved in ``society`` (403 ``VENDOR_NOT_APPROVED`` otherwise, with its status)."""
    partner = _vendor_in(society, vendor_id)
    status = (
        VendorAccess.objects.filter(partner=partner, society=society).values_list("approval_status", flat=True).first()
    )
    if status != ApprovalStatus.APPROVED:
        raise DomainError(
            "The vendor is not approved in this society.",
            code=SocietyErrorCode.VENDOR_NOT_APPROVED,
            field="vendor_id",
            context={"society_id": society.pk, "vendor_approval_status": status or "NOT_REQUESTED"},
        )
    return partner


def groups_of(society: Society, node_ids: list[int], field: str) -> list[HierarchyNode]:
    """The named nodes, each a group of ``society`` (404 for another society's, 422 for a floor or unit)."""
    nodes = {n.pk: n for n in HierarchyNode.objects.filter(pk__in=node_ids, society=society)}
    for pk in node_ids:
        node = nodes.get(pk)
        if node is None:
            raise DomainError(f"Node {pk} is not in this society.", code=SocietyErrorCode.NODE_NOT_FOUND, field=field)
        if not (node.level_depth == GROUP_DEPTH and node.node_type in GROUP_TYPES):
            raise DomainError(
                f"{node.node_name} is a {node.node_type}: a service area is the whole society or a group.",
                code=ErrorCode.VALIDATION_ERROR,
                field=field,
                reason="not_a_group",
                context={"node_id": pk, "node_type": node.node_type},
            )
    return [nodes[pk] for pk in dict.fromkeys(node_ids)]


def _set_areas(partner: Partner, society: Society, groups: list[HierarchyNode] | None, *, replace: bool) -> None:
    """``groups=None`` is the whole society. Runs in the caller's transaction with the vendor row locked."""
    current = ServiceArea.objects.filter(partner=partner, society=society)
    if groups is None:
        current.exclude(node__isnull=True).delete()
        ServiceArea.objects.get_or_create(
            partner=partner, society=society, node=None, defaults={"assignment_type": AssignmentType.SOCIETY}
        )
        return
    current.filter(node__isnull=True).delete()
    if replace:
        current.exclude(node__in=groups).delete()
    for node in groups:
        ServiceArea.objects.get_or_create(
            partner=partner, society=society, node=node, defaults={"assignment_type": AssignmentType.GROUP}
        )


def areas_assign(*, society: Society, vendor_id: Id, node_ids: list[int] | None, by: User) -> Partner:
    """Seed 001 3.1.9 POST: add areas (``None``: the whole society)."""
    return _areas(society, vendor_id, node_ids, by=by, replace=False, field="node_ids")


def areas_replace(*, society: Society, vendor_id: Id, group_ids: list[int] | None, by: User) -> Partner:
    """Seed 001 PUT: replace every area (``None``: the whole society)."""
    return _areas(society, vendor_id, group_ids, by=by, replace=True, field="group_ids")


def _areas(
    society: Society, vendor_id: Id, node_ids: list[int] | None, *, by: User, replace: bool, field: str
) -> Partner:
    with transaction.atomic():
        partner = approved_vendor(society, vendor_id)
        Partner.objects.select_for_update().filter(pk=partner.pk).first()
        before = area_names(partner, society)
        groups = None if node_ids is None else groups_of(society, node_ids, field)
        _set_areas(partner, society, groups, replace=replace)
        audit.record(
            action="replace_service_areas" if replace else "assign_service_areas",
            resource_type="vendor_service_areas",
            resource_id=partner.pk,
            changes={"society_id": society.pk, "areas": {"old": before, "new": area_names(partner, society)}},
            actor=by,
        )
    return partner


def area_names(partner: Partner, society: Society) -> list[str]:
    rows = ServiceArea.objects.filter(partner=partner, society=society).select_related("node")
    return sorted("SOCIETY" if area.node is None else area.node.node_name for area in rows)


def area_delete(*, society: Society, vendor_id: Id, assignment_id: int, by: User) -> int:
    """Seed 001 DELETE: remove one area; answers how many remain."""
    with transaction.atomic():
        partner = _vendor_in(society, vendor_id)
        Partner.objects.select_for_update().filter(pk=partner.pk).first()
        area = ServiceArea.objects.filter(pk=assignment_id, partner=partner, society=society).first()
        if area is None:
            raise DomainError(
                "No such service area.", code=SocietyErrorCode.ASSIGNMENT_NOT_FOUND, field="assignment_id"
            )
        area.delete()
        remaining = ServiceArea.objects.filter(partner=partner, society=society).count()
        audit.record(
            action="delete_service_area",
            resource_type="vendor_service_areas",
            resource_id=partner.pk,
            changes={"society_id": society.pk, "assignment_id": assignment_id, "remaining": remaining},
            actor=by,
        )
    return remaining


def vendor_summary(*, society: Society, vendor_id: Id) -> dict[str, Any]:
    """What the area endpoints answer about a vendor in a society (read after a write)."""
    partner = _vendor_in(society, vendor_id)
    areas = list(
        ServiceArea.objects.filter(partner=partner, society=society).select_related("node").order_by("created_at", "pk")
    )
    return {"partner": partner, "areas": areas}
