"""Internal endpoints (seed 000): dispatch a booking now, and the queue of bookings waiting for a partner.

Called by other services with the internal service token only
(``core.internal``), never by people; not throttled. Auto-assign runs the
dispatch engine at once (``partners.services.dispatch.dispatch_now``) and
answers the offer with its score; the queue lists bookings in the manual
queue or still searching, highest priority first.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from core.api import paginate, query, valid
from core.internal import InternalTokenAuthentication, IsInternalService
from core.responses import ApiResponse
from partners import selectors
from partners.api import schemas as out
from partners.api.common import staff_booking_row
from partners.api.serializers.internal import AutoAssignInput
from partners.services import dispatch

TAG_INTERNAL = "internal"


class InternalView(APIView):
    authentication_classes = [InternalTokenAuthentication]
    permission_classes = [IsInternalService]
    throttle_classes: list = []


class InternalAutoAssignView(InternalView):
    @extend_schema(
        tags=[TAG_INTERNAL], summary="Dispatch a booking now", request=AutoAssignInput, responses=out.AutoAssignedOutput
    )
    def post(self, request: Request, booking_id) -> ApiResponse:
        data = valid(AutoAssignInput, request)
        assignment = dispatch.dispatch_now(booking_id, force=data["force"])
        assignment = selectors.assignment_detail(assignment.pk)
        return ApiResponse(
            {
                "booking": staff_booking_row(booking_id),
                "assignment": {
                    "partner_id": str(assignment.partner_id),
                    "partner_name": assignment.partner.name,
                    "status": assignment.status,
                    "expires_at": assignment.expires_at,
                    "score": assignment.score,
                    "score_parts": assignment.score_parts,
                },
            }
        )


class QueueQuery(serializers.Serializer):
    status = serializers.CharField(required=False)
    priority = serializers.IntegerField(required=False)


class InternalQueueView(InternalView):
    @extend_schema(
        tags=[TAG_INTERNAL],
        summary="Bookings waiting for a partner",
        parameters=[OpenApiParameter("status", str), OpenApiParameter("priority", int)],
        responses=out.QueuePage,
    )
    def get(self, request: Request) -> ApiResponse:
        rows = selectors.assignment_queue(**query(QueueQuery, request))

        def render(item) -> dict[str, Any]:
            booking = item.booking
            categories = sorted({line.service.category.name for line in booking.items.all()})
            return {
                "booking_id": str(booking.pk),
                "booking_number": booking.booking_number,
                "booking_date": booking.booking_date,
                "booking_time": booking.booking_time,
                "service_categories": categories,
                "address": booking.address_snapshot,
                "priority": item.priority,
                "status": item.status,
                "reason": item.reason,
                "attempts": item.attempts,
                "queued_at": item.queued_at,
            }

        page = paginate(self, request, rows, render, "pending_assignments", default_limit=50)
        return ApiResponse(page)
