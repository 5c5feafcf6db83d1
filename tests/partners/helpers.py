"""Test data for partners: categories and services, partners with hours and places, bookings that need a partner.

Bookings here are written directly (with their services and address), so a
test can put them exactly where and when it needs; checkout-driven flows are
in the API tests.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.roles import Role
from bookings.models import Booking, BookingService, PaymentMode
from bookings.services.numbers import next_booking_number
from catalog.models import Category, Service, Tier
from partners.models import Partner
from partners.services.availability import availability_set_day
from partners.services.profiles import partner_create
from tests.conftest import make_user

# Salt Lake, Kolkata; NEAR is ~1.5 km away, FAR ~30 km.
HOME = (Decimal("22.57260000"), Decimal("88.36390000"))
NEAR = (Decimal("22.58000000"), Decimal("88.37500000"))
MID = (Decimal("22.60000000"), Decimal("88.40000000"))
FAR = (Decimal("22.85000000"), Decimal("88.36390000"))
PINCODE = "700091"

_counter = {"n": 0}


def category(key: str = "FACIAL") -> Category:
    return Category.objects.get_or_create(key=key, defaults={"name": key.title()})[0]


def service(key: str = "FACIAL", tier: str = Tier.MINIMAL, price: str = "1000.00", minutes: int = 60) -> Service:
    found, _ = Service.objects.get_or_create(
        category=category(key),
        service_key=key,
        tier=tier,
        defaults={
            "name": f"{key.title()} {tier}",
            "service_type": key.title(),
            "product_cost": Decimal(price),
            "market_price": Decimal(price) + 200,
            "duration_minutes": minutes,
        },
    )
    return found


def partner(
    *,
    categories=("FACIAL",),
    tiers=(Tier.MINIMAL,),
    at=NEAR,
    radius: int = 10,
    days=range(1, 8),
    start: time = time(8),
    end: time = time(20),
    pincodes=(),
    verified: bool = True,
    **fields,
) -> Partner:
    for key in categories:
        category(key)
    _counter["n"] += 1
    n = _counter["n"]
    user = make_user(Role.PARTNER, phone=f"+9197{n:08d}", email=f"partner{n}@example.com", full_name=f"Partner {n}")
    created = partner_create(
        data={
            "name": user.full_name,
            "phone_number": user.phone,
            "service_categories": list(categories),
            "service_tiers": list(tiers),
            "current_lat": at[0] if at else None,
            "current_lng": at[1] if at else None,
            "service_radius_km": radius,
        },
        verified=verified,
    )
    for day in days:
        availability_set_day(
            partner=created,
            data={"day_of_week": day, "start_time": start, "end_time": end, "service_area_pincodes": list(pincodes)},
        )
    if fields:
        Partner.objects.filter(pk=created.pk).update(**fields)
        created.refresh_from_db()
    return created


def next_weekday_at(hour: int = 10, minute: int = 0, days_ahead: int = 2) -> datetime:
    day = timezone.localdate() + timedelta(days=days_ahead)
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def booking(
    customer=None,
    *,
    services=None,
    start: datetime | None = None,
    at=HOME,
    pincode: str = PINCODE,
    method: str = PaymentMode.CASH,
    paid: bool = False,
    total: str = "1180.00",
    tax: str = "180.00",
) -> Booking:
    customer = customer or make_user(Role.CUSTOMER)
    services = services or [service()]
    start = start or next_weekday_at()
    minutes = sum(s.duration_minutes for s in services)
    created = Booking.objects.create(
        booking_number=next_booking_number(day=start.date()),
        user=customer,
        address_snapshot={
            "city": "Kolkata",
            "pincode": pincode,
            "lat": float(at[0]) if at else None,
            "lng": float(at[1]) if at else None,
        },
        booking_date=start.date(),
        booking_time=start.time(),
        scheduled_start=start,
        scheduled_end=start + timedelta(minutes=minutes),
        payment_method=method,
        payment_status="paid" if paid else "pending",
        total_price=Decimal(total) - Decimal(tax),
        tax=Decimal(tax),
        grand_total=Decimal(total),
        contact_name=customer.full_name,
        contact_phone=customer.phone or "",
    )
    BookingService.objects.bulk_create(
        [
            BookingService(
                booking=created,
                service=s,
                name=s.name,
                unit_price=s.product_cost,
                market_price=s.market_price,
                duration_minutes=s.duration_minutes,
            )
            for s in services
        ]
    )
    return created
