"""Transactional messages (one-time codes, staff alerts) go through the delivery log like every other message."""

from __future__ import annotations

import pytest
import responses
from django.core import mail

from accounts.roles import Role
from core.messaging import send_sms_on_commit
from notifications import sms
from notifications.models import Delivery, DeliveryAttempt, NotificationPreference
from tests.conftest import make_user
from tests.notifications.conftest import TWILIO

pytestmark = pytest.mark.django_db

PHONE = "+919876543210"


def _send_otp(api_client, capture, **body):
    with capture(execute=True):
        response = api_client.post("/api/v1/auth/send-otp", body or {"phone": PHONE}, format="json")
    assert response.status_code == 200, response.content
    return response


def test_an_sms_otp_is_logged_sent_with_the_code_masked(api_client, django_capture_on_commit_callbacks):
    _send_otp(api_client, django_capture_on_commit_callbacks)

    [message] = [m for m in sms.outbox if m.to == PHONE]
    code = message.body.split()[0]
    assert code.isdigit()
    assert len(code) == 6
    delivery = Delivery.objects.get(event_type="otp")
    assert (delivery.channel, delivery.destination, delivery.status, delivery.attempts) == ("sms", PHONE, "sent", 1)
    assert delivery.provider == "LocmemSmsBackend"
    assert delivery.provider_message_id.startswith("locmem-")
    assert code not in delivery.body
    assert delivery.body.startswith("•••••• is your verification code")
    assert DeliveryAttempt.objects.get(delivery=delivery).status == "sent"


def test_an_email_otp_is_logged(api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/v1/auth/send-email-otp", {"email": "asha@example.com"}, format="json")
    assert response.status_code == 200, response.content

    [email] = mail.outbox
    delivery = Delivery.objects.get(event_type="otp")
    assert (delivery.channel, delivery.destination, delivery.status) == ("email", "asha@example.com", "sent")
    assert delivery.provider_message_id == email.extra_headers["Message-ID"]
    assert email.body.split()[0] not in delivery.body


def test_an_otp_ignores_preferences_and_is_logged_against_the_account(api_client, django_capture_on_commit_callbacks):
    person = make_user(Role.CUSTOMER, phone=PHONE)
    NotificationPreference.objects.bulk_create(
        NotificationPreference(user=person, event_type=event_type, channel="sms", enabled=False)
        for event_type in ("booking_confirmed", "appointment_reminder", "payment_failed", "otp")
    )
    _send_otp(api_client, django_capture_on_commit_callbacks)

    assert [m.to for m in sms.outbox] == [PHONE]
    delivery = Delivery.objects.get(event_type="otp")
    assert (delivery.status, delivery.user) == ("sent", person)


@responses.activate
def test_a_failing_otp_is_tried_once_and_logged_failed(
    api_client, twilio, celery_eager, django_capture_on_commit_callbacks
):
    responses.post(TWILIO, status=503, body="busy")
    responses.post(TWILIO, json={"sid": "SM1"}, status=201)

    _send_otp(api_client, django_capture_on_commit_callbacks)

    delivery = Delivery.objects.get(event_type="otp")
    assert (delivery.status, delivery.attempts, delivery.provider) == ("failed", 1, "twilio")
    assert "503" in delivery.error
    assert len(responses.calls) == 1  # the masked log cannot be resent: the person asks for a new code
    code = responses.calls[0].request.body.split("Body=")[1].split("+")[0]
    assert code.isdigit()
    assert code not in delivery.body


@responses.activate
def test_a_failing_staff_alert_is_retried_by_the_worker(twilio, celery_eager, django_capture_on_commit_callbacks):
    responses.post(TWILIO, status=503, body="busy")
    responses.post(TWILIO, json={"sid": "SM2"}, status=201)

    with django_capture_on_commit_callbacks(execute=True):
        send_sms_on_commit(to="+919800000001", body="Booking BK-1 needs a partner", event_type="booking_needs_partner")

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.provider_message_id) == ("sent", 2, "SM2")
    assert delivery.body == "Booking BK-1 needs a partner"
    assert list(delivery.attempt_log.order_by("number").values_list("status", flat=True)) == ["failed", "sent"]


def test_nothing_is_logged_or_sent_when_the_request_rolls_back(django_capture_on_commit_callbacks):
    from django.db import transaction

    def rolled_back() -> None:
        with transaction.atomic():
            send_sms_on_commit(to=PHONE, body="123456 is your code", event_type="otp", secret="123456")
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        rolled_back()

    assert not Delivery.objects.exists()
    assert not sms.outbox
