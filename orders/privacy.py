"""The orders app's personal data (core.privacy): the person's society orders with their items, disputes and
ratings; what blocks a deletion; the anonymiser.

Open (blocks a deletion): an order that is neither ``CLOSED`` nor ``CANCELLED`` (a pickup, a count, a payment
or the 48-hour dispute window after payment is still to come; a disputed order is open).

Anonymised: the pickup address, the resident's notes, the cancellation reason, dispute details and rating
reviews. Prices, counts, dates and statuses stay.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from core import privacy
from orders.models import Order, OrderDispute, OrderItem, OrderRating
from orders.models.orders import OrderStatus

SETTLED_ORDER_STATUSES = (OrderStatus.CLOSED, OrderStatus.CANCELLED)
ORDER_FIELDS = (
    "id",
    "order_number",
    "status",
    "society_id",
    "partner_id",
    "pickup_datetime",
    "pickup_address",
    "resident_notes",
    "estimated_item_count",
    "estimated_price",
    "actual_item_count",
    "final_price",
    "discount_amount",
    "expected_delivery_date",
    "delivered_at",
    "payment_type",
    "payment_method",
    "payment_received_at",
    "closed_at",
    "cancelled_at",
    "cancellation_reason",
    "created_at",
)


def export(user: Any) -> dict[str, Any]:
    """Four queries whatever the history's size."""
    orders = list(Order.objects.filter(residence__user_id=user.pk).order_by("created_at").values(*ORDER_FIELDS))
    items: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for item in (
        OrderItem.objects.filter(order__residence__user_id=user.pk)
        .order_by("pk")
        .values("order_id", "item_name", "quantity", "unit_price", "total_price")
    ):
        line = dict(item)
        items[line.pop("order_id")].append(line)
    for order in orders:
        order["items"] = items.get(order["id"], [])
    disputes = list(
        OrderDispute.objects.filter(raised_by_id=user.pk)
        .order_by("raised_at")
        .values("order_id", "reason", "details", "status", "resolution", "raised_at")
    )
    ratings = list(
        OrderRating.objects.filter(user_id=user.pk).order_by("created_at").values("order_id", "rating", "review")
    )
    return {"society_orders": orders, "society_order_disputes": disputes, "society_order_ratings": ratings}


def open_items(user: Any) -> list[str]:
    orders = (
        Order.objects.filter(residence__user_id=user.pk)
        .exclude(status__in=SETTLED_ORDER_STATUSES)
        .order_by("created_at")
        .values_list("order_number", "status")
    )
    return [f"society order {number} ({status})" for number, status in orders]


def anonymise(user: Any) -> None:
    privacy.blank(
        Order.objects.filter(residence__user_id=user.pk), pickup_address="", resident_notes="", cancellation_reason=""
    )
    privacy.blank(OrderDispute.objects.filter(raised_by_id=user.pk), details="")
    privacy.blank(OrderRating.objects.filter(user_id=user.pk), review="")


def register() -> None:
    privacy.register("orders", export=export, open_items=open_items, anonymise=anonymise)
