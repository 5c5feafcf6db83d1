"""Demo society orders (``seed_demo``), idempotent, made through the services as a vendor and a resident would.

* Sparkle Laundry (``vendor@example.com``, societies.demo) also offers dry cleaning and has a published
  laundry rate card in Green Valley Apartments: ironing, washing + ironing and dry cleaning by the piece.
* Rohan Mehta (``+919900000301``, ``resident@example.com``) is a verified resident of flat A-102 with one order
  in each status a person wants to see: pickup scheduled, count awaiting approval, processing, delivered,
  payment received, disputed and closed. The demo customer (``+919900000001``) is left to register in A-101
  through the API, as the societies walk-through does.

Pickups are in the near future (an order cannot be placed for the past); the work on them happens now.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services.roles import user_set_roles
from catalog.models import Category, Service
from orders.models import Order, RateCard, StepStatus
from orders.services import rate_cards
from partners.models import Partner, VendorService
from societies.demo import APARTMENT, DEMO_VENDOR
from societies.models import ApprovalStatus, Residence, Society, SocietyAdminScope, UnitType

DEMO_RESIDENT = {"phone": "+919900000301", "email": "resident@example.com", "full_name": "Rohan Mehta"}
CARD = {
    "IRONING": [("Shirt", "10.00"), ("Trousers", "12.00"), ("Saree", "25.00")],
    "WASHING_IRONING": [("Shirt", "25.00"), ("Trousers", "30.00"), ("Bedsheet", "40.00")],
    "DRY_CLEANING": [("Suit", "150.00"), ("Blazer", "120.00")],
}
COUNTED = 2  # every template: 1 pickup, 2 count, then the service's own steps
PHOTO = "https://demo.example.com/photos/{order}-{step}.jpg"


def laundry() -> dict[str, Service]:
    return {s.service_key: s for s in Service.objects.filter(category__key="LAUNDRY", service_key__in=CARD)}


def publish_card(partner: Partner, society: Society) -> RateCard:
    """The vendor's laundry card in ``society``, created and published once (again after a draft edit)."""
    services = laundry()
    for service in services.values():
        VendorService.objects.get_or_create(
            partner=partner, service=service, defaults={"turnaround_hours": service.default_turnaround_hours or 24}
        )
    category = Category.objects.get(key="LAUNDRY")
    card = RateCard.objects.filter(partner=partner, society=society, category=category).first()
    if card is None:
        lines = [
            {
                "service_id": services[key].pk,
                "items": [{"item_name": n, "price_per_piece": Decimal(p)} for n, p in items],
            }
            for key, items in CARD.items()
            if key in services
        ]
        card = rate_cards.rate_card_create(
            user=partner.user, vendor_id=partner.pk, data={"society_id": society.pk, "items": lines}
        )
    if not card.is_published:
        card = rate_cards.rate_card_publish(user=partner.user, vendor_id=partner.pk, rate_card_id=card.pk)
    return card


def resident(society: Society, *, phone: str, email: str, full_name: str, flat: str) -> User:
    """A verified resident of ``flat`` whose active society is ``society``."""
    user = User.objects.filter(phone=phone).first() or User.objects.create_user(
        phone=phone, email=email, full_name=full_name, is_phone_verified=True
    )
    user_set_roles(user=user, roles=[Role.CUSTOMER])
    Residence.objects.get_or_create(
        user=user,
        society=society,
        defaults={
            "unit": society.nodes.get(node_code=flat),
            "unit_type": UnitType.FLAT,
            "verification_status": ApprovalStatus.VERIFIED,
            "verified_at": timezone.now(),
            "is_primary": True,
            "is_active": True,
        },
    )
    return user


def place(user: User, partner: Partner, society: Society, lines: list[tuple[str, str, int]], hours: int) -> Order:
    """An order of ``lines`` ((service key, item name, quantity)) for pickup in ``hours``."""
    from orders.services.orders import order_create

    published = {
        (item["service_key"], item["item_name"]): item
        for card in RateCard.objects.filter(partner=partner, society=society)
        for item in card.published_items
    }
    items = [
        {
            "service_id": published[(k, n)]["service_id"],
            "rate_card_item_id": published[(k, n)]["item_id"],
            "quantity": q,
        }
        for k, n, q in lines
    ]
    pickup = timezone.now() + timedelta(hours=hours)
    data: dict[str, Any] = {"vendor_id": partner.pk, "pickup_datetime": pickup, "items": items}
    data["pickup_address"] = "A-102, Tower A, Green Valley Apartments"
    return order_create(user=user, society=society, data=data)


def work(order: Order, vendor: User, *, through: int | None = None) -> None:
    """Complete each service's steps in order up to step ``through`` (every step when ``None``)."""
    from orders.services.workflow import step_complete

    for service in order.services.all():
        while (step := service.steps.filter(status=StepStatus.IN_PROGRESS).first()) is not None:
            if through is not None and step.step_order > through:
                break
            photos = [PHOTO.format(order=order.order_number, step=step.step_key)] if step.requires_photo else []
            step_complete(
                user=vendor,
                order_id=order.pk,
                service_id=service.service_id,
                data={"step_id": step.pk, "photos": photos, "notes": f"{step.step_name} done"},
            )


def _orders(user: User, partner: Partner, society: Society, stdout) -> None:
    from orders.services import count, disputes, payment

    vendor = partner.user
    basket = [("IRONING", "Shirt", 5), ("IRONING", "Trousers", 2), ("DRY_CLEANING", "Suit", 1)]
    place(user, partner, society, basket, hours=20)  # PICKUP_SCHEDULED

    counted = place(user, partner, society, basket, hours=2)
    work(counted, vendor, through=COUNTED)
    shirts = next(i for i in counted.items.all() if i.item_name == "Shirt")
    count.count_update(
        user=vendor,
        order_id=counted.pk,
        data={
            "actual_items": [
                {"service_id": shirts.service_id, "rate_card_item_id": shirts.rate_card_item_id, "quantity": 7}
            ],
            "vendor_notes": "Found 2 more shirts",
        },
    )  # COUNT_APPROVAL_PENDING

    def delivered(hours: int) -> Order:
        order = place(user, partner, society, basket, hours=hours)
        work(order, vendor, through=COUNTED)
        count.count_update(user=vendor, order_id=order.pk, data={"actual_items": [], "vendor_notes": "As ordered"})
        work(order, vendor, through=None)
        return order

    processing = place(user, partner, society, basket, hours=1)
    work(processing, vendor, through=COUNTED)
    count.count_update(user=vendor, order_id=processing.pk, data={"actual_items": [], "vendor_notes": "As ordered"})
    work(processing, vendor, through=COUNTED + 1)  # PROCESSING_IN_PROGRESS

    delivered(1)  # DELIVERED
    closed = delivered(1)  # paid first and closed by the scan "48 hours later", before the others are paid
    payment.payment_mark_received(user=vendor, order_id=closed.pk, method="CASH", notes="Cash on delivery")
    payment.auto_close_due(now=timezone.now() + payment.GRACE + timedelta(seconds=1))
    paid = delivered(1)
    payment.payment_mark_received(user=vendor, order_id=paid.pk, method="UPI", notes="UPI on delivery")
    disputed = delivered(1)
    payment.payment_mark_received(user=vendor, order_id=disputed.pk, method="CASH", notes="Cash on delivery")
    disputes.dispute_raise(
        user=user, order_id=disputed.pk, reason="PAYMENT_NOT_MADE", details="I have not paid this one yet."
    )
    stdout.write(
        f"Demo orders of {user.full_name}: " + ", ".join(o.status for o in Order.objects.filter(residence__user=user))
    )


def seed(stdout) -> None:
    society = Society.objects.filter(name=APARTMENT["name"]).first()
    partner = Partner.objects.filter(user__phone=DEMO_VENDOR["phone"]).first()
    if society is None or partner is None or not laundry():
        return
    publish_card(partner, society)
    user = resident(society, flat="A-102", **DEMO_RESIDENT)
    admin = User.objects.filter(email="society-admin@staff.example.com").first()
    if admin is not None:
        SocietyAdminScope.objects.get_or_create(user=admin, society=society)
    if not Order.objects.filter(residence__user=user).exists():
        _orders(user, partner, society, stdout)
    stdout.write(
        f"Society orders: {partner.business_name} has a published laundry card in {society.name}; resident "
        f"{DEMO_RESIDENT['full_name']} ({DEMO_RESIDENT['phone']}) orders from flat A-102."
    )
