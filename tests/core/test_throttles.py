"""The API's per-user and per-client limits count in a fixed window in Redis (``core.throttles``)."""

import pytest

from accounts.roles import Role
from core import ratelimit
from core.throttles import UserRateThrottle
from tests.accounts.helpers import assert_error
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute(monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {**UserRateThrottle.THROTTLE_RATES, "user": "3/min"})


def test_a_user_past_the_rate_gets_429_and_another_user_does_not(three_a_minute):
    first, second = make_user(Role.CUSTOMER), make_user(Role.CUSTOMER)
    client = client_for(first)

    answers = [client.get("/api/v1/auth/me").status_code for _ in range(3)]
    refused = client.get("/api/v1/auth/me")

    assert answers == [200, 200, 200]
    error = assert_error(refused, 429, "RATE_LIMIT_EXCEEDED")
    assert 0 < error["metadata"]["retry_after_seconds"] <= 60
    assert client_for(second).get("/api/v1/auth/me").status_code == 200


def test_the_count_is_one_small_counter_not_a_log_of_timestamps(three_a_minute):
    user = make_user(Role.CUSTOMER)
    client = client_for(user)
    for _ in range(2):
        client.get("/api/v1/auth/me")

    redis = ratelimit.client()
    keys = [key for key in redis.scan_iter("*api-user*") if str(user.pk).encode() in key]
    assert len(keys) == 1
    assert redis.type(keys[0]) == b"string"
    assert int(redis.get(keys[0])) == 2
    assert 0 < redis.ttl(keys[0]) <= 60
