"""Staff notification endpoints: the delivery history with filters, stats and one delivery with its
attempts (seed 003); outbound webhook endpoints for seed 000's internal events (super admin).
Seed 002's notification stats and broadcast read other apps too and live in ``adminpanel.api.notifications``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from core.api import paginate, query, valid
from core.permissions import require_perms, require_perms_by_method
from core.responses import ApiResponse
from notifications import selectors, webhooks
from notifications import serializers as io
from notifications.api import schemas as out
from notifications.models import Delivery, WebhookEndpoint

TAG = "notifications"


def delivery_row(delivery: Delivery, *, attempts: bool = False) -> dict:
    row = {
        "id": str(delivery.pk),
        "user_id": str(delivery.user_id) if delivery.user_id else None,
        "booking_id": (delivery.notification.data or {}).get("booking_id") if delivery.notification else None,
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

    @extend_schema(
        tags=[TAG],
        summary="Delivery history, newest first: what was sent to whom, on which channel",
        responses=out.DeliveryHistoryPage,
    )
    def get(self, request: Request) -> ApiResponse:
        rows = selectors.deliveries(query(io.HistoryQuery, request))
        return ApiResponse(paginate(self, request, rows, delivery_row, "history"))


class DeliveryStatsView(APIView):
    permission_classes = [require_perms("notifications.view_delivery")]

    @extend_schema(
        tags=[TAG],
        summary="Delivery stats: sent, failed, success rate, by type and channel",
        responses=out.DeliveryStatsOutput,
    )
    def get(self, request: Request) -> ApiResponse:
        return ApiResponse(selectors.delivery_stats(query(io.HistoryQuery, request)))


class DeliveryDetailView(APIView):
    permission_classes = [require_perms("notifications.view_delivery")]

    @extend_schema(
        tags=[TAG],
        summary="One delivery with its attempts",  # seed 003 notification by id
        responses=out.DeliveryDetailOutput,
    )
    def get(self, request: Request, delivery_id) -> ApiResponse:
        return ApiResponse({"notification": delivery_row(selectors.delivery_detail(delivery_id), attempts=True)})


# --- outbound webhooks: seed 000's internal events to integrators (super admin) -------------------


def _endpoint_data(endpoint: WebhookEndpoint) -> dict:
    data = io.WebhookEndpointOutput(endpoint).data
    data["deliveries"] = selectors.endpoint_delivery_counts(endpoint)
    return data


_WEBHOOK_PERMS = require_perms_by_method(
    read="notifications.view_webhookendpoint", write="notifications.change_webhookendpoint"
)


class WebhookEndpointsView(APIView):
    permission_classes = [_WEBHOOK_PERMS]

    @extend_schema(
        tags=[TAG],
        summary="Webhook endpoints: where the platform posts its events for integrations",
        operation_id="webhooks_list",
        responses=out.WebhookEndpointsPage,
    )
    def get(self, request: Request) -> ApiResponse:
        rows = selectors.webhook_endpoints()
        page = paginate(self, request, rows, lambda e: io.WebhookEndpointOutput(e).data, "endpoints")
        page["events"] = list(webhooks.EVENTS)
        return ApiResponse(page)

    @extend_schema(
        tags=[TAG],
        summary="Register a webhook endpoint; its secret is shown once",
        request=io.WebhookEndpointInput,
        responses={201: out.WebhookEndpointCreatedOutput},
    )
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.WebhookEndpointInput, request)
        data.pop("is_active", None)
        endpoint, secret = webhooks.endpoint_create(actor=request.user, **data)
        body = {**io.WebhookEndpointOutput(endpoint).data, "secret": secret}
        return ApiResponse(body, status=201, message="Webhook endpoint registered; keep the secret, it is shown once")


class WebhookEndpointView(APIView):
    permission_classes = [_WEBHOOK_PERMS]

    @extend_schema(
        tags=[TAG],
        summary="One webhook endpoint with its delivery counts",
        responses=out.WebhookEndpointDetailOutput,
    )
    def get(self, request: Request, endpoint_id) -> ApiResponse:
        return ApiResponse(_endpoint_data(selectors.webhook_endpoint(endpoint_id)))

    @extend_schema(
        tags=[TAG],
        summary="Change a webhook endpoint",
        request=io.WebhookEndpointInput,
        responses=out.WebhookEndpointDetailOutput,
    )
    def patch(self, request: Request, endpoint_id) -> ApiResponse:
        endpoint = selectors.webhook_endpoint(endpoint_id)
        data = valid(io.WebhookEndpointInput, request, partial=True)
        endpoint = webhooks.endpoint_update(endpoint=endpoint, changes=data, actor=request.user)
        return ApiResponse(_endpoint_data(endpoint))

    @extend_schema(tags=[TAG], summary="Remove a webhook endpoint", responses={200: out.WebhookEndpointDeletedOutput})
    def delete(self, request: Request, endpoint_id) -> ApiResponse:
        webhooks.endpoint_delete(endpoint=selectors.webhook_endpoint(endpoint_id), actor=request.user)
        return ApiResponse({"deleted": True}, message="Webhook endpoint removed")


class WebhookSecretView(APIView):
    permission_classes = [require_perms("notifications.change_webhookendpoint")]

    @extend_schema(
        tags=[TAG],
        summary="Replace a webhook endpoint's signing secret",
        request=None,
        responses=out.WebhookSecretOutput,
    )
    def post(self, request: Request, endpoint_id) -> ApiResponse:
        secret = webhooks.endpoint_rotate_secret(endpoint=selectors.webhook_endpoint(endpoint_id), actor=request.user)
        return ApiResponse({"secret": secret}, message="New secret; the old one no longer signs")
