"""Appointments on PostgreSQL (issue #18): free slots of one provider and of a 200-clinician centre, and
appointment creations per second.

Starts its own PostgreSQL and Redis, loads the demo (``partners.demo_appointments``: Mibo Indiranagar), adds
``--clinicians`` clinicians to a second centre (each Monday-Sunday 09:00-18:00, one-hour consultations, an
existing appointment every day at 12:00 so the busy time is read), then:

1. in process: ``partners.selectors.agenda.free_slots_of`` for one clinician over 31 days, and for every
   clinician of the centre for one day: the queries (counted) and the median of ``--rounds`` timings;
2. over HTTP (uvicorn, one process, ``benchmarks.settings_pg``): ``POST /api/v1/booking/create`` (seed 003's
   patient booking: an online hold, its meeting link, its gateway order, the booked notice), ``--requests``
   requests from 16 patients on 16 connections, each a distinct free slot of a distinct clinician-hour
   (tomorrow and later): appointments/s, p50, p99, and how many holds are in the database afterwards.

    .venv/bin/python benchmarks/bench_appointments.py [--clinicians 200] [--requests 400] [--rounds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import statistics
import sys
import time as clock
from datetime import time, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import httpload  # noqa: E402
from benchmarks.bench_bookings import _summary  # noqa: E402

PATIENTS = 16


def _big_centre(count: int):
    """A centre with ``count`` verified clinicians, their rules and consultation, written in bulk."""
    from django.utils import timezone

    from accounts.models import User
    from accounts.roles import Role
    from accounts.services.roles import user_add_role
    from catalog.models import Category, Service
    from partners.models import Centre, OnboardingStatus, Partner, PartnerAvailability, PartnerKind
    from partners.services.profiles import new_partner_code

    centre = Centre.objects.create(name="Mibo Bench", city="Bengaluru", timezone="Asia/Kolkata")
    category = Category.objects.get(key="CONSULTATION")
    users = User.objects.bulk_create(
        User(phone=f"+9197{n:08d}", email=f"clinician{n}@bench.example.com", full_name=f"Dr Bench {n}")
        for n in range(count)
    )
    for user in users:
        user_add_role(user=user, role=Role.SPECIALIST)
    clinicians = Partner.objects.bulk_create(
        Partner(
            user=user,
            partner_code=new_partner_code(),
            kind=PartnerKind.CLINICIAN,
            onboarding_status=OnboardingStatus.VERIFIED,
            verified_at=timezone.now(),
            primary_centre=centre,
            timezone="Asia/Kolkata",
            default_session_minutes=60,
            consultation_fee=Decimal("800.00"),
        )
        for user in users
    )
    Partner.centres.through.objects.bulk_create(
        Partner.centres.through(partner_id=c.pk, centre_id=centre.pk) for c in clinicians
    )
    PartnerAvailability.objects.bulk_create(
        PartnerAvailability(partner=c, day_of_week=day, start_time=time(9), end_time=time(18))
        for c in clinicians
        for day in range(1, 8)
    )
    Service.objects.bulk_create(
        Service(
            category=category,
            partner=c,
            name="Consultation",
            service_key="CONSULTATION",
            service_type="Consultation",
            product_cost=Decimal("800.00"),
            market_price=Decimal("800.00"),
            duration_minutes=60,
        )
        for c in clinicians
    )
    return centre, clinicians


def _busy_noon(clinicians, days: int) -> None:
    """One confirmed cash appointment a day at 12:00 for every clinician (through the service, as booked)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from accounts.models import User
    from bookings.models import PaymentMode
    from partners.services.appointments import AppointmentRequest, appointment_create

    zone = ZoneInfo("Asia/Kolkata")
    today = timezone.now().astimezone(zone).date()
    walk_in = User.objects.filter(phone="+919699999999").first() or User.objects.create_user(
        phone="+919699999999", email="walkin@bench.example.com", full_name="Walk In"
    )
    for clinician in clinicians:
        for n in range(1, days + 1):
            start = datetime.combine(today + timedelta(days=n), time(12), tzinfo=zone)
            appointment_create(
                customer=walk_in,
                request=AppointmentRequest(provider_id=clinician.pk, start=start, payment_method=PaymentMode.CASH),
            )


def _timed(call, rounds: int) -> tuple[int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call()
    timings = []
    for _ in range(rounds):
        started = clock.perf_counter()
        call()
        timings.append((clock.perf_counter() - started) * 1000)
    return len(queries), round(statistics.median(timings), 2)


def _free_slots(clinicians, rounds: int) -> dict:
    from django.utils import timezone

    from partners.selectors import agenda

    day = timezone.now().astimezone(agenda.zone_of(clinicians[0])).date() + timedelta(days=1)
    one = [clinicians[0]]
    q31, ms31 = _timed(lambda: agenda.free_slots_of(one, first_day=day, last_day=day + timedelta(days=30)), rounds)
    q_all, ms_all = _timed(lambda: agenda.free_slots_of(clinicians, first_day=day, last_day=day), rounds)
    slots31 = len(agenda.free_slots_of(one, first_day=day, last_day=day + timedelta(days=30))[clinicians[0].pk])
    slots_all = sum(len(s) for s in agenda.free_slots_of(clinicians, first_day=day, last_day=day).values())
    return {
        "one_provider_31_days": {"queries": q31, "median_ms": ms31, "slots": slots31},
        "centre_one_day": {"queries": q_all, "median_ms": ms_all, "slots": slots_all, "clinicians": len(clinicians)},
    }


def _patients() -> list[str]:
    from accounts.models import User
    from accounts.roles import Role
    from accounts.services.roles import user_set_roles
    from accounts.services.tokens import tokens_issue

    tokens = []
    for n in range(PATIENTS):
        user = User.objects.create_user(phone=f"+9196{n:08d}", email=f"patient{n}@bench.example.com", full_name=f"P{n}")
        user_set_roles(user=user, roles=[Role.CUSTOMER])
        tokens.append(tokens_issue(user=user)["access_token"])
    return tokens


def _booking_requests(centre, clinicians, tokens, count: int) -> list[bytes]:
    from django.utils import timezone

    from partners.selectors import agenda

    first = timezone.now().astimezone(agenda.zone_of(clinicians[0])).date() + timedelta(days=1)
    free = agenda.free_slots_of(clinicians, first_day=first, last_day=first + timedelta(days=6))
    slots = [
        (c, start.astimezone(agenda.zone_of(c))) for c in clinicians for start in free[c.pk]
    ]  # every (clinician, hour) once: no two requests compete
    slots.sort(key=lambda pair: (pair[1], str(pair[0].pk)))
    if len(slots) < count:
        raise SystemExit(f"only {len(slots)} free slots for {count} requests: add clinicians")
    requests = []
    for n, (clinician, local) in enumerate(slots[:count]):
        body = {
            "clinicianId": str(clinician.pk),
            "centreId": str(centre.pk),
            "appointmentDate": local.date().isoformat(),
            "appointmentTime": local.strftime("%H:%M:%S"),
            "sessionType": "ONLINE",
        }
        headers = {"Authorization": f"Bearer {tokens[n % len(tokens)]}"}
        requests.append(httpload.post_request("/api/v1/booking/create", json.dumps(body).encode(), headers))
    return requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clinicians", type=int, default=200)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    httpload.exit_on_sigterm()
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    log = (out / "appointments-server.log").open("wb")
    server = None
    with httpload.platform_on_postgres(
        BOOKINGS_MAX_PER_USER_PER_HOUR="100000000",
        API_THROTTLE_USER="100000000/minute",
        MAX_BOOKING_ADVANCE_DAYS="60",  # the 31 days read all lie inside the booking horizon
    ) as env:
        try:
            from accounts.demo import seed as seed_accounts
            from catalog.demo import seed as seed_catalog
            from partners.demo_appointments import seed as seed_clinic

            for seed in (seed_accounts, seed_catalog, seed_clinic):
                seed(io.StringIO())
            centre, clinicians = _big_centre(args.clinicians)
            _busy_noon(clinicians[:1], 31)
            _busy_noon(clinicians[1:], 1)
            report = _free_slots(clinicians, args.rounds)
            requests = _booking_requests(centre, clinicians, _patients(), args.requests)
            port = httpload.free_port()
            server = httpload.start_uvicorn(ROOT, port, env, log)
            httpload.wait_until_up(port)
            report["appointment_create"] = _summary(asyncio.run(httpload.run_list(port, requests, connections=16)))
        finally:
            if server is not None:
                httpload.stop_all([server])
            log.close()
        from bookings.models import Booking, BookingStatus

        report["holds_in_database"] = Booking.objects.filter(status=BookingStatus.PENDING_PAYMENT).count()
    (out / "bench_appointments.json").write_text(json.dumps(report, indent=2, default=str))
    one, all_, made = report["one_provider_31_days"], report["centre_one_day"], report["appointment_create"]
    print(
        "\n".join(
            [
                "PostgreSQL; uvicorn 1 process; 2 cores shared with the client",
                f"free slots, 1 clinician x 31 days: {one['queries']} queries, {one['median_ms']} ms"
                f" (median of {args.rounds}), {one['slots']} slots",
                f"free slots, {all_['clinicians']} clinicians x 1 day: {all_['queries']} queries,"
                f" {all_['median_ms']} ms (median of {args.rounds}), {all_['slots']} slots",
                f"POST /booking/create (online hold, link, order, notice): {made['requests']} at {made['rps']}/s,"
                f" p50 {made['p50_ms']} ms, p99 {made['p99_ms']} ms, 16 connections, 16 patients, distinct slots;"
                f" holds in the database: {report['holds_in_database']}",
            ]
        )
    )


if __name__ == "__main__":
    main()
