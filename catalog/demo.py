"""Demo catalog (``seed_demo``): seed 000's Facial, Waxing, Hair and Nail in three tiers, and seed 001's laundry.

Each laundry service gets its default workflow template (``catalog.workflows``, seed 001 7.1).
"""

from __future__ import annotations

from decimal import Decimal

from catalog.models import Category, PricingModel, Service, Tier
from catalog.workflows import ensure_default_workflow

TIER_PRICES = {Tier.MINIMAL: (1000, 1200), Tier.EXCLUSIVE: (1500, 1850), Tier.E_LITE: (2200, 2700)}
BEAUTY = [
    # key, name, service type, duration, price factor
    ("FACIAL", "Facial", "Facial", 60, Decimal("1.0")),
    ("WAXING", "Waxing", "Full arms and legs", 45, Decimal("0.6")),
    ("HAIR", "Hair", "Hair spa", 60, Decimal("0.8")),
    ("NAIL", "Nail", "Manicure and pedicure", 50, Decimal("0.5")),
]
LAUNDRY = [
    ("IRONING", "Ironing Only", 24, "15.00"),
    ("WASHING_IRONING", "Washing + Ironing", 48, "35.00"),
    ("DRY_CLEANING", "Dry Cleaning", 120, "120.00"),
]


def seed(stdout) -> None:
    for order, (key, name, service_type, minutes, factor) in enumerate(BEAUTY, start=1):
        category, _ = Category.objects.get_or_create(
            key=key, defaults={"name": name, "display_order": order, "description": f"{name} at home"}
        )
        for position, (tier, (cost, market)) in enumerate(TIER_PRICES.items(), start=1):
            Service.objects.get_or_create(
                category=category,
                service_key=key,
                tier=tier,
                defaults={
                    "name": f"{name} - {tier}",
                    "service_type": service_type,
                    "product_cost": (Decimal(cost) * factor).quantize(Decimal("1")),
                    "market_price": (Decimal(market) * factor).quantize(Decimal("1")),
                    "duration_minutes": minutes,
                    "display_order": position,
                    "description": f"{service_type}, {tier.lower()} range of products.",
                },
            )
    laundry, _ = Category.objects.get_or_create(
        key="LAUNDRY",
        defaults={
            "name": "Laundry Services",
            "display_order": 10,
            "color_hex": "#3B82F6",
            "description": "Professional laundry and garment care services",
        },
    )
    for position, (key, name, hours, price) in enumerate(LAUNDRY, start=1):
        service, _ = Service.objects.get_or_create(
            category=laundry,
            service_key=key,
            tier=Tier.MINIMAL,
            defaults={
                "name": name,
                "service_type": name,
                "product_cost": Decimal(price),
                "duration_minutes": 30,
                "default_turnaround_hours": hours,
                "pricing_model": PricingModel.PER_ITEM,
                "display_order": position,
            },
        )
        ensure_default_workflow(service)
    Category.objects.get_or_create(
        key="VEHICLE",
        defaults={
            "name": "Vehicle Services",
            "display_order": 11,
            "is_live": False,
            "description": "Car and bike washing and detailing services",
        },
    )
    stdout.write(f"Demo catalog: {Service.objects.count()} services in {Category.objects.count()} categories.")
