"""A soak: mixed traffic through a real server, Celery worker and beat, then every effect counted.

Starts its own PostgreSQL and Redis (like the test suite), loads the demo data (``seed_demo``: catalog, partners,
societies, vendors, the clinic and the specialist), adds customers and partners in Kolkata, then runs uvicorn (one
process, the production ASGI app), ``celery worker`` (two pool processes) and ``celery beat`` (the real schedule),
and drives them over HTTP for ``--minutes`` with these virtual users at once:

- browsers: the catalog, a service, the search, their bookings list;
- bookers: checkout prepare + confirm, half in cash, half online then paid on the offline gateway (its Checkout,
  then ``/payments/verify``), on a random day of the next month;
- the partners: each offer the worker makes is accepted by its partner over the API, then on the way, arrived and
  completed (the driver finds offers in the database; everything it does to them goes through HTTP);
- a resident ordering laundry from the society's vendor (and cancelling every other order);
- a patient booking a clinic appointment online and paying for it.

Every ``--sample`` seconds it reads the resident set size of each process (server, worker parent and children,
beat). At the end it stops the traffic, lets the worker drain, and checks: no 5xx answer; every booking confirmed in
cash or paid online has a partner on it, an offer out or a place in the manual queue (none left searching, none
without a dispatch); the ledger's trial balance is zero; no webhook or Celery message is left waiting; every
paid appointment is confirmed. It prints the figures and writes ``benchmarks/results/soak.json``; it exits
non-zero if a check fails.

    .venv/bin/python benchmarks/soak.py [--minutes 10] [--bookers 3] [--browsers 2] [--sample 15]
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import time as dt_time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import httpload  # noqa: E402
from benchmarks.bench_data import KOLKATA, _customer, _partners  # noqa: E402
from benchmarks.soak_users import Traffic, _find, booker, browser, partners_at_work, patient, resident  # noqa: E402

SOAK_PARTNERS = 40
CUSTOMERS = 1500  # each books a few times an hour at most: the per-person hourly limits stay out of the way


# --- the world, the processes, the checks --------------------------------------------------------------------


def build_world(traffic: Traffic) -> dict:
    """The demo data, more customers and partners, every token; ids the users need, found through the API."""
    from django.core.management import call_command

    from accounts.models import User
    from accounts.services.tokens import tokens_issue
    from partners.models import Partner
    from partners.slots import slots_changed

    call_command("seed_demo", stdout=io.StringIO())
    _partners("SOAK", "551", SOAK_PARTNERS, KOLKATA, (dt_time(8), dt_time(20)))
    slots_changed()
    customers = []
    for i in range(CUSTOMERS):
        user, address, token = _customer(f"soak{i}@soak.example", f"+9188552{i:05d}", "Kolkata", "700001", KOLKATA)
        customers.append({"user_id": str(user.pk), "address_id": str(address.pk), "token": token})
    partner_users = Partner.objects.filter(user__isnull=False, current_lat__isnull=False).values_list("user", flat=True)
    world = {
        "customers": customers,
        "service_ids": [],
        "partner_tokens": {uid: tokens_issue(user=User.objects.get(pk=uid))["access_token"] for uid in partner_users},
        "orders_placed": 0,
        "appointments_made": 0,
    }

    _, catalog = traffic.call("GET", "/services/catalog", "setup")
    groups = catalog["data"]["categories"].values()
    world["service_ids"] = sorted({row["id"] for rows in groups for row in rows})[:12]

    def token_of(phone: str) -> str:
        return tokens_issue(user=User.objects.get(phone=phone))["access_token"]

    from orders.models import RateCardItem

    line = (
        RateCardItem.objects.filter(
            is_active=True, rate_card__published_at__isnull=False, rate_card__society__name__startswith="Green Valley"
        )
        .select_related("rate_card")
        .first()
    )
    world["society"] = {
        "token": token_of("+919900000301"),
        "society_id": str(line.rate_card.society_id) if line else None,
        "vendor_id": str(line.rate_card.partner_id) if line else None,
        "item": {"service_id": str(line.service_id), "rate_card_item_id": str(line.pk)} if line else None,
    }

    patient_token = token_of("+919900000001")
    _, centres = traffic.call("GET", "/centres?city=Bengaluru", "setup", patient_token)
    centre_id = _find(centres, "id")
    _, clinicians = traffic.call("GET", f"/clinicians?centreId={centre_id}", "setup", patient_token)
    rows = clinicians.get("data", [])
    rows = rows.get("clinicians", rows.get("results", [])) if isinstance(rows, dict) else rows
    world["clinic"] = {"token": patient_token, "centre_id": centre_id, "clinicians": [row["id"] for row in rows]}
    if not (world["society"]["item"] and centre_id and world["clinic"]["clinicians"]):
        raise RuntimeError(f"the demo world is incomplete: {world['society']} {world['clinic']}")
    return world


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def _process_tree(named: dict[str, subprocess.Popen]) -> dict[str, int]:
    """Each named process and its children (the worker's pool), pid by name."""
    import psutil

    pids = {}
    for name, process in named.items():
        pids[name] = process.pid
        for n, child in enumerate(psutil.Process(process.pid).children(recursive=True)):
            pids[f"{name} child {n + 1}"] = child.pid
    return pids


def start_processes(env: dict, log) -> dict[str, subprocess.Popen]:
    port = httpload.free_port()
    env = {**env, "SOAK_PORT": str(port)}
    celery = [sys.executable, "-m", "celery", "-A", "config"]
    run_dir = Path(env["SOAK_RUN_DIR"])
    named = {
        "server": httpload.start_uvicorn(ROOT, port, env, log),
        "worker": subprocess.Popen([*celery, "worker", "--concurrency", "2", "--loglevel", "WARNING",
                                    "--without-mingle", "--without-gossip"],
                                   cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True),
        "beat": subprocess.Popen([*celery, "beat", "--loglevel", "WARNING", "--schedule",
                                  str(run_dir / "celerybeat-schedule")],
                                 cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True),
    }  # fmt: skip
    httpload.wait_until_up(port)
    named["server"].port = port  # type: ignore[attr-defined]
    return named


def drain(seconds: float = 900) -> dict:
    """Wait until the worker has nothing queued and no dispatch is searching; what was left, if anything."""
    from core import ratelimit
    from partners.models import Dispatch, DispatchStatus

    redis = ratelimit.client()
    started = time.monotonic()
    at_stop = _queued_by_task(redis)
    while True:
        queued = sum(redis.llen(key) for key in redis.scan_iter("celery*") if redis.type(key) == b"list")
        searching = Dispatch.objects.filter(status=DispatchStatus.SEARCHING).count()
        if (queued == 0 and searching == 0) or time.monotonic() - started > seconds:
            return {"queued_when_traffic_stopped": at_stop, "drain_seconds": round(time.monotonic() - started),
                    "celery_messages_queued": queued, "dispatches_searching": searching,
                    "eta_messages_held_by_worker": redis.hlen("unacked") if redis.exists("unacked") else 0}  # fmt: skip
        time.sleep(2)


def _queued_by_task(redis) -> dict[str, int]:
    """The messages waiting in the broker's queues, by task name."""
    names: Counter[str] = Counter()
    for key in redis.scan_iter("celery*"):
        if redis.type(key) == b"list":
            for raw in redis.lrange(key, 0, -1):
                names[json.loads(raw).get("headers", {}).get("task", "?")] += 1
    return dict(names.most_common())


def effects() -> dict:
    """What the traffic left behind, and each way an effect could have been lost."""
    from bookings.models import Booking, BookingStatus
    from partners.models import DispatchStatus, PartnerAssignment
    from payments.models import PAID_STATUSES, Payment, PaymentWebhook, WebhookStatus
    from payments.services.ledger import ledger_trial_balance

    booked = Booking.objects.filter(user__email__endswith="@soak.example", centre__isnull=True)  # dispatched jobs
    paid_ids = set(
        Payment.objects.filter(payable_type="bookings.booking", status__in=PAID_STATUSES).values_list(
            "payable_id", flat=True
        )
    )
    rows = list(booked.values_list("pk", "payment_method", "status", "dispatch__status"))
    live = {BookingStatus.PENDING, BookingStatus.PARTNER_ASSIGNED, BookingStatus.CONFIRMED,
            BookingStatus.IN_PROGRESS, BookingStatus.COMPLETED}  # fmt: skip
    placed = {DispatchStatus.OFFERED, DispatchStatus.ASSIGNED, DispatchStatus.MANUAL, DispatchStatus.CLOSED}
    due = [row for row in rows if row[1] == "cash" or str(row[0]) in paid_ids]
    lost = [str(pk) for pk, _, status, dispatch in due if status not in live or dispatch not in placed]
    appointments = Booking.objects.filter(centre__isnull=False, pk__in=[pid for pid in paid_ids if pid])
    return {
        "bookings": len(rows),
        "bookings_by_status": dict(Counter(status for _, _, status, _ in rows)),
        "dispatch_by_status": dict(Counter(str(dispatch) for *_, dispatch in rows)),
        "paid_or_cash": len(due),
        "assignments_by_status": dict(
            Counter(PartnerAssignment.objects.filter(booking__in=booked).values_list("status", flat=True))
        ),
        "appointments_paid": appointments.count(),
        "lost": lost,
        "paid_appointments_not_confirmed": [
            str(pk) for pk in appointments.filter(status__in=["pending_payment", "expired"]).values_list("pk", flat=1)
        ],
        "ledger_trial_balance": str(ledger_trial_balance()),
        "webhooks_waiting": PaymentWebhook.objects.filter(
            status__in=[WebhookStatus.RECEIVED, WebhookStatus.FAILED]
        ).count(),
    }


def memory_report(samples: dict[str, list[tuple[float, int]]]) -> dict:
    """Per process: mean RSS in the first, third and last minute, and the change (over all, and after warm-up)."""
    report = {}
    for name, points in samples.items():
        if len(points) < 4:
            continue
        head = [kib for at, kib in points if at - points[0][0] <= 60] or [points[0][1]]
        warm = [kib for at, kib in points if 120 <= at - points[0][0] <= 180] or head
        tail = [kib for at, kib in points if points[-1][0] - at <= 60] or [points[-1][1]]
        first, last = sum(head) / len(head) / 1024, sum(tail) / len(tail) / 1024
        third = sum(warm) / len(warm) / 1024
        report[name] = {
            "first_minute_mib": round(first, 1),
            "third_minute_mib": round(third, 1),
            "last_minute_mib": round(last, 1),
            "change_pct": round((last - first) / first * 100, 1) if first else 0.0,
            "change_after_warm_up_pct": round((last - third) / third * 100, 1) if third else 0.0,
        }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--bookers", type=int, default=3)
    parser.add_argument("--browsers", type=int, default=2)
    parser.add_argument("--sample", type=float, default=15.0)
    args = parser.parse_args()
    httpload.exit_on_sigterm()
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    log = (out / "soak-processes.log").open("wb")
    named: dict[str, subprocess.Popen] = {}
    with httpload.platform_on_postgres("benchmarks.settings_pg", SOAK_RUN_DIR=str(out)) as env:
        try:
            named = start_processes(env, log)
            report = run(args, named)
        finally:
            httpload.stop_all(list(named.values()))
            log.close()
    (out / "soak.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    sys.exit(0 if report["passed"] else 1)


def run(args, named: dict[str, subprocess.Popen]) -> dict:

    traffic = Traffic(f"http://127.0.0.1:{named['server'].port}/api/v1")  # type: ignore[attr-defined]
    world = build_world(traffic)
    traffic.counts.clear()
    works = [resident(traffic, world), patient(traffic, world)]
    works += [booker(traffic, world, i) for i in range(args.bookers)]
    works += [browser(traffic, world) for _ in range(args.browsers)]
    threads = [threading.Thread(target=traffic.loop, args=(work,), daemon=True) for work in works]
    partners_done = threading.Event()  # the partners work on until the worker has drained
    partners = threading.Thread(target=traffic.loop, args=(partners_at_work(traffic, world), partners_done))
    partners.start()
    samples: dict[str, list[tuple[float, int]]] = defaultdict(list)
    started = time.monotonic()
    for thread in threads:
        thread.start()
    while time.monotonic() - started < args.minutes * 60:
        for name, pid in _process_tree(named).items():
            samples[name].append((time.monotonic() - started, _rss_kib(pid)))
        time.sleep(args.sample)
    traffic.stop.set()
    for thread in threads:
        thread.join(timeout=90)
    elapsed = time.monotonic() - started
    left = drain()
    partners_done.set()
    partners.join(timeout=90)
    found = effects()
    requests_total = sum(traffic.counts.values())
    by_label: dict[str, dict[str, int]] = defaultdict(dict)
    for (label, status), count in sorted(traffic.counts.items()):
        by_label[label][status] = count
    report = {
        "minutes": round(elapsed / 60, 2),
        "requests": requests_total,
        "requests_per_second": round(requests_total / elapsed, 1),
        "answers": by_label,
        "server_errors": traffic.server_errors[:20],
        "client_error_examples": {f"{label} {status}": text for (label, status), text in traffic.examples.items()},
        "server_error_count": len(traffic.server_errors),
        "scenario_failures": traffic.failures[:20],
        "orders_placed": world["orders_placed"],
        "appointments_made": world["appointments_made"],
        "drain": left,
        "effects": found,
        "memory": memory_report(samples),
    }
    report["passed"] = (
        not traffic.server_errors
        and not traffic.failures
        and not found["lost"]
        and not found["paid_appointments_not_confirmed"]
        and found["ledger_trial_balance"] in ("0", "0.00")
        and found["webhooks_waiting"] == 0
        and left["celery_messages_queued"] == 0
        and left["dispatches_searching"] == 0
    )
    return report


if __name__ == "__main__":
    main()
