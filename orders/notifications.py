"""The notifications society orders send (seed 001 6-8): the vendor hears of a new order, a question about
a count and a dispute's outcome; the resident of a count to approve, a pickup due, a payment marked, the
order closed; the society's admins of a dispute to resolve.

Registered in ``notifications.catalogue`` by ``OrdersConfig.ready``; ``orders.notify`` picks the people
and fills the context (order number, vendor name, amounts).
"""

from __future__ import annotations

from notifications import catalogue
from notifications.catalogue import CUSTOMER, PARTNER, STAFF, EventType
from notifications.models import Channel

_PUSH = (Channel.PUSH,)
_PUSH_SMS = (Channel.PUSH, Channel.SMS)

EVENTS = (
    EventType(
        "society_order_received",
        (PARTNER,),
        _PUSH_SMS,
        "New order {order_number}",
        "{resident_name} ordered {item_count} items for pickup {when}.",
    ),
    EventType(
        "society_order_placed",
        (CUSTOMER,),
        _PUSH,
        "Order {order_number} placed",
        "{vendor_name} will pick up your items {when}.",
    ),
    EventType(
        "society_order_pickup_reminder",
        (CUSTOMER, PARTNER),
        _PUSH_SMS,
        "Pickup in 30 minutes",
        "The pickup of order {order_number} is due {when}.",
        category="reminders",
    ),
    EventType(
        "society_order_cancelled",
        (CUSTOMER, PARTNER),
        _PUSH,
        "Order {order_number} cancelled",
        "Order {order_number} was cancelled. {reason}",
    ),
    EventType(
        "society_order_count_updated",
        (CUSTOMER,),
        _PUSH_SMS,
        "Please approve the count of {order_number}",
        "{vendor_name} counted {total_items} items (₹{total_amount}). Approve it by {deadline} or it is "
        "approved automatically.",
    ),
    EventType(
        "society_order_count_questioned",
        (PARTNER,),
        _PUSH_SMS,
        "Question about the count of {order_number}",
        "{resident_name} asks: {message}",
        category="messages",
    ),
    EventType(
        "society_order_count_approved",
        (PARTNER,),
        _PUSH,
        "Count of {order_number} approved",
        "The count of order {order_number} is approved: {total_items} items, ₹{total_amount}.",
    ),
    EventType(
        "society_order_step_completed",
        (CUSTOMER,),
        _PUSH,
        "{service_name}: {step_name} done",
        "Order {order_number}: {step_name} of {service_name} is done.",
    ),
    EventType(
        "society_order_delivered",
        (CUSTOMER,),
        _PUSH_SMS,
        "Order {order_number} delivered",
        "Your order {order_number} is delivered. Amount due: ₹{final_price}.",
    ),
    EventType(
        "society_order_payment_marked",
        (CUSTOMER,),
        _PUSH_SMS,
        "Payment recorded for {order_number}",
        "{vendor_name} recorded ₹{final_price} by {payment_method}. The order closes on {auto_close_at} unless "
        "you dispute it.",
    ),
    EventType(
        "society_order_closed",
        (CUSTOMER, PARTNER),
        _PUSH,
        "Order {order_number} closed",
        "Order {order_number} is closed. Thank you!",
    ),
    EventType(
        "society_order_disputed",
        (PARTNER, STAFF),
        _PUSH_SMS,
        "Payment of {order_number} disputed",
        "The resident disputes the payment of order {order_number}: {reason}.",
    ),
    EventType(
        "society_order_dispute_resolved",
        (CUSTOMER, PARTNER),
        _PUSH_SMS,
        "Dispute on {order_number} resolved",
        "The society admin resolved the dispute on order {order_number}: {resolution}.",
    ),
)


def register() -> None:
    catalogue.register_event(*EVENTS)
