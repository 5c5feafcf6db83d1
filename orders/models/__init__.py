"""Rate cards (seed 001 section 4), society orders (6), their workflows (7), payments and disputes (8).

The tables live in three modules by use case (``cards``, ``orders``, ``progress``); everything is
importable from ``orders.models``.

* ``RateCard`` is unique per (vendor, society, category) (seed C7: one card per parent category per
  society). Its items are the draft the vendor edits. Publishing copies them into ``published_items``, a
  snapshot, and stamps ``published_at``: residents and orders read only the snapshot, so an edit after
  publishing (which sets ``is_published`` back to false: "requires republish") never changes what
  residents see or pay until the vendor publishes again (issue 17's reading of 4.3).
* ``RateCardItem`` is one priced line of a service (``item_name`` unique per service within the card).
* ``SocietyVendorService`` is a service a vendor offers in one society, with that society's turnaround
  (seed C8: ``partners.VendorService`` holds the vendor-level defaults, these rows the per-society
  offer of 2.3.1). Copying services to another society (2.3.1, ``orders.services.copy``) writes them.
* ``Order`` (seed 001 6.1-6.2): a resident's order from a society vendor. Its ``OrderItem`` lines keep the
  published snapshot's name and price and the service's delivery days when ordered; ``OrderTimeline`` is
  its history.
* ``CountUpdate`` (6.3-6.4): the vendor's count and the resident's answer; at most one is open (PENDING or
  QUESTIONED) per order. Approval rewrites the order's lines and sets ``final_price``.
* ``OrderService`` / ``OrderStep`` (7.2-7.3): each service of an order with its steps copied from the
  service's workflow template (``catalog.WorkflowTemplate``) when the order is placed.
* ``OrderDispute`` (8.3): at most one OPEN per order; an open dispute freezes the 48-hour auto-close.
* ``OrderRating``: one per order, by its resident, feeding the vendor's ``Partner.rating``.

How an order's status moves (``orders.services.status`` applies it; the one place that writes it):

* PICKUP_SCHEDULED → (steps and count) → PICKED_UP → PROCESSING_IN_PROGRESS → READY_FOR_DELIVERY →
  DELIVERED → PAYMENT_RECEIVED → CLOSED, with DISPUTED beside PAYMENT_RECEIVED and CANCELLED from
  PICKUP_SCHEDULED.
* Until the count is approved, the order is COUNT_APPROVAL_PENDING while a count update is open, else the
  least advanced of its services. After approval it is the least advanced service, but never below
  PICKED_UP. DELIVERED only when every service is.
"""

from orders.models.cards import RateCard, RateCardItem, SocietyVendorService
from orders.models.orders import (
    CountStatus,
    CountUpdate,
    DisputeReason,
    DisputeResolution,
    DisputeStatus,
    Order,
    OrderDispute,
    OrderItem,
    OrderPaymentMethod,
    OrderRating,
    OrderStatus,
    OrderTimeline,
    PaymentType,
)
from orders.models.progress import OrderService, OrderStep, StepStatus

__all__ = [
    "CountStatus",
    "CountUpdate",
    "DisputeReason",
    "DisputeResolution",
    "DisputeStatus",
    "Order",
    "OrderDispute",
    "OrderItem",
    "OrderPaymentMethod",
    "OrderRating",
    "OrderService",
    "OrderStatus",
    "OrderStep",
    "OrderTimeline",
    "PaymentType",
    "RateCard",
    "RateCardItem",
    "SocietyVendorService",
    "StepStatus",
]
