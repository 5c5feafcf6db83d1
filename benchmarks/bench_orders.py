"""Society orders on PostgreSQL: order creation per second beside checkout confirm, in the same run.

Starts its own PostgreSQL and Redis, loads the demo catalog, partners and societies (Sparkle Laundry serving
Green Valley Apartments) and publishes the vendor's laundry card, signs in a verified resident (flat A-102)
and a customer with an address, then uvicorn (one process) on ``benchmarks.settings_pg``:

1. ``POST /api/v1/checkout/confirm`` (cash): ``--requests`` confirms, each with its own preview and
   idempotency key, 16 connections: confirms/s, p50, p99 (the baseline);
2. ``POST /api/v1/orders``: ``--requests`` orders of 3 lines (ironing and dry cleaning), each with its own
   idempotency key, 16 connections: orders/s, p50, p99, and the ratio to confirms/s;
3. ``GET /api/v1/orders/{id}`` of one of those orders, 16 connections for ``--seconds``: requests/s.

    .venv/bin/python benchmarks/bench_orders.py [--requests 400] [--seconds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import sys
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import httpload  # noqa: E402
from benchmarks.bench_bookings import _summary, confirm_requests  # noqa: E402
from benchmarks.bench_data import _setup as checkout_setup  # noqa: E402


def _society_setup():
    from accounts.services.tokens import tokens_issue
    from orders import demo
    from orders.models import RateCard
    from partners.models import Partner
    from societies import demo as society_demo
    from societies.models import Society

    society_demo.seed(io.StringIO())
    society = Society.objects.get(name=society_demo.APARTMENT["name"])
    partner = Partner.objects.get(user__phone=society_demo.DEMO_VENDOR["phone"])
    demo.publish_card(partner, society)
    user = demo.resident(society, flat="A-102", **demo.DEMO_RESIDENT)
    published = {
        (item["service_key"], item["item_name"]): item
        for card in RateCard.objects.filter(partner=partner, society=society)
        for item in card.published_items
    }
    lines = [("IRONING", "Shirt", 5), ("IRONING", "Trousers", 2), ("DRY_CLEANING", "Suit", 1)]
    items = [
        {
            "service_id": published[(k, n)]["service_id"],
            "rate_card_item_id": published[(k, n)]["item_id"],
            "quantity": q,
        }
        for k, n, q in lines
    ]
    return society, partner, items, tokens_issue(user=user)["access_token"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    httpload.exit_on_sigterm()
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    log = (out / "orders-server.log").open("wb")
    server = None
    with httpload.platform_on_postgres(
        BOOKINGS_MAX_PER_USER_PER_HOUR="100000000", API_THROTTLE_USER="100000000/minute"
    ) as env:
        try:
            customer, address, service, customer_token = checkout_setup(0)
            society, partner, items, resident_token = _society_setup()
            port = httpload.free_port()
            server = httpload.start_uvicorn(ROOT, port, env, log)
            httpload.wait_until_up(port)
            report = _measure(
                args, port, (customer, address, service, customer_token), (society, partner, items, resident_token)
            )
        finally:
            if server is not None:
                httpload.stop_all([server])
            log.close()
    (out / "bench_orders.json").write_text(json.dumps(report, indent=2, default=str))


def _measure(args, port, checkout, ordering) -> dict:
    from django.utils import timezone

    from orders.models import Order

    confirms = confirm_requests(*checkout, args.requests)
    society, partner, items, resident_token = ordering
    pickup = (timezone.now() + timedelta(days=2)).isoformat()
    order_body = json.dumps(
        {"vendor_id": str(partner.pk), "society_id": society.pk, "pickup_datetime": pickup, "items": items}
    ).encode()
    orders = [
        httpload.post_request(
            "/api/v1/orders",
            order_body,
            {"Authorization": f"Bearer {resident_token}", "X-Idempotency-Key": str(uuid.uuid4())},
        )
        for _ in range(args.requests)
    ]
    report = {"checkout_confirm": _summary(asyncio.run(httpload.run_list(port, confirms, connections=16)))}
    report["order_create"] = _summary(asyncio.run(httpload.run_list(port, orders, connections=16)))
    report["order_create"]["ratio_to_confirm"] = round(
        report["order_create"]["rps"] / report["checkout_confirm"]["rps"], 2
    )
    report["orders_created"] = Order.objects.count()
    one = Order.objects.order_by("created_at").first()
    detail = httpload.get_request(f"/api/v1/orders/{one.pk}").replace(
        b"\r\n\r\n", f"\r\nAuthorization: Bearer {resident_token}\r\n\r\n".encode()
    )
    report["order_detail"] = _summary(asyncio.run(httpload.run_for(port, detail, seconds=args.seconds, connections=16)))
    c, o, d = report["checkout_confirm"], report["order_create"], report["order_detail"]
    print(
        "\n".join(
            [
                "uvicorn 1 process, PostgreSQL, 2 cores shared with the client, 16 connections",
                f"checkout confirm (cash): {c['requests']} at {c['rps']}/s, p50 {c['p50_ms']} ms, p99 {c['p99_ms']} ms",
                f"order create (3 lines): {o['requests']} at {o['rps']}/s, p50 {o['p50_ms']} ms, p99 {o['p99_ms']} ms"
                f" ({o['ratio_to_confirm']}x checkout confirm); orders in the database: {report['orders_created']}",
                f"order detail: {d['rps']} req/s, p50 {d['p50_ms']} ms, p99 {d['p99_ms']} ms",
            ]
        )
    )
    return report


if __name__ == "__main__":
    main()
