"""CORS (issue 14 item 12): a browser app on an allowed origin may call /api/, no other origin may."""

from __future__ import annotations

import pytest

from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

APP = "https://app.example.com"
STRANGER = "https://evil.example.net"
REQUEST_HEADERS = "authorization, content-type, x-idempotency-key, x-request-id"


@pytest.fixture(autouse=True)
def allowed_origins(settings):
    settings.CORS_ALLOWED_ORIGINS = [APP]


def preflight(client, path: str, origin: str):
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=REQUEST_HEADERS,
    )


def listed(response, header: str) -> set[str]:
    return {part.strip().lower() for part in response.get(header, "").split(",") if part.strip()}


def test_a_preflight_from_an_allowed_origin_is_answered_with_the_allowed_headers(api_client):
    response = preflight(api_client, "/api/v1/bookings", APP)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == APP
    assert {"authorization", "content-type", "x-idempotency-key", "x-request-id"} <= listed(
        response, "Access-Control-Allow-Headers"
    )
    assert "post" in listed(response, "Access-Control-Allow-Methods")
    assert "Access-Control-Allow-Credentials" not in response  # bearer tokens, not cookies
    assert response["X-Request-ID"]


def test_a_preflight_from_another_origin_gets_no_cors_headers(api_client):
    response = preflight(api_client, "/api/v1/bookings", STRANGER)

    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Headers" not in response
    assert "Access-Control-Allow-Methods" not in response


def test_no_origin_is_allowed_unless_configured(api_client, settings):
    settings.CORS_ALLOWED_ORIGINS = []

    response = preflight(api_client, "/api/v1/bookings", APP)

    assert "Access-Control-Allow-Origin" not in response


def test_a_real_get_carries_the_origin_and_exposes_the_request_id_and_rate_limit_headers():
    client = client_for(make_user())

    response = client.get("/api/v1/notifications", HTTP_ORIGIN=APP)

    assert response.status_code == 200
    assert response.json()["success"] is True
    assert response["Access-Control-Allow-Origin"] == APP
    assert {"x-request-id", "x-rate-limit-remaining", "x-rate-limit-reset", "retry-after"} <= listed(
        response, "Access-Control-Expose-Headers"
    )


def test_an_error_envelope_carries_the_origin_too(api_client):
    response = api_client.get("/api/v1/notifications", HTTP_ORIGIN=APP)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHORIZED"
    assert response["Access-Control-Allow-Origin"] == APP  # so the browser app can read why


def test_a_real_get_from_another_origin_carries_no_allow_origin(api_client):
    response = api_client.get("/api/v1/health", HTTP_ORIGIN=STRANGER)

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_only_api_paths_answer_cors(api_client):
    response = api_client.get("/admin/login/", HTTP_ORIGIN=APP)

    assert "Access-Control-Allow-Origin" not in response
