"""Inbox (seed 004): list with unread count, read one, mark all read, preferences; notify and its deliveries."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.roles import Role
from notifications import backends, sms
from notifications.models import Delivery, DeliveryAttempt, Notification, NotificationPreference
from notifications.services import notify
from tests.accounts.helpers import assert_error
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

CONTEXT = {"booking_number": "BK-20261121-000001", "when": "Sat 21 Nov, 10:00 AM", "partner_name": "Asha"}


@pytest.fixture(autouse=True)
def _empty_outboxes():
    backends.whatsapp_outbox.clear()
    backends.push_outbox.clear()
    yield
    backends.whatsapp_outbox.clear()
    backends.push_outbox.clear()


def test_the_list_has_the_unread_count_and_pages(django_capture_on_commit_callbacks):
    person = make_user(Role.CUSTOMER)
    for _ in range(3):
        notify("booking_confirmed", user=person, context=CONTEXT, data={"booking_id": "x"})
    notify("booking_confirmed", user=make_user(Role.CUSTOMER), context=CONTEXT)  # someone else's
    client = client_for(person)

    page = client.get("/api/v1/notifications?limit=2").json()["data"]

    assert page["unread_count"] == 3
    assert page["pagination"] == {"page": 1, "limit": 2, "total": 3, "total_pages": 2}
    first = page["notifications"][0]
    assert first["type"] == "booking_confirmed"
    assert first["title"] == "Booking confirmed"
    assert first["message"] == "Your booking BK-20261121-000001 is confirmed for Sat 21 Nov, 10:00 AM with Asha."
    assert first["is_read"] is False


def test_read_one_then_all():
    person = make_user(Role.CUSTOMER)
    first = notify("booking_confirmed", user=person, context=CONTEXT)
    notify("partner_arrived", user=person, context=CONTEXT)
    client = client_for(person)

    read = client.put(f"/api/v1/notifications/{first.pk}/read")
    assert read.status_code == 200
    assert read.json()["data"]["notification"]["is_read"] is True
    assert client.get("/api/v1/notifications").json()["data"]["unread_count"] == 1
    assert client.put("/api/v1/notifications/mark-all-read").json()["data"]["marked"] == 1
    assert client.get("/api/v1/notifications").json()["data"]["unread_count"] == 0


def test_another_persons_notification_is_not_found():
    theirs = notify("booking_confirmed", user=make_user(Role.CUSTOMER), context=CONTEXT)
    client = client_for(make_user(Role.CUSTOMER))

    response = client.put(f"/api/v1/notifications/{theirs.pk}/read")

    assert_error(response, 404, "NOT_FOUND", "id")
    assert not Notification.objects.get(pk=theirs.pk).is_read


def test_the_list_costs_the_same_queries_for_3_and_30(django_assert_num_queries):
    person = make_user(Role.CUSTOMER)
    client = client_for(person)
    for size in (3, 30):
        while Notification.objects.filter(user=person).count() < size:
            notify("partner_arrived", user=person, context=CONTEXT)
        with django_assert_num_queries(4):  # user, count, page, unread count
            assert client.get("/api/v1/notifications?limit=100").status_code == 200


def test_preferences_default_to_the_catalogue_and_accept_both_shapes():
    person = make_user(Role.CUSTOMER)
    client = client_for(person)

    defaults = client.get("/api/v1/notifications/preferences").json()["data"]["preferences"]
    ours = client.post(
        "/api/v1/notifications/preferences", {"booking_confirmed": {"sms": False, "email": True}}, format="json"
    ).json()["data"]["preferences"]
    seed_004 = client.post(
        "/api/v1/notifications/preferences",
        {"email": {"bookingConfirmations": False, "reminders": True, "promotions": False}},
        format="json",
    ).json()["data"]["preferences"]

    assert defaults["booking_confirmed"] == {
        "sms": True,
        "email": False,
        "whatsapp": True,
        "push": True,
        "telegram": False,
    }
    assert "otp" not in defaults  # one-time codes are transactional: no preference
    assert ours["booking_confirmed"]["sms"] is False
    assert ours["booking_confirmed"]["email"] is True
    assert seed_004["booking_confirmed"]["email"] is False
    assert seed_004["appointment_reminder"]["email"] is True
    assert seed_004["promotion"]["email"] is False
    # booking_confirmed/sms and the three categories on email (their events' own email choice gives way)
    assert NotificationPreference.objects.filter(user=person).count() == 4


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"booking_teleported": {"sms": True}}, "booking_teleported"),
        ({"otp": {"sms": False}}, "otp"),
        ({"booking_confirmed": {"pigeon": True}}, "booking_confirmed.pigeon"),
        ({"booking_confirmed": {"sms": "yes"}}, "booking_confirmed.sms"),
        ({"booking_confirmed": True}, "booking_confirmed"),
        ({}, "preferences"),
    ],
)
def test_unknown_event_types_channels_and_values_are_refused(body, field):
    person = make_user(Role.CUSTOMER)

    response = client_for(person).post("/api/v1/notifications/preferences", body, format="json")

    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert (error["code"], error["details"]["field"]) == ("VALIDATION_ERROR", field)
    assert not NotificationPreference.objects.filter(user=person).exists()


def test_notify_delivers_on_the_chosen_channels_and_logs_each_attempt(celery_eager, django_capture_on_commit_callbacks):
    person = make_user(Role.CUSTOMER, phone="+919812340000", email="asha@example.com")
    client_for(person).post(
        "/api/v1/notifications/devices", {"token": "fcm-token-123456789", "platform": "android"}, format="json"
    )
    NotificationPreference.objects.create(
        user=person, event_type="booking_confirmed", channel="whatsapp", enabled=False
    )
    NotificationPreference.objects.create(user=person, event_type="booking_confirmed", channel="email", enabled=True)

    with django_capture_on_commit_callbacks(execute=True):
        notify("booking_confirmed", user=person, context=CONTEXT)

    deliveries = {d.channel: d for d in Delivery.objects.all()}
    assert set(deliveries) == {"sms", "email", "push"}
    assert all(d.status == "sent" and d.attempts == 1 for d in deliveries.values())
    assert sms.outbox[-1].to == "+919812340000"
    assert "BK-20261121-000001" in sms.outbox[-1].body
    assert mail.outbox[-1].to == ["asha@example.com"]
    assert mail.outbox[-1].message()["Message-ID"] == deliveries["email"].provider_message_id
    assert backends.push_outbox[-1].to == "fcm-token-123456789"
    assert backends.whatsapp_outbox == []
    assert DeliveryAttempt.objects.filter(status="sent").count() == 3
    assert deliveries["push"].provider_message_id.startswith("locmem-push-")


def test_device_registration_and_removal():
    person = make_user(Role.CUSTOMER)
    client = client_for(person)

    created = client.post("/api/v1/notifications/devices", {"token": "abc", "platform": "ios"}, format="json")
    again = client.post("/api/v1/notifications/devices", {"token": "abc", "platform": "ios"}, format="json")
    removed = client.delete("/api/v1/notifications/devices", {"token": "abc"}, format="json")
    bad = client.post("/api/v1/notifications/devices", {"token": "abc", "platform": "nokia"}, format="json")

    assert (created.status_code, again.status_code) == (201, 200)
    assert removed.json()["data"]["removed"] == 1
    assert_error(bad, 422, "VALIDATION_ERROR", "platform")
