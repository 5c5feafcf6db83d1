"""Customer booking on PostgreSQL: catalog vs a bare view, bookings list, confirm with and without the hold, a burst.

Starts its own PostgreSQL and Redis, loads the demo accounts, catalog and partners, a customer in Kolkata with an
address and 200 bookings, 100 more verified partners there (written in bulk: every demo category and tier, 15 km,
08:00-20:00 every day), and in Mumbai 50 partners each free only 10:00-11:00 and 200 customers. Then uvicorn (one
process) on ``benchmarks.settings_pg``, twice in turn: first with ``BENCH_NO_HOLD=1`` (``benchmarks.apps`` registers
a partners port whose ``hold_capacity`` holds nothing: confirm as it was before issue #23), then as shipped:

1. ``/api/v1/services/catalog`` (cached) against ``/api/v1/bench/bare`` (plain Django JSON), alternating
   rounds, 16 connections: requests/s and the ratio (first server);
2. ``/api/v1/bookings`` at 20 per page (32 connections) in the same alternating rounds: requests/s and the
   ratio to the bare view; then once at 100 per page: requests/s, p99 (first server);
3. ``POST /api/v1/checkout/confirm`` (cash), each with its own preview and idempotency key, spread over 8
   non-overlapping slots a day (a 60-minute job plus the 30-minute travel buffer) and as many days as needed,
   at most 25 per slot (105 partners can take each), 16 connections: confirms/s, p50, p99 without the hold
   (first server) and with it (second server), each after 32 warm-up confirms on a day of their own; every
   answer must be 201;
4. the burst (second server, and a third one like it, so that two processes race in PostgreSQL): 200 confirms
   for 10:00 on one day in Mumbai, where 50 partners make exactly 50 serviceable slots, 200 customers, 16
   connections, fired at once: the 201 and 409 answers, the bookings written and the held partners; exits
   non-zero unless it is exactly 50 bookings, each holding its own partner.

    .venv/bin/python benchmarks/bench_bookings.py [--seconds 5] [--rounds 3] [--confirms 600] [--processes 1 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import uuid
from collections import Counter
from datetime import time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import httpload  # noqa: E402
from benchmarks.bench_data import BURST_CONFIRMS, BURST_PARTNERS, BURST_SLOT, _setup  # noqa: E402

PER_SLOT = 25  # confirms per slot and day: a quarter of the partners who can take it
# A 60-minute job keeps its partner 90 minutes (the travel buffer): these starts never overlap for one partner.
GRID = [time(8), time(9, 30), time(11), time(12, 30), time(14), time(15, 30), time(17), time(18, 30)]
WARM_UP = 32


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--confirms", type=int, default=600)
    parser.add_argument(
        "--processes", type=int, nargs="+", default=[1], help="confirm with the hold on uvicorn with each many workers"
    )
    args = parser.parse_args()
    httpload.exit_on_sigterm()
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    log = (out / "bookings-server.log").open("wb")
    servers = []
    # the general per-user throttle (1,000/minute) would cap the load: lift it, as for a trusted load test
    with httpload.platform_on_postgres(
        BOOKINGS_MAX_PER_USER_PER_HOUR="100000000", API_THROTTLE_USER="100000000/minute"
    ) as env:
        try:
            setup = _setup(200)
            report: dict = {}
            days = _Days()

            def start(extra: dict[str, str], workers: int = 1) -> int:
                port = httpload.free_port()
                servers.append(httpload.start_uvicorn(ROOT, port, {**env, **extra}, log, workers=workers))
                httpload.wait_until_up(port)
                return port

            def stop() -> None:
                httpload.stop_all(servers)
                servers.clear()

            port = start({"BENCH_NO_HOLD": "1"})
            _measure_reads(args, port, setup[3], report)
            report["confirm_without_hold"] = _confirms(args, port, setup, days)
            stop()
            port = start({}, workers=args.processes[0])
            report["confirm_with_hold"] = _confirms(args, port, setup, days)
            report["burst"] = _burst([port, start({})], setup, days.take(1)[0])
            stop()
            report["confirm_with_hold_by_processes"] = {args.processes[0]: report["confirm_with_hold"]}
            for workers in args.processes[1:]:
                port = start({}, workers=workers)
                report["confirm_with_hold_by_processes"][workers] = _confirms(args, port, setup, days)
                stop()
        finally:
            if servers:
                httpload.stop_all(servers)
            log.close()
    (out / "bench_bookings.json").write_text(json.dumps(report, indent=2, default=str))
    print("\n".join(_lines(args, report)))
    burst = report["burst"]
    exact = {burst["bookings"], burst["held"], burst["partners_held"], burst["bookings_held"]} == {BURST_PARTNERS}
    answers = {201: BURST_PARTNERS, 409: BURST_CONFIRMS - BURST_PARTNERS}
    if not exact or burst["statuses"] != answers:
        sys.exit(f"burst: expected exactly {BURST_PARTNERS} bookings, each holding its own partner: {burst}")


def _lines(args, report: dict) -> list[str]:
    median, lists, listed = report["catalog_vs_bare"], report["bookings_list"], report["list_vs_bare"]
    before, after, burst = report["confirm_without_hold"], report["confirm_with_hold"], report["burst"]
    answers = ", ".join(f"{status} x{count}" for status, count in sorted(burst["statuses"].items()))
    double = "no partner double-booked" if burst["held"] == burst["partners_held"] else "A PARTNER DOUBLE-BOOKED"
    return [
        "uvicorn 1 process, PostgreSQL, 2 cores shared with the client",
        f"catalog (cached) {median['catalog']:.0f} req/s vs bare Django view {median['bare']:.0f} req/s: "
        f"ratio {median['ratio']} (16 connections, median of {args.rounds} rounds)",
        f"bookings list, 32 connections: limit=20 {listed['limit_20']:.1f} req/s vs bare Django view "
        f"{listed['bare']:.0f} req/s: ratio {listed['ratio']} (median of {args.rounds} rounds, alternating with the "
        f"catalog's; p99 {lists['limit_20']['p99_ms']} ms in the last); limit=100 {lists['limit_100']['rps']} "
        f"req/s, p99 {lists['limit_100']['p99_ms']} ms",
        f"checkout confirm (cash), 16 connections, {after['requests']} confirms each: without hold {before['rps']}/s "
        f"(p50 {before['p50_ms']} ms, p99 {before['p99_ms']} ms); with hold {after['rps']}/s (p50 {after['p50_ms']} "
        f"ms, p99 {after['p99_ms']} ms): {round(after['rps'] / before['rps'], 2)}x",
        f"burst: {burst['confirms']} confirms for {BURST_PARTNERS} serviceable slots: {burst['bookings']} bookings "
        f"({answers}), {burst['held']} holds on {burst['partners_held']} partners, {double}",
    ] + [
        f"checkout confirm (cash, with hold), uvicorn {workers} process(es), 16 connections: {row['rps']}/s "
        f"(p50 {row['p50_ms']} ms, p99 {row['p99_ms']} ms)"
        for workers, row in report["confirm_with_hold_by_processes"].items()
    ]


class _Days:
    """Booking days handed out in turn from tomorrow on, so that no phase meets another's bookings or holds."""

    def __init__(self) -> None:
        from django.utils import timezone

        self.next = timezone.localdate() + timedelta(days=1)

    def take(self, count: int) -> list:
        taken = [self.next + timedelta(days=i) for i in range(count)]
        self.next += timedelta(days=count)
        return taken


def _confirm_request(customer, service, day, slot: time) -> bytes:
    from bookings.services.checkout import checkout_prepare
    from bookings.services.slots import label

    user, address, token = customer
    preview = checkout_prepare(
        user=user, items=[{"service_id": service.pk, "quantity": 1}], booking_date=day, address_id=address.pk
    )
    if label(slot) not in preview["available_time_slots"]:
        raise RuntimeError(f"{label(slot)} on {day} is not offered: {preview['available_time_slots']}")
    body = json.dumps(
        {
            "preview_id": preview["preview_id"],
            "payment_method": "cash",
            "address_id": str(address.pk),
            "booking_date": preview["booking_date"],
            "booking_time": label(slot),
            "cancellation_policy_accepted": True,
        }
    ).encode()
    headers = {"Authorization": f"Bearer {token}", "X-Idempotency-Key": str(uuid.uuid4())}
    return httpload.post_request("/api/v1/checkout/confirm", body, headers)


def confirm_requests(customer, service, days: _Days, count: int) -> list[bytes]:
    """``count`` raw cash confirms (own preview and idempotency key), ``PER_SLOT`` per grid slot, day after day;
    ``customer`` is one ``(user, address, token)`` or a list of them, who confirm in turn."""
    per_day = PER_SLOT * len(GRID)
    spread = days.take(-(-count // per_day))
    times = [(spread[i // per_day], GRID[i % len(GRID)]) for i in range(count)]  # slots interleaved within a day
    customers = customer if isinstance(customer, list) else [customer]
    return [_confirm_request(customers[i % len(customers)], service, day, slot) for i, (day, slot) in enumerate(times)]


def _confirms(args, port: int, setup, days: _Days) -> dict[str, float]:
    user, address, service, token, _ = setup
    customer = (user, address, token)
    warm = asyncio.run(httpload.run_list(port, confirm_requests(customer, service, days, WARM_UP), connections=16))
    _summary(warm)
    requests = confirm_requests(customer, service, days, args.confirms)  # previews live two minutes: made now
    return _summary(asyncio.run(httpload.run_list(port, requests, connections=16)))


def _burst(ports: list[int], setup, day) -> dict:
    from bookings.models import Booking
    from partners.models import PartnerAssignment

    _, _, service, _, customers = setup
    requests = [_confirm_request(customer, service, day, BURST_SLOT) for customer in customers]

    async def fire() -> list[httpload.LoadResult]:
        share = len(requests) // len(ports)
        return await asyncio.gather(
            *(
                httpload.run_list(port, requests[i * share : (i + 1) * share], connections=16 // len(ports))
                for i, port in enumerate(ports)
            )
        )

    statuses = Counter(status for result in asyncio.run(fire()) for status in result.statuses)
    booked = Booking.objects.filter(booking_date=day, address_snapshot__city="Mumbai")
    holds = PartnerAssignment.objects.filter(booking__in=booked, status="held")
    report = {
        "confirms": len(requests),
        "statuses": dict(statuses),
        "bookings": booked.count(),
        "held": holds.count(),
        "partners_held": holds.values("partner").distinct().count(),
        "bookings_held": holds.values("booking").distinct().count(),
    }
    return report


def _measure_reads(args, port: int, token: str, report: dict) -> None:
    auth = f"Authorization: Bearer {token}\r\n".encode()

    def get(path: str) -> bytes:
        return httpload.get_request(path).replace(b"\r\n\r\n", b"\r\n" + auth + b"\r\n")

    def run_for(raw: bytes, connections: int) -> dict[str, float]:
        return _summary(asyncio.run(httpload.run_for(port, raw, seconds=args.seconds, connections=connections)))

    bare, catalog = httpload.get_request("/api/v1/bench/bare"), httpload.get_request("/api/v1/services/catalog")
    list_20 = get("/api/v1/bookings?limit=20")
    run_for(catalog, 16)  # warm the cache and the server
    run_for(list_20, 32)
    rounds: dict[str, list[dict[str, float]]] = {"bare": [], "catalog": [], "limit_20": []}
    for _ in range(args.rounds):  # alternating, so that a busier moment of the shared machine hits all three
        rounds["bare"].append(run_for(bare, 16))
        rounds["catalog"].append(run_for(catalog, 16))
        rounds["limit_20"].append(run_for(list_20, 32))
    median = {name: statistics.median(r["rps"] for r in rows) for name, rows in rounds.items()}
    report["catalog_vs_bare"] = {
        "catalog": median["catalog"],
        "bare": median["bare"],
        "ratio": round(median["catalog"] / median["bare"], 2),
        "rounds": {name: [r["rps"] for r in rounds[name]] for name in ("bare", "catalog")},
    }
    report["list_vs_bare"] = {
        "limit_20": median["limit_20"],
        "bare": median["bare"],
        "ratio": round(median["limit_20"] / median["bare"], 3),
        "rounds": [r["rps"] for r in rounds["limit_20"]],
    }
    report["bookings_list"] = {
        "limit_20": {**rounds["limit_20"][-1], "rps": median["limit_20"]},
        "limit_100": run_for(get("/api/v1/bookings?limit=100"), 32),
    }


if __name__ == "__main__":
    main()
