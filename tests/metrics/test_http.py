"""HTTP metrics: requests, latency and errors by route pattern (never the raw path) and method."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client, override_settings

from accounts.roles import Role
from tests.conftest import client_for, make_user
from tests.metrics.helpers import moved, scrape, value

pytestmark = pytest.mark.django_db


def test_a_request_counts_under_its_route_and_method_with_its_latency():
    before = scrape()
    assert Client().get("/api/v1/health").status_code == 200
    after = scrape()
    labels = {"method": "GET", "route": "api/v1/health"}
    assert moved(before, after, "platform_http_requests_total", status="200", **labels) == 1
    assert moved(before, after, "platform_http_request_duration_seconds_count", **labels) == 1
    assert value(after, "platform_http_request_duration_seconds_bucket", le="+Inf", **labels) >= 1
    assert moved(before, after, "platform_http_errors_total", kind="4xx", **labels) == 0


def test_a_path_with_an_id_counts_under_the_pattern_never_the_id_and_a_404_is_a_4xx():
    client = client_for(make_user(Role.CUSTOMER))
    booking_id = uuid.uuid4()
    before = scrape()
    response = client.get(f"/api/v1/bookings/{booking_id}")
    assert response.status_code == 404
    after = scrape()
    routes = {dict(labels).get("route") for name, labels in after if name == "platform_http_requests_total"}
    assert not any(str(booking_id) in (route or "") for route in routes)
    labels = {"method": "GET", "route": "api/v1/bookings/<uuid:booking_id>"}
    assert moved(before, after, "platform_http_requests_total", status="404", **labels) == 1
    assert moved(before, after, "platform_http_errors_total", kind="4xx", **labels) == 1
    assert moved(before, after, "platform_http_errors_total", kind="5xx", **labels) == 0


def test_a_path_no_pattern_matches_counts_as_unmatched():
    before = scrape()
    assert Client().get("/no/such/page/12345").status_code == 404
    after = scrape()
    assert moved(before, after, "platform_http_requests_total", method="GET", route="<unmatched>", status="404") == 1


@override_settings(ROOT_URLCONF="tests.metrics.urls")
def test_a_500_counts_as_a_5xx_error_of_its_route():
    before = scrape()
    response = Client(raise_request_exception=False).post("/test-only/boom/42")
    assert response.status_code == 500
    after = scrape()
    labels = {"method": "POST", "route": "test-only/boom/<int:item_id>"}
    assert moved(before, after, "platform_http_requests_total", status="500", **labels) == 1
    assert moved(before, after, "platform_http_errors_total", kind="5xx", **labels) == 1
    assert moved(before, after, "platform_http_errors_total", kind="4xx", **labels) == 0
