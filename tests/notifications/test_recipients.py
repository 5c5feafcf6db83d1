"""Who a notice goes to: the person's choices and active devices, read in one statement (issue #21)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from notifications.models import DeviceToken, NotificationPreference
from notifications.services.inbox import enabled_channels, recipients
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

# booking_confirmed: push, SMS and WhatsApp by default, in the category "booking_confirmations".
EVENT, CATEGORY = "booking_confirmed", "booking_confirmations"


def _person():
    person = make_user(Role.CUSTOMER, phone="+919812340002", email="asha@example.com")
    first = DeviceToken.objects.create(user=person, token="first-device")
    DeviceToken.objects.create(user=person, token="switched-off", is_active=False)
    second = DeviceToken.objects.create(user=person, token="second-device")
    DeviceToken.objects.create(user=make_user(Role.CUSTOMER), token="someone-else")
    return person, [first.token, second.token]


def test_every_active_device_and_the_phone_in_one_statement():
    person, devices = _person()

    with CaptureQueriesContext(connection) as queries:
        to = recipients(person, EVENT)

    assert len(queries) == 1
    assert to == [("sms", "+919812340002"), ("whatsapp", "+919812340002"), *[("push", d) for d in devices]]
    assert [d for channel, d in to if channel == "push"] == devices  # oldest first


def test_the_events_own_choice_wins_over_its_categorys():
    person, devices = _person()
    NotificationPreference.objects.create(user=person, event_type=CATEGORY, channel="push", enabled=False)
    NotificationPreference.objects.create(user=person, event_type=CATEGORY, channel="sms", enabled=False)
    NotificationPreference.objects.create(user=person, event_type=EVENT, channel="push", enabled=True)
    NotificationPreference.objects.create(user=person, event_type=EVENT, channel="email", enabled=True)
    NotificationPreference.objects.create(user=person, event_type="booking_created", channel="whatsapp", enabled=False)

    to = recipients(person, EVENT)

    assert to == [("email", "asha@example.com"), ("whatsapp", "+919812340002"), *[("push", d) for d in devices]]
    assert {channel for channel, _ in to} == set(enabled_channels(person, EVENT))  # the same rules as the ORM's
