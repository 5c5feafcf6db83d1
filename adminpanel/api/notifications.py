"""Seed 002's notification management for staff: delivery stats with business alerts (they count
bookings waiting for a partner, so they read ``bookings`` and ``partners`` as well as ``notifications``),
seed 002's jobs, and a broadcast to a segment of people (chosen from ``accounts``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from adminpanel import serializers as io
from adminpanel.api import schemas as out
from adminpanel.selectors import dashboard
from adminpanel.services import notifications
from core.api import valid
from core.permissions import require_perms, require_perms_by_method
from core.responses import ApiResponse

TAG_SYSTEM = "admin: settings, audit log, caches"


# Seed 002 ``/admin-dashboard/notifications/``.
class NotificationStatsView(APIView):
    """For staff: how notifications are being delivered, with alerts that need attention (GET); start a
    notification job such as sending reminders (POST)."""

    permission_classes = [require_perms_by_method(read="notifications.view_delivery", write="notifications.broadcast")]

    @extend_schema(
        tags=[TAG_SYSTEM],
        summary="Notification delivery stats and business alerts",
        responses=out.NotificationOverviewOutput,
    )
    def get(self, request: Request) -> ApiResponse:
        return ApiResponse(
            {"notification_stats": dashboard.notification_stats(), "business_alerts": dashboard.business_alerts()}
        )

    @extend_schema(
        tags=[TAG_SYSTEM],
        summary="Start a notification job in the background",
        request=io.NotificationActionInput,
        responses=out.TaskStartedOutput,
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(io.NotificationActionInput, request)
        result = notifications.notification_action(action=data["action"], actor=request.user)
        return ApiResponse({"task_id": result["task_id"]}, message=result["message"])


class BroadcastView(APIView):
    permission_classes = [require_perms("notifications.broadcast")]

    @extend_schema(
        tags=[TAG_SYSTEM],
        summary="Send a message to a segment of users",
        request=io.BroadcastInput,
        responses={202: out.BroadcastOutput},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(io.BroadcastInput, request)
        result = notifications.broadcast(actor=request.user, **data)
        return ApiResponse(result, status=202, message=f"Broadcast to {result['recipients']} people queued")
