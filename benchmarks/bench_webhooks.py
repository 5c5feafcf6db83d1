"""1,000 distinct Razorpay webhooks, each delivered three times, through the HTTP endpoint.

Starts its own PostgreSQL and Redis (as the test suite does), migrates, creates
1,000 pending payments of the benchmark's payable, then starts uvicorn (one
process) and a Celery worker (two processes) on ``benchmarks.settings_pg``.
The 3,000 deliveries (each event three times, same ``X-Razorpay-Event-Id``,
signed with the webhook secret) go out shuffled over keep-alive connections.
It waits for the worker to finish, then counts the effects: payments
captured, ledger capture pairs and payable callbacks must each be exactly
1,000. It prints acknowledgements per second and p50/p99 acknowledgement
latency (Razorpay gives up after 5 seconds).

    .venv/bin/python benchmarks/bench_webhooks.py [--events 1000] [--deliveries 3] [--connections 16]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import httpload  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--deliveries", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    httpload.exit_on_sigterm()

    children: list[subprocess.Popen] = []
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    log = (out / "webhooks-server.log").open("wb")
    with httpload.platform_on_postgres() as env:
        try:
            run(args, env, children, log, out)
        finally:
            httpload.stop_all(children)
            log.close()


def run(args, env: dict, children: list, log, out: Path) -> None:
    """Create the payments, start the server and the worker, send the deliveries, count the effects."""
    from accounts.models import User
    from benchmarks.apps import CALLBACKS_KEY
    from core import ratelimit
    from payments.gateways import get_gateway
    from payments.models import LedgerEntry, Payment, PaymentWebhook, WebhookStatus

    user = User.objects.create_user(email="bench@example.com")
    Payment.objects.bulk_create(
        [
            Payment(
                payable_type="bench.invoice",
                payable_id=str(i),
                user=user,
                amount="1180.00",
                gateway="offline",
                gateway_order_id=f"order_bench{i}",
                receipt=f"BENCH-{i}",
            )
            for i in range(args.events)
        ]
    )
    ratelimit.client().set(CALLBACKS_KEY, 0)
    gateway = get_gateway()
    requests = []
    for i in range(args.events):
        body = json.dumps(
            {
                "entity": "event",
                "event": "payment.captured",
                "payload": {
                    "payment": {
                        "entity": {
                            "id": f"pay_bench{i}",
                            "order_id": f"order_bench{i}",
                            "amount": 118000,
                            "currency": "INR",
                            "status": "captured",
                            "method": "upi",
                            "fee": 2360,
                        }
                    }
                },
            }
        ).encode()
        headers = {"X-Razorpay-Signature": gateway.webhook_signature(body), "X-Razorpay-Event-Id": f"evt_bench{i}"}
        requests += [httpload.post_request("/api/v1/payments/webhook", body, headers)] * args.deliveries
    random.Random(42).shuffle(requests)

    port = httpload.free_port()
    children.append(
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--concurrency",
                "2",
                "--loglevel",
                "WARNING",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    )
    children.append(httpload.start_uvicorn(ROOT, port, env, log))
    httpload.wait_until_up(port)
    result = asyncio.run(httpload.run_list(port, requests, connections=args.connections))
    load_done = time.perf_counter()

    deadline = time.monotonic() + 300
    pending = [WebhookStatus.RECEIVED, WebhookStatus.FAILED]
    while PaymentWebhook.objects.filter(status__in=pending).exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    drained_after = time.perf_counter()

    statuses = {s: PaymentWebhook.objects.filter(status=s).count() for s in WebhookStatus.values}
    effects = {
        "payments_captured": Payment.objects.filter(status="success").count(),
        "ledger_capture_pairs": LedgerEntry.objects.filter(memo__startswith="Captured").count() // 2,
        "payable_callbacks": int(ratelimit.client().get(CALLBACKS_KEY) or 0),
    }
    non_200 = sum(1 for status in result.statuses if status != 200)
    summary = {
        "deliveries": len(result.latencies),
        "non_200": non_200,
        "acks_per_second": round(result.rps, 1),
        "p50_ms": round(result.percentile_ms(0.50), 2),
        "p99_ms": round(result.percentile_ms(0.99), 2),
        "max_ms": round(max(result.latencies) * 1000, 2),
        "webhook_statuses": {k: v for k, v in statuses.items() if v},
        "effects": effects,
        "processing_finished_after_load_s": round(drained_after - load_done, 1),
    }
    print(
        f"{args.events} events x {args.deliveries} deliveries, {args.connections} connections, "
        "uvicorn 1 process + Celery worker 2 processes, PostgreSQL"
    )
    print(
        f"acknowledged {summary['deliveries']} deliveries ({non_200} not 200) at {summary['acks_per_second']}/s;"
        f" p50 {summary['p50_ms']} ms, p99 {summary['p99_ms']} ms, max {summary['max_ms']} ms"
    )
    print(
        f"webhook rows: {summary['webhook_statuses']}; the worker finished "
        f"{summary['processing_finished_after_load_s']} s after the last acknowledgement"
    )
    print(f"effects: {effects} (each must be exactly {args.events})")
    (out / "bench_webhooks.json").write_text(json.dumps(summary, indent=2))
    if any(value != args.events for value in effects.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
