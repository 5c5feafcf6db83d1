"""Seed 004's mini app sign-in: ``POST /auth/telegram {initData, platform}``.

The signature vectors are computed here with ``hmac`` exactly as Telegram
documents them (secret = HMAC-SHA256(key="WebAppData", msg=bot token)), not
with the code under test.
"""

import hashlib
import hmac
import json
import time
from urllib.parse import quote, urlencode

import pytest

from accounts.models import User
from tests.accounts.helpers import assert_error, telegram_widget

pytestmark = pytest.mark.django_db

BOT_TOKEN = "123456:TEST-mini-app-token"
USER = {"id": 777000111, "first_name": "Asha", "last_name": "Rao", "username": "asha", "language_code": "en"}


def signed_pairs(bot_token: str = BOT_TOKEN, **overrides) -> list[tuple[str, str]]:
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(USER, separators=(",", ":")),
        "auth_date": str(int(time.time())),
    }
    fields.update(overrides)
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    return [*fields.items(), ("hash", hmac.new(secret, check.encode(), hashlib.sha256).hexdigest())]


def init_data(pairs) -> str:
    return urlencode(pairs, quote_via=quote)


def sign_in(api_client, data: str):
    return api_client.post("/api/v1/auth/telegram", {"initData": data, "platform": "telegram_mini_app"}, format="json")


@pytest.fixture(autouse=True)
def bot_token(settings):
    settings.TELEGRAM_BOT_TOKEN = BOT_TOKEN


def test_valid_init_data_signs_in_and_creates_the_user_once(api_client):
    first = sign_in(api_client, init_data(signed_pairs()))
    assert first.status_code == 200, first.content
    body = first.json()["data"]
    assert body["is_new_user"] is True
    assert body["user"]["telegram_id"] == str(USER["id"])

    again = sign_in(api_client, init_data(signed_pairs()))
    assert again.status_code == 200, again.content
    assert again.json()["data"]["is_new_user"] is False
    assert again.json()["data"]["user"]["id"] == body["user"]["id"]
    assert User.objects.filter(telegram_id=str(USER["id"])).count() == 1


def test_the_mini_app_finds_the_account_the_login_widget_created(api_client):
    widget = api_client.post("/api/v1/auth/telegram", telegram_widget(BOT_TOKEN, id=str(USER["id"])), format="json")
    assert widget.status_code == 200, widget.content

    mini = sign_in(api_client, init_data(signed_pairs()))

    assert mini.status_code == 200, mini.content
    assert mini.json()["data"]["is_new_user"] is False
    assert mini.json()["data"]["user"]["id"] == widget.json()["data"]["user"]["id"]


def test_reordered_parameters_are_still_valid(api_client):
    pairs = signed_pairs()
    response = sign_in(api_client, init_data(list(reversed(pairs))))
    assert response.status_code == 200, response.content


def test_a_tampered_user_is_refused(api_client):
    pairs = dict(signed_pairs())
    pairs["user"] = json.dumps({**USER, "id": 1}, separators=(",", ":"))
    assert_error(sign_in(api_client, init_data(list(pairs.items()))), 401, "TELEGRAM_AUTH_FAILED", "init_data")
    assert not User.objects.filter(telegram_id__in=["1", str(USER["id"])]).exists()


def test_an_added_field_is_refused(api_client):
    pairs = [*signed_pairs(), ("start_param", "free")]
    assert_error(sign_in(api_client, init_data(pairs)), 401, "TELEGRAM_AUTH_FAILED", "init_data")


def test_init_data_without_its_hash_is_refused(api_client):
    pairs = [(k, v) for k, v in signed_pairs() if k != "hash"]
    assert_error(sign_in(api_client, init_data(pairs)), 401, "TELEGRAM_AUTH_FAILED", "init_data")


def test_a_login_widget_style_key_does_not_validate_init_data(api_client):
    """The widget's key (SHA256 of the token) is not the mini app's: such a hash is refused."""
    fields = dict(signed_pairs())
    fields.pop("hash")
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    widget_hash = hmac.new(hashlib.sha256(BOT_TOKEN.encode()).digest(), check.encode(), hashlib.sha256).hexdigest()
    response = sign_in(api_client, init_data([*fields.items(), ("hash", widget_hash)]))
    assert_error(response, 401, "TELEGRAM_AUTH_FAILED", "init_data")


def test_stale_init_data_is_refused(api_client, settings):
    stale = str(int(time.time()) - settings.TELEGRAM_AUTH_MAX_AGE_SECONDS - 5)
    assert_error(sign_in(api_client, init_data(signed_pairs(auth_date=stale))), 401, "TELEGRAM_AUTH_FAILED")


def test_init_data_from_the_future_is_refused(api_client):
    future = str(int(time.time()) + 3600)
    assert_error(sign_in(api_client, init_data(signed_pairs(auth_date=future))), 401, "TELEGRAM_AUTH_FAILED")


def test_init_data_signed_with_another_bot_is_refused(api_client):
    other = signed_pairs(bot_token="999:other-bot")
    assert_error(sign_in(api_client, init_data(other)), 401, "TELEGRAM_AUTH_FAILED", "init_data")


def test_a_signed_body_without_a_user_is_refused(api_client):
    pairs = [(k, v) for k, v in signed_pairs() if k != "hash"]
    fields = {k: v for k, v in pairs if k != "user"}
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", BOT_TOKEN.encode(), hashlib.sha256).digest()
    signed = [*fields.items(), ("hash", hmac.new(secret, check.encode(), hashlib.sha256).hexdigest())]
    assert_error(sign_in(api_client, init_data(signed)), 401, "TELEGRAM_AUTH_FAILED", "init_data")


def test_without_a_bot_token_the_mini_app_sign_in_is_off(api_client, settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    assert_error(sign_in(api_client, init_data(signed_pairs())), 503, "SERVICE_UNAVAILABLE")


def test_an_empty_init_data_is_a_validation_error(api_client):
    assert_error(sign_in(api_client, ""), 400, "INVALID_REQUEST", "init_data")
