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


# `make run`'s embedded default is SQLite, which the suite's PostgreSQL does not exercise: the statements written
# out for issue #21 (this one, and the idempotency key's two) must bind there too (a UUID is text on SQLite).
ON_SQLITE = (
    "from django.http import HttpResponse\n"
    "from accounts.roles import Role\n"
    "from core import idempotency\n"
    "from core.models import IdempotencyKey\n"
    "from notifications.models import DeviceToken, NotificationPreference\n"
    "from notifications.services.inbox import recipients\n"
    "from tests.conftest import make_user\n"
    "person = make_user(Role.CUSTOMER, phone='+919812340003', email='b@example.com')\n"
    "DeviceToken.objects.create(user=person, token='device')\n"
    "NotificationPreference.objects.create(user=person, event_type='booking_confirmed', channel='sms', enabled=False)\n"
    "print([(str(channel), to) for channel, to in recipients(person, 'booking_confirmed')])\n"
    "record = IdempotencyKey(scope='user:x', key='k', fingerprint='f', expires_at=person.created_at)\n"
    "print(idempotency._inserted(record), idempotency._inserted(IdempotencyKey(scope='user:x', key='k',"
    " fingerprint='f', expires_at=person.created_at)))\n"
    "idempotency.complete(record, HttpResponse(b'{}', status=201))\n"
    "print(IdempotencyKey.objects.get(pk=record.pk).response_status)\n"
)


def test_the_written_out_statements_bind_on_sqlite(tmp_path):
    from tests.core.test_settings import manage

    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:1/0",
    }
    migrated = manage("migrate", "-v0", env=env)
    assert migrated.returncode == 0, migrated.stderr
    result = manage("shell", "--no-imports", "-c", ON_SQLITE, env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == ["[('whatsapp', '+919812340003'), ('push', 'device')]", "True False", "201"]
