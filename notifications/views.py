"""Inbox API (seed 004): list with unread count, read one, mark all read, preferences, push device tokens."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from core.api import paginate, valid
from core.errors import DomainError, ErrorCode
from core.responses import ApiResponse
from notifications import serializers as io
from notifications import services
from notifications.models import DeviceToken, Notification

TAG = "notifications"
ANY = OpenApiTypes.OBJECT


class NotificationsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="My notifications, newest first, with the unread count",
        parameters=[OpenApiParameter("unread", bool), OpenApiParameter("page", int), OpenApiParameter("limit", int)],
        responses=ANY,
    )
    def get(self, request: Request) -> ApiResponse:
        rows = Notification.objects.filter(user=request.user).order_by("-created_at")
        if request.query_params.get("unread") in ("true", "1"):
            rows = rows.filter(is_read=False)
        page = paginate(self, request, rows, lambda n: io.NotificationOutput(n).data, "notifications")
        page["unread_count"] = Notification.objects.filter(user=request.user, is_read=False).count()
        return ApiResponse(page)


class NotificationReadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="Mark one notification read", request=None, responses=ANY)
    def put(self, request: Request, notification_id) -> ApiResponse:
        notification = services.mark_read(user=request.user, notification_id=notification_id)
        if notification is None:
            raise DomainError("Notification not found.", code=ErrorCode.NOT_FOUND, field="id", reason="not_found")
        return ApiResponse({"notification": io.NotificationOutput(notification).data})

    patch = post = put


class NotificationsReadAllView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="Mark all my notifications read", request=None, responses=ANY)
    def put(self, request: Request) -> ApiResponse:
        return ApiResponse({"marked": services.mark_all_read(user=request.user), "unread_count": 0})

    patch = post = put


class PreferencesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="My preferences: every event type and channel", responses=ANY)
    def get(self, request: Request) -> ApiResponse:
        return ApiResponse({"preferences": services.preferences_of(request.user)})

    @extend_schema(tags=[TAG], summary="Change preferences", request=io.PreferencesInput, responses=ANY)
    def post(self, request: Request) -> ApiResponse:
        changes = valid(io.PreferencesInput, request)
        return ApiResponse({"preferences": services.preferences_set(user=request.user, changes=changes)})

    put = patch = post


class DevicesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="Register this device for push", request=io.DeviceInput, responses=ANY)
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.DeviceInput, request)
        device, created = DeviceToken.objects.update_or_create(
            token=data["token"], defaults={"user": request.user, "platform": data["platform"], "is_active": True}
        )
        return ApiResponse(
            {"device": {"id": str(device.pk), "platform": device.platform, "is_active": True}},
            status=201 if created else 200,
        )

    @extend_schema(tags=[TAG], summary="Stop push to this device", request=io.DeviceRemoveInput, responses=ANY)
    def delete(self, request: Request) -> ApiResponse:
        data = valid(io.DeviceRemoveInput, request)
        removed = DeviceToken.objects.filter(user=request.user, token=data["token"]).update(is_active=False)
        return ApiResponse({"removed": removed})
