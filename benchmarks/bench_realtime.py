"""Real-time: one booking event fanned out to 100 subscribers, and 1,000 idle connections on one server.

Starts its own PostgreSQL and Redis, migrates, and runs uvicorn (one process,
the production ASGI app) with channels_redis on that Redis.

1. Fan-out: 100 WebSocket clients (the booking's customer's token, which
   may follow the booking) join ``ws/bookings/{id}/``. The script then sends
   ``--events`` ``booking_status_change`` events to the booking's group through
   channels_redis from its own process (as the Celery worker or another server
   process does), one every 20 ms, each stamped with its send time. Every client
   records when each event arrived: p50 / p99 / max of send-to-receive over all
   deliveries (events x subscribers), and how many were lost.
2. Idle connections: the server's resident memory (``VmRSS``) before, then with
   ``--idle`` signed-in ``ws/notifications/{user_id}/`` connections open and idle for
   ``--idle-seconds``, then after they close.

    .venv/bin/python benchmarks/bench_realtime.py [--subscribers 100] [--events 200] [--idle 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import httpload  # noqa: E402


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _setup():
    from django.utils import timezone

    from accounts.models import User
    from accounts.services.tokens import tokens_issue
    from bookings.models import Booking

    user = User.objects.create_user(phone="+919900007777", full_name="Bench Customer", email="bench@example.com")
    start = timezone.now()
    booking = Booking.objects.create(
        booking_number="BK-RT-000001",
        user=user,
        address_snapshot={"city": "Kolkata", "pincode": "700091"},
        booking_date=start.date(),
        booking_time=start.time(),
        scheduled_start=start,
        scheduled_end=start,
        payment_method="cash",
        total_price=1000,
        tax=180,
        grand_total=1180,
    )
    return user, booking, tokens_issue(user=user)["access_token"]


async def _fan_out(port: int, booking_id, token: str, subscribers: int, events: int) -> dict:
    import websockets
    from channels.layers import get_channel_layer

    url = f"ws://127.0.0.1:{port}/ws/bookings/{booking_id}/?token={token}"
    sockets = [await websockets.connect(url, max_size=None) for _ in range(subscribers)]
    latencies: list[float] = []
    received = [0] * subscribers

    async def listen(index: int, ws) -> None:
        while received[index] < events:
            frame = json.loads(await ws.recv())
            if frame.get("type") != "booking_status_change":
                continue
            latencies.append(time.time() - frame["data"]["sent_at"])
            received[index] += 1

    listeners = [asyncio.create_task(listen(i, ws)) for i, ws in enumerate(sockets)]
    await asyncio.sleep(0.5)
    layer = get_channel_layer()
    group = f"booking.{booking_id}"
    for n in range(events):
        await layer.group_send(
            group,
            {
                "type": "platform.event",
                "event": "booking_status_change",
                "data": {"booking_id": str(booking_id), "n": n, "sent_at": time.time()},
            },
        )
        await asyncio.sleep(0.02)
    try:
        await asyncio.wait_for(asyncio.gather(*listeners), timeout=30)
    except TimeoutError:
        for task in listeners:
            task.cancel()
    for ws in sockets:
        await ws.close()
    ordered = sorted(latencies)

    def pct(fraction: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000, 2) if ordered else 0.0

    return {
        "subscribers": subscribers,
        "events": events,
        "deliveries": len(latencies),
        "lost": subscribers * events - len(latencies),
        "p50_ms": round(statistics.median(ordered) * 1000, 2) if ordered else 0.0,
        "p99_ms": pct(0.99),
        "max_ms": round(ordered[-1] * 1000, 2) if ordered else 0.0,
    }


async def _idle(port: int, user_id, token: str, count: int, seconds: float, pid: int) -> dict:
    import websockets

    before = _rss_kib(pid)
    url = f"ws://127.0.0.1:{port}/ws/notifications/{user_id}/?token={token}"
    sockets = []
    started = time.perf_counter()
    for _ in range(count):
        sockets.append(await websockets.connect(url, ping_interval=None))
    opened_in = time.perf_counter() - started
    await asyncio.sleep(seconds)
    during = _rss_kib(pid)
    alive = sum(1 for ws in sockets if ws.state.name == "OPEN")
    for ws in sockets:
        await ws.close()
    await asyncio.sleep(2)
    after = _rss_kib(pid)
    return {
        "connections": count,
        "open_after_idle": alive,
        "opened_in_s": round(opened_in, 1),
        "rss_before_mib": round(before / 1024, 1),
        "rss_with_connections_mib": round(during / 1024, 1),
        "rss_after_close_mib": round(after / 1024, 1),
        "kib_per_connection": round((during - before) / count, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--subscribers", type=int, default=100)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument("--idle-seconds", type=float, default=30.0)
    args = parser.parse_args()
    httpload.exit_on_sigterm()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 8192)), hard))
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    log = (out / "realtime-server.log").open("wb")
    server = None
    with httpload.platform_on_postgres() as env:
        try:
            user, booking, token = _setup()
            port = httpload.free_port()
            server = httpload.start_uvicorn(ROOT, port, env, log)
            httpload.wait_until_up(port)
            fan_out = asyncio.run(_fan_out(port, booking.pk, token, args.subscribers, args.events))
            print(
                f"fan-out to {fan_out['subscribers']} subscribers, {fan_out['events']} events: "
                f"p50 {fan_out['p50_ms']} ms, p99 {fan_out['p99_ms']} ms, max {fan_out['max_ms']} ms, "
                f"lost {fan_out['lost']} of {fan_out['subscribers'] * fan_out['events']}",
                flush=True,
            )
            idle = asyncio.run(_idle(port, user.pk, token, args.idle, args.idle_seconds, server.pid))
            print(
                f"{idle['connections']} idle connections (open after {args.idle_seconds:.0f} s: "
                f"{idle['open_after_idle']}): server RSS {idle['rss_before_mib']} -> "
                f"{idle['rss_with_connections_mib']} MiB ({idle['kib_per_connection']} KiB each), "
                f"{idle['rss_after_close_mib']} MiB after closing; opened in {idle['opened_in_s']} s",
                flush=True,
            )
        finally:
            if server is not None:
                httpload.stop_all([server])
            log.close()
    (out / "bench_realtime.json").write_text(json.dumps({"fan_out": fan_out, "idle": idle}, indent=2))


if __name__ == "__main__":
    main()
