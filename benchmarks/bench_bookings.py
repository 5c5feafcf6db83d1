"""Customer booking on PostgreSQL: cached catalog vs a bare view, the bookings list, checkout confirm.

Starts its own PostgreSQL and Redis, loads the demo catalog and partners, a customer
with an address and 200 bookings, then uvicorn (one process) on ``benchmarks.settings_pg``:

1. ``/api/v1/services/catalog`` (cached) against ``/api/v1/bench/bare`` (plain
   Django JSON), alternating rounds, 16 connections: requests/s and the ratio;
2. ``/api/v1/bookings`` at 20 and at 100 per page, 32 connections: requests/s, p99;
3. ``POST /api/v1/checkout/confirm`` (cash), each with its own preview and
   idempotency key, 16 connections: confirms/s and p99.

    .venv/bin/python benchmarks/bench_bookings.py [--seconds 5] [--rounds 3] [--confirms 600]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import statistics
import sys
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import httpload  # noqa: E402


def _summary(result: httpload.LoadResult) -> dict[str, float]:
    bad = [status for status in result.statuses if status >= 400]
    if bad:
        raise RuntimeError(f"{len(bad)} error answers, e.g. {bad[0]}")
    return {
        "requests": len(result.latencies),
        "rps": round(result.rps, 1),
        "p50_ms": round(result.percentile_ms(0.50), 2),
        "p99_ms": round(result.percentile_ms(0.99), 2),
    }


def _setup(bookings: int):
    from django.utils import timezone

    from accounts.models import User
    from accounts.services.addresses import address_create
    from accounts.services.tokens import tokens_issue
    from bookings.models import Booking, BookingService, PaymentMode
    from catalog.demo import seed
    from catalog.models import Service
    from partners.demo import seed as seed_partners

    seed(io.StringIO())
    seed_partners(io.StringIO())  # checkout offers only slots a partner can take
    user = User.objects.create_user(email="bench@example.com", phone="+919900009999", full_name="Bench Customer")
    address = address_create(
        user=user,
        data={
            "name": "Home",
            "address_line1": "1 Bench Road",
            "city": "Kolkata",
            "state": "West Bengal",
            "pincode": "700001",
        },
    )
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
    return user, address, service, tokens_issue(user=user)["access_token"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--confirms", type=int, default=600)
    args = parser.parse_args()
    httpload.exit_on_sigterm()
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    log = (out / "bookings-server.log").open("wb")
    server = None
    # the general per-user throttle (1,000/minute) would cap the load: lift it, as for a trusted load test
    with httpload.platform_on_postgres(
        BOOKINGS_MAX_PER_USER_PER_HOUR="100000000", API_THROTTLE_USER="100000000/minute"
    ) as env:
        try:
            user, address, service, token = _setup(200)
            port = httpload.free_port()
            server = httpload.start_uvicorn(ROOT, port, env, log)
            httpload.wait_until_up(port)
            report = _measure(args, port, user, address, service, token)
        finally:
            if server is not None:
                httpload.stop_all([server])
            log.close()
    (out / "bench_bookings.json").write_text(json.dumps(report, indent=2, default=str))


def confirm_requests(user, address, service, token, count: int) -> list[bytes]:
    """``count`` raw ``POST /checkout/confirm`` requests (cash), each with its own preview and idempotency key."""
    from django.utils import timezone

    from bookings.services.checkout import checkout_prepare

    day = timezone.localdate() + timedelta(days=1)
    requests = []
    for _ in range(count):
        preview = checkout_prepare(
            user=user, items=[{"service_id": service.pk, "quantity": 1}], booking_date=day, address_id=address.pk
        )
        body = json.dumps(
            {
                "preview_id": preview["preview_id"],
                "payment_method": "cash",
                "address_id": str(address.pk),
                "booking_date": preview["booking_date"],
                "booking_time": preview["available_time_slots"][2],
                "cancellation_policy_accepted": True,
            }
        ).encode()
        headers = {"Authorization": f"Bearer {token}", "X-Idempotency-Key": str(uuid.uuid4())}
        requests.append(httpload.post_request("/api/v1/checkout/confirm", body, headers))
    return requests


def _measure(args, port, user, address, service, token) -> dict:
    auth = f"Authorization: Bearer {token}\r\n".encode()

    def get(path: str) -> bytes:
        return httpload.get_request(path).replace(b"\r\n\r\n", b"\r\n" + auth + b"\r\n")

    def run_for(raw: bytes, connections: int) -> dict[str, float]:
        return _summary(asyncio.run(httpload.run_for(port, raw, seconds=args.seconds, connections=connections)))

    bare, catalog = httpload.get_request("/api/v1/bench/bare"), httpload.get_request("/api/v1/services/catalog")
    run_for(catalog, 16)  # warm the cache and the server
    rounds = {"bare": [], "catalog": []}
    for _ in range(args.rounds):
        rounds["bare"].append(run_for(bare, 16))
        rounds["catalog"].append(run_for(catalog, 16))
    median = {name: statistics.median(r["rps"] for r in rows) for name, rows in rounds.items()}
    report = {"catalog_vs_bare": {**median, "ratio": round(median["catalog"] / median["bare"], 2)}}
    report["bookings_list"] = {
        "limit_20": run_for(get("/api/v1/bookings?limit=20"), 32),
        "limit_100": run_for(get("/api/v1/bookings?limit=100"), 32),
    }
    requests = confirm_requests(user, address, service, token, args.confirms)
    confirm = asyncio.run(httpload.run_list(port, requests, connections=16))
    report["checkout_confirm"] = _summary(confirm)
    lines = [
        "uvicorn 1 process, PostgreSQL, 2 cores shared with the client",
        f"catalog (cached) {median['catalog']:.0f} req/s vs bare Django view {median['bare']:.0f} req/s: "
        f"ratio {report['catalog_vs_bare']['ratio']} (16 connections, median of {args.rounds} rounds)",
        "bookings list, 32 connections: "
        + "; ".join(
            f"{k.replace('_', '=')} {v['rps']} req/s, p99 {v['p99_ms']} ms" for k, v in report["bookings_list"].items()
        ),
        f"checkout confirm (cash), 16 connections: {report['checkout_confirm']['requests']} confirms at "
        f"{report['checkout_confirm']['rps']}/s, p50 {report['checkout_confirm']['p50_ms']} ms, "
        f"p99 {report['checkout_confirm']['p99_ms']} ms",
    ]
    print("\n".join(lines))
    return report


if __name__ == "__main__":
    main()
