"""A smart-scheduling burst: ``GET /smart-scheduling`` over 20 pincodes, the travel-time cache's hit rate (PostgreSQL).

Starts its own PostgreSQL and Redis (the travel times are cached in Redis, as in production) and migrates. Five
verified partners work 08:00-20:00 with four jobs each on the day asked, at pincodes of the shipped table; 20
customer pincodes (the table's Kolkata ones). Then ``--requests`` (200) requests through Django's test client,
partner ``i % 5`` and pincode ``i % 20``, signed in as one customer:

* burst 1 from an empty cache: the travel-time hit rate (``partners.travel.STATS``) and the time per request;
* burst 2, the same requests again (a warm cache);
* burst 3 with ``TRAVEL_CACHE_SECONDS = 0`` (nothing kept): the cost the cache saves.

    .venv/bin/python benchmarks/bench_travel_time.py [--requests 200]
"""

from __future__ import annotations

import argparse
import json
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

JOB_HOURS = (9, 11, 14, 17)


def _setup():
    from django.utils import timezone

    from accounts.models import User
    from bookings.models import Booking, BookingStatus, PaymentMode
    from catalog.models import Category, Service, Tier
    from partners.models import AssignmentStatus, PartnerAssignment
    from partners.services.availability import availability_set_day
    from partners.services.profiles import partner_create
    from partners.travel import shipped_centroids

    category = Category.objects.create(key="FACIAL", name="Facial")
    service = Service.objects.create(
        category=category,
        name="Facial",
        service_key="FACIAL",
        service_type="Facial",
        tier=Tier.MINIMAL,
        product_cost=Decimal("1000.00"),
        duration_minutes=60,
    )
    kolkata = sorted(p for p in shipped_centroids() if p.startswith("7"))
    pincodes = kolkata[:20]
    day = timezone.localdate() + timedelta(days=2)
    zone = timezone.get_current_timezone()
    customer = User.objects.create_user(phone="+919811100009", full_name="Bench Customer")
    partners = []
    for n in range(5):
        partner = partner_create(
            data={
                "name": f"Bench Partner {n}",
                "phone_number": f"+9198111000{20 + n}",
                "service_categories": ["FACIAL"],
                "service_tiers": [Tier.MINIMAL],
                "current_lat": Decimal("22.5760"),
                "current_lng": Decimal("88.4330"),
                "service_radius_km": 20,
            },
            verified=True,
        )
        for weekday in range(1, 8):
            availability_set_day(
                partner=partner,
                data={
                    "day_of_week": weekday,
                    "start_time": clock(8),
                    "end_time": clock(20),
                    "primary_pincode": "700091",
                },
            )
        for k, hour in enumerate(JOB_HOURS):
            start = datetime.combine(day, clock(hour), tzinfo=zone)
            booking = Booking.objects.create(
                booking_number=f"BENCH-{n}-{k}",
                user=customer,
                address_snapshot={"city": "Kolkata", "pincode": pincodes[(n * 4 + k) % len(pincodes)]},
                booking_date=day,
                booking_time=clock(hour),
                scheduled_start=start,
                scheduled_end=start + timedelta(hours=1),
                status=BookingStatus.CONFIRMED,
                payment_method=PaymentMode.CASH,
                total_price=Decimal("1000.00"),
                tax=Decimal("180.00"),
                grand_total=Decimal("1180.00"),
            )
            PartnerAssignment.objects.create(
                booking=booking,
                partner=partner,
                status=AssignmentStatus.ACCEPTED,
                busy_from=start,
                busy_until=start + timedelta(hours=1),
                partner_earning=Decimal("800.00"),
                commission_percentage=Decimal("80.00"),
            )
        partners.append(partner)
    return customer, service, partners, pincodes, day


def _burst(client, paths: list[str]) -> dict:
    from partners.travel import STATS

    STATS.reset()
    samples = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content
    return {
        "requests": len(paths),
        "travel_hits": STATS.hits,
        "travel_misses": STATS.misses,
        "hit_rate": round(STATS.hit_rate, 3),
        "mean_ms": round(statistics.mean(samples) * 1000, 2),
        "median_ms": round(statistics.median(samples) * 1000, 2),
        "p95_ms": round(sorted(samples)[int(len(samples) * 0.95) - 1] * 1000, 2),
    }


def _measure(args) -> dict:
    from django.core.cache import cache
    from django.test import override_settings
    from rest_framework.test import APIClient

    from accounts.services.tokens import tokens_issue

    customer, service, partners, pincodes, day = _setup()
    client = APIClient(SERVER_NAME="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_issue(user=customer)['access_token']}")
    paths = [
        f"/api/v1/smart-scheduling?vendor_id={partners[i % 5].pk}&service_id={service.pk}"
        f"&customer_pincode={pincodes[i % 20]}&preferred_date={day.isoformat()}"
        for i in range(args.requests)
    ]
    client.get(paths[0])  # warm-up: imports, connection, the token
    cache.clear()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_issue(user=customer)['access_token']}")
    report = {"cold": _burst(client, paths), "warm": _burst(client, paths)}
    cache.clear()  # nothing kept from the bursts above either
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_issue(user=customer)['access_token']}")
    with override_settings(TRAVEL_CACHE_SECONDS=0):
        report["uncached"] = _burst(client, paths)
    slots = client.get(paths[0]).json()["data"]["total_slots"]
    print(f"{args.requests} GET /smart-scheduling: 5 partners x 4 jobs, 20 customer pincodes, {slots} slots each")
    for name, row in report.items():
        print(
            f"{name:>8}: travel-time cache hits {row['travel_hits']}, misses {row['travel_misses']}, "
            f"hit rate {row['hit_rate']:.1%}; per request mean {row['mean_ms']} ms, median {row['median_ms']} ms, "
            f"p95 {row['p95_ms']} ms"
        )
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    httpload.exit_on_sigterm()
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    with httpload.platform_on_postgres():
        report = _measure(args)
    (out / "bench_travel_time.json").write_text(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
