"""Builders the orders tests share beyond ``tests/orders/helpers.py`` (societies, vendors, residents and
simple orders): the seed's counted order (6.3-6.4), a delivered order and its payment mark (8.1), a
payment dispute and its resolution (8.3), and the in-app Checkout on the offline gateway.

* ``seed_order()`` is the seed's 11-item order placed through ``order_create`` (so it has its workflow
  rows); ``update``/``seed_count``/``answer`` drive the count API on it.
* ``delivered()`` sets a delivered order directly (the workflow that delivers an order is tested on its
  own); ``mark`` marks its payment received, ``dispute``/``disputed``/``resolve`` dispute it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from catalog.models import Service
from orders.models import Order, OrderStatus, RateCard
from orders.services.orders import order_create
from partners.models import Partner
from societies.models import ApprovalStatus, Residence, Society
from tests.conftest import client_for
from tests.orders.helpers import card, dry_cleaning, living_in, serving
from tests.societies.helpers import apartment, laundry_services

_names = itertools.count(1)
_numbers = itertools.count(1)
PICKUP_DAYS = 3
DISPUTES = "/api/v1/society-admin/order-disputes"


# --- the count (seed 001 6.3-6.4) -----------------------------------------------------------------


@dataclass
class SeedOrder:
    order: Order
    resident: User
    vendor: Partner
    society: Society
    services: dict[str, Service]
    ids: dict[tuple[str, str], int]  # (service key, item name) -> rate_card_item_id of the published card

    def url(self, action: str) -> str:
        return f"/api/v1/orders/{self.order.pk}/{action}"

    def line(self, key: str, name: str, quantity: int) -> dict:
        service = {"IRONING": "ironing", "WASHING_IRONING": "washing", "DRY_CLEANING": "dry"}[key]
        return {
            "service_id": str(self.services[service].pk),
            "rate_card_item_id": self.ids[(key, name)],
            "item_name": name,
            "quantity": quantity,
        }


def seed_order(*, society: Society | None = None, flat: str = "A-001") -> SeedOrder:
    """The seed's order (Shirt ironing 5 x 10, Shirt W+I 3 x 25, Trousers W+I 2 x 30, Suit dry cleaning
    1 x 150: 11 items, 335) from a new vendor whose card also has Trousers ironing at 12 and a Coat for
    dry cleaning at 200, by a verified resident of ``flat``."""
    society = society or apartment(towers=2, floors=1, flats=1)
    ironing, washing = laundry_services()
    dry = dry_cleaning()
    prices = {
        ironing: [("Shirt", "10.00"), ("Trousers", "12.00")],
        washing: [("Shirt", "25.00"), ("Trousers", "30.00")],
    }
    partner = serving(society, f"Sparkle {next(_names)}", prices=prices)
    card(partner, society, {dry: [("Suit", "150.00"), ("Coat", "200.00")]})
    user = living_in(society, flat, ApprovalStatus.VERIFIED)
    Residence.objects.filter(user=user).update(is_active=True)
    ids = {
        (line["service_key"], line["item_name"]): line["item_id"]
        for c in RateCard.objects.filter(partner=partner)
        for line in c.published_items
    }
    services = {"ironing": ironing, "washing": washing, "dry": dry}
    world = SeedOrder(None, user, partner, society, services, ids)  # type: ignore[arg-type]
    lines = [("IRONING", "Shirt", 5), ("WASHING_IRONING", "Shirt", 3), ("WASHING_IRONING", "Trousers", 2)]
    items = [world.line(key, name, qty) for key, name, qty in [*lines, ("DRY_CLEANING", "Suit", 1)]]
    data = {"vendor_id": partner.pk, "pickup_datetime": timezone.now() + timedelta(days=PICKUP_DAYS), "items": items}
    world.order = order_create(user=user, society=society, data=data)
    return world


def update(world: SeedOrder, lines, user=None, **fields):
    body = {"actual_items": lines, "vendor_notes": "Found 2 additional shirts", **fields}
    return client_for(user or world.vendor.user).post(world.url("update-count"), body, format="json")


def answer(world: SeedOrder, action="APPROVE", user=None, **fields):
    body = {"action": action, **fields}
    return client_for(user or world.resident).post(world.url("approve-count"), body, format="json")


def seed_count(world: SeedOrder, user=None):
    """6.3's request: Shirt (ironing) 5 -> 7, Shirt (W+I) stays 3."""
    return update(world, [world.line("IRONING", "Shirt", 7), world.line("WASHING_IRONING", "Shirt", 3)], user)


# --- the payment (seed 001 8.1-8.3) ---------------------------------------------------------------


@dataclass
class Delivered:
    order: Order
    resident: User
    vendor: Partner
    society: Society

    def url(self, action: str) -> str:
        return f"/api/v1/orders/{self.order.pk}/{action}"


def delivered(
    price: str = "355.00",
    *,
    society: Society | None = None,
    resident: User | None = None,
    status: str = OrderStatus.DELIVERED,
) -> Delivered:
    """A resident's order from a new vendor of ``society``, at ``status`` (DELIVERED with its final price).

    A new society and resident (flat A-001) unless given; the resident's residence is verified and active.
    """
    society = society or apartment(towers=1, floors=1, flats=2)
    partner = serving(society, f"Sparkle {next(_numbers)}")
    user = resident or living_in(society, "A-001")
    Residence.objects.filter(user=user).update(verification_status=ApprovalStatus.VERIFIED, is_active=True)
    now = timezone.now()
    order = Order.objects.create(
        order_number=f"ORD20991231{next(_numbers):06d}",
        partner=partner,
        residence=Residence.objects.get(user=user),
        society=society,
        pickup_datetime=now - timedelta(days=3),
        estimated_item_count=11,
        estimated_price=Decimal("335.00"),
        expected_delivery_date=(now - timedelta(days=1)).date(),
    )
    Order.objects.filter(pk=order.pk).update(
        status=status,
        final_price=Decimal(price) if status == OrderStatus.DELIVERED else None,
        count_approved_at=now - timedelta(days=2),
        delivered_at=now if status == OrderStatus.DELIVERED else None,
    )
    order.refresh_from_db()
    return Delivered(order=order, resident=user, vendor=partner, society=society)


def mark(world: Delivered, user=None, **body):
    payload = {"payment_method": "CASH", "payment_notes": "Paid ₹355 in cash on delivery", **body}
    return client_for(user or world.vendor.user).post(world.url("mark-payment-received"), payload, format="json")


def dispute(world, user=None, reason="PAYMENT_NOT_MADE"):
    body = {"dispute_reason": reason, "dispute_details": "I did not pay yet. Vendor marked payment incorrectly."}
    return client_for(user or world.resident).post(world.url("dispute-payment"), body, format="json")


def disputed(**kwargs):
    world = delivered(**kwargs)
    assert mark(world).status_code == 200
    response = dispute(world)
    assert response.status_code == 201, response.content
    return world, response.json()["data"]["dispute_id"]


def resolve(user, dispute_id, resolution="PAYMENT_CONFIRMED", notes="Spoke to both"):
    return client_for(user).post(
        f"{DISPUTES}/{dispute_id}/resolve", {"resolution": resolution, "notes": notes}, format="json"
    )


def checkout(world, gateway_order_id):
    """Play Razorpay Checkout on the offline gateway, then verify as the app would."""
    client = client_for(world.resident)
    paid = client.post(
        "/api/v1/payments/offline/checkout", {"order_id": gateway_order_id, "outcome": "success"}, format="json"
    ).json()["data"]
    fields = ("razorpay_order_id", "razorpay_payment_id", "razorpay_signature")
    return client.post("/api/v1/payments/verify", {k: paid[k] for k in fields}, format="json")
