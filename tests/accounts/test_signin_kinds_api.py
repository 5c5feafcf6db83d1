"""Kinds of account (admin, partner, staff logins), seed 004 registration, Google, Facebook and Telegram."""

import hashlib
import hmac
import time

import pytest
import responses
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth import crypt
from google.auth import jwt as google_jwt

from accounts.models import User
from accounts.roles import Role
from accounts.services.tokens import tokens_issue
from tests.accounts.helpers import assert_error, last_sms_code, self_signed_key
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery"


# --- admin, partner and staff sign-in -------------------------------------------------------------


def test_admin_login_answers_staff_with_their_role(api_client):
    admin = make_user(Role.FINANCE, email="money@example.com")

    response = api_client.post("/api/v1/admin/auth/login", {"email": admin.email, "password": PASSWORD}, format="json")

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["admin"] == {"id": str(admin.pk), "name": admin.full_name, "email": admin.email, "role": "finance"}
    assert data["access_token"] == data["tokens"]["access_token"]


def test_admin_login_refuses_a_customer(api_client):
    customer = make_user(Role.CUSTOMER, email="c@example.com")

    response = api_client.post(
        "/api/v1/admin/auth/login", {"email": customer.email, "password": PASSWORD}, format="json"
    )

    assert_error(response, 403, "WRONG_ACCOUNT_KIND")


def test_admin_refresh_refuses_a_customers_token(api_client, customer):
    token = tokens_issue(user=customer)["refresh_token"]

    response = api_client.post("/api/v1/admin/auth/refresh-token", {"refresh_token": token}, format="json")

    assert_error(response, 403, "WRONG_ACCOUNT_KIND")


def test_partner_login_with_phone_number_and_otp_code(api_client):
    partner = make_user(Role.PARTNER, phone="+919876500001")
    api_client.post("/api/v1/auth/send-otp", {"phone_number": partner.phone}, format="json")

    response = api_client.post(
        "/api/v1/partner/auth/login",
        {"phone_number": partner.phone, "otp_code": last_sms_code(partner.phone)},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["data"]["user"]["user_type"] == "PARTNER"


def test_partner_login_refuses_a_customer(api_client):
    customer = make_user(Role.CUSTOMER, phone="+919876500002")
    api_client.post("/api/v1/auth/send-otp", {"phone": customer.phone}, format="json")

    response = api_client.post(
        "/api/v1/partner/auth/login", {"phone": customer.phone, "otp": last_sms_code(customer.phone)}, format="json"
    )

    assert_error(response, 403, "WRONG_ACCOUNT_KIND")


def test_partner_login_never_creates_an_account(api_client):
    api_client.post("/api/v1/auth/send-otp", {"phone": "+919876500003"}, format="json")

    response = api_client.post(
        "/api/v1/partner/auth/login", {"phone": "+919876500003", "otp": last_sms_code("+919876500003")}, format="json"
    )

    assert_error(response, 401, "INVALID_CREDENTIALS")
    assert not User.objects.filter(phone="+919876500003").exists()


def test_staff_logins_of_seed_003(api_client):
    staff = make_user(Role.FRONT_DESK, phone="+919876500004", username="desk1")

    by_username = api_client.post(
        "/api/v1/auth/login/username-password", {"username": "desk1", "password": PASSWORD}, format="json"
    )
    by_phone = api_client.post(
        "/api/v1/auth/login/phone-password", {"phone": staff.phone, "password": PASSWORD}, format="json"
    )
    api_client.post("/api/v1/auth/send-otp", {"phone": staff.phone}, format="json")
    by_otp = api_client.post(
        "/api/v1/auth/login/phone-otp", {"phone": staff.phone, "otp": last_sms_code(staff.phone)}, format="json"
    )

    assert [by_username.status_code, by_phone.status_code, by_otp.status_code] == [200, 200, 200]
    assert by_username.json()["data"]["user"]["staff_role"] == "front_desk"


def test_staff_login_refuses_a_partner(api_client):
    partner = make_user(Role.PARTNER, username="fixer")

    response = api_client.post(
        "/api/v1/auth/login/username-password", {"username": "fixer", "password": PASSWORD}, format="json"
    )

    assert_error(response, 403, "WRONG_ACCOUNT_KIND")
    partner.refresh_from_db()
    assert partner.last_login is None  # a refused sign-in is not recorded as one


def test_roles_list_and_matrix_for_staff(api_client):
    support = make_user(Role.SUPPORT)

    response = client_for(support).get("/api/v1/auth/roles")

    rows = {row["role"]: row for row in response.json()["data"]}
    assert set(rows) == {role.value for role in Role}
    assert rows["support"]["kind"] == "staff"
    assert "accounts.view_user" in rows["support"]["permissions"]
    assert rows["super_admin"]["permissions"] == ["*"]


# --- seed 004 registration ---------------------------------------------------------------------------


def test_register_a_specialist_with_camel_case_fields(api_client):
    response = api_client.post(
        "/api/v1/auth/register",
        {
            "email": "Spec@Example.com",
            "password": "Specialist-pass-42",
            "firstName": "John",
            "lastName": "Doe",
            "phoneNumber": "+919876500010",
            "userType": "specialist",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["user"]["full_name"] == "John Doe"
    assert data["user"]["user_type"] == "SPECIALIST"
    assert data["tokens"]["expires_in"] == 900
    assert User.objects.get(email="spec@example.com").role_names == {"customer", "specialist"}


def test_register_with_a_taken_email_is_a_conflict(api_client):
    make_user(email="taken@example.com")

    response = api_client.post(
        "/api/v1/auth/register", {"email": "TAKEN@example.com", "password": "Good-password-42"}, format="json"
    )

    assert_error(response, 409, "EMAIL_ALREADY_EXISTS", "email")


def test_register_with_a_taken_phone_is_a_conflict(api_client):
    make_user(phone="+919876500011")

    response = api_client.post(
        "/api/v1/auth/register",
        {"email": "new@example.com", "password": "Good-password-42", "phone": "+919876500011"},
        format="json",
    )

    assert_error(response, 409, "PHONE_ALREADY_EXISTS", "phone")


def test_register_with_a_weak_password_creates_nothing(api_client):
    response = api_client.post("/api/v1/auth/register", {"email": "w@example.com", "password": "123"}, format="json")

    assert_error(response, 422, "WEAK_PASSWORD", "password")
    assert not User.objects.exists()


# --- Telegram ---------------------------------------------------------------------------------------------

BOT_TOKEN = "123456:TEST-bot-token"


def telegram_payload(**overrides):
    fields = {
        "id": "987654321",
        "first_name": "Ivan",
        "last_name": "Petrov",
        "username": "ivanp",
        "auth_date": int(time.time()),
    }
    fields.update(overrides)
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hashlib.sha256(BOT_TOKEN.encode()).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return fields


def test_telegram_login_creates_then_finds_the_account(api_client, settings):
    settings.TELEGRAM_BOT_TOKEN = BOT_TOKEN
    widget = telegram_payload()
    seed_004 = {
        "telegramId": widget["id"],
        "firstName": widget["first_name"],
        "lastName": widget["last_name"],
        "username": widget["username"],
        "authDate": widget["auth_date"],
        "hash": widget["hash"],
    }

    first = api_client.post("/api/v1/auth/telegram", seed_004, format="json")
    again = api_client.post("/api/v1/auth/telegram", widget, format="json")

    assert first.status_code == 200, first.content
    assert first.json()["data"]["is_new_user"] is True
    assert again.json()["data"]["is_new_user"] is False
    user = User.objects.get(telegram_id="987654321")
    assert user.full_name == "Ivan Petrov"
    assert user.email is None


def test_telegram_login_with_a_wrong_hash_is_refused(api_client, settings):
    settings.TELEGRAM_BOT_TOKEN = BOT_TOKEN
    payload = telegram_payload()
    payload["first_name"] = "Mallory"

    assert_error(api_client.post("/api/v1/auth/telegram", payload, format="json"), 401, "TELEGRAM_AUTH_FAILED", "hash")
    assert not User.objects.exists()


def test_telegram_login_older_than_a_day_is_refused(api_client, settings):
    settings.TELEGRAM_BOT_TOKEN = BOT_TOKEN
    payload = telegram_payload(auth_date=int(time.time()) - 86401)

    response = api_client.post("/api/v1/auth/telegram", payload, format="json")

    assert_error(response, 401, "TELEGRAM_AUTH_FAILED", "auth_date")


# --- Google -------------------------------------------------------------------------------------------------

GOOGLE_CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"
CLIENT_ID = "test-client.apps.googleusercontent.com"


@pytest.fixture(scope="module")
def google_key():
    return self_signed_key("test-google")


def google_token(pem_key, **claims):
    now = int(time.time())
    payload = {
        "iss": "https://accounts.google.com",
        "aud": CLIENT_ID,
        "sub": "1098765",
        "email": "g.user@gmail.com",
        "email_verified": True,
        "name": "Gee User",
        "picture": "https://example.com/p.jpg",
        "iat": now,
        "exp": now + 600,
        **claims,
    }
    signer = crypt.RSASigner.from_string(pem_key, key_id="kid-1")
    return google_jwt.encode(signer, payload).decode()


@responses.activate
def test_google_sign_in_creates_an_account_then_signs_it_in(api_client, settings, google_key):
    settings.GOOGLE_CLIENT_IDS = [CLIENT_ID]
    pem_key, cert = google_key
    responses.get(GOOGLE_CERTS_URL, json={"kid-1": cert})
    token = google_token(pem_key)

    first = api_client.post("/api/v1/auth/oauth/google", {"id_token": token}, format="json")
    again = api_client.post("/api/v1/auth/oauth/google", {"id_token": token}, format="json")

    assert first.status_code == 200, first.content
    data = first.json()["data"]
    assert data["is_new_user"] is True
    assert data["oauth_provider"] == "GOOGLE"
    assert again.json()["data"]["is_new_user"] is False
    user = User.objects.get(google_sub="1098765")
    assert user.email == "g.user@gmail.com"
    assert user.is_email_verified


@responses.activate
def test_google_sign_in_links_an_existing_email_account(api_client, settings, google_key):
    settings.GOOGLE_CLIENT_IDS = [CLIENT_ID]
    pem_key, cert = google_key
    responses.get(GOOGLE_CERTS_URL, json={"kid-1": cert})
    existing = make_user(email="g.user@gmail.com")

    response = api_client.post("/api/v1/auth/oauth/google", {"id_token": google_token(pem_key)}, format="json")

    assert response.json()["data"]["user"]["id"] == str(existing.pk)
    assert User.objects.count() == 1


@responses.activate
def test_google_sign_in_with_an_unverified_email_does_not_take_over_the_account_with_that_email(
    api_client, settings, google_key
):
    settings.GOOGLE_CLIENT_IDS = [CLIENT_ID]
    pem_key, cert = google_key
    responses.get(GOOGLE_CERTS_URL, json={"kid-1": cert})
    existing = make_user(email="g.user@gmail.com", is_email_verified=False)
    token = google_token(pem_key, email="g.user@gmail.com", email_verified=False)

    response = api_client.post("/api/v1/auth/oauth/google", {"id_token": token}, format="json")

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["is_new_user"] is True
    assert data["user"]["id"] != str(existing.pk)
    created = User.objects.get(google_sub="1098765")
    assert created.email is None  # an address Google does not vouch for is not recorded
    assert not created.is_email_verified
    existing.refresh_from_db()
    assert (existing.google_sub, existing.email, existing.is_email_verified) == (None, "g.user@gmail.com", False)


@responses.activate
@pytest.mark.parametrize("claims", [{"aud": "someone-else"}, {"exp": int(time.time()) - 3600, "iat": 1}])
def test_google_token_for_another_app_or_expired_is_refused(api_client, settings, google_key, claims):
    settings.GOOGLE_CLIENT_IDS = [CLIENT_ID]
    pem_key, cert = google_key
    responses.get(GOOGLE_CERTS_URL, json={"kid-1": cert})

    response = api_client.post(
        "/api/v1/auth/oauth/google", {"id_token": google_token(pem_key, **claims)}, format="json"
    )

    assert_error(response, 401, "OAUTH_FAILED", "id_token")
    assert not User.objects.exists()


@responses.activate
def test_google_token_signed_by_another_key_is_refused(api_client, settings, google_key):
    settings.GOOGLE_CLIENT_IDS = [CLIENT_ID]
    _, cert = google_key
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    responses.get(GOOGLE_CERTS_URL, json={"kid-1": cert})

    response = api_client.post(
        "/api/v1/auth/oauth/google", {"id_token": google_token(other_key.decode())}, format="json"
    )

    assert_error(response, 401, "OAUTH_FAILED")


# --- Facebook -----------------------------------------------------------------------------------------------


@responses.activate
def test_facebook_sign_in(api_client, settings):
    settings.FACEBOOK_APP_ID, settings.FACEBOOK_APP_SECRET = "4242", "fb-secret"
    responses.get(
        "https://graph.facebook.com/v19.0/debug_token",
        json={"data": {"is_valid": True, "app_id": "4242", "user_id": "555"}},
    )
    responses.get(
        "https://graph.facebook.com/v19.0/me",
        json={
            "id": "555",
            "name": "Fay Book",
            "email": "fay@example.com",
            "picture": {"data": {"url": "https://example.com/fay.jpg"}},
        },
    )

    response = api_client.post("/api/v1/auth/oauth/facebook", {"access_token": "user-token"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["data"]["oauth_provider"] == "FACEBOOK"
    assert User.objects.get(facebook_id="555").email == "fay@example.com"
    assert "input_token=user-token" in responses.calls[0].request.url


@responses.activate
def test_facebook_token_for_another_app_is_refused(api_client, settings):
    settings.FACEBOOK_APP_ID, settings.FACEBOOK_APP_SECRET = "4242", "fb-secret"
    responses.get(
        "https://graph.facebook.com/v19.0/debug_token",
        json={"data": {"is_valid": True, "app_id": "9999", "user_id": "555"}},
    )

    response = api_client.post("/api/v1/auth/oauth/facebook", {"access_token": "user-token"}, format="json")

    assert_error(response, 401, "OAUTH_FAILED", "access_token")
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/auth/oauth/google", {"id_token": "x"}),
        ("/api/v1/auth/oauth/facebook", {"access_token": "x"}),
        ("/api/v1/auth/telegram", {"id": "1", "auth_date": 1, "hash": "a" * 64}),
    ],
)
def test_a_provider_without_configuration_is_service_unavailable(api_client, settings, path, body):
    settings.GOOGLE_CLIENT_IDS, settings.FACEBOOK_APP_ID, settings.TELEGRAM_BOT_TOKEN = [], "", ""

    assert_error(api_client.post(path, body, format="json"), 503, "SERVICE_UNAVAILABLE")
