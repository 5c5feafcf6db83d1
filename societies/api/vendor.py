"""Seed 001 2.2.4: a vendor asks to serve societies (while the platform review may still be pending)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.api import valid
from core.responses import ApiResponse
from core.types import Id
from societies.api import schemas as out
from societies.api.serializers import AccessRequestInput
from societies.models import ApprovalStatus
from societies.services import vendors

TAG = "vendors: onboarding"


class SocietyRequestsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Ask to serve societies",
        request=AccessRequestInput,
        responses={201: out.AccessRequestsOutput},
    )
    def post(self, request: AuthenticatedRequest, vendor_id: Id) -> ApiResponse:
        data = valid(AccessRequestInput, request)
        rows = vendors.access_request(user=request.user, vendor_id=vendor_id, society_ids=data["society_ids"])
        return ApiResponse(
            {
                "vendor_id": str(vendor_id),
                "society_requests": [
                    {
                        "society_id": a.society_id,
                        "society_name": a.society.name,
                        "approval_status": a.approval_status,
                        "requested_at": a.requested_at,
                        "estimated_approval_time": "24-48 hours" if a.approval_status == ApprovalStatus.PENDING else "",
                    }
                    for a in rows
                ],
            },
            status=201,
            message="Society access requests submitted",
        )
