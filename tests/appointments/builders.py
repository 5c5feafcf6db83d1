"""Builders shared by the appointment tests (issue #18): a centre, a clinician, a specialist, a patient, a slot.

Every provider works every day 09:00-17:00 in their zone (``Asia/Kolkata`` unless given), is verified and
active, and has one own service (a clinician's "Consultation", 30 minutes, ₹800; a specialist's
"Portfolio review", 60 minutes, ₹1500 with a ₹200 deposit). ``slot(provider, days=1, hour=10)`` is that
provider's local ``hour``:00 ``days`` from today, as an aware instant (inside the rules and past the lead time).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from catalog.models import Category, Service
from partners.models import Centre, Partner, PartnerKind, StaffCentre
from tests import factories
from tests.conftest import make_user

_counter = iter(range(1, 10_000_000))


def centre(name: str = "", city: str = "Bengaluru", zone: str = "Asia/Kolkata", **fields) -> Centre:
    return Centre.objects.create(
        name=name or f"Mibo Centre {next(_counter)}", city=city, timezone=zone, address="12 MG Road", **fields
    )


def _provider(kind: str, *, zone: str, session: int, fee: Decimal, deposit: Decimal | None, **fields) -> Partner:
    provider = factories.PartnerFactory(
        categories=(),
        days=range(1, 8),
        start=time(9),
        end=time(17),
        verified=True,
        kind=kind,
        timezone=zone,
        default_session_minutes=session,
        consultation_fee=fee,
        deposit_amount=deposit,
        **fields,
    )
    return provider


def own_service(provider: Partner, *, name: str, minutes: int, price: Decimal, key: str = "") -> Service:
    category, _ = Category.objects.get_or_create(key="CONSULTATION", defaults={"name": "Consultation"})
    return Service.objects.create(
        category=category,
        partner=provider,
        name=name,
        service_key=key or f"SVC{next(_counter)}",
        service_type=name,
        product_cost=price,
        market_price=price,
        duration_minutes=minutes,
    )


def clinician(*, at: Centre | None = None, zone: str = "Asia/Kolkata", fee: Decimal = Decimal("800.00"), **fields):
    provider = _provider(PartnerKind.CLINICIAN, zone=zone, session=30, fee=fee, deposit=None, **fields)
    if at is not None:
        provider.primary_centre = at
        provider.save(update_fields=["primary_centre"])
        provider.centres.add(at)
    own_service(provider, name="Consultation", minutes=30, price=fee)
    return provider


def specialist(
    *, zone: str = "Asia/Kolkata", price: Decimal = Decimal("1500.00"), deposit: Decimal = Decimal("200.00"), **fields
):
    provider = _provider(PartnerKind.SPECIALIST, zone=zone, session=60, fee=price, deposit=deposit, **fields)
    own_service(provider, name="Portfolio review", minutes=60, price=price)
    return provider


def service_of(provider: Partner) -> Service:
    return Service.objects.filter(partner=provider).order_by("created_at").first()


def patient(**fields) -> User:
    return make_user(Role.CUSTOMER, **fields)


def centre_manager(*centres: Centre) -> User:
    user = make_user(Role.CENTRE_MANAGER)
    for c in centres:
        StaffCentre.objects.create(user=user, centre=c)
    return user


def slot(provider: Partner, *, days: int = 1, hour: int = 10, minute: int = 0) -> datetime:
    zone = ZoneInfo(provider.timezone)
    day = timezone.now().astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=zone)
