"""Retention scans (beat's core.tasks.purge_personal_data): OTP rows past OTP_RETENTION_DAYS are deleted, delivery
payloads (and Telegram updates') past DELIVERY_RETENTION_DAYS are blanked with their status kept; younger rows
stay; moving the clock past the age takes the young ones too; two runs at once on PostgreSQL change each row once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import OtpVerification
from accounts.roles import Role
from config.settings.schedule import BEAT_SCHEDULE
from core.jobs import task_named
from core.tasks import purge_personal_data
from notifications.models import Delivery, DeliveryStatus, TelegramUpdate
from tests.accounts.test_concurrency import run_together
from tests.conftest import make_user
from tests.privacy.helpers import delivery, otp

pytestmark = pytest.mark.django_db(transaction=True)


def _world():
    person = make_user(Role.CUSTOMER, phone="+919811111111")
    old_days = settings.OTP_RETENTION_DAYS + 1
    old_otps = [otp(person, "+919811111111", age_days=old_days), otp(None, "x@example.com", age_days=old_days)]
    young_otp = otp(person, "+919811111111", age_days=settings.OTP_RETENTION_DAYS - 1)
    old_deliveries = [
        delivery(person, "Your code is 123456", age_days=settings.DELIVERY_RETENTION_DAYS + 1) for _ in range(3)
    ]
    young_delivery = delivery(person, "Booking confirmed", age_days=settings.DELIVERY_RETENTION_DAYS - 1)
    update = TelegramUpdate.objects.create(update_id=77, kind="message", payload={"text": "my phone +9198"})
    TelegramUpdate.objects.filter(pk=update.pk).update(
        received_at=timezone.now() - timedelta(days=settings.DELIVERY_RETENTION_DAYS + 1)
    )
    return old_otps, young_otp, old_deliveries, young_delivery, update


def test_the_scans_purge_only_what_is_past_its_age():
    _, young_otp, old_deliveries, young_delivery, update = _world()

    counts = purge_personal_data()

    assert counts == {"otps": 2, "notification_deliveries": 4}
    assert list(OtpVerification.objects.values_list("pk", flat=True)) == [young_otp.pk]
    for row in Delivery.objects.filter(pk__in=[d.pk for d in old_deliveries]):
        assert (row.body, row.subject, row.destination) == ("", "", "")
        assert row.status == DeliveryStatus.SENT  # kept for the statistics
    young = Delivery.objects.get(pk=young_delivery.pk)
    assert (young.body, young.destination) == ("Booking confirmed", "+919811111111")
    assert TelegramUpdate.objects.get(pk=update.pk).payload == {}
    assert purge_personal_data() == {"otps": 0, "notification_deliveries": 0}  # a second run changes nothing


def test_moving_the_clock_past_the_age_takes_the_young_rows_too(monkeypatch):
    _, young_otp, _, young_delivery, _ = _world()
    purge_personal_data()
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert purge_personal_data() == {"otps": 1, "notification_deliveries": 1}
    assert not OtpVerification.objects.filter(pk=young_otp.pk).exists()
    assert Delivery.objects.get(pk=young_delivery.pk).body == ""


def test_two_runs_at_once_change_each_row_once():
    _, young_otp, old_deliveries, young_delivery, _ = _world()

    results = run_together(2, lambda _: purge_personal_data())

    assert sum(r["otps"] for r in results) == 2
    assert sum(r["notification_deliveries"] for r in results) == 4
    assert list(OtpVerification.objects.values_list("pk", flat=True)) == [young_otp.pk]
    assert not Delivery.objects.filter(pk__in=[d.pk for d in old_deliveries]).exclude(body="").exists()
    assert Delivery.objects.get(pk=young_delivery.pk).body == "Booking confirmed"


def test_the_scans_run_from_beat():
    entry = BEAT_SCHEDULE["core-purge-personal-data"]

    assert task_named(entry["task"]).name == "core.tasks.purge_personal_data"
    assert entry["options"]["expires"] < entry["schedule"].total_seconds()
