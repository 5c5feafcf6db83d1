"""Every accounts endpoint appears in the OpenAPI schema with its request and its enveloped response."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("post", "/api/v1/auth/send-otp"), ("post", "/api/v1/auth/send-email-otp"), ("post", "/api/v1/auth/verify-otp"),
    ("post", "/api/v1/auth/verify-email-otp"), ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/login/phone-otp"), ("post", "/api/v1/auth/login/phone-password"),
    ("post", "/api/v1/auth/login/username-password"), ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/auth/telegram"), ("post", "/api/v1/auth/oauth/google"), ("post", "/api/v1/auth/oauth/facebook"),
    ("post", "/api/v1/auth/forgot-password"), ("post", "/api/v1/auth/reset-password"),
    ("post", "/api/v1/auth/set-password"), ("post", "/api/v1/auth/change-password"), ("post", "/api/v1/auth/refresh"),
    ("post", "/api/v1/auth/refresh-token"), ("post", "/api/v1/auth/logout"), ("get", "/api/v1/auth/me"),
    ("get", "/api/v1/auth/roles"), ("post", "/api/v1/admin/auth/login"), ("post", "/api/v1/admin/auth/refresh-token"),
    ("post", "/api/v1/partner/auth/login"), ("get", "/api/v1/users/addresses"), ("post", "/api/v1/users/addresses"),
    ("put", "/api/v1/users/addresses/{address_id}"), ("delete", "/api/v1/users/addresses/{address_id}"),
    ("patch", "/api/v1/users/addresses/{address_id}/set-default"), ("get", "/api/v1/users/profile"),
    ("put", "/api/v1/users/profile"), ("post", "/api/v1/users/avatar"), ("get", "/api/v1/users/{user_id}/profile"),
    ("put", "/api/v1/users/{user_id}/profile"), ("post", "/api/v1/users/{user_id}/update-email"),
    ("post", "/api/v1/users/{user_id}/verify-email"), ("post", "/api/v1/users/{user_id}/update-phone"),
    ("post", "/api/v1/users/{user_id}/verify-phone"), ("post", "/api/v1/users/{user_id}/resend-verification-otp"),
    ("delete", "/api/v1/users/{user_id}/contact/{contact_type}"),
]  # fmt: skip


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return APIClient().get("/api/schema/?format=json").json()


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_endpoint_is_described(schema, method, path):
    operation = schema["paths"][path][method]
    successes = {code: response for code, response in operation["responses"].items() if code.startswith("2")}

    if method in ("post", "put") and not path.endswith(("/logout", "/me")):
        assert "requestBody" in operation, path
    # Every accounts endpoint answers a success with the envelope, deletes included (200 with null data):
    # none answers 204, so a success described without a JSON body is a gap in the schema, not an exception.
    assert successes, path
    for code, response in successes.items():
        body = response.get("content", {}).get("application/json", {}).get("schema")
        assert body is not None, f"{method} {path} {code} has no JSON body in the schema"
        assert body["allOf"][0]["$ref"] == "#/components/schemas/SuccessEnvelope", (path, code)
    assert "500" in operation["responses"]
