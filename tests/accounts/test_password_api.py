"""Password sign-in, failed-login limits, set/change/forgot/reset (seed 001 1.5, 1.8-1.11; seed 003)."""

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from accounts.roles import Role
from accounts.services.tokens import tokens_issue
from tests.accounts.helpers import assert_error, last_email_code, last_sms_code
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery"


def login(api_client, **body):
    return api_client.post("/api/v1/auth/login", body, format="json")


@pytest.fixture
def account(db):
    return make_user(Role.CUSTOMER, email="asha@example.com", phone="+919876543210", username="asha")


@pytest.mark.parametrize(
    "identifier",
    [
        {"email": "ASHA@example.com"},
        {"phone": "+91 98765 43210"},
        {"phone_number": "+919876543210"},
        {"username": "asha"},
    ],
)
def test_login_by_email_phone_or_username(api_client, account, identifier):
    response = login(api_client, password=PASSWORD, **identifier)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["user"]["user_id"] == str(account.pk)
    assert data["user"]["has_password"] is True
    assert data["tokens"]["expires_in"] == 900


def test_wrong_password_is_invalid_credentials(api_client, account):
    assert_error(login(api_client, email=account.email, password="wrong-password"), 401, "INVALID_CREDENTIALS")


def test_unknown_account_is_the_same_invalid_credentials(api_client):
    assert_error(login(api_client, email="nobody@example.com", password=PASSWORD), 401, "INVALID_CREDENTIALS")


def test_missing_identifier_or_password(api_client):
    assert_error(login(api_client, password=PASSWORD), 400, "INVALID_REQUEST", "email")
    assert_error(login(api_client, email="asha@example.com"), 400, "INVALID_REQUEST", "password")


def test_five_failures_lock_the_account_for_fifteen_minutes(api_client, account):
    for _ in range(5):
        assert login(api_client, email=account.email, password="nope").status_code == 401

    error = assert_error(login(api_client, email=account.email, password=PASSWORD), 429, "RATE_LIMIT_EXCEEDED")

    assert 800 < error["metadata"]["retry_after_seconds"] <= 900


def test_five_failures_from_one_ip_lock_that_ip(api_client, account):
    for n in range(5):
        login(api_client, email=f"stranger{n}@example.com", password="nope")

    assert_error(login(api_client, email=account.email, password=PASSWORD), 429, "RATE_LIMIT_EXCEEDED")
    other_ip = APIClient(REMOTE_ADDR="10.9.8.7")
    assert login(other_ip, email=account.email, password=PASSWORD).status_code == 200


def test_a_success_clears_the_account_failures(api_client, account):
    for _ in range(3):
        login(api_client, email=account.email, password="nope")
    assert login(api_client, email=account.email, password=PASSWORD).status_code == 200

    for _ in range(3):
        login(APIClient(REMOTE_ADDR="10.0.0.2"), email=account.email, password="nope")

    assert login(APIClient(REMOTE_ADDR="10.0.0.3"), email=account.email, password=PASSWORD).status_code == 200


def test_blocked_account_is_told_only_after_the_right_password(api_client, account):
    account.is_active = False
    account.save()

    assert_error(login(api_client, email=account.email, password="nope"), 401, "INVALID_CREDENTIALS")
    assert_error(login(api_client, email=account.email, password=PASSWORD), 403, "ACCOUNT_BLOCKED")


def test_set_password_for_an_otp_only_account(api_client):
    user = User.objects.create_user(phone="+919812345678")
    client = client_for(user)

    response = client.post(
        "/api/v1/auth/set-password",
        {"password": "A-much-better-one-42", "confirm_password": "A-much-better-one-42"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["data"]["has_password"] is True
    assert login(api_client, phone="+919812345678", password="A-much-better-one-42").status_code == 200


@pytest.mark.parametrize("weak", ["short", "12345678901", "password123"])
def test_weak_password_is_refused_and_nothing_changes(weak):
    user = User.objects.create_user(phone="+919812345678")

    response = client_for(user).post("/api/v1/auth/set-password", {"password": weak}, format="json")

    error = assert_error(response, 422, "WEAK_PASSWORD", "password")
    assert error["details"]["context"]["problems"]
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_set_password_when_one_exists_is_a_conflict(account):
    response = client_for(account).post("/api/v1/auth/set-password", {"password": "Another-good-one-42"}, format="json")

    assert_error(response, 409, "PASSWORD_ALREADY_SET")


def test_change_password_needs_the_current_one(account):
    response = client_for(account).post(
        "/api/v1/auth/change-password",
        {"current_password": "wrong", "new_password": "Brand-new-secret-42", "confirm_password": "Brand-new-secret-42"},
        format="json",
    )

    assert_error(response, 401, "INVALID_PASSWORD", "current_password")


def test_change_password_mismatch(account):
    response = client_for(account).post(
        "/api/v1/auth/change-password",
        {"current_password": PASSWORD, "new_password": "Brand-new-secret-42", "confirm_password": "Different-42"},
        format="json",
    )

    assert_error(response, 422, "PASSWORD_MISMATCH", "confirm_password")


def test_change_password_retires_old_access_tokens_and_hands_out_new_ones(api_client, account):
    old_client = client_for(account)

    response = old_client.post(
        "/api/v1/auth/change-password",
        {"current_password": PASSWORD, "new_password": "Brand-new-secret-42"},
        format="json",
    )

    assert response.status_code == 200
    new_access = response.json()["data"]["tokens"]["access_token"]
    assert_error(old_client.get("/api/v1/auth/me"), 401, "UNAUTHORIZED")
    assert APIClient(HTTP_AUTHORIZATION=f"Bearer {new_access}").get("/api/v1/auth/me").status_code == 200
    assert login(api_client, email=account.email, password="Brand-new-secret-42").status_code == 200


def test_forgot_password_for_an_unknown_contact_is_user_not_found(api_client):
    response = api_client.post("/api/v1/auth/forgot-password", {"email": "nobody@example.com"}, format="json")

    assert_error(response, 404, "USER_NOT_FOUND", "email")


def test_reset_password_by_email(api_client, account):
    old_refresh = tokens_issue(user=account)["refresh_token"]
    sent = api_client.post("/api/v1/auth/forgot-password", {"email": account.email}, format="json")
    code = last_email_code(account.email)

    response = api_client.post(
        "/api/v1/auth/reset-password",
        {
            "email": account.email,
            "otp": code,
            "otp_id": sent.json()["data"]["otp_id"],
            "new_password": "Reset-secret-42",
        },
        format="json",
    )

    assert sent.json()["data"]["sent_to"] == "a****a@example.com"
    assert response.status_code == 200
    assert response.json()["message"] == "Password reset successfully"
    assert login(api_client, email=account.email, password="Reset-secret-42").status_code == 200
    assert_error(login(api_client, email=account.email, password=PASSWORD), 401, "INVALID_CREDENTIALS")
    refused = api_client.post("/api/v1/auth/refresh", {"refresh_token": old_refresh}, format="json")
    assert_error(refused, 401, "INVALID_TOKEN", "refresh_token")
    old_jti = RefreshToken(old_refresh, verify=False)["jti"]
    assert BlacklistedToken.objects.filter(token__jti=old_jti).exists()  # revoked, not only outdated by the hash


def test_reset_password_through_seed_000_send_otp_purpose(api_client, account):
    old_refresh = tokens_issue(user=account)["refresh_token"]
    api_client.post(
        "/api/v1/auth/send-otp", {"phone_number": account.phone, "purpose": "reset_password"}, format="json"
    )
    code = last_sms_code(account.phone)

    response = api_client.post(
        "/api/v1/auth/reset-password",
        {"phone": account.phone, "otp": code, "new_password": "Reset-secret-42"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Password reset successfully"
    assert login(api_client, phone=account.phone, password="Reset-secret-42").status_code == 200
    assert_error(login(api_client, phone=account.phone, password=PASSWORD), 401, "INVALID_CREDENTIALS")
    refused = api_client.post("/api/v1/auth/refresh", {"refresh_token": old_refresh}, format="json")
    assert_error(refused, 401, "INVALID_TOKEN", "refresh_token")
    old_jti = RefreshToken(old_refresh, verify=False)["jti"]
    assert BlacklistedToken.objects.filter(token__jti=old_jti).exists()  # revoked, not only outdated by the hash


def test_a_login_otp_cannot_reset_a_password(api_client, account):
    sent = api_client.post("/api/v1/auth/send-otp", {"phone": account.phone}, format="json")
    code = last_sms_code(account.phone)

    response = api_client.post(
        "/api/v1/auth/reset-password",
        {"phone": account.phone, "otp": code, "otp_id": sent.json()["data"]["otp_id"], "new_password": "Reset-42-ok!"},
        format="json",
    )

    assert_error(response, 401, "INVALID_OTP")
    account.refresh_from_db()
    assert account.check_password(PASSWORD)


def test_reset_with_a_weak_password_keeps_the_otp(api_client, account):
    sent = api_client.post("/api/v1/auth/forgot-password", {"phone": account.phone}, format="json")
    code = last_sms_code(account.phone)
    body = {"phone": account.phone, "otp": code, "otp_id": sent.json()["data"]["otp_id"]}

    weak = api_client.post("/api/v1/auth/reset-password", {**body, "new_password": "123"}, format="json")
    good = api_client.post("/api/v1/auth/reset-password", {**body, "new_password": "Reset-secret-42"}, format="json")

    assert_error(weak, 422, "WEAK_PASSWORD", "new_password")
    assert good.status_code == 200
