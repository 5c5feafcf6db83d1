"""Retention scans (beat's core.tasks.purge_personal_data): OTP rows past OTP_RETENTION_DAYS are deleted, delivery
payloads and errors (and Telegram updates' payloads) past DELIVERY_RETENTION_DAYS are blanked with their status
kept, payment webhooks past PAYMENT_WEBHOOK_RETENTION_DAYS are redacted; younger rows stay; moving the clock past
the age takes the young ones too; two runs at once on PostgreSQL change each row once."""

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
from notifications.models import Delivery, DeliveryAttempt, DeliveryStatus, TelegramUpdate
from payments.models import PaymentWebhook, WebhookStatus
from tests.accounts.test_concurrency import run_together
from tests.conftest import make_user
from tests.privacy.helpers import delivery, otp
from tests.privacy.test_webhook_redaction import captured

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
    refused = "SMTPRecipientsRefused: {'asha@example.com': (550, b'no such user')}"
    Delivery.objects.filter(pk=old_deliveries[0].pk).update(error=refused)
    DeliveryAttempt.objects.create(
        delivery=old_deliveries[0], number=1, status=DeliveryStatus.FAILED, error=refused, started_at=timezone.now()
    )
    update = TelegramUpdate.objects.create(update_id=77, kind="message", payload={"text": "my phone +9198"})
    TelegramUpdate.objects.filter(pk=update.pk).update(
        received_at=timezone.now() - timedelta(days=settings.DELIVERY_RETENTION_DAYS + 1)
    )
    for age in (settings.PAYMENT_WEBHOOK_RETENTION_DAYS + 1, settings.PAYMENT_WEBHOOK_RETENTION_DAYS - 1):
        webhook = PaymentWebhook.objects.create(
            event_type="payment.captured", payload=captured(payment_id=f"pay_{age}"), status=WebhookStatus.PROCESSED
        )
        PaymentWebhook.objects.filter(pk=webhook.pk).update(created_at=timezone.now() - timedelta(days=age))
    return old_otps, young_otp, old_deliveries, young_delivery, update


def test_the_scans_purge_only_what_is_past_its_age():
    _, young_otp, old_deliveries, young_delivery, update = _world()

    counts = purge_personal_data()

    assert counts == {"otps": 2, "notification_deliveries": 5, "payment_webhooks": 1}  # the attempt's error too
    assert list(OtpVerification.objects.values_list("pk", flat=True)) == [young_otp.pk]
    for row in Delivery.objects.filter(pk__in=[d.pk for d in old_deliveries]):
        assert (row.body, row.subject, row.destination) == ("", "", "")
        assert row.status == DeliveryStatus.SENT  # kept for the statistics
    young = Delivery.objects.get(pk=young_delivery.pk)
    assert (young.body, young.destination) == ("Booking confirmed", "+919811111111")
    assert TelegramUpdate.objects.get(pk=update.pk).payload == {}
    assert Delivery.objects.get(pk=old_deliveries[0].pk).error == ""
    assert not DeliveryAttempt.objects.exclude(error="").exists()
    old_webhook, young_webhook = PaymentWebhook.objects.order_by("created_at")
    assert old_webhook.payload_redacted_at is not None
    assert "contact" not in old_webhook.payload["payload"]["payment"]["entity"]
    old_entity = old_webhook.payload["payload"]["payment"]["entity"]
    assert old_entity["id"] == f"pay_{settings.PAYMENT_WEBHOOK_RETENTION_DAYS + 1}"
    assert young_webhook.payload_redacted_at is None
    assert young_webhook.payload["payload"]["payment"]["entity"]["contact"]
    # a second run changes nothing
    assert purge_personal_data() == {"otps": 0, "notification_deliveries": 0, "payment_webhooks": 0}


def test_moving_the_clock_past_the_age_takes_the_young_rows_too(monkeypatch):
    _, young_otp, _, young_delivery, _ = _world()
    purge_personal_data()
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert purge_personal_data() == {"otps": 1, "notification_deliveries": 1, "payment_webhooks": 1}
    assert not OtpVerification.objects.filter(pk=young_otp.pk).exists()
    assert Delivery.objects.get(pk=young_delivery.pk).body == ""


def test_two_runs_at_once_change_each_row_once():
    _, young_otp, old_deliveries, young_delivery, _ = _world()

    results = run_together(2, lambda _: purge_personal_data())

    assert sum(r["otps"] for r in results) == 2
    assert sum(r["notification_deliveries"] for r in results) == 5
    assert sum(r["payment_webhooks"] for r in results) == 1
    assert list(OtpVerification.objects.values_list("pk", flat=True)) == [young_otp.pk]
    assert not Delivery.objects.filter(pk__in=[d.pk for d in old_deliveries]).exclude(body="").exists()
    assert Delivery.objects.get(pk=young_delivery.pk).body == "Booking confirmed"


def test_the_scans_run_from_beat():
    entry = BEAT_SCHEDULE["core-purge-personal-data"]

    assert task_named(entry["task"]).name == "core.tasks.purge_personal_data"
    assert entry["options"]["expires"] < entry["schedule"].total_seconds()
