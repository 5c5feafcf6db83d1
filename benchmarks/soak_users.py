"""The soak's virtual users (``benchmarks/soak.py``): each a function doing one person's errand over HTTP.

``Traffic`` counts every answer by endpoint and status and keeps the 5xx whole; the users share it.
"""

from __future__ import annotations

import json
import random
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta


class Traffic:
    """Every answer by endpoint and status, the 5xx kept whole, shared by the virtual users."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.lock = threading.Lock()
        self.counts: Counter[tuple[str, str]] = Counter()
        self.server_errors: list[dict] = []
        self.examples: dict[tuple[str, str], str] = {}
        self.failures: list[str] = []
        self.stop = threading.Event()
        self.local = threading.local()

    def session(self):
        import requests

        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session

    def call(self, method: str, path: str, label: str, token: str | None = None, body=None, headers=None):
        sent = {**({"Authorization": f"Bearer {token}"} if token else {}), **(headers or {})}
        try:
            response = self.session().request(method, self.base + path, json=body, headers=sent, timeout=60)
        except Exception as exc:  # a dropped connection is a failure too, never a silent retry
            with self.lock:
                self.counts[(label, "connection error")] += 1
                self.failures.append(f"{method} {path}: {exc!r}")
            return 0, {}
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        code = (answer.get("error") or {}).get("code", "") if isinstance(answer, dict) else ""
        key = (label, f"{response.status_code} {code}".strip())
        with self.lock:
            self.counts[key] += 1
            if response.status_code >= 400 and key not in self.examples:
                self.examples[key] = f"{method} {path} {json.dumps(body)[:300]} -> {response.text[:300]}"
            if response.status_code >= 500:
                self.server_errors.append({"request": f"{method} {path}", "status": response.status_code,
                                           "body": response.text[:500]})  # fmt: skip
        return response.status_code, answer

    def loop(self, work, stop: threading.Event | None = None) -> None:
        stop = stop or self.stop
        while not stop.is_set():
            try:
                work()
            except Exception as exc:  # a broken scenario is reported, and the user goes on
                with self.lock:
                    self.failures.append(f"{work.__name__}: {exc!r}")
                time.sleep(0.5)


# --- the virtual users ---------------------------------------------------------------------------------------


def browser(traffic: Traffic, world: dict):
    token = random.choice(world["customers"])["token"]
    services = world["service_ids"]

    def browse() -> None:
        traffic.call("GET", "/services/catalog", "catalog")
        traffic.call("GET", f"/services/{random.choice(services)}", "service")
        traffic.call("GET", "/services/search?q=facial", "search", token)
        traffic.call("GET", "/bookings?limit=20", "bookings list", token)
        time.sleep(0.2)

    return browse


def booker(traffic: Traffic, world: dict, index: int):
    rng = random.Random(index)

    def book() -> None:
        from django.utils import timezone

        customer = rng.choice(world["customers"])  # many customers: one books a few times an hour, as people do
        day = timezone.localdate() + timedelta(days=rng.randint(1, 30))
        status, prepared = traffic.call(
            "POST", "/checkout/prepare", "checkout prepare", customer["token"],
            {"service_ids": [rng.choice(world["service_ids"])],
             "booking_date": str(day), "address_id": customer["address_id"]},
        )  # fmt: skip
        slots = prepared.get("data", {}).get("available_time_slots") or []
        if status != 200 or not slots:
            return
        online = rng.random() < 0.5
        status, confirmed = traffic.call(
            "POST", "/checkout/confirm", "checkout confirm", customer["token"],
            {"preview_id": prepared["data"]["preview_id"], "payment_method": "online" if online else "cash",
             "address_id": customer["address_id"], "booking_date": prepared["data"]["booking_date"],
             "booking_time": rng.choice(slots), "cancellation_policy_accepted": True},
            {"X-Idempotency-Key": str(uuid.uuid4())},
        )  # fmt: skip
        if status == 201 and online:
            pay_online(traffic, customer["token"], confirmed["data"], "booking")

    return book


def pay_online(traffic: Traffic, token: str, answer: dict, label: str) -> None:
    """The offline gateway plays Razorpay Checkout for the order in ``answer``, then the app verifies."""
    order_id = _find(answer, "order_id") or _find(answer, "payment_order_id") or _find(answer, "razorpay_order_id")
    payable = _find(answer, "appointment_id") or _find(answer, "id")
    if not order_id and payable:  # no gateway order in the answer: ask for one
        _, made = traffic.call("POST", "/payments/create-order", f"{label} create order", token,
                               {"booking_id": payable}, {"X-Idempotency-Key": str(uuid.uuid4())})  # fmt: skip
        order_id = _find(made, "order_id") or _find(made, "razorpay_order_id")
        if made.get("error", {}).get("code") == "RATE_LIMIT_EXCEEDED":
            return  # the person's hourly payment attempts are spent: an answer, the booking stays unpaid
    if not order_id:
        raise RuntimeError(f"no gateway order in the {label} answer: {json.dumps(answer)[:300]}")
    status, paid = traffic.call("POST", "/payments/offline/checkout", f"{label} gateway checkout", token,
                                {"order_id": order_id})  # fmt: skip
    if status == 200:
        traffic.call("POST", "/payments/verify", f"{label} payment verify", token, paid["data"])


def _find(tree, key: str):
    if isinstance(tree, dict):
        if isinstance(tree.get(key), str):
            return tree[key]
        return next((found for value in tree.values() if (found := _find(value, key))), None)
    if isinstance(tree, list):
        return next((found for value in tree if (found := _find(value, key))), None)
    return None


def partners_at_work(traffic: Traffic, world: dict):
    """Accept every offer, then move each accepted job on one step per round: on the way, arrived, completed."""

    def work() -> None:
        from partners.models import AssignmentStatus, PartnerAssignment

        steps = {
            AssignmentStatus.ASSIGNED: ("POST", "/partner/bookings/{}/accept", None, "partner accept"),
            AssignmentStatus.ACCEPTED: ("PATCH", "/partner/bookings/{}/status", {"status": "in_transit"}, "on the way"),
            AssignmentStatus.IN_TRANSIT: ("PATCH", "/partner/bookings/{}/status", {"status": "arrived"}, "arrived"),
            AssignmentStatus.ARRIVED: ("POST", "/partner/bookings/{}/complete", {}, "partner complete"),
        }
        due = list(
            PartnerAssignment.objects.filter(status__in=list(steps), partner__user_id__in=world["partner_tokens"])
            .values_list("booking_id", "status", "partner__user_id")
            .order_by("?")[:20]
        )
        for booking_id, state, user_id in due:
            method, path, body, label = steps[state]
            status, _ = traffic.call(method, path.format(booking_id), label, world["partner_tokens"][user_id], body)
            if status == 401:  # access tokens live 15 minutes; the drain can outlast them: sign in again
                world["partner_tokens"][user_id] = _token_for(user_id)
        time.sleep(0.5 if due else 1.0)

    return work


def resident(traffic: Traffic, world: dict):
    society = world["society"]
    counter = iter(range(10**9))

    def order() -> None:
        from django.utils import timezone

        n = next(counter)
        pickup = timezone.localtime() + timedelta(days=1 + n % 20, hours=n % 5)
        pickup = pickup.replace(minute=0, second=0, microsecond=0)
        status, placed = traffic.call(
            "POST", "/orders", "order create", society["token"],
            {"vendor_id": society["vendor_id"], "society_id": society["society_id"],
             "pickup_datetime": pickup.isoformat(), "items": [dict(society["item"], quantity=1 + n % 4)]},
            {"X-Idempotency-Key": str(uuid.uuid4())},
        )  # fmt: skip
        if status == 201:
            world["orders_placed"] += 1
            if n % 2:
                order_id = _find(placed, "order_id") or _find(placed, "id")
                traffic.call("POST", f"/orders/{order_id}/cancel", "order cancel", society["token"],
                             {"reason": "Plans changed"})  # fmt: skip
        traffic.call("GET", "/orders", "orders list", society["token"])
        time.sleep(1.0)

    return order


def patient(traffic: Traffic, world: dict):
    clinic = world["clinic"]
    rng = random.Random(7)

    def appoint() -> None:
        from django.utils import timezone

        day = timezone.localdate() + timedelta(days=rng.randint(1, 60))
        clinician = rng.choice(clinic["clinicians"])
        token = rng.choice(world["customers"])["token"]  # patients, each booking now and then
        status, free = traffic.call(
            "GET", f"/booking/available-slots?clinicianId={clinician}&centreId={clinic['centre_id']}&date={day}",
            "appointment slots", token,
        )  # fmt: skip
        slots = [s for s in _slot_times(free.get("data")) if s]
        if status != 200 or not slots:
            time.sleep(0.5)
            return
        status, made = traffic.call(
            "POST", "/booking/create", "appointment create", token,
            {"clinicianId": clinician, "centreId": clinic["centre_id"], "appointmentDate": str(day),
             "appointmentTime": rng.choice(slots), "sessionType": "ONLINE"},
        )  # fmt: skip
        if status == 201:
            world["appointments_made"] += 1
            pay_online(traffic, token, made, "appointment")
        time.sleep(1.0)

    return appoint


def _slot_times(data) -> list[str]:
    rows = data.get("available_slots", []) if isinstance(data, dict) else []
    times = []
    for row in rows:
        if isinstance(row, str):
            times.append(row)
        elif isinstance(row, dict) and row.get("available", row.get("isAvailable", True)):
            times.append(row.get("time") or row.get("startTime") or row.get("start_time"))
    return times


def _token_for(user_id) -> str:
    from accounts.models import User
    from accounts.services.tokens import tokens_issue

    return tokens_issue(user=User.objects.get(pk=user_id))["access_token"]
