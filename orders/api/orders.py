"""Seed 001 6.1-6.2: POST /orders (a resident orders from a society vendor) and GET /orders/{order_id}.

``orders.services.orders`` holds the rules. Here:

* POST needs ``X-Idempotency-Key`` as checkout does (``core.idempotency``): a retry with the same key and
  body replays the first answer; 400 ``IDEMPOTENCY_KEY_REQUIRED`` without one.
* ``unit_price`` is optional: the server prices every line from the vendor's published snapshot, and
  ``item_name`` is informative: the snapshot's name is stored.
* ``data.notifications``: ``vendor_notified`` / ``resident_confirmation_sent`` are true when the vendor's
  ``society_order_received`` / the resident's ``society_order_placed`` notification was written with the
  order; ``reminder_scheduled`` is when the pickup reminder falls due (pickup - 30 minutes), sent by the
  periodic reminder scan.
* GET: ``service_status`` is each service's workflow (``OrderService``): its status, the name and order of
  its current step, ``ready_at`` once READY_FOR_DELIVERY; its ``expected_delivery_date`` is the pickup's
  IST date + that service's days. Anyone but the owning resident, the order's vendor, platform staff and
  the society's admins gets 404 ``ORDER_NOT_FOUND``.
* Money is a JSON number; the query count of GET does not depend on the number of items or services.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.idempotency import SCHEMA_PARAMETER as IDEMPOTENCY
from core.idempotency import IdempotentMixin
from core.responses import ApiResponse
from orders.api.lists import SocietyOrderListMixin
from orders.models import Order, OrderItem, OrderService
from orders.services import orders as service
from societies.scope import society_or_404

TAG = "residents: society orders"
S, Int, F, Dt = serializers.CharField, serializers.IntegerField, serializers.FloatField, serializers.DateTimeField
REMINDER_BEFORE = timedelta(minutes=30)
MAX_LINES = 100


class SocietyOrderLineInput(serializers.Serializer):
    service_id = serializers.UUIDField()
    rate_card_item_id = Int(min_value=1)
    item_name = S(required=False, allow_blank=True, max_length=120)
    quantity = Int(min_value=1, max_value=1000)
    unit_price = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, allow_null=True)


class SocietyOrderInput(serializers.Serializer):
    vendor_id = serializers.UUIDField()
    society_id = Int(min_value=1)
    pickup_datetime = Dt()
    pickup_address = S(required=False, allow_blank=True, max_length=500, default="")
    resident_notes = S(required=False, allow_blank=True, max_length=1000, default="")
    items = SocietyOrderLineInput(many=True)

    def validate_items(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not value:
            raise serializers.ValidationError("Order at least one item.")
        if len(value) > MAX_LINES:
            raise serializers.ValidationError(f"At most {MAX_LINES} lines per order.")
        return value


# --- outputs --------------------------------------------------------------------------------------


class SocietyOrderVendor(serializers.Serializer):
    vendor_id = serializers.UUIDField()
    business_name = S()
    phone = S(allow_null=True)
    store_address = S(required=False, help_text="GET only.")


class SocietyOrderResident(serializers.Serializer):
    resident_id = serializers.UUIDField()
    full_name = S()
    phone = S(allow_null=True)
    flat_number = S()
    society_name = S(required=False, help_text="GET only.")


class SocietyOrderServiceSummary(serializers.Serializer):
    service_id = serializers.UUIDField()
    service_name = S()
    item_count = Int()
    total_amount = F()
    expected_delivery_days = Int()


class SocietyOrderPricing(serializers.Serializer):
    estimated_item_count = Int()
    actual_item_count = Int(required=False, allow_null=True, help_text="GET only.")
    estimated_price = F()
    discount_amount = F()
    final_price = F(allow_null=True)


class SocietyOrderCreated(serializers.Serializer):
    order_id = serializers.UUIDField()
    order_number = S()
    status = S()
    vendor = SocietyOrderVendor()
    resident = SocietyOrderResident()
    pickup_datetime = Dt()
    pickup_address = S()
    has_multiple_services = serializers.BooleanField()
    services_summary = SocietyOrderServiceSummary(many=True)
    pricing = SocietyOrderPricing()
    expected_delivery_date = serializers.DateField()
    delivery_note = S()
    created_at = Dt()


class SocietyOrderNotifications(serializers.Serializer):
    vendor_notified = serializers.BooleanField()
    resident_confirmation_sent = serializers.BooleanField()
    reminder_scheduled = Dt()


class SocietyOrderCreateOutput(serializers.Serializer):
    order = SocietyOrderCreated()
    notifications = SocietyOrderNotifications()


class SocietyOrderItem(serializers.Serializer):
    item_name = S()
    service_id = serializers.UUIDField()
    service_name = S()
    quantity = Int()
    unit_price = F()
    total_price = F()


class SocietyOrderServiceStatus(serializers.Serializer):
    service_id = serializers.UUIDField()
    service_name = S()
    status = S()
    item_count = Int()
    total_amount = F()
    current_step = S(allow_null=True)
    current_step_order = Int(allow_null=True)
    expected_delivery_date = serializers.DateField()
    ready_at = Dt(allow_null=True)


class SocietyOrderTimelineEntry(serializers.Serializer):
    status = S()
    timestamp = Dt()
    message = S()


class SocietyOrderDetail(serializers.Serializer):
    order_id = serializers.UUIDField()
    order_number = S()
    status = S()
    vendor = SocietyOrderVendor()
    resident = SocietyOrderResident()
    pickup_datetime = Dt()
    pickup_address = S()
    expected_delivery_date = serializers.DateField()
    has_multiple_services = serializers.BooleanField()
    items = SocietyOrderItem(many=True)
    service_status = SocietyOrderServiceStatus(many=True)
    pricing = SocietyOrderPricing()
    timeline = SocietyOrderTimelineEntry(many=True)
    created_at = Dt()
    updated_at = Dt()


class SocietyOrderDetailOutput(serializers.Serializer):
    order = SocietyOrderDetail()


# --- payloads -------------------------------------------------------------------------------------


def _when(value: Any) -> str:
    return timezone.localtime(value).isoformat()


def _money(value: Any) -> float | None:
    return None if value is None else float(value)


def _services(items: list[OrderItem]) -> list[dict[str, Any]]:
    rows: dict[Any, dict[str, Any]] = {}
    for item in items:
        row = rows.setdefault(
            item.service_id,
            {
                "service_id": str(item.service_id),
                "service_name": item.service.name,
                "item_count": 0,
                "total_amount": 0.0,
                "expected_delivery_days": item.delivery_days,
            },
        )
        row["item_count"] += item.quantity
        row["total_amount"] += float(item.total_price)
    return list(rows.values())


def _people(order: Order, *, detail: bool) -> dict[str, Any]:
    partner, residence = order.partner, order.residence
    vendor = {"vendor_id": str(partner.pk), "business_name": partner.business_name, "phone": partner.user.phone}
    resident = {
        "resident_id": str(residence.pk),
        "full_name": residence.user.full_name,
        "phone": residence.user.phone,
        "flat_number": residence.unit.node_code,
    }
    if detail:
        vendor["store_address"] = partner.store_address
        resident["society_name"] = order.society.name
    return {"vendor": vendor, "resident": resident}


def _pricing(order: Order, *, detail: bool) -> dict[str, Any]:
    pricing: dict[str, Any] = {
        "estimated_item_count": order.estimated_item_count,
        "estimated_price": _money(order.estimated_price),
        "discount_amount": _money(order.discount_amount),
        "final_price": _money(order.final_price),
    }
    if detail:
        pricing["actual_item_count"] = order.actual_item_count
    return pricing


def created_payload(order: Order, placed: service.Placed | None = None) -> dict[str, Any]:
    summary = _services(list(order.items.all()))
    slowest = max(summary, key=lambda s: s["expected_delivery_days"])
    days = slowest["expected_delivery_days"]
    return {
        "order": {
            "order_id": str(order.pk),
            "order_number": order.order_number,
            "status": order.status,
            **_people(order, detail=False),
            "pickup_datetime": _when(order.pickup_datetime),
            "pickup_address": order.pickup_address,
            "has_multiple_services": len(summary) > 1,
            "services_summary": summary,
            "pricing": _pricing(order, detail=False),
            "expected_delivery_date": order.expected_delivery_date.isoformat(),
            "delivery_note": f"Based on {slowest['service_name']} turnaround ({days} day{'s' if days != 1 else ''})",
            "created_at": _when(order.created_at),
        },
        "notifications": {
            "vendor_notified": bool(placed and placed.vendor_notified),
            "resident_confirmation_sent": bool(placed and placed.resident_notified),
            "reminder_scheduled": _when(order.pickup_datetime - REMINDER_BEFORE),
        },
    }


def _workflow(row: OrderService | None, order: Order) -> dict[str, Any]:
    """A service's status, current step and ``ready_at`` (the order's status for a service with no workflow)."""
    if row is None:
        return {"status": order.status, "current_step": None, "current_step_order": None, "ready_at": None}
    current = next((s for s in row.steps.all() if s.step_order == row.current_step_order), None)
    return {
        "status": row.status,
        "current_step": current.step_name if current else None,
        "current_step_order": row.current_step_order,
        "ready_at": _when(row.ready_at) if row.ready_at else None,
    }


def detail_payload(order: Order) -> dict[str, Any]:
    items = list(order.items.all())
    summary = _services(items)
    pickup_day = timezone.localdate(order.pickup_datetime)
    progress = {row.service_id: row for row in order.services.all()}
    return {
        "order_id": str(order.pk),
        "order_number": order.order_number,
        "status": order.status,
        **_people(order, detail=True),
        "pickup_datetime": _when(order.pickup_datetime),
        "pickup_address": order.pickup_address,
        "expected_delivery_date": order.expected_delivery_date.isoformat(),
        "has_multiple_services": len(summary) > 1,
        "items": [
            {
                "item_name": i.item_name,
                "service_id": str(i.service_id),
                "service_name": i.service.name,
                "quantity": i.quantity,
                "unit_price": float(i.unit_price),
                "total_price": float(i.total_price),
            }
            for i in items
        ],
        "service_status": [
            {
                "service_id": s["service_id"],
                "service_name": s["service_name"],
                **_workflow(progress.get(UUID(s["service_id"])), order),
                "item_count": s["item_count"],
                "total_amount": s["total_amount"],
                "expected_delivery_date": (pickup_day + timedelta(days=s["expected_delivery_days"])).isoformat(),
            }
            for s in summary
        ],
        "pricing": _pricing(order, detail=True),
        "timeline": [
            {"status": t.status, "timestamp": _when(t.created_at), "message": t.message} for t in order.timeline.all()
        ],
        "created_at": _when(order.created_at),
        "updated_at": _when(order.updated_at),
    }


class SocietyOrdersView(SocietyOrderListMixin, IdempotentMixin, APIView):
    """Society orders: list the ones I placed as a resident or received as a vendor (GET), or order from a
    vendor serving my society (POST; send ``X-Idempotency-Key`` so that a retry never orders twice)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Order from a vendor serving my society",
        request=SocietyOrderInput,
        parameters=[IDEMPOTENCY],
        responses={201: SocietyOrderCreateOutput},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = SocietyOrderInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        society = society_or_404(values["society_id"])
        placed = service.order_place(user=request.user, society=society, data=values)
        order = service.order_for(user=request.user, order_id=placed.order.pk)
        return ApiResponse(created_payload(order, placed), message="Order created successfully", status=201)


class SocietyOrderView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="One society order", responses=SocietyOrderDetailOutput)
    def get(self, request: AuthenticatedRequest, order_id: Any) -> ApiResponse:
        order = service.order_for(user=request.user, order_id=order_id)
        return ApiResponse({"order": detail_payload(order)})
