"""The back office on PostgreSQL with 100,000 bookings: the users list and the analytics endpoints.

Starts its own PostgreSQL and Redis and migrates. Writes 20,000 customers and
100,000 bookings over the last 365 days (each with one service line, a
captured payment, a pincode among 200, a source; 60 % completed by one of 500
partners, with an earning and a rating), then ANALYZEs.

Each endpoint is called through the whole Django stack in-process (URL
routing, JWT authentication, permissions, the envelope; no network), signed in
as a super admin: 3 warm-up calls, then ``--samples`` timed calls; the median
and p95 and the number of SQL queries of one call are printed. The query counts
are the ones ``tests/adminpanel/test_queries.py`` asserts.

    .venv/bin/python benchmarks/bench_backoffice.py [--bookings 100000] [--samples 20]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import httpload  # noqa: E402

SOURCES = ["app"] * 6 + ["web"] * 3 + ["telegram", "front_desk"]


def _populate(total: int) -> None:
    from django.utils import timezone

    from accounts.models import User
    from bookings.models import BOOKING_PAYABLE, Booking, BookingService
    from catalog.models import Service
    from partners.models import Partner, PartnerAssignment, PartnerEarning
    from payments.models import Payment

    rng = random.Random(7)
    zone = timezone.get_current_timezone()
    services = list(Service.objects.all())
    customers = User.objects.bulk_create(
        [
            User(phone=f"+9180{n:08d}", full_name=f"Customer {n}", email=f"c{n}@example.com", password="!")
            for n in range(total // 5)
        ],
        batch_size=5000,
    )
    partner_users = User.objects.bulk_create(
        [User(phone=f"+9170{n:08d}", full_name=f"Partner {n}", password="!") for n in range(500)]
    )
    partners = Partner.objects.bulk_create(
        [
            Partner(user=u, partner_code=f"PT-B{n:05d}", tiers=7, onboarding_status="verified")
            for n, u in enumerate(partner_users)
        ]
    )
    today = timezone.localdate()
    batch = 10000
    for offset in range(0, total, batch):
        bookings, lines, payments, jobs, earnings = [], [], [], [], []
        for n in range(offset, min(total, offset + batch)):
            day = today - timedelta(days=rng.randrange(365))
            start = datetime.combine(day, clock(8 + n % 12), tzinfo=zone)
            service = services[n % len(services)]
            completed = n % 10 < 6
            status = "completed" if completed else ("cancelled" if n % 10 == 6 else "confirmed")
            booking = Booking(
                booking_number=f"BK-BENCH-{n:08d}",
                user=customers[n % len(customers)],
                address_snapshot={"city": "Kolkata", "pincode": f"700{n % 200:03d}"},
                booking_date=day,
                booking_time=start.time(),
                scheduled_start=start,
                scheduled_end=start + timedelta(minutes=60),
                payment_method="online",
                payment_status="paid",
                status=status,
                source=SOURCES[n % len(SOURCES)],
                total_price=service.product_cost,
                tax=Decimal("180.00"),
                grand_total=service.product_cost + Decimal("180.00"),
                customer_rating=(3 + n % 3) if completed else None,
            )
            bookings.append(booking)
        Booking.objects.bulk_create(bookings)
        for n, booking in enumerate(bookings, start=offset):
            service = services[n % len(services)]
            lines.append(
                BookingService(
                    booking=booking,
                    service=service,
                    name=service.name,
                    unit_price=service.product_cost,
                    duration_minutes=60,
                )
            )
            payments.append(
                Payment(
                    payable_type=BOOKING_PAYABLE,
                    payable_id=str(booking.pk),
                    user_id=booking.user_id,
                    amount=booking.grand_total,
                    status="success",
                    gateway="offline",
                    receipt=f"rcpt-bench-{n}",
                    captured_at=booking.scheduled_start - timedelta(days=1),
                )
            )
            if booking.status == "completed":
                partner = partners[n % len(partners)]
                jobs.append(
                    PartnerAssignment(
                        booking=booking,
                        partner=partner,
                        status="completed",
                        busy_from=booking.scheduled_start,
                        busy_until=booking.scheduled_end,
                        accepted_at=booking.scheduled_start - timedelta(hours=2),
                        partner_earning=Decimal("700.00"),
                        commission_percentage=Decimal("70.00"),
                    )
                )
        BookingService.objects.bulk_create(lines)
        Payment.objects.bulk_create(payments)
        PartnerAssignment.objects.bulk_create(jobs)
        for job in jobs:
            earnings.append(
                PartnerEarning(
                    partner_id=job.partner_id,
                    booking_id=job.booking_id,
                    assignment=job,
                    booking_amount=Decimal("1000.00"),
                    commission_percentage=Decimal("70.00"),
                    partner_earning=Decimal("700.00"),
                    platform_commission=Decimal("300.00"),
                    status="paid",
                )
            )
        PartnerEarning.objects.bulk_create(earnings)
        print(f"  {min(total, offset + batch):>7} bookings written", flush=True)


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--bookings", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=20)
    args = parser.parse_args()
    httpload.exit_on_sigterm()
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    with httpload.platform_on_postgres(ADMIN_API_RATE_PER_MINUTE="1000000"):
        report = _measure(args)
    (out / "bench_backoffice.json").write_text(json.dumps(report, indent=2, default=str))


def _measure(args) -> dict:
    from django.db import connection
    from django.utils import timezone
    from rest_framework.test import APIClient

    from accounts.models import User
    from accounts.roles import Role
    from accounts.services.roles import user_set_roles
    from accounts.services.tokens import tokens_issue
    from catalog.demo import seed

    seed(io.StringIO())
    started = time.perf_counter()
    _populate(args.bookings)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"data written in {time.perf_counter() - started:.0f} s")
    boss = User.objects.create_user(email="boss@example.com", full_name="Boss")
    user_set_roles(user=boss, roles=[Role.SUPER_ADMIN])
    client = APIClient(HTTP_HOST="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_issue(user=boss)['access_token']}")
    today = timezone.localdate()
    year = f"date_from={today - timedelta(days=364)}&date_to={today}"
    month = f"date_from={today - timedelta(days=29)}&date_to={today}"
    endpoints = [
        "/api/v1/admin/users?limit=20",
        "/api/v1/admin/users?limit=100",
        "/api/v1/admin/users?search=Customer%201234&limit=20",
        "/api/v1/admin/bookings?limit=20",
        "/api/v1/admin/dashboard",
        f"/api/v1/admin/analytics/revenue?{month}&group_by=day",
        f"/api/v1/admin/analytics/revenue?{year}&group_by=month",
        f"/api/v1/admin/analytics/partner-performance?{month}",
        f"/api/v1/admin/analytics/service-popularity?{year}",
        "/api/v1/admin/analytics/top-partners?limit=10",
        f"/api/v1/admin/analytics/bookings-by-source?{year}",
        "/api/v1/admin/analytics/pincode-demand?days_back=30",
        "/api/v1/admin/analytics/dashboard",
    ]
    from django.conf import settings

    settings.DEBUG = False
    rows = []
    print(f"{'endpoint':<95} {'median':>8} {'p95':>8} {'queries':>8}")
    for path in endpoints:
        for _ in range(3):
            assert client.get(path).status_code == 200, path
        queries: list[str] = []

        def counted(execute, sql, *rest, seen=queries):
            seen.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(counted):
            response = client.get(path)
        assert response.status_code == 200, (path, response.content[:300])
        samples = []
        for _ in range(args.samples):
            begun = time.perf_counter()
            client.get(path)
            samples.append(time.perf_counter() - begun)
        row = {"path": path, **_ms(samples), "queries": len(queries)}
        rows.append(row)
        print(f"{path:<95} {row['median_ms']:>6} ms {row['p95_ms']:>6} ms {row['queries']:>8}", flush=True)
    return {"bookings": args.bookings, "samples": args.samples, "endpoints": rows}


if __name__ == "__main__":
    main()
