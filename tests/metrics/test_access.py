"""Who may read ``GET /metrics``: a bearer token (when one is set) or an address in METRICS_ALLOWED_NETWORKS,
judged by REMOTE_ADDR alone (X-Forwarded-For is never believed)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

TOKEN = "metrics-token-for-tests"
OUTSIDE = "203.0.113.9"


def get(remote_addr: str = "127.0.0.1", **headers: str):
    return Client().get("/metrics", REMOTE_ADDR=remote_addr, **headers)


def test_the_local_address_reads_the_prometheus_text():
    response = get()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    body = response.content.decode()
    assert "# TYPE platform_http_requests_total counter" in body
    assert "platform_celery_broker_up 1.0" in body


def test_ipv6_loopback_is_internal_too():
    assert get("::1").status_code == 200


def test_an_outside_address_is_refused():
    response = get(OUTSIDE)
    assert response.status_code == 403
    assert b"platform_" not in response.content


def test_x_forwarded_for_does_not_make_an_outside_address_internal():
    assert get(OUTSIDE, HTTP_X_FORWARDED_FOR="127.0.0.1", HTTP_X_REAL_IP="127.0.0.1").status_code == 403


@override_settings(METRICS_TOKEN=TOKEN)
def test_the_token_opens_it_from_anywhere_and_a_wrong_one_does_not():
    assert get(OUTSIDE, HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    assert get(OUTSIDE, HTTP_AUTHORIZATION=f"Bearer {TOKEN}x").status_code == 403
    assert get(OUTSIDE, HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 403
    assert get(OUTSIDE, HTTP_AUTHORIZATION="Bearer ").status_code == 403


@override_settings(METRICS_TOKEN="")
def test_an_empty_token_setting_accepts_no_token():
    assert get(OUTSIDE, HTTP_AUTHORIZATION="Bearer ").status_code == 403
    assert get(OUTSIDE, HTTP_AUTHORIZATION="Bearer").status_code == 403


@override_settings(METRICS_ALLOWED_NETWORKS=["10.0.0.0/8"])
def test_the_allowed_networks_come_from_the_setting():
    assert get("10.1.2.3").status_code == 200
    assert get("127.0.0.1").status_code == 403


@override_settings(METRICS_ALLOWED_NETWORKS=[""], METRICS_TOKEN=TOKEN)
def test_no_networks_leaves_only_the_token():
    assert get("127.0.0.1").status_code == 403
    assert get("127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_only_get_is_answered():
    assert Client().post("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 405
