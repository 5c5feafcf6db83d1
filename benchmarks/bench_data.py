"""The data ``bench_bookings.py`` (and ``bench_orders.py``, ``soak.py``) load: the demo data, the Kolkata and Mumbai
partners, the customers, the Kolkata partners' past jobs and the bench customer's bookings, then ``ANALYZE``.

Split from ``bench_bookings.py`` (which measures) so that each stays under 400 lines.
"""

from __future__ import annotations

import io
from datetime import time, timedelta
from decimal import Decimal

KOLKATA = (Decimal("22.5726"), Decimal("88.3639"))
MUMBAI = (Decimal("19.0760"), Decimal("72.8777"))
CONFIRM_PARTNERS = 100  # plus the 5 demo partners
BURST_PARTNERS, BURST_CONFIRMS, BURST_SLOT = 50, 200, time(10)
HISTORY_DAYS = 30  # past days of completed jobs per Kolkata partner (3,000 jobs)


def _partners(prefix: str, phones: str, count: int, at: tuple[Decimal, Decimal], hours: tuple[time, time]) -> list:
    """``count`` verified partners at ``at`` (15 km), every demo category and tier, working ``hours`` every day."""
    from accounts.models import User
    from catalog.models import Category
    from partners.models import OnboardingStatus, Partner, PartnerAvailability

    users = User.objects.bulk_create(
        [
            User(
                email=f"partner-{prefix.lower()}{i}@bench.example",
                phone=f"+91{phones}{i:07d}",
                full_name=f"{prefix} {i}",
            )
            for i in range(count)
        ]
    )
    partners = Partner.objects.bulk_create(
        [
            Partner(
                user=user,
                partner_code=f"{prefix}-{i:04d}",
                tiers=7,  # Minimal, Exclusive, E-Lite
                current_lat=at[0],
                current_lng=at[1],
                service_radius_km=15,
                onboarding_status=OnboardingStatus.VERIFIED,
                is_active=True,
                is_available=True,
            )
            for i, user in enumerate(users)
        ]
    )
    categories = list(Category.objects.filter(key__in=["FACIAL", "WAXING", "HAIR", "NAIL"]))
    Partner.categories.through.objects.bulk_create(
        [Partner.categories.through(partner=p, category=c) for p in partners for c in categories]
    )
    PartnerAvailability.objects.bulk_create(
        [
            PartnerAvailability(partner=p, day_of_week=day, start_time=hours[0], end_time=hours[1])
            for p in partners
            for day in range(1, 8)
        ]
    )
    return partners


def _customer(email: str, phone: str, city: str, pincode: str, at: tuple[Decimal, Decimal]):
    from accounts.models import User
    from accounts.services.addresses import address_create
    from accounts.services.tokens import tokens_issue

    user = User.objects.create_user(email=email, phone=phone, full_name="Bench Customer")
    address = address_create(
        user=user,
        data={"name": "Home", "address_line1": "1 Bench Road", "city": city, "state": "-", "pincode": pincode,
              "lat": at[0], "lng": at[1]},
    )  # fmt: skip
    return user, address, tokens_issue(user=user)["access_token"]


def _history(user, service, partners: list) -> None:
    """``HISTORY_DAYS`` past days of completed jobs for each of ``partners`` (a platform in service has them: its
    plans then probe the jobs table by index, as they do in production, not read a near-empty one whole)."""
    from django.utils import timezone

    from bookings.models import Booking, BookingStatus, PaymentMode
    from partners.models import AssignmentStatus, PartnerAssignment

    rows = []
    for day in range(1, HISTORY_DAYS + 1):
        start = (timezone.now() - timedelta(days=day)).replace(hour=5, minute=0, second=0, microsecond=0)
        rows += [(partner, start) for partner in partners]
    bookings = Booking.objects.bulk_create(
        [
            Booking(
                booking_number=f"BK-HIST-{i:06d}", user=user, booking_date=start.date(), booking_time=start.time(),
                scheduled_start=start, scheduled_end=start + timedelta(hours=1), status=BookingStatus.COMPLETED,
                payment_method=PaymentMode.CASH, total_price=1000, tax=180, grand_total=1180,
                address_snapshot={"city": "Kolkata", "pincode": "700001"},
            )
            for i, (_, start) in enumerate(rows)
        ]
    )  # fmt: skip
    PartnerAssignment.objects.bulk_create(
        [
            PartnerAssignment(
                booking=booking, partner=partner, status=AssignmentStatus.COMPLETED, busy_from=start,
                busy_until=start + timedelta(minutes=90), partner_earning=800, commission_percentage=20,
            )
            for booking, (partner, start) in zip(bookings, rows, strict=True)
        ]
    )  # fmt: skip


def _setup(bookings: int):
    from django.db import connection
    from django.utils import timezone

    from accounts.demo import seed as seed_accounts
    from bookings.models import Booking, BookingService, PaymentMode
    from catalog.demo import seed
    from catalog.models import Service
    from partners.demo import seed as seed_partners
    from partners.slots import slots_changed

    seed_accounts(io.StringIO())  # the demo partners' account and the appointments demo's admin
    seed(io.StringIO())
    seed_partners(io.StringIO())  # checkout offers only slots a partner can take
    bench = _partners("BENCH", "881", CONFIRM_PARTNERS, KOLKATA, (time(8), time(20)))
    _partners("BURST", "771", BURST_PARTNERS, MUMBAI, (time(10), time(11)))  # one 60-minute job each, at 10:00
    slots_changed()
    user, address, token = _customer("bench@example.com", "+919900009999", "Kolkata", "700001", KOLKATA)
    service = Service.objects.get(name="Facial - Minimal")
    day = timezone.localdate() + timedelta(days=1)
    start = timezone.now() + timedelta(days=1)
    rows = Booking.objects.bulk_create(
        [
            Booking(
                booking_number=f"BK-BENCH-{i:06d}",
                user=user,
                booking_date=day,
                booking_time=start.time(),
                scheduled_start=start,
                scheduled_end=start + timedelta(hours=1),
                payment_method=PaymentMode.CASH,
                total_price=1000,
                tax=180,
                grand_total=1180,
                address_snapshot={"city": "Kolkata"},
            )
            for i in range(bookings)
        ]
    )
    BookingService.objects.bulk_create(
        [
            BookingService(booking=row, service=service, name=service.name, unit_price=1000, duration_minutes=60)
            for row in rows
            for _ in range(2)
        ]
    )
    burst = [
        _customer(f"burst{i}@bench.example", f"+91660{i:07d}", "Mumbai", "400001", MUMBAI)
        for i in range(BURST_CONFIRMS)
    ]
    _history(user, service, bench)
    with connection.cursor() as cursor:  # statistics, as a database in service has them (autovacuum may be late)
        cursor.execute("ANALYZE")
    return user, address, service, token, burst
