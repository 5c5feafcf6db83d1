"""Where a checkout confirm's CPU goes: seconds of CPU per confirm by process (server, PostgreSQL, Redis, client).

On ``bench_bookings.py``'s data and requests (cash confirms with the hold, 16 connections), against uvicorn with
``--processes`` worker processes on the benchmark's own PostgreSQL (with ``pg_stat_statements`` loaded) and
Redis. It reads every process's CPU time from ``/proc`` before and after the measured confirms and prints the
CPU per confirm of each group, the throughput, and the statements that took the most time per confirm (their
execution time includes waiting for locks; their planning time is CPU). ``--spread-days`` interleaves the days,
so that concurrent confirms book different days instead of queueing on one day's number counter. Throughput on
two cores is at most ``2000 / (total CPU ms per confirm)`` confirms/s; this shows which part to cut.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import bench_bookings as bb  # noqa: E402
from benchmarks import bench_data, httpload  # noqa: E402
from core import testservices  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
SERVER = "server (uvicorn)"


def cpu_by_group(client_pid: int) -> collections.Counter:
    """CPU seconds so far of every process, by group (uvicorn, postgres, redis, client, other)."""
    seconds: collections.Counter = collections.Counter()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        if "uvicorn" in command or "core.webserver" in command or "multiprocessing" in command:
            group = SERVER
        elif name.startswith("postgres") or "postgres" in command:
            group = "postgresql"
        elif "redis" in name or "redis" in command:
            group = "redis"
        elif int(pid) == client_pid:
            group = "client (this script)"
        else:
            group = "other"
        seconds[(group, pid)] = (int(fields[11]) + int(fields[12])) / TICKS
    return seconds


def _with_statement_stats(real_pg):
    def pg(self, *args):
        if args[0] == "pg_ctl" and "-o" in args:
            args = list(args)
            at = args.index("-o") + 1
            args[at] += " -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on"
        return real_pg(self, *args)

    return pg


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--confirms", type=int, default=600)
    parser.add_argument("--statements", type=int, default=12, help="how many of the top statements to print")
    parser.add_argument("--spread-days", action="store_true")
    parser.add_argument("--connections", type=int, default=16, help="confirms in flight at once")
    parser.add_argument(
        "--pin-cpus", action="store_true", help="the server's workers on a CPU each (WEB_PIN_CPUS=1, core.webserver)"
    )
    parser.add_argument(
        "--customers",
        type=int,
        default=1,
        help="confirms from this many customers in turn (each with an address at the same place), not all from one",
    )
    parser.add_argument(
        "--windows",
        type=int,
        default=1,
        help="measure this many windows of --confirms each, one after another on the same server, and print "
        "their median too (the host's speed moves from minute to minute: one window is one sample)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=400,
        help="confirms before the measured ones (100 until the seventh pass): enough for each server thread's "
        "database connection to have prepared its statements, as on a server that has run for a minute",
    )
    parser.add_argument(
        "--no-statement-stats",
        action="store_true",
        help="without pg_stat_statements (which costs PostgreSQL CPU on every statement): throughput only",
    )
    args = parser.parse_args()
    httpload.exit_on_sigterm()
    if not args.no_statement_stats:
        testservices.ThrowawayPostgres._pg = _with_statement_stats(testservices.ThrowawayPostgres._pg)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    with (
        httpload.platform_on_postgres(
            BOOKINGS_MAX_PER_USER_PER_HOUR="100000000", API_THROTTLE_USER="100000000/minute"
        ) as env,
        (out / "confirm-cpu-server.log").open("wb") as log,
    ):
        from django.db import connection

        user, address, service, token, _ = bb._setup(200)
        customers = [(user, address, token)] + [
            bench_data._customer(f"confirm{i}@bench.example", f"+91995{i:07d}", "Kolkata", "700001", bench_data.KOLKATA)
            for i in range(1, args.customers)
        ]
        days = bb._Days()
        port = httpload.free_port()
        server = httpload.start_uvicorn(
            ROOT, port, {**env, "WEB_PIN_CPUS": "1" if args.pin_cpus else "0"}, log, workers=args.processes
        )
        try:
            httpload.wait_until_up(port)
            warmup = bb.confirm_requests(customers, service, days, args.warmup)
            asyncio.run(httpload.run_list(port, warmup, connections=16))
            if not args.no_statement_stats:
                with connection.cursor() as cursor:
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
                    cursor.execute("SELECT pg_stat_statements_reset()")
            windows = [_window(args, port, customers, service, days) for _ in range(args.windows)]
            statements = []
            if not args.no_statement_stats:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT calls, total_exec_time, total_plan_time,"
                        " left(regexp_replace(query, '\\s+', ' ', 'g'), 110)"
                        " FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT %s",
                        [args.statements],
                    )
                    statements = cursor.fetchall()
        finally:
            httpload.stop_all([server])
    count = args.confirms
    elapsed, before, after, _ = windows[0]  # the first window in detail
    groups: collections.Counter = collections.Counter()
    for (group, pid), seconds in after.items():
        groups[group] += seconds - before.get((group, pid), 0.0)
    statuses = collections.Counter(status for window in windows for status in window[3].statuses)
    total = sum(groups.values())
    print(
        f"checkout confirm (cash, with hold), uvicorn {args.processes} process(es)"
        f"{', pinned to a CPU each' if args.pin_cpus else ''}, {args.connections} connections"
        f"{', days interleaved' if args.spread_days else ''}: {count / elapsed:.1f}/s, answers {dict(statuses)}"
    )
    print(f"CPU per confirm: {1000 * total / count:.2f} ms in all ({total:.1f} s of {2 * elapsed:.1f} s on two cores)")
    for group, seconds in groups.most_common():
        print(f"  {group:22s} {1000 * seconds / count:6.2f} ms")
    # One process's interpreter runs one thread at a time: a process given most of the connections is busy for
    # a whole core while another idles, and the cores show idle time that no lock explains.
    servers = sorted(
        (seconds - before.get(key, 0.0) for key, seconds in after.items() if key[0] == SERVER), reverse=True
    )
    print(f"  server CPU by process: {', '.join(f'{s:.1f} s' for s in servers if s >= 0.05)} of {elapsed:.1f} s")
    if len(windows) > 1:
        rates = []
        for number, (took, start_cpu, end_cpu, _) in enumerate(windows, start=1):
            cpu = sum(seconds - start_cpu.get(key, 0.0) for key, seconds in end_cpu.items())
            rates.append(count / took)
            print(f"window {number}: {count / took:.1f}/s, {1000 * cpu / count:.2f} ms of CPU per confirm")
        print(f"windows: median {statistics.median(rates):.1f}/s (lowest {min(rates):.1f}, highest {max(rates):.1f})")
    print("statements (per confirm over every window: calls, execution ms including lock waits, planning ms):")
    for calls, executing, planning, text in statements:
        measured = count * len(windows)
        print(f"  {calls / measured:5.2f}  {executing / measured:7.3f}  {planning / measured:6.3f}  {text}")
    if set(statuses) != {201}:
        sys.exit(f"every confirm must answer 201: {dict(statuses)}")


def _window(args, port: int, customers, service, days) -> tuple[float, collections.Counter, collections.Counter, Any]:
    """One measured window: ``--confirms`` confirms (their previews made just before: they live two minutes)."""
    requests = bb.confirm_requests(customers, service, days, args.confirms)
    if args.spread_days:
        per_day = bb.PER_SLOT * len(bb.GRID)
        by_day = [requests[i : i + per_day] for i in range(0, len(requests), per_day)]
        requests = [day[i] for i in range(per_day) for day in by_day if i < len(day)]
    before, started = cpu_by_group(os.getpid()), time.monotonic()
    result = asyncio.run(httpload.run_list(port, requests, connections=args.connections))
    return time.monotonic() - started, before, cpu_by_group(os.getpid()), result


if __name__ == "__main__":
    main()
