import io
import json
import logging
import logging.config
import uuid

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls")]


@pytest.fixture
def log_lines():
    """The configured JSON formatter and request-id filter, writing core.request to a buffer."""
    stream = io.StringIO()
    config = settings.LOGGING
    handler = logging.StreamHandler(stream)
    formatter_config = dict(config["formatters"]["json"])
    formatter_factory = formatter_config.pop("()")
    handler.setFormatter(import_string(formatter_factory)(**formatter_config))
    filter_config = dict(config["filters"]["request_id"])
    handler.addFilter(import_string(filter_config.pop("()"))(**filter_config))
    logger = logging.getLogger("core.request")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(previous)


def test_one_json_line_per_request_with_id_user_method_path_status_duration(api_client, user, log_lines):
    request_id = str(uuid.uuid4())
    api_client.force_authenticate(user)

    api_client.get("/api/v1/test/private?probe=1", HTTP_X_REQUEST_ID=request_id)

    (entry,) = log_lines()
    assert entry["message"] == "request"
    assert entry["request_id"] == request_id
    assert entry["user_id"] == str(user.pk)
    assert entry["method"] == "GET"
    assert entry["path"] == "/api/v1/test/private?probe=1"
    assert entry["status"] == 200
    assert entry["duration_ms"] >= 0
    assert entry["level"] == "INFO"
    assert entry["timestamp"]


def test_anonymous_error_requests_are_logged_too(api_client, log_lines):
    api_client.get("/api/v1/nope")

    (entry,) = log_lines()
    assert entry["user_id"] is None
    assert entry["status"] == 404


def test_sensitive_query_values_are_masked_in_the_request_log(api_client, user, log_lines):
    api_client.force_authenticate(user)

    api_client.get(
        "/api/v1/test/private?token=eyJhbGciOi.secret&probe=1&search=priya%40example.com&otp=123456"
        "&phone=%2B919876543210&refresh_token=r-abc&page=2"
    )

    (entry,) = log_lines()
    assert entry["path"] == (
        "/api/v1/test/private?token=[masked]&probe=1&search=[masked]&otp=[masked]"
        "&phone=[masked]&refresh_token=[masked]&page=2"
    )
    for secret in ("eyJhbGciOi", "priya", "123456", "9876543210", "r-abc"):
        assert secret not in json.dumps(entry)


def test_a_path_without_a_query_string_is_logged_as_it_is(api_client, log_lines):
    api_client.get("/api/v1/health")

    (entry,) = log_lines()
    assert entry["path"] == "/api/v1/health"


def test_the_servers_websocket_handshake_line_does_not_log_the_access_token():
    """uvicorn logs every WebSocket handshake with its query string on ``uvicorn.error`` at INFO."""
    import config.asgi  # noqa: F401  (the web process: loading it loads the middleware)

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    server_logger = logging.getLogger("uvicorn.error")
    server_logger.addHandler(handler)
    previous = server_logger.level
    server_logger.setLevel(logging.INFO)
    try:
        server_logger.info(
            '%s - "WebSocket %s" [accepted]', "10.0.0.7:51234", "/ws/notifications/42/?token=eyJhbGciOi.secret&since=5"
        )
    finally:
        server_logger.removeHandler(handler)
        server_logger.setLevel(previous)

    line = stream.getvalue()
    assert "eyJhbGciOi" not in line
    assert '"WebSocket /ws/notifications/42/?token=[masked]&since=5" [accepted]' in line
