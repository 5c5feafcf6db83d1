"""Races the accounts issue names, with real threads on PostgreSQL (each thread its own connection)."""

import threading
from collections import Counter

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import Address
from accounts.services.tokens import tokens_issue
from notifications import sms
from tests.accounts.helpers import last_sms_code
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "+919876543210"


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
    return results


def test_twenty_simultaneous_send_otp_calls_send_at_most_three_messages():
    assert connection.vendor == "postgresql"

    statuses = run_together(
        20, lambda _: APIClient().post("/api/v1/auth/send-otp", {"phone": PHONE}, format="json").status_code
    )

    assert 1 <= len([m for m in sms.outbox if m.to == PHONE]) <= 3
    assert Counter(statuses)[200] == len(sms.outbox)
    assert set(statuses) <= {200, 429}


def test_two_simultaneous_verifications_of_one_otp_yield_one_token_pair():
    otp_id = APIClient().post("/api/v1/auth/send-otp", {"phone": PHONE}, format="json").json()["data"]["otp_id"]
    code = last_sms_code(PHONE)
    body = {"phone": PHONE, "otp": code, "otp_id": otp_id}

    responses = run_together(2, lambda _: APIClient().post("/api/v1/auth/verify-otp", body, format="json"))

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 401]
    refused = next(r for r in responses if r.status_code == 401)
    assert refused.json()["error"]["code"] == "INVALID_OTP"


def test_two_simultaneous_set_default_calls_leave_exactly_one_default():
    user = make_user()
    client = client_for(user)
    first = client.post("/api/v1/users/addresses", ADDRESS, format="json").json()["data"]["id"]
    ids = [client.post("/api/v1/users/addresses", ADDRESS, format="json").json()["data"]["id"] for _ in range(2)]
    assert Address.objects.get(id=first).is_default

    statuses = run_together(
        2, lambda i: client_for(user).patch(f"/api/v1/users/addresses/{ids[i]}/set-default").status_code
    )

    assert statuses == [200, 200]
    assert Address.objects.filter(user=user, is_default=True).count() == 1


def test_a_refresh_token_used_twice_at_once_rotates_once():
    user = make_user()
    refresh = tokens_issue(user=user)["refresh_token"]

    responses = run_together(
        2, lambda _: APIClient().post("/api/v1/auth/refresh", {"refresh_token": refresh}, format="json")
    )

    assert sorted(r.status_code for r in responses) == [200, 401]


ADDRESS = {
    "name": "Home",
    "address_line1": "123 Main St",
    "city": "Kolkata",
    "state": "West Bengal",
    "pincode": "700032",
    "lat": 22.5726,
    "lng": 88.3639,
}
