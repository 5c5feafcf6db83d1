"""A person's own notifications (seed 004): the inbox with its unread count, read marks, preferences, push devices."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.api import paginate, valid
from core.errors import DomainError, ErrorCode
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer
from notifications import selectors
from notifications import serializers as io
from notifications.api import schemas as out
from notifications.services import inbox, preferences

TAG = "notifications"


class NotificationsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="My notifications, newest first, with the unread count",
        operation_id="notifications_list",
        parameters=[OpenApiParameter("unread", bool), OpenApiParameter("page", int), OpenApiParameter("limit", int)],
        responses=out.NotificationsPage,
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        rows = selectors.notifications_of(request.user, unread=request.query_params.get("unread") in ("true", "1"))
        page = paginate(self, request, rows, lambda n: io.NotificationOutput(n).data, "notifications")
        page["unread_count"] = selectors.unread_count(request.user)
        return ApiResponse(page)


class NotificationReadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="Mark one notification read", request=None, responses=out.NotificationReadOutput)
    def put(self, request: AuthenticatedRequest, notification_id) -> ApiResponse:
        notification = inbox.mark_read(user=request.user, notification_id=notification_id)
        if notification is None:
            raise DomainError("Notification not found.", code=ErrorCode.NOT_FOUND, field="id", reason="not_found")
        return ApiResponse({"notification": io.NotificationOutput(notification).data})

    patch = post = put


class NotificationsReadAllView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Mark all my notifications read",
        request=None,
        responses=out.NotificationsReadAllOutput,
    )
    def put(self, request: AuthenticatedRequest) -> ApiResponse:
        return ApiResponse({"marked": inbox.mark_all_read(user=request.user), "unread_count": 0})

    patch = post = put


class PreferencesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="My preferences: by event type and channel, and by channel and category",  # seed 004's shape
        responses=out.PreferencesOutput,
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        return ApiResponse(preferences.preferences_of(request.user))

    @extend_schema(
        tags=[TAG],
        # seed 004's body is channel first
        summary="Change preferences (channel first, or event type first); the ones not named stay as they are",
        request=io.PreferencesInput,
        responses=out.PreferencesOutput,
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        changes = valid(io.PreferencesInput, request)
        return ApiResponse(preferences.preferences_set(user=request.user, changes=changes))

    put = patch = post


class DevicesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Register this device for push",
        request=io.DeviceInput,
        responses={201: out.DeviceRegisteredOutput, 200: out.DeviceRegisteredOutput},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(io.DeviceInput, request)
        device, created = preferences.device_register(user=request.user, token=data["token"], platform=data["platform"])
        return ApiResponse(
            {"device": {"id": str(device.pk), "platform": device.platform, "is_active": True}},
            status=201 if created else 200,
        )

    @extend_schema(
        tags=[TAG],
        summary="Stop push to this device",
        request=io.DeviceRemoveInput,
        # A DELETE with a body: core.schema lists 400/422 only for POST, PUT and PATCH.
        responses={200: out.DeviceRemovedOutput, 400: ErrorResponseSerializer, 422: ErrorResponseSerializer},
    )
    def delete(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(io.DeviceRemoveInput, request)
        removed = preferences.device_remove(user=request.user, token=data["token"])
        return ApiResponse({"removed": removed})
