"""OTP sign-in over HTTP: seed 001 1.1-1.4 and seed 000 send-otp / verify-otp."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import OtpVerification, User
from core import ratelimit
from notifications import sms
from tests.accounts.helpers import assert_error, last_email_code, last_sms_code

# Real commits: OTP messages go out on commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "+919876543210"


def send(api_client, phone=PHONE, **extra):
    return api_client.post("/api/v1/auth/send-otp", {"phone": phone, **extra}, format="json")


def verify(api_client, otp, otp_id=None, phone=PHONE):
    body = {"phone": phone, "otp": otp}
    if otp_id:
        body["otp_id"] = otp_id
    return api_client.post("/api/v1/auth/verify-otp", body, format="json")


def test_send_otp_answers_otp_id_expiry_and_retry_after(api_client):
    response = send(api_client)

    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "OTP sent successfully"
    data = body["data"]
    assert data["phone"] == PHONE
    assert data["retry_after"] == 60
    assert data["expires_in"] == 300
    assert OtpVerification.objects.get(id=data["otp_id"]).destination == PHONE
    assert len(sms.outbox) == 1
    assert response["X-Rate-Limit-Remaining"] == "2"


def test_the_code_is_stored_hashed_never_in_clear(api_client):
    otp_id = send(api_client).json()["data"]["otp_id"]
    code = last_sms_code(PHONE)

    otp = OtpVerification.objects.get(id=otp_id)
    assert code not in otp.code_hash
    assert len(otp.code_hash) == 64


def test_seed_000_field_names_are_accepted(api_client):
    send_response = api_client.post(
        "/api/v1/auth/send-otp", {"phone_number": "9876543210", "purpose": "login"}, format="json"
    )
    code = last_sms_code(PHONE)

    response = api_client.post(
        "/api/v1/auth/verify-otp", {"phone_number": PHONE, "otp_code": code, "purpose": "login"}, format="json"
    )

    assert send_response.status_code == 200
    assert response.status_code == 200
    assert response.json()["data"]["access_token"]


def test_verifying_for_a_new_phone_creates_the_account_and_signs_in(api_client):
    otp_id = send(api_client).json()["data"]["otp_id"]

    response = verify(api_client, last_sms_code(PHONE), otp_id)

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["is_new_user"] is True
    assert data["requires_registration"] is True
    assert data["temp_user_id"] == data["user"]["user_id"]
    assert set(data["tokens"]) >= {"access_token", "refresh_token", "expires_in"}
    assert data["tokens"]["expires_in"] == 15 * 60
    user = User.objects.get(phone=PHONE)
    assert user.is_phone_verified
    assert user.role_names == {"customer"}


def test_verifying_for_an_existing_account_signs_it_in(api_client):
    User.objects.create_user(phone=PHONE, full_name="Ramesh Kumar")
    otp_id = send(api_client).json()["data"]["otp_id"]

    response = verify(api_client, last_sms_code(PHONE), otp_id)

    data = response.json()["data"]
    assert data["is_new_user"] is False
    assert data["user"]["full_name"] == "Ramesh Kumar"
    assert response.json()["message"] == "Login successful"
    assert User.objects.count() == 1


def test_wrong_code_counts_down_then_the_otp_is_dead(api_client):
    otp_id = send(api_client).json()["data"]["otp_id"]
    right = last_sms_code(PHONE)
    wrong = "000000" if right != "000000" else "111111"

    remaining = [
        assert_error(verify(api_client, wrong, otp_id), 401, "INVALID_OTP", "otp")["details"]["attempts_remaining"]
        for _ in range(3)
    ]
    dead = assert_error(verify(api_client, right, otp_id), 401, "INVALID_OTP")

    assert remaining == [2, 1, 0]
    assert dead["details"]["reason"] == "too_many_attempts"
    assert not User.objects.filter(phone=PHONE).exists()


def test_expired_otp_is_otp_expired(api_client):
    otp_id = send(api_client).json()["data"]["otp_id"]
    OtpVerification.objects.filter(id=otp_id).update(expires_at=timezone.now() - timedelta(seconds=1))

    error = assert_error(verify(api_client, last_sms_code(PHONE), otp_id), 401, "OTP_EXPIRED", "otp")

    assert error["details"]["can_resend"] is True


def test_an_otp_works_once(api_client):
    otp_id = send(api_client).json()["data"]["otp_id"]
    code = last_sms_code(PHONE)
    assert verify(api_client, code, otp_id).status_code == 200

    error = assert_error(verify(api_client, code, otp_id), 401, "INVALID_OTP", "otp_id")

    assert error["details"]["reason"] == "already_used"


def test_otp_id_of_another_phone_is_refused(api_client):
    other = "+919812345678"
    otp_id = send(api_client, phone=other).json()["data"]["otp_id"]
    send(api_client)

    assert_error(verify(api_client, last_sms_code(other), otp_id), 401, "INVALID_OTP", "otp_id")
    assert not User.objects.exists()


@pytest.mark.parametrize("phone", ["12345", "+91 12", "not-a-phone"])
def test_invalid_phone_is_refused_naming_the_field(api_client, phone):
    error = assert_error(send(api_client, phone=phone), 422, "INVALID_PHONE_NUMBER", "phone")

    assert error["details"]["reason"] == "invalid_phone_number"
    assert not sms.outbox


@pytest.mark.parametrize(
    ("body", "field"), [({}, "phone"), ({"phone": PHONE}, "otp"), ({"phone": PHONE, "otp": "12"}, "otp")]
)
def test_missing_or_malformed_verify_fields(api_client, body, field):
    response = api_client.post("/api/v1/auth/verify-otp", body, format="json")

    assert response.status_code in (400, 422)
    assert response.json()["error"]["details"]["field"] == field


def test_resend_within_60_seconds_is_too_many_requests(api_client):
    send(api_client)

    error = assert_error(send(api_client), 429, "TOO_MANY_REQUESTS")

    assert 0 < error["metadata"]["retry_after_seconds"] <= 60
    assert error["details"]["can_resend_after"]
    assert len(sms.outbox) == 1


def test_at_most_three_per_phone_per_hour(api_client):
    for _ in range(3):
        assert send(api_client).status_code == 200
        ratelimit.release_cooldown("otp-cooldown", PHONE)

    response = send(api_client)

    error = assert_error(response, 429, "RATE_LIMIT_EXCEEDED")
    assert 3000 < error["metadata"]["retry_after_seconds"] <= 3600
    assert int(response["Retry-After"]) == error["metadata"]["retry_after_seconds"]
    assert len(sms.outbox) == 3


def test_email_otp_sign_in(api_client):
    sent = api_client.post("/api/v1/auth/send-email-otp", {"email": "Ramesh@Example.com"}, format="json")
    code = last_email_code("ramesh@example.com")

    response = api_client.post(
        "/api/v1/auth/verify-email-otp",
        {"email": "ramesh@example.com", "otp": code, "otp_id": sent.json()["data"]["otp_id"]},
        format="json",
    )

    assert sent.json()["data"]["email"] == "r****h@example.com"
    assert response.status_code == 200
    assert response.json()["data"]["is_new_user"] is True
    assert User.objects.get(email="ramesh@example.com").is_email_verified


def test_invalid_email_is_refused(api_client):
    assert_error(
        api_client.post("/api/v1/auth/send-email-otp", {"email": "not-an-email"}, format="json"),
        422,
        "VALIDATION_ERROR",
        "email",
    )


def test_blocked_account_cannot_sign_in_with_an_otp(api_client):
    User.objects.create_user(phone=PHONE, is_active=False)
    otp_id = send(api_client).json()["data"]["otp_id"]

    assert_error(verify(api_client, last_sms_code(PHONE), otp_id), 403, "ACCOUNT_BLOCKED")
