"""Checkout confirm with the server's workers pinned to a CPU each (``WEB_PIN_CPUS=1``) against the same server
left free, in alternating windows on one database.

The host's speed moves by a third from one minute to the next (``benchmarks/README.md``), more than the
difference measured here, so two runs one after the other compare minutes, not servers. This script starts
both servers (two workers each, ``core.webserver``) on one PostgreSQL and Redis with ``bench_bookings.py``'s data,
warms each with 400 confirms, then sends windows of ``--confirms`` cash confirms (16 connections) to one and
then the other, the order flipped every window, so that each minute's speed falls on both. For each window it
prints the confirms per second and the CPU per confirm of everything on the machine except the idle server;
then each server's medians.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import bench_bookings as bb  # noqa: E402
from benchmarks import httpload  # noqa: E402
from benchmarks.bench_confirm_cpu import SERVER, cpu_by_group  # noqa: E402


def process_tree(pid: int) -> set[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    kids = [int(child) for child in children.read_text().split()] if children.exists() else []
    return {pid}.union(*(process_tree(kid) for kid in kids))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--windows", type=int, default=10, help="windows per server (at most 12: bookings open 30 days ahead)"
    )
    parser.add_argument("--confirms", type=int, default=200, help="confirms per window (200: one day's slots)")
    args = parser.parse_args()
    httpload.exit_on_sigterm()
    with httpload.platform_on_postgres(
        BOOKINGS_MAX_PER_USER_PER_HOUR="100000000", API_THROTTLE_USER="100000000/minute"
    ) as env:
        user, address, service, token, _ = bb._setup(200)
        customer, days = (user, address, token), bb._Days()
        servers: dict[str, tuple[int, object]] = {}
        logs = ROOT / "benchmarks" / "results"
        logs.mkdir(exist_ok=True)
        try:
            for name, pin in (("pinned", "1"), ("free", "0")):
                port = httpload.free_port()
                with (logs / f"pinning-{name}.log").open("wb") as log:
                    server = httpload.start_uvicorn(ROOT, port, {**env, "WEB_PIN_CPUS": pin}, log, workers=2)
                servers[name] = (port, server)
            for port, _ in servers.values():
                httpload.wait_until_up(port)
                asyncio.run(httpload.run_list(port, bb.confirm_requests(customer, service, days, 400), connections=16))
            results: dict[str, list[tuple[float, float]]] = {name: [] for name in servers}
            for window in range(args.windows):
                order = list(servers.items()) if window % 2 == 0 else list(servers.items())[::-1]
                for name, (port, server) in order:
                    requests = bb.confirm_requests(customer, service, days, args.confirms)
                    before, started = cpu_by_group(os.getpid()), time.monotonic()
                    result = asyncio.run(httpload.run_list(port, requests, connections=16))
                    elapsed, after = time.monotonic() - started, cpu_by_group(os.getpid())
                    if set(result.statuses) != {201}:
                        sys.exit(f"every confirm must answer 201: {dict(result.statuses)}")
                    mine = process_tree(server.pid)  # type: ignore[attr-defined]
                    cpu = sum(
                        seconds - before.get(key, 0.0)
                        for key, seconds in after.items()
                        if key[0] != SERVER or int(key[1]) in mine
                    )
                    rate, per_confirm = args.confirms / elapsed, 1000 * cpu / args.confirms
                    results[name].append((rate, per_confirm))
                    at = time.strftime("%H:%M:%S UTC", time.gmtime())
                    print(f"{at} {name:6s} {rate:6.1f}/s  {per_confirm:5.2f} ms", flush=True)
        finally:
            httpload.stop_all([server for _, server in servers.values()])  # type: ignore[misc]
    for name, runs in results.items():
        rates = [rate for rate, _ in runs]
        print(
            f"{name:6s} median {statistics.median(rates):.1f}/s (lowest {min(rates):.1f}, highest {max(rates):.1f}),"
            f" {statistics.median(cpu for _, cpu in runs):.2f} ms of CPU per confirm"
        )


if __name__ == "__main__":
    main()
