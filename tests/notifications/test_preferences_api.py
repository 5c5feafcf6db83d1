"""Seed 004's own notification preferences body, through HTTP (issue 14 item 3).

The body below is seed 004's ``/notifications/preferences`` example, exactly
as written (camelCase, a ``telegram`` bucket, a ``messages`` category). It is
stored, answered in snake_case and read back; the delivery code honours the
``telegram`` choice as soon as a Telegram backend exists, and ``messages``
covers any event that declares that category.
"""

from __future__ import annotations

import json
import threading

import pytest

from accounts.roles import Role
from notifications import catalogue
from notifications.backends import Outgoing
from notifications.models import Channel, Delivery, NotificationPreference
from notifications.services import notify
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications/preferences"
CONTEXT = {"booking_number": "BK-20261121-000001", "when": "Sat 21 Nov, 10:00 AM", "partner_name": "Asha"}

# Seed 004, "POST /notifications/preferences", verbatim.
SEED_004_BODY = """
{
  "email": {
    "bookingConfirmations": true,
    "reminders": true,
    "promotions": false
  },
  "push": {
    "bookingConfirmations": true,
    "reminders": true,
    "messages": true
  },
  "telegram": {
    "bookingConfirmations": true,
    "reminders": true
  }
}
"""


class OutboxTelegramBackend:
    """A Telegram backend of our own for the test (``TELEGRAM_BACKEND``), so that no bot token is needed."""

    provider = "test-telegram"
    outbox: list[Outgoing] = []
    _lock = threading.Lock()

    def send(self, message: Outgoing) -> str:
        with self._lock:
            self.outbox.append(message)
            return f"tg-{len(self.outbox)}"


@pytest.fixture
def telegram_backend(settings):
    settings.TELEGRAM_BACKEND = f"{__name__}.OutboxTelegramBackend"
    OutboxTelegramBackend.outbox.clear()
    yield OutboxTelegramBackend.outbox
    OutboxTelegramBackend.outbox.clear()


def put_seed_body(client):
    return client.generic("PUT", URL, SEED_004_BODY, content_type="application/json")


@pytest.mark.parametrize("method", ["PUT", "PATCH", "POST"])
def test_seed_004_body_is_accepted_stored_and_answered_in_snake_case(method):
    person = make_user(Role.CUSTOMER)
    client = client_for(person)

    response = client.generic(method, URL, SEED_004_BODY, content_type="application/json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["success"] is True
    channels = body["data"]["channels"]
    assert {k: channels["email"][k] for k in ("booking_confirmations", "reminders", "promotions")} == {
        "booking_confirmations": True,
        "reminders": True,
        "promotions": False,
    }
    assert {k: channels["push"][k] for k in ("booking_confirmations", "reminders", "messages")} == {
        "booking_confirmations": True,
        "reminders": True,
        "messages": True,
    }
    assert {k: channels["telegram"][k] for k in ("booking_confirmations", "reminders")} == {
        "booking_confirmations": True,
        "reminders": True,
    }
    assert "bookingConfirmations" not in json.dumps(body)
    stored = set(NotificationPreference.objects.filter(user=person).values_list("event_type", "channel", "enabled"))
    assert ("messages", "push", True) in stored
    assert ("booking_confirmations", "telegram", True) in stored
    assert ("promotions", "email", False) in stored
    assert len(stored) == 8


def test_get_returns_what_the_seed_body_set_both_ways():
    person = make_user(Role.CUSTOMER)
    client = client_for(person)
    put_seed_body(client)

    data = client.get(URL).json()["data"]

    assert data["channels"]["telegram"]["booking_confirmations"] is True
    assert data["channels"]["telegram"]["reminders"] is True
    assert data["channels"]["push"]["messages"] is True
    assert data["channels"]["email"]["promotions"] is False
    assert data["channels"]["email"]["booking_confirmations"] is True
    assert data["preferences"]["booking_confirmed"]["telegram"] is True
    assert data["preferences"]["booking_confirmed"]["email"] is True  # off by default, switched on by the body
    assert data["preferences"]["appointment_reminder"]["telegram"] is True
    assert data["preferences"]["promotion"]["email"] is False
    assert data["preferences"]["promotion"]["telegram"] is False  # not named: the default


def test_the_existing_shapes_still_work_beside_the_seed_body():
    person = make_user(Role.CUSTOMER)
    client = client_for(person)
    put_seed_body(client)

    ours = client.patch(URL, {"appointment_reminder": {"telegram": False, "sms": False}}, format="json")
    wrapped = client.put(URL, {"preferences": {"promotion": {"push": False}}}, format="json")

    assert ours.status_code == 200, ours.content
    assert wrapped.status_code == 200, wrapped.content
    data = client.get(URL).json()["data"]
    assert data["preferences"]["appointment_reminder"]["telegram"] is False  # the event's choice beats its category
    assert data["channels"]["telegram"]["reminders"] is False
    assert data["preferences"]["appointment_reminder"]["sms"] is False
    assert data["preferences"]["promotion"]["push"] is False
    assert data["preferences"]["booking_confirmed"]["telegram"] is True  # untouched


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": {"reminders": True}, "pigeon": {"reminders": True}}, "pigeon"),
        ({"push": {"chats": True}}, "push.chats"),
        ({"telegram": {"reminders": "yes"}}, "telegram.reminders"),
        ({"telegram": True}, "telegram"),
        ({"telegram": {"otp": False}}, "telegram.otp"),
        ({"messages": {"carrier_pigeon": True}}, "messages.carrier_pigeon"),
    ],
)
def test_an_unknown_bucket_or_key_is_refused_with_its_field(body, field):
    person = make_user(Role.CUSTOMER)

    response = client_for(person).put(URL, body, format="json")

    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["details"]["field"] == field
    assert not NotificationPreference.objects.filter(user=person).exists()


def test_telegram_is_stored_but_nothing_is_queued_while_it_has_no_backend(
    celery_eager, django_capture_on_commit_callbacks
):
    person = make_user(Role.CUSTOMER, phone="+919812340100", email=None, telegram_id="777000111")
    put_seed_body(client_for(person))

    with django_capture_on_commit_callbacks(execute=True):
        notify("booking_confirmed", user=person, context=CONTEXT)

    channels = set(Delivery.objects.filter(user=person).values_list("channel", flat=True))
    assert Channel.TELEGRAM not in channels
    assert Channel.SMS in channels
    assert not Delivery.objects.filter(status="failed").exists()


def test_once_a_telegram_backend_exists_the_stored_choice_decides(
    telegram_backend, celery_eager, django_capture_on_commit_callbacks
):
    person = make_user(Role.CUSTOMER, phone="+919812340101", email=None, telegram_id="777000222")
    client = client_for(person)
    put_seed_body(client)

    with django_capture_on_commit_callbacks(execute=True):
        notify("booking_confirmed", user=person, context=CONTEXT)
    client.patch(URL, {"telegram": {"bookingConfirmations": False}}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        notify("booking_confirmed", user=person, context=CONTEXT)
        notify("appointment_reminder", user=person, context=CONTEXT)

    sent = Delivery.objects.filter(user=person, channel=Channel.TELEGRAM).order_by("created_at")
    assert [(d.event_type, d.status, d.destination) for d in sent] == [
        ("booking_confirmed", "sent", "777000222"),
        ("appointment_reminder", "sent", "777000222"),
    ]
    assert [m.to for m in telegram_backend] == ["777000222", "777000222"]
    assert "BK-20261121-000001" in telegram_backend[0].body


def test_a_person_without_a_verified_telegram_id_gets_nothing_on_telegram(
    telegram_backend, celery_eager, django_capture_on_commit_callbacks
):
    person = make_user(Role.CUSTOMER, phone="+919812340102", email=None, telegram_id=None)
    put_seed_body(client_for(person))

    with django_capture_on_commit_callbacks(execute=True):
        notify("booking_confirmed", user=person, context=CONTEXT)

    assert not Delivery.objects.filter(user=person, channel=Channel.TELEGRAM).exists()
    assert telegram_backend == []


def test_the_messages_choice_covers_an_event_that_declares_the_category(
    monkeypatch, celery_eager, django_capture_on_commit_callbacks
):
    # no chat event is sent yet; one added later declares category="messages" and follows the stored choice
    chat = catalogue.EventType(
        "message_received",
        (catalogue.CUSTOMER,),
        (Channel.PUSH, Channel.SMS),
        "New message",
        "{text}",
        category="messages",
    )
    monkeypatch.setitem(catalogue.EVENTS, chat.key, chat)
    person = make_user(Role.CUSTOMER, phone="+919812340103", email=None)
    client = client_for(person)
    client.post(
        "/api/v1/notifications/devices", {"token": "fcm-token-messages-1", "platform": "android"}, format="json"
    )
    client.put(URL, {"push": {"messages": False}, "sms": {"messages": True}}, format="json")

    with django_capture_on_commit_callbacks(execute=True):
        notify("message_received", user=person, context={"text": "On my way"})

    channels = set(
        Delivery.objects.filter(user=person, event_type="message_received").values_list("channel", flat=True)
    )
    assert channels == {Channel.SMS}
    data = client.get(URL).json()["data"]
    assert data["channels"]["push"]["messages"] is False
    assert data["preferences"]["message_received"]["push"] is False
