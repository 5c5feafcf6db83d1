"""Dispatch on PostgreSQL: time to choose a partner as the partner table grows, and offers per second in a burst.

Starts its own PostgreSQL and Redis and migrates. Partners are spread over ten
city-sized areas (about 30 x 30 km each, in different places of India), serve
the four demo beauty categories in all tiers, work every day 08:00-20:00 and
have a 10 km radius; a third are rated. For each size (1,000, 10,000,
100,000 partners, added on top of each other):

1. choose: ``partners.matching.candidates`` for a booking in the first area
   (the full eligibility query and the score, best 5), 50 times: median and p95 ms;
2. offer: ``dispatch_booking`` (choose, lock, insert the offer, move the
   booking), each on its own booking, 50 times: median and p95 ms.

Then, at the largest size, a burst: 1,000 paid bookings in the first area,
dispatched by 4 threads at once (as 4 Celery worker processes would):
offers made per second, and how many went to the manual queue.

    .venv/bin/python benchmarks/bench_dispatch.py [--sizes 1000 10000 100000] [--burst 1000] [--areas 10]

``--areas 1`` puts every partner in the first area (100,000 partners: about 35,000 within reach of a booking).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import threading
import time
from datetime import datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import httpload  # noqa: E402

AREAS = [(22.57, 88.36), (19.07, 72.87), (28.61, 77.21), (12.97, 77.59), (13.08, 80.27),
         (17.38, 78.48), (18.52, 73.85), (23.02, 72.57), (26.91, 75.78), (21.17, 72.83)]  # fmt: skip


def _add_partners(count: int, start: int, areas: int = len(AREAS)) -> None:
    """Bulk-insert ``count`` verified partners with their categories and seven day rows (fast: no services)."""
    from accounts.models import User
    from catalog.models import Category
    from partners.models import Partner, PartnerAvailability

    rng = random.Random(start)
    categories = list(Category.objects.filter(key__in=["FACIAL", "WAXING", "HAIR", "NAIL"]))
    batch = 5000
    for offset in range(0, count, batch):
        size = min(batch, count - offset)
        numbers = range(start + offset, start + offset + size)
        users = User.objects.bulk_create(
            [User(phone=f"+9170{n:08d}", full_name=f"Partner {n}", password="!") for n in numbers]
        )
        partners = []
        for n, user in zip(numbers, users, strict=True):
            lat, lng = AREAS[n % areas]
            rated = n % 3 == 0
            partners.append(
                Partner(
                    user=user,
                    partner_code=f"PT-{n:06d}",
                    tiers=7,
                    onboarding_status="verified",
                    current_lat=Decimal(f"{lat + rng.uniform(-0.14, 0.14):.6f}"),
                    current_lng=Decimal(f"{lng + rng.uniform(-0.14, 0.14):.6f}"),
                    service_radius_km=10,
                    rating=Decimal(f"{rng.uniform(4.0, 5.0):.2f}") if rated else Decimal("0"),
                    rating_count=rng.randint(1, 50) if rated else 0,
                )
            )
        partners = Partner.objects.bulk_create(partners)
        through = Partner.categories.through
        through.objects.bulk_create(
            [through(partner_id=p.pk, category_id=c.pk) for p in partners for c in categories], batch_size=20000
        )
        PartnerAvailability.objects.bulk_create(
            [
                PartnerAvailability(partner=p, day_of_week=day, start_time=clock(8), end_time=clock(20))
                for p in partners
                for day in range(1, 8)
            ],
            batch_size=20000,
        )


def _booking(customer, service, start: datetime, n: int):
    from bookings.models import Booking, BookingService

    lat, lng = AREAS[0]
    rng = random.Random(n)
    booking = Booking.objects.create(
        booking_number=f"BK-DISPATCH-{n:07d}",
        user=customer,
        address_snapshot={
            "city": "Kolkata",
            "pincode": "700091",
            "lat": lat + rng.uniform(-0.1, 0.1),
            "lng": lng + rng.uniform(-0.1, 0.1),
        },
        booking_date=start.date(),
        booking_time=start.time(),
        scheduled_start=start,
        scheduled_end=start + timedelta(minutes=60),
        payment_method="online",
        payment_status="paid",
        total_price=1000,
        tax=180,
        grand_total=1180,
    )
    BookingService.objects.create(
        booking=booking, service=service, name=service.name, unit_price=1000, duration_minutes=60
    )
    return booking


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
    }


def _slot(n: int) -> datetime:
    """Different days and hours, so that the offers in one measurement do not compete for the same partners."""
    from django.utils import timezone

    day = timezone.localdate() + timedelta(days=1 + n % 28)
    return datetime.combine(day, clock(8 + (n // 28) % 11), tzinfo=timezone.get_current_timezone())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--areas", type=int, default=len(AREAS), help="spread the partners over this many areas (1-10)")
    args = parser.parse_args()
    httpload.exit_on_sigterm()
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    with httpload.platform_on_postgres():
        report = _measure(args)
    (out / "bench_dispatch.json").write_text(json.dumps(report, indent=2, default=str))


def _measure(args) -> dict:
    from django.db import connection

    from accounts.models import User
    from catalog.demo import seed
    from catalog.models import Service
    from partners.matching import candidates, job_for
    from partners.services.dispatch import dispatch_booking

    seed(io.StringIO())
    service = Service.objects.get(name="Facial - Minimal")
    customer = User.objects.create_user(phone="+919900008888", full_name="Bench Customer")
    report: dict = {"curve": [], "burst": None}
    have, number = 0, 0
    print("partners   choose median / p95 ms   offer median / p95 ms   (candidates found; partners in reach)")
    for size in sorted(args.sizes):
        started = time.perf_counter()
        _add_partners(size - have, have, args.areas)
        have = size
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would have by then
        loaded = time.perf_counter() - started
        choose, offer, reach = [], [], []
        for _ in range(args.samples):
            number += 1
            booking = _booking(customer, service, _slot(number), number)
            job = job_for(booking)
            began = time.perf_counter()
            found = candidates(job, limit=5)
            choose.append(time.perf_counter() - began)
            reach.append(len(found))
            number += 1
            booking = _booking(customer, service, _slot(number), number)
            began = time.perf_counter()
            made = dispatch_booking(booking.pk)
            offer.append(time.perf_counter() - began)
            assert made is not None, "no partner found: the benchmark's data is wrong"
        with connection.cursor() as cursor:  # within their radius of the first area's centre
            cursor.execute(
                "SELECT count(*) FROM partners_partner WHERE current_lat IS NOT NULL AND earth_distance(ll_to_earth("
                "current_lat::float8, current_lng::float8), ll_to_earth(%s, %s)) <= service_radius_km * 1000",
                AREAS[0],
            )
            in_reach = cursor.fetchone()[0]
        row = {"partners": size, "choose": _ms(choose), "offer": _ms(offer), "load_seconds": round(loaded, 1),
               "in_reach": in_reach}  # fmt: skip
        report["curve"].append(row)
        print(
            f"{size:>8}   {row['choose']['median_ms']:>8} / {row['choose']['p95_ms']:<8}"
            f"        {row['offer']['median_ms']:>8} / {row['offer']['p95_ms']:<8}"
            f"      (top {min(reach)}-{max(reach)}; {in_reach})"
        )
    report["burst"] = _burst(args, customer, service, number)
    burst = report["burst"]
    print(
        f"burst at {burst['partners']} partners: {burst['bookings']} bookings dispatched by {burst['threads']} threads "
        f"in {burst['seconds']} s: {burst['offers_per_second']} offers/s; {burst['offered']} offered, "
        f"{burst['queued']} to the manual queue"
    )
    return report


def _burst(args, customer, service, number: int) -> dict:
    from django.db import connection

    from partners.models import Partner, PartnerAssignment
    from partners.services.dispatch import dispatch_booking

    bookings = []
    for _ in range(args.burst):
        number += 1
        bookings.append(_booking(customer, service, _slot(number), number).pk)
    partners = Partner.objects.count()
    queue = list(bookings)
    lock = threading.Lock()
    threads_count = 4

    def worker() -> None:
        try:
            while True:
                with lock:
                    if not queue:
                        return
                    booking_id = queue.pop()
                dispatch_booking(booking_id)
        finally:
            connection.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    offered = PartnerAssignment.objects.filter(booking_id__in=bookings).count()
    return {
        "partners": partners,
        "bookings": len(bookings),
        "threads": threads_count,
        "seconds": round(seconds, 2),
        "offers_per_second": round(offered / seconds, 1),
        "offered": offered,
        "queued": len(bookings) - offered,
    }


if __name__ == "__main__":
    main()
