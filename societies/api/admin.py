"""Platform staff: set a society up (create it, import its roster) and review vendors (seed 001 3.2).

Seed 001 has no endpoint to create a society or load its roster; a platform
needs them (issue 16): ``POST /admin/societies`` answers the society and its
root node; ``POST /admin/society/{id}/roster`` takes JSON ``rows`` or a CSV
``file`` of the same columns, all rows or none. A society admin is appointed
through the staff API (``role: society_admin`` with ``society_ids``).

The pending-vendor list shows the id-proof number in full, as seed 001 3.2.1
does, to platform verifiers only (``partners.change_partner``); each read is
in the audit log.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core import crypto
from core.api import valid
from core.permissions import require_perms
from core.responses import ApiResponse
from core.types import Id
from partners.models import Partner
from partners.services import vendors as partner_vendors
from societies import selectors
from societies.api import schemas as out
from societies.api.common import actor_name, seed001_page, society_row
from societies.api.serializers import PlatformDecisionInput, RosterInput, SocietyCreateInput
from societies.scope import society_for_staff
from societies.services import setup

TAG = "societies: platform admin"


class SocietiesAdminView(APIView):
    permission_classes = [require_perms("societies.add_society")]

    @extend_schema(
        tags=[TAG], summary="Create a society", request=SocietyCreateInput, responses={201: out.SocietyCreatedOutput}
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        society = setup.society_create(data=valid(SocietyCreateInput, request), by=request.user)
        root = setup.root_of(society)
        counted = selectors.with_counts(type(society).objects.filter(pk=society.pk)).get()
        return ApiResponse(
            {**society_row(counted), "root_node": selectors.node_row(root)}, status=201, message="Society created"
        )


class RosterView(APIView):
    permission_classes = [require_perms("societies.add_rosterentry")]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        tags=[TAG],
        summary="Import roster rows (JSON rows or a CSV file; all or none)",
        request=RosterInput,
        responses={201: out.RosterImportedOutput},
    )
    def post(self, request: AuthenticatedRequest, society_id: int) -> ApiResponse:
        society = society_for_staff(request.user, society_id, "societies.add_rosterentry")
        data = valid(RosterInput, request)
        if data.get("file"):
            text = data["file"].read().decode("utf-8-sig", errors="replace")
            rows = setup.rows_from_csv(text)
        else:
            rows = [dict(row) for row in data["rows"]]
        result = setup.roster_import(society_id=society.pk, rows=rows, by=request.user)
        return ApiResponse(result, status=201, message="Roster imported")


class PlatformPendingVendorRow(serializers.Serializer):
    vendor_id = serializers.UUIDField()
    business_name = serializers.CharField()
    full_name = serializers.CharField()
    phone = serializers.CharField(allow_null=True)
    email = serializers.CharField(allow_null=True)
    store_address = serializers.CharField()
    id_proof_type = serializers.CharField()
    id_proof_number = serializers.CharField(help_text="In full, for the verifier (the read is audited).")
    id_proof_photo_url = serializers.CharField()
    store_photo_url = serializers.CharField()
    gst_number = serializers.CharField()
    pan_number = serializers.CharField()
    bank_account_number = serializers.CharField(help_text="Masked.")
    bank_ifsc_code = serializers.CharField()
    services_offered = serializers.ListField(child=serializers.CharField())
    societies_requested = serializers.IntegerField()
    approval_status = serializers.CharField()
    created_at = serializers.DateTimeField()
    days_pending = serializers.IntegerField()


class PlatformPendingVendorsPage(serializers.Serializer):
    vendors = PlatformPendingVendorRow(many=True)
    pagination = out.Seed001Pagination()


def _pending_vendor(partner: Partner) -> dict[str, Any]:
    return {
        "vendor_id": str(partner.pk),
        "business_name": partner.business_name,
        "full_name": partner.user.full_name,
        "phone": partner.user.phone,
        "email": partner.user.email,
        "store_address": partner.store_address,
        "id_proof_type": partner.id_proof_type,
        "id_proof_number": crypto.decrypt(partner.id_proof_encrypted) if partner.id_proof_encrypted else "",
        "id_proof_photo_url": partner.id_proof_photo_url,
        "store_photo_url": partner.store_photo_url,
        "gst_number": partner.gst_number,
        "pan_number": crypto.decrypt(partner.pan_encrypted) if partner.pan_encrypted else "",
        "bank_account_number": partner.bank_account_masked,
        "bank_ifsc_code": partner.ifsc_code,
        "services_offered": [s.service.service_key for s in partner.vendor_services.all() if s.is_active],
        "societies_requested": partner.societies_requested,  # type: ignore[attr-defined]  # annotated
        "approval_status": partner_vendors.approval_status(partner),
        "created_at": partner.created_at,
        "days_pending": (timezone.now() - partner.created_at).days,
    }


class PlatformPendingVendorsView(APIView):
    permission_classes = [require_perms("partners.change_partner")]

    @extend_schema(
        tags=[TAG], summary="Vendors waiting for platform verification", responses=PlatformPendingVendorsPage
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        page = seed001_page(self, request, selectors.vendors_pending_review(), _pending_vendor, "vendors")
        partner_vendors.vendor_kyc_read(vendor_ids=[row["vendor_id"] for row in page["vendors"]], by=request.user)
        return ApiResponse(page)


class VendorVerifiedOutput(serializers.Serializer):
    vendor_id = serializers.UUIDField()
    business_name = serializers.CharField()
    approval_status = serializers.CharField()
    is_verified = serializers.BooleanField()
    approved_at = serializers.DateTimeField(required=False, allow_null=True)
    approved_by = serializers.CharField(required=False)
    rejection_reason = serializers.CharField(required=False)
    notification_sent = serializers.BooleanField()
    next_steps = out.NextStepsOutput(required=False)


class PlatformVerifyView(APIView):
    permission_classes = [require_perms("partners.change_partner")]

    @extend_schema(
        tags=[TAG], summary="Approve or reject a vendor", request=PlatformDecisionInput, responses=VendorVerifiedOutput
    )
    def post(self, request: AuthenticatedRequest, vendor_id: Id) -> ApiResponse:
        data = valid(PlatformDecisionInput, request)
        partner = partner_vendors.vendor_review(
            vendor_id=vendor_id,
            action=data["action"],
            by=request.user,
            notes=data["verification_notes"] or data["notes"],
            reason=data["rejection_reason"],
            verified_fields=data["verified_fields"],
        )
        status = partner_vendors.approval_status(partner)
        body: dict[str, Any] = {
            "vendor_id": str(partner.pk),
            "business_name": partner.business_name,
            "approval_status": status,
            "is_verified": status == "APPROVED",
            "notification_sent": True,
        }
        if status == "APPROVED":
            body.update(
                approved_at=partner.verified_at,
                approved_by=actor_name(request.user),
                next_steps={"message": "Vendor can now request access to societies and create rate cards"},
            )
            return ApiResponse(body, message="Vendor verified successfully")
        body["rejection_reason"] = partner.rejection_reason
        return ApiResponse(body, message="Vendor rejected")
