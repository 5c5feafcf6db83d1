"""A Telegram id is an identity: only a verified Telegram sign-in links one (issue 14 item 11).

Seed 004's registration body carries a ``telegramId`` nobody proved; before
the fix it was stored, and the real owner's later Telegram sign-in landed in
the registrant's account.
"""

import pytest

from accounts.models import User
from tests.accounts.helpers import telegram_widget

pytestmark = pytest.mark.django_db(transaction=True)

BOT_TOKEN = "123456:TEST-bot-token"
VICTIM_TELEGRAM_ID = "555000111"


def register_with_telegram_id(api_client, email: str, telegram_id: str):
    # seed 004's own example body, with someone else's Telegram id
    return api_client.post(
        "/api/v1/auth/register",
        {
            "email": email,
            "password": "securePassword123",
            "firstName": "John",
            "lastName": "Doe",
            "phoneNumber": "+919876500077",
            "userType": "customer",
            "telegramId": telegram_id,
        },
        format="json",
    )


def test_registering_with_someones_telegram_id_does_not_capture_their_sign_in(api_client, settings):
    settings.TELEGRAM_BOT_TOKEN = BOT_TOKEN
    registered = register_with_telegram_id(api_client, "attacker@example.com", VICTIM_TELEGRAM_ID)
    assert registered.status_code == 201, registered.content
    registrant_id = registered.json()["data"]["user"]["id"]

    signed_in = api_client.post(
        "/api/v1/auth/telegram", telegram_widget(BOT_TOKEN, id=VICTIM_TELEGRAM_ID), format="json"
    )

    assert signed_in.status_code == 200, signed_in.content
    body = signed_in.json()
    assert body["success"] is True
    assert body["data"]["is_new_user"] is True
    assert body["data"]["user"]["id"] != registrant_id
    assert body["data"]["user"]["telegram_id"] == VICTIM_TELEGRAM_ID
    assert registered.json()["data"]["user"]["telegram_id"] is None
    assert User.objects.get(pk=registrant_id).telegram_id is None
    assert str(User.objects.get(telegram_id=VICTIM_TELEGRAM_ID).pk) != registrant_id


def test_a_verified_telegram_sign_in_still_finds_the_account_it_created(api_client, settings):
    settings.TELEGRAM_BOT_TOKEN = BOT_TOKEN
    first = api_client.post("/api/v1/auth/telegram", telegram_widget(BOT_TOKEN, id=VICTIM_TELEGRAM_ID), format="json")
    register_with_telegram_id(api_client, "late-attacker@example.com", VICTIM_TELEGRAM_ID)

    again = api_client.post(
        "/api/v1/auth/telegram", telegram_widget(BOT_TOKEN, id=VICTIM_TELEGRAM_ID, first_name="Vanya"), format="json"
    )

    assert again.status_code == 200, again.content
    assert again.json()["data"]["is_new_user"] is False
    assert again.json()["data"]["user"]["id"] == first.json()["data"]["user"]["id"]


def test_registering_with_a_linked_telegram_id_neither_fails_nor_reveals_it(api_client, settings):
    settings.TELEGRAM_BOT_TOKEN = BOT_TOKEN
    owner = api_client.post("/api/v1/auth/telegram", telegram_widget(BOT_TOKEN, id=VICTIM_TELEGRAM_ID), format="json")

    response = register_with_telegram_id(api_client, "someone@example.com", VICTIM_TELEGRAM_ID)

    assert response.status_code == 201, response.content  # was 409 USER_ALREADY_EXISTS: an existence oracle
    assert response.json()["data"]["user"]["telegram_id"] is None
    assert str(User.objects.get(telegram_id=VICTIM_TELEGRAM_ID).pk) == owner.json()["data"]["user"]["id"]
