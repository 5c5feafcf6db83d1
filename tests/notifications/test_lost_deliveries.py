"""A delivery whose task was lost (the broker down at commit, no worker) is sent later by the sweep, once.

The broker is made unreachable for real (Celery's connection pools rebuilt on a dead address), and a
lost task is a task published with no worker to run it; the sweep is then run with a later ``now``.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
import responses
from celery import current_app
from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from config.settings.schedule import BEAT_SCHEDULE
from core.jobs import task_named
from core.messaging import send_sms_on_commit
from notifications import sms
from notifications.backends import DeliveryFailed
from notifications.models import Delivery, DeliveryAttempt
from notifications.services import notify
from notifications.services.delivery import SWEEP_GRACE, attempt_delivery, sweep_lost_deliveries
from tests.adminpanel.helpers import staff
from tests.conftest import make_user
from tests.notifications.conftest import TWILIO
from tests.partners import helpers

DEAD = "redis+socket:///nonexistent-dir/redis.sock"
CONTEXT = {"booking_number": "BK-7", "when": "Sat 21 Nov, 10:00 AM", "partner_name": "Asha"}


@contextmanager
def broker_down(*, channel_layer_too: bool = False):
    """Celery's broker (and the channel layer) unreachable inside the block; tasks published, not run inline."""
    app = current_app._get_current_object()
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(app.conf, "task_always_eager", False)
        patch.setitem(app.conf, "broker_url", DEAD)
        patch.setitem(app.conf, "task_publish_retry", False)  # fail at the first refusal (not after ~6 s)
        patch.setitem(app.conf, "broker_transport_options", {"max_retries": 0})
        patch.setattr(app, "_pool", None)  # the pools are made again on the dead address, and put back after
        patch.setattr(app.amqp, "_producer_pool", None)
        if channel_layer_too:
            from django.test import override_settings

            layers = {"default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                                  "CONFIG": {"hosts": [{"address": "redis://127.0.0.1:1/0"}]}}}  # fmt: skip
            with override_settings(CHANNEL_LAYERS=layers):
                yield
        else:
            yield


def _texts_to(phone: str) -> list[str]:
    return [m.body for m in sms.outbox if m.to == phone]


@pytest.mark.django_db(transaction=True)
def test_a_committed_request_answers_with_the_broker_down_and_the_sweep_sends_its_messages_once(celery_eager):
    _, client = staff(Role.ADMIN)
    booking = helpers.booking()
    phone = booking.user.phone

    with broker_down(channel_layer_too=True):  # one Redis for both, as in the embedded set-up
        response = client.post(
            "/api/v1/notifications/appointment-confirmation", {"booking_id": str(booking.pk)}, format="json"
        )

    assert response.status_code == 200, response.content  # committed, and answered as such
    deliveries = Delivery.objects.filter(user=booking.user, event_type="booking_confirmed")
    sms_delivery = deliveries.get(channel="sms")
    assert set(deliveries.values_list("status", "attempts")) == {("pending", 0)}
    assert _texts_to(phone) == []

    now = timezone.now()
    assert sweep_lost_deliveries(now) == 0  # just written: its task may still be on its way
    assert sweep_lost_deliveries(now + SWEEP_GRACE - timedelta(seconds=30)) == 0
    assert sweep_lost_deliveries(now + SWEEP_GRACE + timedelta(seconds=30)) == deliveries.count()

    sms_delivery.refresh_from_db()
    assert (sms_delivery.status, sms_delivery.attempts) == ("sent", 1)
    assert set(deliveries.values_list("status", flat=True)) == {"sent"}
    [text] = _texts_to(phone)
    assert "confirmed" in text

    assert sweep_lost_deliveries(now + timedelta(hours=1)) == 0  # sent: never again
    assert len(_texts_to(phone)) == 1


@pytest.mark.django_db
@responses.activate
def test_a_failed_try_is_swept_only_once_its_retry_is_late(twilio, celery_eager, django_capture_on_commit_callbacks):
    responses.post(TWILIO, status=503, body="busy")
    responses.post(TWILIO, json={"sid": "SM7"}, status=201)
    person = make_user(Role.CUSTOMER, phone="+919812347001", email=None)
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        notify("partner_on_the_way", user=person, context=CONTEXT)  # its task cannot be published
    delivery = Delivery.objects.get(channel="sms")
    with pytest.raises(DeliveryFailed):
        attempt_delivery(delivery.pk)  # the first try fails; its retry (30 s later) is lost too
    now = timezone.now()

    # the retry is due 30 s after the try: the sweep waits for that and its grace
    assert sweep_lost_deliveries(now + SWEEP_GRACE + timedelta(seconds=15)) == 0
    assert sweep_lost_deliveries(now + SWEEP_GRACE + timedelta(seconds=45)) == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.provider_message_id) == ("sent", 2, "SM7")
    assert len(responses.calls) == 2


@pytest.mark.django_db
@responses.activate
def test_a_staff_alert_whose_retry_cannot_be_queued_is_swept_and_a_one_time_code_never_is(
    twilio, celery_eager, django_capture_on_commit_callbacks
):
    responses.post(TWILIO, status=503, body="busy")
    responses.post(TWILIO, json={"sid": "SM8"}, status=201)
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        send_sms_on_commit(to="+919800000009", body="Booking BK-8 needs a partner", event_type="booking_needs_partner")
    alert = Delivery.objects.get(event_type="booking_needs_partner")
    assert (alert.status, alert.attempts) == ("pending", 1)  # tried at commit, failed; its retry was not queued
    # a one-time code whose try never ran (the process ended at the commit): its log holds only the masked code
    send_sms_on_commit(to="+919800000010", body="123456 is your code", event_type="otp", secret="123456")
    code = Delivery.objects.get(event_type="otp")
    assert (code.status, code.attempts, code.body) == ("pending", 0, "•••••• is your code")
    # another whose try began and never finished (its process died in the middle of sending)
    send_sms_on_commit(to="+919800000011", body="654321 is your code", event_type="otp", secret="654321")
    cut_off = Delivery.objects.get(event_type="otp", destination="+919800000011")
    Delivery.objects.filter(pk=cut_off.pk).update(attempts=1)
    DeliveryAttempt.objects.create(
        delivery=cut_off, number=1, status="pending", started_at=timezone.now() - timedelta(minutes=10)
    )

    assert sweep_lost_deliveries(timezone.now() + timedelta(hours=1)) == 1

    alert.refresh_from_db()
    assert (alert.status, alert.attempts, alert.provider_message_id) == ("sent", 2, "SM8")
    code.refresh_from_db()
    cut_off.refresh_from_db()
    assert (code.status, code.attempts) == ("pending", 0)
    assert (cut_off.status, cut_off.attempts) == ("pending", 1)
    sent_to = [call.request.body.split("To=")[1].split("&")[0] for call in responses.calls]
    assert sent_to == ["%2B919800000009"] * 2  # the alert's failed try and its swept retry; never the code


class _HeldSms:
    """An SMS provider whose first send waits until the test lets it go."""

    calls: list[str] = []
    started = threading.Event()
    release = threading.Event()

    def send(self, message) -> str:
        _HeldSms.calls.append(message.to)
        if len(_HeldSms.calls) == 1:
            _HeldSms.started.set()
            assert _HeldSms.release.wait(10)
        return f"held-{len(_HeldSms.calls)}"


@pytest.mark.django_db(transaction=True)
def test_a_delivery_being_sent_when_the_sweep_runs_is_sent_once(settings, celery_eager):
    settings.SMS_BACKEND = f"{__name__}._HeldSms"
    _HeldSms.calls.clear()
    _HeldSms.started.clear()
    _HeldSms.release.clear()
    person = make_user(Role.CUSTOMER, phone="+919812347002", email=None)
    with broker_down():
        notify("partner_on_the_way", user=person, context=CONTEXT)
    delivery = Delivery.objects.get(channel="sms")
    outcome: list[str] = []

    def first_try() -> None:
        try:
            outcome.append(attempt_delivery(delivery.pk))
        finally:
            connection.close()

    sender = threading.Thread(target=first_try)
    sender.start()
    try:
        assert _HeldSms.started.wait(10)  # the provider has the message; our row is still pending
        swept = sweep_lost_deliveries(timezone.now() + timedelta(minutes=3))
    finally:
        _HeldSms.release.set()
        sender.join(10)

    assert swept >= 1  # the sweep did queue it (its try is late by the sweep's clock) ...
    assert _HeldSms.calls == [person.phone]  # ... and the copy did not send it while the first try was on
    assert outcome == ["sent"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert DeliveryAttempt.objects.filter(delivery=delivery).count() == 1


def test_the_sweep_is_a_registered_task_on_the_beat_schedule():
    entry = BEAT_SCHEDULE["notifications-sweep-pending-deliveries"]

    assert task_named(entry["task"]).name == "notifications.tasks.sweep_pending_deliveries"
    assert entry["schedule"] == timedelta(minutes=2)
