"""Seed 001 3.1: a society admin's endpoints under ``/admin/society/{society_id}/``.

Each needs its permission on that society: a society admin only on the
societies they run (403 elsewhere), platform staff on all
(``societies.scope``). Decisions are audited and notify the person
(``societies.services``).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.api import query, valid
from core.responses import ApiResponse
from core.types import Id
from partners.services.vendors import approval_status
from societies import hooks, selectors
from societies.api import schemas as out
from societies.api.common import actor_name, seed001_page
from societies.api.serializers import (
    AreasInput,
    AreasReplaceInput,
    DecisionInput,
    GroupInput,
    GroupsQuery,
    PendingResidentsQuery,
)
from societies.models import ApprovalStatus, HierarchyNode, Residence, ServiceArea, Society, VendorAccess
from societies.scope import society_for_staff
from societies.services import residents, setup, vendors

TAG = "societies: society admin"
PAGE = [OpenApiParameter("page", int), OpenApiParameter("limit", int)]


class SocietyAdminView(APIView):
    permission_classes = [IsAuthenticated]
    read_perm = write_perm = ""

    def society(self, request: AuthenticatedRequest, society_id: int) -> Society:
        perm = self.read_perm if request.method == "GET" else self.write_perm
        return society_for_staff(request.user, society_id, perm)


def _pending_resident(r: Residence, above) -> dict[str, Any]:
    return {
        "resident_id": str(r.pk),
        "user_id": str(r.user_id),
        "full_name": r.user.full_name,
        "phone": r.user.phone,
        "email": r.user.email,
        "unit_node_id": r.unit_id,
        **selectors.place(r.unit, above, r.unit_type),
        "notes": r.notes,
        "verification_status": r.verification_status,
        "created_at": r.created_at,
        "days_pending": (timezone.now() - r.created_at).days,
    }


class PendingResidentsView(SocietyAdminView):
    read_perm = "societies.view_residence"

    @extend_schema(
        tags=[TAG],
        summary="Residents waiting for approval",
        parameters=[OpenApiParameter("sort_by", str, enum=["created_at", "flat_number"]), *PAGE],
        responses=out.PendingResidentsPage,
    )
    def get(self, request: AuthenticatedRequest, society_id: int) -> ApiResponse:
        society = self.society(request, society_id)
        params = query(PendingResidentsQuery, request)
        page = seed001_page(self, request, selectors.pending_residents(society, **params), lambda r: r, "residents")
        above = selectors.ancestors_of(r.unit for r in page["residents"])
        page["residents"] = [_pending_resident(r, above) for r in page["residents"]]
        return ApiResponse(page)


class ResidentDecisionView(SocietyAdminView):
    write_perm = "societies.change_residence"

    @extend_schema(
        tags=[TAG], summary="Approve or reject a resident", request=DecisionInput, responses=out.ResidentDecisionOutput
    )
    def post(self, request: AuthenticatedRequest, society_id: int, resident_id: Id) -> ApiResponse:
        society = self.society(request, society_id)
        data = valid(DecisionInput, request)
        r = residents.residence_decide(
            society=society,
            residence_id=resident_id,
            action=data["action"],
            reason=data["rejection_reason"],
            notes=data["notes"],
            by=request.user,
        )
        place = selectors.place(r.unit, selectors.ancestors_of([r.unit]), r.unit_type)
        body: dict[str, Any] = {
            "resident_id": str(r.pk),
            "full_name": r.user.full_name,
            **{k: v for k, v in place.items() if k in ("flat_number", "house_number")},
            "verification_status": r.verification_status,
            "notification_sent": True,
        }
        if r.verification_status == ApprovalStatus.VERIFIED:
            body.update(approved_at=r.verified_at, approved_by=actor_name(request.user))
            return ApiResponse(body, message="Resident approved successfully")
        body.update(
            rejection_reason=r.rejection_reason, rejected_at=r.rejected_at, rejected_by=actor_name(request.user)
        )
        return ApiResponse(body, message="Resident registration rejected")


def _pending_vendor(access: VendorAccess, with_card: set[str]) -> dict[str, Any]:
    partner = access.partner
    return {
        "vendor_id": str(partner.pk),
        "business_name": partner.business_name,
        "full_name": partner.user.full_name,
        "phone": partner.user.phone,
        "store_address": partner.store_address,
        "services_offered": [
            {"service_id": str(s.service_id), "service_name": s.service.name, "turnaround_hours": s.turnaround_hours}
            for s in partner.vendor_services.all()
            if s.is_active
        ],
        "approval_status": access.approval_status,
        "requested_at": access.requested_at,
        "has_rate_card": str(partner.pk) in with_card,
        "platform_approval_status": approval_status(partner),
        "total_orders": partner.total_bookings,
        "avg_rating": float(partner.rating),
    }


class PendingVendorsView(SocietyAdminView):
    read_perm = "societies.view_vendoraccess"

    @extend_schema(tags=[TAG], summary="Vendors asking to serve", parameters=PAGE, responses=out.PendingVendorsPage)
    def get(self, request: AuthenticatedRequest, society_id: int) -> ApiResponse:
        society = self.society(request, society_id)
        page = seed001_page(self, request, selectors.pending_vendor_access(society), lambda access: access, "vendors")
        with_card = hooks.vendors_with_rate_card([a.partner_id for a in page["vendors"]], society.pk)
        page["vendors"] = [_pending_vendor(access, with_card) for access in page["vendors"]]
        return ApiResponse(page)


class VendorDecisionView(SocietyAdminView):
    write_perm = "societies.change_vendoraccess"

    @extend_schema(
        tags=[TAG], summary="Approve or reject a vendor", request=DecisionInput, responses=out.VendorDecisionOutput
    )
    def post(self, request: AuthenticatedRequest, society_id: int, vendor_id: Id) -> ApiResponse:
        society = self.society(request, society_id)
        data = valid(DecisionInput, request)
        access = vendors.access_decide(
            society=society,
            vendor_id=vendor_id,
            action=data["action"],
            reason=data["rejection_reason"],
            notes=data["notes"],
            by=request.user,
        )
        body: dict[str, Any] = {
            "vendor_id": str(access.partner_id),
            "business_name": access.partner.business_name,
            "society_id": society.pk,
            "approval_status": access.approval_status,
            "notification_sent": True,
        }
        if access.approval_status == ApprovalStatus.APPROVED:
            body.update(
                approved_at=access.approved_at,
                approved_by=actor_name(request.user),
                next_steps={
                    "message": "Vendor must create rate card for this society before going live",
                    "has_rate_card": bool(hooks.vendors_with_rate_card([access.partner_id], society.pk)),
                },
            )
            return ApiResponse(body, message="Vendor approved for society")
        body.update(
            rejection_reason=access.rejection_reason,
            rejected_at=access.rejected_at,
            rejected_by=actor_name(request.user),
        )
        return ApiResponse(body, message="Vendor rejected for society")


def _group(node: HierarchyNode) -> dict[str, Any]:
    return {
        "group_id": node.pk,
        "society_id": node.society_id,
        "group_name": node.node_name,
        "group_code": node.node_code,
        "group_type": node.node_type,
        "description": node.description,
        "total_floors": node.total_floors,
        "total_units": node.total_units,
        "is_active": node.is_active,
        "created_at": node.created_at,
    }


class GroupsView(SocietyAdminView):
    read_perm = "societies.view_hierarchynode"
    write_perm = "societies.add_hierarchynode"

    @extend_schema(
        tags=[TAG],
        summary="Groups (buildings, towers, phases...)",
        parameters=[OpenApiParameter("group_type", str)],
        responses=out.GroupsOutput,
    )
    def get(self, request: AuthenticatedRequest, society_id: int) -> ApiResponse:
        society = self.society(request, society_id)
        params = query(GroupsQuery, request)
        rows = selectors.groups(society, group_type=params.get("group_type", ""))
        return ApiResponse(
            {"society_id": society.pk, "society_type": society.society_type, "groups": [_group(g) for g in rows]}
        )

    @extend_schema(tags=[TAG], summary="Create a group", request=GroupInput, responses={201: out.GroupOutput})
    def post(self, request: AuthenticatedRequest, society_id: int) -> ApiResponse:
        society = self.society(request, society_id)
        node = setup.group_create(society=society, data=valid(GroupInput, request))
        return ApiResponse(_group(node), status=201, message="Group created successfully")


def _area(area: ServiceArea) -> dict[str, Any]:
    node = area.node
    return {
        "assignment_id": area.pk,
        "assignment_type": area.assignment_type,
        "group_id": node.pk if node else None,
        "group_name": node.node_name if node else None,
        "group_type": node.node_type if node else None,
        "is_active": area.is_active,
        "assigned_at": area.created_at,
    }


def _areas_body(society: Society, vendor_id: Id, *, names: bool) -> dict[str, Any]:
    found = vendors.vendor_summary(society=society, vendor_id=vendor_id)
    summary = selectors.coverage(society, found["areas"])
    names_list = summary.pop("groups_assigned_names")
    if names:
        summary["groups_assigned"] = names_list
    return {
        "vendor_id": str(found["partner"].pk),
        "business_name": found["partner"].business_name,
        "society_id": society.pk,
        "assignments": [_area(a) for a in found["areas"]],
        "coverage_summary": summary,
    }


def _shape(areas: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if any(a["assignment_type"] == "SOCIETY" for a in areas):
        return [{"assignment_type": "SOCIETY", "covers_entire_society": True}]
    if not areas:
        return []
    return [{"assignment_type": "GROUP", "covers_entire_society": False, "groups": [a["group_name"] for a in areas]}]


class ServiceAreasView(SocietyAdminView):
    read_perm = "societies.view_servicearea"
    write_perm = "societies.add_servicearea"

    @extend_schema(tags=[TAG], summary="A vendor's service areas", responses=out.AreasOutput)
    def get(self, request: AuthenticatedRequest, society_id: int, vendor_id: Id) -> ApiResponse:
        society = self.society(request, society_id)
        return ApiResponse(_areas_body(society, vendor_id, names=True))

    @extend_schema(tags=[TAG], summary="Assign service areas", request=AreasInput, responses=out.AreasOutput)
    def post(self, request: AuthenticatedRequest, society_id: int, vendor_id: Id) -> ApiResponse:
        society = self.society(request, society_id)
        data = valid(AreasInput, request)
        vendors.areas_assign(society=society, vendor_id=vendor_id, node_ids=data["node_ids"], by=request.user)
        return ApiResponse(
            _areas_body(society, vendor_id, names=False), message="Vendor service areas assigned successfully"
        )

    @extend_schema(
        tags=[TAG], summary="Replace service areas", request=AreasReplaceInput, responses=out.AreasReplacedOutput
    )
    def put(self, request: AuthenticatedRequest, society_id: int, vendor_id: Id) -> ApiResponse:
        society = self.society(request, society_id)
        data = valid(AreasReplaceInput, request)
        before = _areas_body(society, vendor_id, names=False)["assignments"]
        group_ids = data.get("group_ids") if data["assignment_type"] == "GROUP" else None
        vendors.areas_replace(society=society, vendor_id=vendor_id, group_ids=group_ids, by=request.user)
        after = _areas_body(society, vendor_id, names=False)["assignments"]
        return ApiResponse(
            {
                "vendor_id": str(vendor_id),
                "previous_assignments": _shape(before),
                "new_assignments": _shape(after),
                "updated_at": timezone.now(),
            },
            message="Vendor service areas updated successfully",
        )


class ServiceAreaDeleteView(SocietyAdminView):
    write_perm = "societies.delete_servicearea"

    @extend_schema(tags=[TAG], summary="Remove one service area", responses=out.AreaDeletedOutput)
    def delete(self, request: AuthenticatedRequest, society_id: int, vendor_id: Id, assignment_id: int) -> ApiResponse:
        society = self.society(request, society_id)
        remaining = vendors.area_delete(
            society=society, vendor_id=vendor_id, assignment_id=assignment_id, by=request.user
        )
        return ApiResponse(
            {"assignment_id": assignment_id, "vendor_id": str(vendor_id), "remaining_assignments": remaining},
            message="Service area assignment removed successfully",
        )
