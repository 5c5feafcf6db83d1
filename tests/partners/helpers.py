"""Test data for partners: categories and services, partners with hours and places, bookings that need a partner.

Bookings here are written directly (with their services and address), so a
test can put them exactly where and when it needs; checkout-driven flows are
in the API tests. Each helper is a keyword-compatible front for a factory in
``tests.factories``.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from django.utils import timezone

from bookings.models import Booking, PaymentMode
from catalog.models import Category, Service, Tier
from partners.models import Partner
from tests import factories
from tests.conftest import make_user
from tests.factories import HOME, NEAR, PINCODE, next_weekday_at

# Salt Lake, Kolkata; NEAR is ~1.5 km away, FAR ~30 km (HOME, NEAR and PINCODE live in tests.factories).
MID = (Decimal("22.60000000"), Decimal("88.40000000"))
FAR = (Decimal("22.85000000"), Decimal("88.36390000"))

# Some tests reach make_user, time and timezone through this module too.
__all__ = [
    "FAR",
    "HOME",
    "MID",
    "NEAR",
    "PINCODE",
    "booking",
    "category",
    "make_user",
    "next_weekday_at",
    "partner",
    "service",
    "time",
    "timezone",
]


def category(key: str = "FACIAL") -> Category:
    """``CategoryFactory(key=key)`` (one row per key)."""
    return factories.CategoryFactory(key=key)


def service(key: str = "FACIAL", tier: str = Tier.MINIMAL, price: str = "1000.00", minutes: int = 60) -> Service:
    """``ServiceFactory`` under these names (one row per key and tier; price and minutes apply when it is new)."""
    return factories.ServiceFactory(service_key=key, tier=tier, product_cost=Decimal(price), duration_minutes=minutes)


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
    """An alias of ``PartnerFactory`` (same keywords)."""
    return factories.PartnerFactory(
        categories=categories,
        tiers=tiers,
        at=at,
        radius=radius,
        days=days,
        start=start,
        end=end,
        pincodes=pincodes,
        verified=verified,
        **fields,
    )


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
    """``BookingFactory`` under these names (a new customer, one facial, two days ahead at 10:00 unless given)."""
    given = {"user": customer, "services": services or None, "start": start}
    return factories.BookingFactory(
        **{name: value for name, value in given.items() if value is not None},
        at=at,
        pincode=pincode,
        payment_method=method,
        paid=paid,
        total=total,
        tax=Decimal(tax),
    )


def ledger_balances() -> dict[str, Decimal]:
    """Every ledger account that moved, with its balance (``ledger_balance`` of each): the money flow to assert."""
    from payments.models import LedgerEntry
    from payments.services.ledger import ledger_balance

    codes = sorted(set(LedgerEntry.objects.values_list("account__code", flat=True)))
    return {code: ledger_balance(code) for code in codes if ledger_balance(code)}
