"""Seed 004's service search on PostgreSQL (issue #19): ``partners.selectors.search.search_services`` over
10,000 services of 1,000 specialists, against a plain page of the same services.

Starts its own PostgreSQL and Redis (``httpload.platform_on_postgres``), writes ``--specialists`` verified
specialists (Monday-Sunday 09:00-18:00, one-hour sessions, a city in their address, two specialties, a rating)
with ``--per`` services each in bulk, runs ANALYZE, then times in process, ``--rounds`` times each (after one
warm-up call whose queries are counted):

1. plain: ``list(Service.objects.filter(partner__isnull=False).select_related(...)[:20])``;
2. search, text: ``query="business strategy"``, a category, a price range, a minimum rating, sorted by price;
3. search, text + availability + specialties + location: the same plus a free slot the day after tomorrow,
   ``specialties="marketing,finance"`` and ``location="pune"``;
4. search, no filter: every service, sorted by rating (facets over all 10,000).

Each line prints the queries, p50 and p99 in milliseconds and the total found.

    .venv/bin/python benchmarks/bench_search.py [--specialists 1000] [--per 10] [--rounds 50]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time as clock
from datetime import time, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import httpload  # noqa: E402

CITIES = ["Bengaluru", "Pune", "Mumbai", "Delhi", "Chennai", "Hyderabad", "Kolkata", "Jaipur"]
SPECIALTIES = ["Business", "Marketing", "Finance", "Career", "Design", "Wellness", "Legal", "Technology"]
WORDS = [
    ("Business strategy consultation", "A strategic planning session for your business"),
    ("Marketing plan review", "We review your marketing plan and growth channels"),
    ("Career coaching", "One-to-one career coaching and interview practice"),
    ("Portfolio review", "Feedback on your design portfolio"),
    ("Tax filing help", "Personal finance and tax filing guidance"),
    ("Contract review", "A lawyer reads your contract"),
    ("Yoga session", "A private wellness and yoga class"),
    ("Code review", "A senior engineer reviews your code and architecture"),
    ("Startup pitch workshop", "Sharpen your pitch deck and business story"),
    ("Brand identity sprint", "Logo, colours and brand voice for small businesses"),
]


def _load(specialists: int, per: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from catalog.models import Category, Service
    from partners.models import OnboardingStatus, Partner, PartnerAvailability, PartnerKind

    rnd = random.Random(19)
    categories = [
        Category.objects.get_or_create(key=key, defaults={"name": key.title()})[0]
        for key in ("CONSULTATION", "WORKSHOP", "COACHING")
    ]
    users = User.objects.bulk_create(
        User(phone=f"+9195{n:08d}", email=f"specialist{n}@bench.example.com", full_name=f"Spec Ialist{n}")
        for n in range(specialists)
    )
    partners = Partner.objects.bulk_create(
        Partner(
            user=user,
            partner_code=f"BS-{n:06d}",
            kind=PartnerKind.SPECIALIST,
            onboarding_status=OnboardingStatus.VERIFIED,
            verified_at=timezone.now(),
            business_name=f"{rnd.choice(SPECIALTIES)} Studio {n}",
            specialties=rnd.sample(SPECIALTIES, 2),
            address=f"{n} Main Road, {rnd.choice(CITIES)}",
            rating=Decimal(rnd.randint(300, 500)) / 100,
            rating_count=rnd.randint(0, 400),
            timezone="Asia/Kolkata",
            default_session_minutes=60,
        )
        for n, user in enumerate(users)
    )
    PartnerAvailability.objects.bulk_create(
        PartnerAvailability(partner=p, day_of_week=day, start_time=time(9), end_time=time(18))
        for p in partners
        for day in range(1, 8)
    )
    Service.objects.bulk_create(
        (
            Service(
                category=rnd.choice(categories),
                partner=p,
                name=WORDS[k % len(WORDS)][0],
                description=WORDS[k % len(WORDS)][1],
                service_key=f"S{k}",
                service_type="Session",
                product_cost=Decimal(rnd.randint(1, 60) * 50),
                duration_minutes=60,
            )
            for p in partners
            for k in range(per)
        ),
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _timed(call, rounds: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        found = call()
    timings = []
    for _ in range(rounds):
        started = clock.perf_counter()
        call()
        timings.append((clock.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    return {"queries": len(queries), "p50_ms": round(cuts[49], 2), "p99_ms": round(cuts[98], 2), "found": found}


def _cases(rounds: int) -> dict:
    from django.utils import timezone

    from catalog.models import Service
    from partners.selectors.search import SearchParams, search_services

    day = timezone.now().date() + timedelta(days=2)
    text = SearchParams(
        query="business strategy",
        category="consultation",
        min_price=Decimal("200"),
        max_price=Decimal("2500"),
        rating=Decimal("3.5"),
        sort_by="price",
    )
    heavy = SearchParams(
        query="business strategy",
        category="consultation",
        min_price=Decimal("200"),
        max_price=Decimal("2500"),
        rating=Decimal("3.5"),
        sort_by="price",
        availability=day,
        specialties=("marketing", "finance"),
        location="pune",
    )

    def plain() -> int:
        return len(list(Service.objects.filter(partner__isnull=False).select_related("category", "partner")[:20]))

    return {
        "plain_page": _timed(plain, rounds),
        "search_text_filters": _timed(lambda: search_services(text).total, rounds),
        "search_text_availability_specialties_location": _timed(lambda: search_services(heavy).total, rounds),
        "search_everything": _timed(lambda: search_services(SearchParams()).total, rounds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--specialists", type=int, default=1000)
    parser.add_argument("--per", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    httpload.exit_on_sigterm()
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    with httpload.platform_on_postgres(MAX_BOOKING_ADVANCE_DAYS="60"):
        _load(args.specialists, args.per)
        report = _cases(args.rounds)
    (out / "bench_search.json").write_text(json.dumps(report, indent=2))
    lines = [f"PostgreSQL, in process; {args.specialists} specialists x {args.per} services, {args.rounds} rounds"]
    for name, row in report.items():
        lines.append(
            f"{name}: {row['queries']} queries, p50 {row['p50_ms']} ms, p99 {row['p99_ms']} ms, found {row['found']}"
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
