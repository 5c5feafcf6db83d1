"""Races the accounts issue names, with real threads on PostgreSQL (each thread its own connection).

Two kinds of test per race:
* a stampede: several threads, started together behind a barrier with their clients built beforehand,
  repeated over several rounds, must give exactly one winner each round;
* a lock test: a second connection holds the row the code locks and makes the competing change (as the
  winner of the race would), the call is seen blocked on that lock by PostgreSQL, and once the holder
  commits the call ends with the outcome the winner's change dictates. Without the ``select_for_update``
  the call would read the row before the change and win a second time.
"""

import threading
import time
from collections import Counter

import pytest
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import Address, OtpVerification, User
from accounts.services.tokens import tokens_issue
from notifications import sms
from tests.accounts.helpers import assert_error, last_sms_code
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "+919876543210"
ROUNDS = 5
THREADS = 4


def run_together(count, action):
    """Start ``count`` threads at the same moment; return each one's result."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(index):
        try:
            barrier.wait(timeout=10)
            results[index] = action(index)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


class RowLockHolder:
    """A second connection that runs ``lock`` (a ``select_for_update`` and the winner's change) in a
    transaction and keeps it open until the ``with`` block ends, then commits."""

    def __init__(self, lock):
        self._lock = lock
        self._locked = threading.Event()
        self._release = threading.Event()
        self._thread = threading.Thread(target=self._run)
        self.pid = None
        self.error = None

    def _run(self):
        try:
            with transaction.atomic():
                self._lock()
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    self.pid = cursor.fetchone()[0]
                self._locked.set()
                self._release.wait(timeout=60)
        except Exception as exc:  # reported by __enter__
            self.error = exc
        finally:
            self._locked.set()
            connection.close()

    def __enter__(self):
        self._thread.start()
        assert self._locked.wait(timeout=30)
        assert self.error is None, self.error
        return self

    def __exit__(self, *exc_info):
        self._release.set()
        self._thread.join(timeout=60)
        assert not self._thread.is_alive()


def start(action):
    """Run ``action`` in a thread of its own (own connection); its result lands in the returned dict."""
    outcome = {}

    def run():
        try:
            outcome["result"] = action()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def statements_blocked_by(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))", [pid])
        return [row[0] for row in cursor.fetchall()]


def wait_until_blocked(call, holder):
    """The statements of ``call`` waiting on the holder's lock, once there are some (or ``call`` has ended).

    This waits for a state PostgreSQL reports, polling it, rather than guessing a delay: a call that takes
    no lock ends and leaves the list empty.
    """
    for _ in range(400):
        blocked = statements_blocked_by(holder.pid)
        if blocked or not call.is_alive():
            return blocked
        time.sleep(0.05)  # polling PostgreSQL's view (a timed join would never time out under libfaketime)
    return statements_blocked_by(holder.pid)


# --- sending an OTP --------------------------------------------------------------------------------------


def test_twenty_simultaneous_send_otp_calls_send_exactly_one_message():
    assert connection.vendor == "postgresql"
    for round_ in range(4):  # 80 requests: under the anonymous throttle (100/minute)
        phone = f"+91987650{round_:04d}"
        clients = [APIClient() for _ in range(20)]

        responses = run_together(
            20, lambda i, c=clients, p=phone: c[i].post("/api/v1/auth/send-otp", {"phone": p}, format="json")
        )

        assert Counter(r.status_code for r in responses) == {200: 1, 429: 19}, round_
        for refused in (r for r in responses if r.status_code == 429):
            assert_error(refused, 429, "TOO_MANY_REQUESTS")  # the 60 s cooldown, not the hourly limit
        assert len([m for m in sms.outbox if m.to == phone]) == 1
        assert OtpVerification.objects.filter(destination=phone).count() == 1


# --- verifying an OTP ------------------------------------------------------------------------------------


def test_simultaneous_verifications_of_one_otp_yield_one_token_pair():
    for round_ in range(ROUNDS):
        phone = f"+91987654{round_:04d}"
        otp_id = APIClient().post("/api/v1/auth/send-otp", {"phone": phone}, format="json").json()["data"]["otp_id"]
        body = {"phone": phone, "otp": last_sms_code(phone), "otp_id": otp_id}
        clients = [APIClient() for _ in range(THREADS)]

        responses = run_together(
            THREADS, lambda i, c=clients, b=body: c[i].post("/api/v1/auth/verify-otp", b, format="json")
        )

        assert Counter(r.status_code for r in responses) == {200: 1, 401: THREADS - 1}, round_
        for refused in (r for r in responses if r.status_code == 401):
            assert_error(refused, 401, "INVALID_OTP", "otp_id")
        assert User.objects.filter(phone=phone).count() == 1


def test_a_verification_waits_for_the_otp_row_lock_and_then_finds_the_otp_used():
    otp_id = APIClient().post("/api/v1/auth/send-otp", {"phone": PHONE}, format="json").json()["data"]["otp_id"]
    body = {"phone": PHONE, "otp": last_sms_code(PHONE), "otp_id": otp_id}
    client = APIClient()

    def winner_uses_the_otp():
        otp = OtpVerification.objects.select_for_update().get(id=otp_id)
        otp.verified_at = timezone.now()
        otp.save(update_fields=["verified_at"])

    with RowLockHolder(winner_uses_the_otp) as holder:
        call, outcome = start(lambda: client.post("/api/v1/auth/verify-otp", body, format="json"))
        blocked = wait_until_blocked(call, holder)

        assert call.is_alive()  # it waits for the OTP's row
        assert len(blocked) == 1, blocked
        assert "FOR UPDATE" in blocked[0], blocked  # locked before it is read
    call.join(timeout=60)

    assert_error(outcome["result"], 401, "INVALID_OTP", "otp_id")
    assert not User.objects.filter(phone=PHONE).exists()


# --- addresses -------------------------------------------------------------------------------------------


def test_two_simultaneous_set_default_calls_leave_exactly_one_default():
    user = make_user()
    clients = [client_for(user) for _ in range(2)]
    first = clients[0].post("/api/v1/users/addresses", ADDRESS, format="json").json()["data"]["id"]
    assert Address.objects.get(id=first).is_default
    for round_ in range(ROUNDS):
        ids = [clients[0].post("/api/v1/users/addresses", ADDRESS, format="json").json()["data"]["id"] for _ in "ab"]

        responses = run_together(2, lambda i, a=ids: clients[i].patch(f"/api/v1/users/addresses/{a[i]}/set-default"))

        assert [r.status_code for r in responses] == [200, 200], round_
        defaults = list(Address.objects.filter(user=user, is_default=True).values_list("id", flat=True))
        assert len(defaults) == 1, round_
        assert str(defaults[0]) in ids


# --- refreshing a token ----------------------------------------------------------------------------------


def refresh(client, token):
    return client.post("/api/v1/auth/refresh", {"refresh_token": token}, format="json")


def test_a_refresh_token_used_by_several_clients_at_once_rotates_once():
    user = make_user()
    for round_ in range(ROUNDS):
        old = tokens_issue(user=user)["refresh_token"]
        clients = [APIClient() for _ in range(THREADS)]

        responses = run_together(THREADS, lambda i, c=clients, t=old: refresh(c[i], t))

        assert Counter(r.status_code for r in responses) == {200: 1, 401: THREADS - 1}, round_
        for refused in (r for r in responses if r.status_code == 401):
            assert_error(refused, 401, "INVALID_TOKEN", "refresh_token")
        pair = next(r for r in responses if r.status_code == 200).json()["data"]
        signed_in = APIClient()
        signed_in.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access_token']}")
        assert signed_in.get("/api/v1/auth/me").json()["data"]["user_id"] == str(user.pk)
        assert_error(refresh(APIClient(), old), 401, "INVALID_TOKEN", "refresh_token")
        assert refresh(APIClient(), pair["refresh_token"]).status_code == 200


def test_a_refresh_waits_for_the_token_row_lock_and_then_finds_the_token_rotated():
    user = make_user()
    old = tokens_issue(user=user)["refresh_token"]
    jti = RefreshToken(old)["jti"]
    client = APIClient()

    def winner_rotates_the_token():
        outstanding = OutstandingToken.objects.select_for_update().get(jti=jti)
        BlacklistedToken.objects.create(token=outstanding)

    with RowLockHolder(winner_rotates_the_token) as holder:
        call, outcome = start(lambda: refresh(client, old))
        blocked = wait_until_blocked(call, holder)

        assert call.is_alive()  # it waits for the token's row
        assert len(blocked) == 1, blocked
        assert "FOR UPDATE" in blocked[0], blocked  # locked before the blacklist is read
    call.join(timeout=60)

    assert_error(outcome["result"], 401, "INVALID_TOKEN", "refresh_token")
    assert OutstandingToken.objects.filter(user=user).count() == 1  # no new pair was issued


ADDRESS = {
    "name": "Home",
    "address_line1": "123 Main St",
    "city": "Kolkata",
    "state": "West Bengal",
    "pincode": "700032",
    "lat": 22.5726,
    "lng": 88.3639,
}
