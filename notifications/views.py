"""Inbox API (seed 004): list with unread count, read one, mark all read, preferences, push device tokens;
and for staff (seed 003): delivery history with filters, stats and one delivery by id."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from djangorestframework_camel_case.util import underscoreize
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from core.api import paginate, query, valid
from core.errors import DomainError, ErrorCode
from core.permissions import require_perms, require_perms_by_method
from core.responses import ApiResponse
from notifications import catalogue, webhooks
from notifications import serializers as io
from notifications.models import Channel, Delivery, DeliveryStatus, Notification, WebhookEndpoint
from notifications.services import inbox, preferences

TAG = "notifications"
ANY = OpenApiTypes.OBJECT


class NotificationsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="My notifications, newest first, with the unread count",
        operation_id="notifications_list",
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
        notification = inbox.mark_read(user=request.user, notification_id=notification_id)
        if notification is None:
            raise DomainError("Notification not found.", code=ErrorCode.NOT_FOUND, field="id", reason="not_found")
        return ApiResponse({"notification": io.NotificationOutput(notification).data})

    patch = post = put


class NotificationsReadAllView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="Mark all my notifications read", request=None, responses=ANY)
    def put(self, request: Request) -> ApiResponse:
        return ApiResponse({"marked": inbox.mark_all_read(user=request.user), "unread_count": 0})

    patch = post = put


class PreferencesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="My preferences: by event type and channel, and by channel and category (seed 004's shape)",
        responses=ANY,
    )
    def get(self, request: Request) -> ApiResponse:
        return ApiResponse(preferences.preferences_of(request.user))

    @extend_schema(
        tags=[TAG],
        summary="Change preferences (seed 004's channel-first body, or event type first); unnamed ones stay",
        request=io.PreferencesInput,
        responses=ANY,
    )
    def post(self, request: Request) -> ApiResponse:
        changes = valid(io.PreferencesInput, request)
        return ApiResponse(preferences.preferences_set(user=request.user, changes=changes))

    put = patch = post


class DevicesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="Register this device for push", request=io.DeviceInput, responses=ANY)
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.DeviceInput, request)
        device, created = preferences.device_register(user=request.user, token=data["token"], platform=data["platform"])
        return ApiResponse(
            {"device": {"id": str(device.pk), "platform": device.platform, "is_active": True}},
            status=201 if created else 200,
        )

    @extend_schema(tags=[TAG], summary="Stop push to this device", request=io.DeviceRemoveInput, responses=ANY)
    def delete(self, request: Request) -> ApiResponse:
        data = valid(io.DeviceRemoveInput, request)
        removed = preferences.device_remove(user=request.user, token=data["token"])
        return ApiResponse({"removed": removed})


# --- staff: delivery history, stats, one delivery (seed 003) ------------------------------------

SEED_003_TYPES = {"appointment_confirmation": "booking_confirmed", "appointment_reminder": "appointment_reminder"}


class HistoryQuery(serializers.Serializer):
    user_id = serializers.UUIDField(required=False)
    patient_id = serializers.UUIDField(required=False, help_text="Seed 003's name for user_id")
    booking_id = serializers.UUIDField(required=False)
    appointment_id = serializers.UUIDField(required=False, help_text="Seed 003's name for booking_id")
    notification_type = serializers.CharField(required=False)
    event_type = serializers.CharField(required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    status = serializers.CharField(required=False)
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False)

    def to_internal_value(self, data):
        return super().to_internal_value(underscoreize(dict(data.items())))  # seed 003's camelCase query names

    def validate(self, attrs):
        raw_type = (attrs.pop("notification_type", None) or attrs.get("event_type") or "").lower()
        if raw_type:
            event_type = SEED_003_TYPES.get(raw_type, raw_type)
            if event_type not in catalogue.EVENTS:
                raise serializers.ValidationError({"notification_type": "Unknown notification type."})
            attrs["event_type"] = event_type
        if attrs.get("status"):
            attrs["status"] = attrs["status"].lower()
            if attrs["status"] not in DeliveryStatus.values:
                raise serializers.ValidationError({"status": "Use sent, failed or pending."})
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": "end_date is before start_date."})
        attrs["user_id"] = attrs.pop("patient_id", None) or attrs.get("user_id")
        attrs["booking_id"] = attrs.pop("appointment_id", None) or attrs.get("booking_id")
        return attrs


def _deliveries(params) -> QuerySet[Delivery]:
    rows = Delivery.objects.select_related("notification")
    for name in ("user_id", "event_type", "channel", "status"):
        if params.get(name):
            rows = rows.filter(**{name: params[name]})
    if params.get("booking_id"):
        rows = rows.filter(notification__data__booking_id=str(params["booking_id"]))
    zone = timezone.get_current_timezone()
    if params.get("start_date"):
        rows = rows.filter(created_at__gte=datetime.combine(params["start_date"], time.min, tzinfo=zone))
    if params.get("end_date"):
        rows = rows.filter(
            created_at__lt=datetime.combine(params["end_date"] + timedelta(days=1), time.min, tzinfo=zone)
        )
    return rows.order_by("-created_at")


def delivery_row(delivery: Delivery, *, attempts: bool = False) -> dict:
    row = {
        "id": str(delivery.pk),
        "user_id": str(delivery.user_id) if delivery.user_id else None,
        "booking_id": (delivery.notification.data or {}).get("booking_id") if delivery.notification_id else None,
        "notification_type": delivery.event_type,
        "channel": delivery.channel,
        "destination": delivery.destination,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "provider": delivery.provider,
        "provider_message_id": delivery.provider_message_id,
        "error": delivery.error,
        "sent_at": delivery.sent_at.isoformat() if delivery.sent_at else None,
        "created_at": delivery.created_at.isoformat(),
    }
    if attempts:
        row["body"] = delivery.body
        row["attempt_log"] = [
            {
                "number": a.number,
                "status": a.status,
                "provider": a.provider,
                "provider_message_id": a.provider_message_id,
                "error": a.error,
                "started_at": a.started_at.isoformat(),
                "finished_at": a.finished_at.isoformat() if a.finished_at else None,
            }
            for a in delivery.attempt_log.all()
        ]
    return row


class DeliveryHistoryView(APIView):
    permission_classes = [require_perms("notifications.view_delivery")]

    @extend_schema(tags=[TAG], summary="Delivery history (seed 003), newest first", responses=ANY)
    def get(self, request: Request) -> ApiResponse:
        rows = _deliveries(query(HistoryQuery, request))
        return ApiResponse(paginate(self, request, rows, delivery_row, "history"))


class DeliveryStatsView(APIView):
    permission_classes = [require_perms("notifications.view_delivery")]

    @extend_schema(
        tags=[TAG], summary="Delivery stats (seed 003): sent, failed, success rate, by type and channel", responses=ANY
    )
    def get(self, request: Request) -> ApiResponse:
        rows = _deliveries(query(HistoryQuery, request)).order_by()
        totals = rows.aggregate(
            sent=Count("id", filter=Q(status=DeliveryStatus.SENT)),
            failed=Count("id", filter=Q(status=DeliveryStatus.FAILED)),
            pending=Count("id", filter=Q(status=DeliveryStatus.PENDING)),
        )
        finished = totals["sent"] + totals["failed"]
        by_type = dict(rows.values_list("event_type").annotate(n=Count("id")))
        by_channel = dict(rows.values_list("channel").annotate(n=Count("id")))
        return ApiResponse(
            {
                "total_sent": totals["sent"],
                "total_failed": totals["failed"],
                "total_pending": totals["pending"],
                "success_rate": round(totals["sent"] * 100 / finished, 2) if finished else 0.0,
                "by_type": by_type,
                "by_channel": by_channel,
            }
        )


class DeliveryDetailView(APIView):
    permission_classes = [require_perms("notifications.view_delivery")]

    @extend_schema(tags=[TAG], summary="One delivery with its attempts (seed 003 notification by id)", responses=ANY)
    def get(self, request: Request, delivery_id) -> ApiResponse:
        delivery = (
            Delivery.objects.select_related("notification")
            .prefetch_related("attempt_log")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            raise DomainError("Notification not found.", code=ErrorCode.NOT_FOUND, field="id", reason="not_found")
        return ApiResponse({"notification": delivery_row(delivery, attempts=True)})


# --- outbound webhooks: seed 000's internal events to integrators (super admin) -------------------


def _endpoint(endpoint_id) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None:
        raise DomainError("Webhook endpoint not found.", code=ErrorCode.NOT_FOUND, field="id", reason="not_found")
    return endpoint


def _endpoint_data(endpoint: WebhookEndpoint) -> dict:
    data = io.WebhookEndpointOutput(endpoint).data
    data["deliveries"] = dict(endpoint.deliveries.order_by().values_list("status").annotate(n=Count("id")))
    return data


_WEBHOOK_PERMS = require_perms_by_method(
    read="notifications.view_webhookendpoint", write="notifications.change_webhookendpoint"
)


class WebhookEndpointsView(APIView):
    permission_classes = [_WEBHOOK_PERMS]

    @extend_schema(
        tags=[TAG],
        summary="Webhook endpoints (seed 000's internal events)",
        operation_id="webhooks_list",
        responses=ANY,
    )
    def get(self, request: Request) -> ApiResponse:
        rows = WebhookEndpoint.objects.order_by("-created_at")
        page = paginate(self, request, rows, lambda e: io.WebhookEndpointOutput(e).data, "endpoints")
        page["events"] = list(webhooks.EVENTS)
        return ApiResponse(page)

    @extend_schema(
        tags=[TAG],
        summary="Register a webhook endpoint; its secret is shown once",
        request=io.WebhookEndpointInput,
        responses=ANY,
    )
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.WebhookEndpointInput, request)
        data.pop("is_active", None)
        endpoint, secret = webhooks.endpoint_create(actor=request.user, **data)
        body = {**io.WebhookEndpointOutput(endpoint).data, "secret": secret}
        return ApiResponse(body, status=201, message="Webhook endpoint registered; keep the secret, it is shown once")


class WebhookEndpointView(APIView):
    permission_classes = [_WEBHOOK_PERMS]

    @extend_schema(tags=[TAG], summary="One webhook endpoint with its delivery counts", responses=ANY)
    def get(self, request: Request, endpoint_id) -> ApiResponse:
        return ApiResponse(_endpoint_data(_endpoint(endpoint_id)))

    @extend_schema(tags=[TAG], summary="Change a webhook endpoint", request=io.WebhookEndpointInput, responses=ANY)
    def patch(self, request: Request, endpoint_id) -> ApiResponse:
        endpoint = _endpoint(endpoint_id)
        data = valid(io.WebhookEndpointInput, request, partial=True)
        endpoint = webhooks.endpoint_update(endpoint=endpoint, changes=data, actor=request.user)
        return ApiResponse(_endpoint_data(endpoint))

    @extend_schema(tags=[TAG], summary="Remove a webhook endpoint", responses=ANY)
    def delete(self, request: Request, endpoint_id) -> ApiResponse:
        webhooks.endpoint_delete(endpoint=_endpoint(endpoint_id), actor=request.user)
        return ApiResponse({"deleted": True}, message="Webhook endpoint removed")


class WebhookSecretView(APIView):
    permission_classes = [require_perms("notifications.change_webhookendpoint")]

    @extend_schema(tags=[TAG], summary="Replace a webhook endpoint's signing secret", request=None, responses=ANY)
    def post(self, request: Request, endpoint_id) -> ApiResponse:
        secret = webhooks.endpoint_rotate_secret(endpoint=_endpoint(endpoint_id), actor=request.user)
        return ApiResponse({"secret": secret}, message="New secret; the old one no longer signs")
