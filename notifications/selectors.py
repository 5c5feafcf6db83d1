"""Notification reads: a person's inbox, the staff delivery history and stats, webhook endpoints.
Each a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from core.errors import DomainError, ErrorCode
from core.types import Id
from notifications.models import Delivery, DeliveryStatus, Notification, WebhookEndpoint


def notifications_of(user: User, *, unread: bool = False) -> QuerySet[Notification]:
    """The person's notifications, newest first (only the unread ones when ``unread``)."""
    rows = Notification.objects.filter(user=user).order_by("-created_at")
    if unread:
        rows = rows.filter(is_read=False)
    return rows


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, is_read=False).count()


def deliveries(params: dict[str, Any]) -> QuerySet[Delivery]:
    """Deliveries filtered as staff ask (person, booking, event type, channel, status, days), newest first."""
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


def delivery_stats(params: dict[str, Any]) -> dict[str, Any]:
    """Sent, failed and pending counts, success rate, by type and by channel, of the deliveries ``params`` select."""
    rows = deliveries(params).order_by()
    totals = rows.aggregate(
        sent=Count("id", filter=Q(status=DeliveryStatus.SENT)),
        failed=Count("id", filter=Q(status=DeliveryStatus.FAILED)),
        pending=Count("id", filter=Q(status=DeliveryStatus.PENDING)),
    )
    finished = totals["sent"] + totals["failed"]
    by_type = dict(rows.values_list("event_type").annotate(n=Count("id")))
    by_channel = dict(rows.values_list("channel").annotate(n=Count("id")))
    return {
        "total_sent": totals["sent"],
        "total_failed": totals["failed"],
        "total_pending": totals["pending"],
        "success_rate": round(totals["sent"] * 100 / finished, 2) if finished else 0.0,
        "by_type": by_type,
        "by_channel": by_channel,
    }


def delivery_detail(delivery_id: Id) -> Delivery:
    """One delivery with its notification and attempts; a missing one is ``NOT_FOUND``."""
    delivery = (
        Delivery.objects.select_related("notification").prefetch_related("attempt_log").filter(pk=delivery_id).first()
    )
    if delivery is None:
        raise DomainError("Notification not found.", code=ErrorCode.NOT_FOUND, field="id", reason="not_found")
    return delivery


def webhook_endpoints() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.order_by("-created_at")


def webhook_endpoint(endpoint_id: Id) -> WebhookEndpoint:
    """One webhook endpoint; a missing one is ``NOT_FOUND``."""
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None:
        raise DomainError("Webhook endpoint not found.", code=ErrorCode.NOT_FOUND, field="id", reason="not_found")
    return endpoint


def endpoint_delivery_counts(endpoint: WebhookEndpoint) -> dict[str, int]:
    """How many of the endpoint's deliveries are in each status."""
    return dict(endpoint.deliveries.order_by().values_list("status").annotate(n=Count("id")))
