"""Every response, success or error, uses the seed-001 envelope and carries X-Request-ID."""

import json
import uuid

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls")]


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["success"] is False
    error = body["error"]
    assert error["code"] == code
    assert error["message"]
    assert isinstance(error["details"], dict)
    assert error["metadata"]["timestamp"].endswith("Z")
    assert error["metadata"]["request_id"] == response["X-Request-ID"]
    uuid.UUID(response["X-Request-ID"])
    return error


def test_success_envelope_carries_data_and_message(api_client):
    response = api_client.post("/api/v1/test/echo", {"name": "asha", "age": 3}, format="json")

    assert response.status_code == 201
    assert response.json() == {"success": True, "data": {"name": "asha", "age": 3}, "message": "Echoed"}
    uuid.UUID(response["X-Request-ID"])


def test_no_content_has_no_body(api_client):
    response = api_client.delete("/api/v1/test/echo")

    assert response.status_code == 204
    assert response.content == b""
    assert response["X-Request-ID"]


def test_malformed_json_is_invalid_request(api_client):
    response = api_client.generic("POST", "/api/v1/test/echo", '{"name": "asha",', content_type="application/json")

    assert_error(response, 400, "INVALID_REQUEST")


def test_wrong_content_type_is_415(api_client):
    response = api_client.generic("POST", "/api/v1/test/echo", "name=asha", content_type="text/plain")

    error = assert_error(response, 415, "UNSUPPORTED_MEDIA_TYPE")
    assert error["details"]["reason"] == "unsupported_media_type"


def test_body_over_the_limit_is_413_before_parsing(api_client):
    body = json.dumps({"name": "x" * (1024 * 1024 + 10), "age": 1})

    response = api_client.generic("POST", "/api/v1/test/echo", body, content_type="application/json")

    error = assert_error(response, 413, "PAYLOAD_TOO_LARGE")
    assert error["details"]["context"]["max_bytes"] == 1024 * 1024


@override_settings(REQUEST_MAX_BODY_BYTES=100)
def test_body_limit_is_configurable(api_client):
    response = api_client.post("/api/v1/test/echo", {"name": "x" * 200, "age": 1}, format="json")

    assert_error(response, 413, "PAYLOAD_TOO_LARGE")


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/nope/", "/api/nothing/here", "/not-an-api-path"])
def test_unknown_path_is_not_found(api_client, path):
    response = api_client.get(path)

    assert_error(response, 404, "NOT_FOUND")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_an_unknown_api_path_is_not_found_for_every_method_without_a_csrf_cookie(method):
    client = APIClient(enforce_csrf_checks=True)  # as a real API client: no session, no CSRF cookie

    response = getattr(client, method)("/api/v1/vendors/None/rate-cards", {}, format="json")

    assert_error(response, 404, "NOT_FOUND")


@override_settings(DEBUG=True)
@pytest.mark.parametrize("path", ["/api/v1/nope", "/elsewhere"])
def test_unknown_path_is_enveloped_in_debug_too(api_client, path):
    response = api_client.get(path)

    assert_error(response, 404, "NOT_FOUND")


def test_wrong_method_is_405_with_allow(api_client):
    response = api_client.put("/api/v1/health", {}, format="json")

    assert_error(response, 405, "METHOD_NOT_ALLOWED")
    assert "GET" in response["Allow"]


def test_unhandled_exception_is_500_without_internals():
    client = APIClient(raise_request_exception=False)

    response = client.get("/api/v1/test/boom")

    error = assert_error(response, 500, "INTERNAL_SERVER_ERROR")
    assert error["details"] == {}
    assert b"secret internal detail" not in response.content
    assert b"Traceback" not in response.content


@override_settings(DEBUG=True)
def test_unhandled_exception_names_the_exception_in_debug():
    response = APIClient().get("/api/v1/test/boom")

    error = assert_error(response, 500, "INTERNAL_SERVER_ERROR")
    assert error["details"]["reason"] == "RuntimeError"


def test_missing_field_is_invalid_request_naming_the_field(api_client):
    response = api_client.post("/api/v1/test/echo", {"age": 3}, format="json")

    error = assert_error(response, 400, "INVALID_REQUEST")
    assert error["details"]["field"] == "name"
    assert error["details"]["reason"] == "required"


def test_bad_format_is_validation_error_naming_the_field(api_client):
    response = api_client.post("/api/v1/test/echo", {"name": "asha", "age": -1}, format="json")

    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert error["details"]["field"] == "age"
    assert error["details"]["reason"] == "min_value"


def test_several_bad_fields_are_all_listed_in_context(api_client):
    response = api_client.post("/api/v1/test/echo", {"name": "x" * 20, "age": "old"}, format="json")

    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert set(error["details"]["context"]) == {"name", "age"}


def test_unauthenticated_is_401(api_client):
    response = api_client.get("/api/v1/test/private")

    assert_error(response, 401, "UNAUTHORIZED")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_garbage_token_is_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-jwt")

    response = api_client.get("/api/v1/test/private")

    assert_error(response, 401, "UNAUTHORIZED")


def test_permission_denied_is_403(api_client):
    response = api_client.get("/api/v1/test/forbidden")

    assert_error(response, 403, "FORBIDDEN")


def test_throttled_is_429_with_retry_after(api_client):
    assert api_client.get("/api/v1/test/throttled").status_code == 200

    response = api_client.get("/api/v1/test/throttled")

    error = assert_error(response, 429, "RATE_LIMIT_EXCEEDED")
    assert error["metadata"]["retry_after_seconds"] > 0
    assert int(response["Retry-After"]) == error["metadata"]["retry_after_seconds"]


def test_http404_in_a_view_is_not_found(api_client):
    response = api_client.get("/api/v1/test/missing")

    assert_error(response, 404, "NOT_FOUND")


def test_domain_error_keeps_its_code_field_reason_and_context(api_client):
    response = api_client.get("/api/v1/test/domain-error")

    error = assert_error(response, 404, "NOT_FOUND")
    assert error["message"] == "You are not registered in the specified society"
    assert error["details"] == {
        "field": "society_id",
        "reason": "not_registered",
        "context": {"available_societies": [{"society_id": 1}]},
    }


def test_client_request_id_is_echoed_when_valid(api_client):
    request_id = str(uuid.uuid4())

    response = api_client.get("/api/v1/test/domain-error", HTTP_X_REQUEST_ID=request_id)

    assert response["X-Request-ID"] == request_id
    assert response.json()["error"]["metadata"]["request_id"] == request_id


def test_invalid_client_request_id_is_replaced(api_client):
    response = api_client.get("/api/v1/health", HTTP_X_REQUEST_ID="<script>")

    assert response["X-Request-ID"] != "<script>"
    uuid.UUID(response["X-Request-ID"])


@pytest.mark.parametrize("path", ["/api/v1/health", "/api/v1/health/"])
def test_paths_work_with_and_without_trailing_slash(api_client, path):
    assert api_client.get(path).status_code == 200


def test_admin_keeps_its_html_pages(api_client):
    response = api_client.get("/admin/login/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["X-Request-ID"]
