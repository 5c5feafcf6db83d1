"""Seed 004's bot webhook and commands (notes TG1-TG4): secret token, one effect per update_id, /start,
/book, /mybookings (only the sender's own bookings; an unlinked sender is asked to link)."""

from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from accounts.models import User
from bookings.models import BookingStatus
from notifications.models import TelegramUpdate
from notifications.telegram import telegram_outbox
from tests.accounts.helpers import assert_error
from tests.accounts.test_concurrency import run_together
from tests.bookings.factories import make_booking
from tests.conftest import make_user
from tests.factories import CategoryFactory

BOT_TOKEN = "123456:TEST-bot-token"
SECRET = "s3cret-webhook-token_0123"
URL = "/api/v1/telegram/webhook"
_ids = itertools.count(910_000)


@pytest.fixture(autouse=True)
def bot(settings, celery_eager):
    settings.TELEGRAM_BOT_TOKEN = BOT_TOKEN
    settings.TELEGRAM_WEBHOOK_SECRET = SECRET
    settings.TELEGRAM_MINI_APP_URL = "https://t.me/test_bot/app"
    settings.TELEGRAM_BACKEND = "notifications.telegram.LocmemTelegramBackend"
    telegram_outbox.clear()
    yield
    telegram_outbox.clear()


def command(text: str, *, telegram_id: int = 4242, update_id: int | None = None, first_name: str = "Asha") -> dict:
    sender = {"id": telegram_id, "is_bot": False, "first_name": first_name, "username": "asha"}
    return {
        "update_id": update_id if update_id is not None else next(_ids),
        "message": {
            "message_id": 1,
            "date": 1_700_000_000,
            "from": sender,
            "chat": {"id": telegram_id, "type": "private", "first_name": first_name},
            "text": text,
        },
    }


def post(client, body: dict, secret: str | None = SECRET):
    headers = {"HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN": secret} if secret is not None else {}
    return client.post(URL, body, format="json", **headers)


@pytest.fixture
def send(api_client, django_capture_on_commit_callbacks):
    """POSTs an update and runs what it queued on commit (the processing task, eager)."""

    def send(body: dict, secret: str | None = SECRET):
        with django_capture_on_commit_callbacks(execute=True):
            return post(api_client, body, secret)

    return send


def replies_to(chat_id: int) -> list[str]:
    return [m.body for m in telegram_outbox if m.to == str(chat_id)]


@pytest.mark.django_db
def test_without_a_bot_token_the_webhook_is_off(send, settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    assert_error(send(command("/start")), 503, "SERVICE_UNAVAILABLE")
    assert not TelegramUpdate.objects.exists()


@pytest.mark.django_db
def test_a_missing_secret_token_is_401(send):
    assert_error(send(command("/start"), secret=None), 401, "UNAUTHORIZED")
    assert not TelegramUpdate.objects.exists()


@pytest.mark.django_db
def test_a_wrong_secret_token_is_403(send):
    assert_error(send(command("/start"), secret=SECRET + "x"), 403, "FORBIDDEN")
    assert not TelegramUpdate.objects.exists()
    assert not User.objects.filter(telegram_id="4242").exists()


@pytest.mark.django_db
def test_a_body_without_update_id_is_refused(send):
    assert_error(send({"message": {}}), 400, "INVALID_REQUEST", "update_id")


@pytest.mark.django_db
def test_start_creates_and_links_the_user_then_welcomes_back(send):
    first = send(command("/start", telegram_id=5001))
    assert first.status_code == 200, first.content
    assert first.json()["data"] == {"ok": True}
    user = User.objects.get(telegram_id="5001")
    assert user.full_name == "Asha"
    assert "Your account is ready" in replies_to(5001)[0]

    send(command("/start@test_bot", telegram_id=5001))

    assert User.objects.filter(telegram_id="5001").count() == 1
    assert replies_to(5001)[1].startswith("Welcome back")
    assert TelegramUpdate.objects.filter(processed_at__isnull=False).count() == 2


@pytest.mark.django_db
def test_a_repeated_update_has_one_effect(send):
    body = command("/start", telegram_id=5002)
    assert send(body).status_code == 200
    again = send(body)
    assert again.status_code == 200, again.content
    assert again.json()["data"] == {"ok": True}
    assert TelegramUpdate.objects.filter(update_id=body["update_id"]).count() == 1
    assert len(replies_to(5002)) == 1


@pytest.mark.django_db
def test_book_answers_live_categories_opening_the_mini_app(send):
    CategoryFactory(key="FACIAL", display_order=1)
    CategoryFactory(key="MASSAGE", display_order=2)
    CategoryFactory(key="PLUMBING", is_live=False)

    send(command("/book", telegram_id=5003))

    [reply] = [m for m in telegram_outbox if m.to == "5003"]
    assert reply.data["buttons"] == [
        ("Facial", "https://t.me/test_bot/app?startapp=FACIAL"),
        ("Massage", "https://t.me/test_bot/app?startapp=MASSAGE"),
    ]


@pytest.mark.django_db
def test_mybookings_lists_only_the_linked_users_upcoming_bookings(send):
    me = make_user(telegram_id="5004")
    mine = make_booking(me)
    cancelled = make_booking(me)
    cancelled.status = BookingStatus.CANCELLED
    cancelled.save(update_fields=["status"])
    past = make_booking(me)
    past.scheduled_start = timezone.now() - timezone.timedelta(days=1)
    past.save(update_fields=["scheduled_start"])
    someone_elses = make_booking(make_user(telegram_id="6006"))

    send(command("/mybookings", telegram_id=5004))

    [reply] = replies_to(5004)
    assert mine.booking_number in reply
    assert cancelled.booking_number not in reply
    assert past.booking_number not in reply
    assert someone_elses.booking_number not in reply


@pytest.mark.django_db
def test_an_unlinked_sender_is_asked_to_link_and_sees_nobodys_bookings(send):
    someone = make_booking(make_user(telegram_id="6007"))

    send(command("/mybookings", telegram_id=5005))

    [reply] = replies_to(5005)
    assert "not linked" in reply
    assert someone.booking_number not in reply
    assert not User.objects.filter(telegram_id="5005").exists()


@pytest.mark.django_db
def test_a_plain_message_or_other_update_is_acknowledged_without_an_answer(send):
    assert send(command("hello", telegram_id=5006)).status_code == 200
    assert send({"update_id": next(_ids), "my_chat_member": {"chat": {"id": 5006}}}).status_code == 200
    assert replies_to(5006) == []
    assert TelegramUpdate.objects.filter(processed_at__isnull=False).count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_same_update_five_times_at_once_has_one_effect():
    from rest_framework.test import APIClient

    body = command("/start", telegram_id=5007)

    statuses = run_together(5, lambda _: post(APIClient(), body).status_code)

    assert statuses == [200] * 5
    assert TelegramUpdate.objects.filter(update_id=body["update_id"]).count() == 1
    assert User.objects.filter(telegram_id="5007").count() == 1
    assert len(replies_to(5007)) == 1


def test_the_console_backend_prints_what_it_would_send(capsys):
    from notifications.backends import Outgoing
    from notifications.telegram import ConsoleTelegramBackend

    ConsoleTelegramBackend().send(Outgoing(to="42", body="Hello", data={"buttons": [("Facial", "https://x")]}))

    assert capsys.readouterr().out == "[telegram] chat=42 text='Hello' buttons=['Facial']\n"


def test_the_telegram_backend_without_a_token_is_the_console(settings):
    from notifications.telegram import BotApiTelegramBackend, ConsoleTelegramBackend, telegram_backend

    settings.TELEGRAM_BACKEND = ""
    settings.TELEGRAM_BOT_TOKEN = ""
    assert isinstance(telegram_backend(), ConsoleTelegramBackend)
    settings.TELEGRAM_BOT_TOKEN = BOT_TOKEN
    assert isinstance(telegram_backend(), BotApiTelegramBackend)


class RefusingBackend:
    def send(self, message):
        from notifications.backends import DeliveryFailed

        raise DeliveryFailed("Forbidden: bot was blocked by the user", retryable=False, provider="telegram")


@pytest.mark.django_db
def test_a_reply_refused_for_good_still_marks_the_update_processed(send, settings):
    settings.TELEGRAM_BACKEND = "tests.bookings.test_telegram_bot.RefusingBackend"
    body = command("/start", telegram_id=5008)

    assert send(body).status_code == 200

    assert TelegramUpdate.objects.get(update_id=body["update_id"]).processed_at is not None
    assert User.objects.filter(telegram_id="5008").exists()
