"""Tokens: lifetimes, rotation, blacklist, logout, expired/tampered/blocked (seed 001 1.12-1.13, seed 000)."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from accounts.services.tokens import tokens_issue
from tests.accounts.helpers import assert_error
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


def refresh(api_client, token, path="/api/v1/auth/refresh"):
    return api_client.post(path, {"refresh_token": token}, format="json")


def test_me_answers_the_signed_in_account(customer, customer_client):
    response = customer_client.get("/api/v1/auth/me")

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["id"] == str(customer.pk)
    assert data["phone_number"] == customer.phone
    assert data["roles"] == ["customer"]
    assert data["user_type"] == "CUSTOMER"


def test_me_without_a_token_is_unauthorized(api_client):
    assert_error(api_client.get("/api/v1/auth/me"), 401, "UNAUTHORIZED")


def test_refresh_rotates_and_answers_expires_in(api_client, customer):
    pair = tokens_issue(user=customer)

    response = refresh(api_client, pair["refresh_token"])

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["expires_in"] == 900
    assert data["tokens"]["refresh_token"] == data["refresh_token"] != pair["refresh_token"]
    assert APIClient(HTTP_AUTHORIZATION=f"Bearer {data['access_token']}").get("/api/v1/auth/me").status_code == 200


def test_a_rotated_refresh_token_cannot_be_used_again(api_client, customer):
    old = tokens_issue(user=customer)["refresh_token"]
    assert refresh(api_client, old).status_code == 200

    assert_error(refresh(api_client, old), 401, "INVALID_TOKEN", "refresh_token")


def test_seed_000_refresh_token_path_and_camel_case_field(api_client, customer):
    token = tokens_issue(user=customer)["refresh_token"]

    response = api_client.post("/api/v1/auth/refresh-token", {"refreshToken": token}, format="json")

    assert response.status_code == 200
    assert response.json()["data"]["refresh_token"]


def test_logout_revokes_the_refresh_token(api_client, customer):
    pair = tokens_issue(user=customer)
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {pair['access_token']}")

    response = client.post("/api/v1/auth/logout", {"refresh_token": pair["refresh_token"]}, format="json")

    assert response.status_code == 200
    assert response.json()["message"] == "Logged out successfully"
    assert_error(refresh(api_client, pair["refresh_token"]), 401, "INVALID_TOKEN")


def test_logout_without_a_body_revokes_every_refresh_token(api_client, customer):
    phone_pair, web_pair = tokens_issue(user=customer), tokens_issue(user=customer)

    response = client_for(customer).post("/api/v1/auth/logout", {}, format="json")

    assert response.json()["data"]["revoked"] >= 2
    assert_error(refresh(api_client, phone_pair["refresh_token"]), 401, "INVALID_TOKEN")
    assert_error(refresh(api_client, web_pair["refresh_token"]), 401, "INVALID_TOKEN")


def test_logout_with_someone_elses_refresh_token_is_refused(customer_client):
    other = tokens_issue(user=make_user())["refresh_token"]

    response = customer_client.post("/api/v1/auth/logout", {"refresh_token": other}, format="json")

    assert_error(response, 401, "INVALID_TOKEN", "refresh_token")


def test_expired_access_token_is_token_expired(customer):
    token = AccessToken.for_user(customer)
    token.set_exp(lifetime=-timedelta(seconds=1))
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert_error(client.get("/api/v1/auth/me"), 401, "TOKEN_EXPIRED")


def test_tampered_access_token_is_unauthorized(customer):
    token = tokens_issue(user=customer)["access_token"]
    header, payload, signature = token.split(".")
    tampered = f"{header}.{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"

    response = APIClient(HTTP_AUTHORIZATION=f"Bearer {tampered}").get("/api/v1/auth/me")

    assert_error(response, 401, "UNAUTHORIZED")


@pytest.mark.parametrize("header", ["Bearer garbage", "Bearer a.b.c", "Basic dXNlcjpwYXNz", "Bearer"])
def test_garbage_authorization_is_unauthorized(header):
    response = APIClient(HTTP_AUTHORIZATION=header).get("/api/v1/auth/me")

    assert_error(response, 401, "UNAUTHORIZED")


def test_a_blocked_user_is_refused_at_once_even_with_an_unexpired_token(customer, customer_client):
    assert customer_client.get("/api/v1/auth/me").status_code == 200
    customer.is_active = False
    customer.save()

    assert_error(customer_client.get("/api/v1/auth/me"), 403, "ACCOUNT_BLOCKED")


def test_a_blocked_user_cannot_refresh(api_client, customer):
    token = tokens_issue(user=customer)["refresh_token"]
    customer.is_active = False
    customer.save()

    assert_error(refresh(api_client, token), 403, "ACCOUNT_BLOCKED")


@pytest.mark.parametrize("body", [{}, {"refresh_token": ""}, {"refresh_token": "not-a-token"}])
def test_bad_refresh_input(api_client, body):
    response = api_client.post("/api/v1/auth/refresh", body, format="json")

    assert response.status_code in (400, 401)
    assert response.json()["error"]["details"]["field"] == "refresh_token"
