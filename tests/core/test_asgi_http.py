"""HTTP through the real ASGI application (as uvicorn serves it), not the test client's WSGI path."""

import json

import pytest
from channels.testing import HttpCommunicator

from config.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


def header(response, name):
    return dict(response["headers"]).get(name.lower().encode(), b"").decode()


async def test_health_over_asgi_is_enveloped_with_a_request_id():
    response = await HttpCommunicator(application, "GET", "/api/v1/health").get_response(timeout=10)

    assert response["status"] == 200
    assert json.loads(response["body"])["success"] is True
    assert header(response, "X-Request-ID")


async def test_unknown_path_over_asgi_is_the_envelope_404():
    response = await HttpCommunicator(application, "GET", "/api/v1/none").get_response(timeout=10)

    assert response["status"] == 404
    assert json.loads(response["body"])["error"]["code"] == "NOT_FOUND"


async def test_wrong_method_over_asgi_is_405():
    communicator = HttpCommunicator(
        application, "POST", "/api/v1/health", body=b"{}", headers=[(b"content-type", b"application/json")]
    )

    response = await communicator.get_response(timeout=10)

    assert response["status"] == 405
    assert json.loads(response["body"])["error"]["code"] == "METHOD_NOT_ALLOWED"


async def test_oversized_body_over_asgi_is_413():
    body = b'{"x": "' + b"a" * (1024 * 1024 + 1) + b'"}'
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    communicator = HttpCommunicator(application, "POST", "/api/v1/health", body=body, headers=headers)

    response = await communicator.get_response(timeout=10)

    assert response["status"] == 413
    assert json.loads(response["body"])["error"]["code"] == "PAYLOAD_TOO_LARGE"
