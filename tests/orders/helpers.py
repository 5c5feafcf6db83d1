"""Vendors serving a society with a rate card, and residents living there: the fixtures of the orders tests."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from catalog.models import Category, Service
from orders.models import Order, RateCard
from orders.services import rate_cards
from orders.services.orders import order_create
from partners.models import VendorService
from societies.models import ApprovalStatus, AssignmentType, Residence, ServiceArea, UnitType, VendorAccess
from tests.societies.helpers import apartment, laundry_services, resident, unit, vendor


def dry_cleaning() -> Service:
    category, _ = Category.objects.get_or_create(key="DRY_CLEANING", defaults={"name": "Dry Cleaning"})
    return Service.objects.get_or_create(
        category=category,
        service_key="DRY_CLEANING",
        defaults={"name": "Dry Cleaning", "default_turnaround_hours": 120, "product_cost": "80.00"},
    )[0]


def card(partner, society, prices: dict, *, publish: bool = True):
    """A card of ``prices`` ({service: [(item name, price)]}, one category), published unless told."""
    body = {
        "society_id": society.pk,
        "items": [
            {"service_id": s.pk, "items": [{"item_name": n, "price_per_piece": Decimal(p)} for n, p in lines]}
            for s, lines in prices.items()
        ],
    }
    made = rate_cards.rate_card_create(user=partner.user, vendor_id=partner.pk, data=body)
    if publish:
        rate_cards.rate_card_publish(user=partner.user, vendor_id=partner.pk, rate_card_id=made.pk)
    return made


def serving(society, name, *, areas=("SOCIETY",), prices=None, turnaround=None, publish=True, **figures):
    """A vendor approved by the platform and ``society``; ``areas`` holds "SOCIETY" or group nodes."""
    partner = vendor(business_name=name)
    for key, value in figures.items():
        setattr(partner, key, value)
    partner.save()
    VendorAccess.objects.create(
        partner=partner, society=society, requested_at=partner.created_at, approval_status=ApprovalStatus.APPROVED
    )
    for area in areas:
        whole = area == "SOCIETY"
        ServiceArea.objects.create(
            partner=partner,
            society=society,
            assignment_type=AssignmentType.SOCIETY if whole else AssignmentType.GROUP,
            node=None if whole else area,
        )
    ironing, _ = laundry_services()
    for service, hours in (turnaround or {}).items():
        VendorService.objects.create(partner=partner, service=service, turnaround_hours=hours)
    card(partner, society, prices or {ironing: [("Shirt", "10.00")]}, publish=publish)
    return partner


def living_in(society, code, status=ApprovalStatus.PENDING):
    user = resident()
    Residence.objects.create(
        user=user, society=society, unit=unit(society, code), unit_type=UnitType.FLAT, verification_status=status
    )
    return user


def neighbourhood(flats: int = 2):
    """A society, a vendor serving all of it with a published card, and a verified active resident of A-001."""
    society = apartment(towers=1, floors=1, flats=flats)
    partner = serving(society, "Sparkle")
    resident = living_in(society, "A-001", ApprovalStatus.VERIFIED)
    Residence.objects.filter(user=resident).update(is_active=True)
    return society, resident, partner


def placed(society, user, partner, *, quantity: int = 2, pickup=None) -> Order:
    """An order of ``quantity`` pieces of the first item of ``partner``'s published card, through the service."""
    item = RateCard.objects.filter(partner=partner, society=society).first().published_items[0]
    data = {
        "vendor_id": partner.pk,
        "pickup_datetime": pickup or timezone.now() + timedelta(days=2),
        "items": [{"service_id": item["service_id"], "rate_card_item_id": item["item_id"], "quantity": quantity}],
    }
    return order_create(user=user, society=society, data=data)
