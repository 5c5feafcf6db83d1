"""Provider backends over HTTP (stubbed at the HTTP layer with ``responses``), retries, and nothing lost."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest
import requests
import responses
from celery.signals import task_retry
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth import jwt as google_jwt

from accounts.roles import Role
from notifications.backends import FcmPushBackend
from notifications.models import Delivery, DeliveryAttempt, DeviceToken
from notifications.services import notify
from tests.conftest import make_user
from tests.notifications.conftest import TWILIO

pytestmark = pytest.mark.django_db

CONTEXT = {"booking_number": "BK-1", "when": "Sat 21 Nov, 10:00 AM", "partner_name": "Asha"}


def _sms_delivery(event_type="partner_on_the_way") -> Delivery:
    person = make_user(Role.CUSTOMER, phone="+919812340001", email=None)
    notify(event_type, user=person, context=CONTEXT)
    return Delivery.objects.get(channel="sms")


@responses.activate
def test_twilio_sends_the_text_and_keeps_the_message_sid(twilio, celery_eager, django_capture_on_commit_callbacks):
    responses.post(TWILIO, json={"sid": "SM123"}, status=201)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = _sms_delivery()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.provider_message_id, delivery.attempts) == ("sent", "SM123", 1)
    sent = responses.calls[0].request
    assert "To=%2B919812340001" in sent.body
    assert "BK-1" in requests.utils.unquote(sent.body).replace("+", " ")


@responses.activate
def test_a_failing_provider_is_retried_then_succeeds(twilio, celery_eager, django_capture_on_commit_callbacks):
    responses.post(TWILIO, status=503, body="busy")
    responses.post(TWILIO, body=requests.Timeout("slow"))
    responses.post(TWILIO, json={"sid": "SM999"}, status=201)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = _sms_delivery()

    delivery.refresh_from_db()
    attempts = list(DeliveryAttempt.objects.filter(delivery=delivery).values_list("status", "error"))
    assert delivery.status == "sent"
    assert delivery.provider_message_id == "SM999"
    assert [status for status, _ in attempts] == ["failed", "failed", "sent"]
    assert "503" in attempts[0][1]
    assert "timed out" in attempts[1][1]


@responses.activate
def test_each_retry_waits_the_base_delay_doubled(twilio, settings, celery_eager, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_MAX_ATTEMPTS = 4
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 7
    for _ in range(3):
        responses.post(TWILIO, status=503, body="busy")
    responses.post(TWILIO, json={"sid": "SM4"}, status=201)
    countdowns: list[float] = []

    def record(sender=None, reason=None, **kwargs) -> None:  # Celery's own signal: the retry and its delay
        if sender.name == "notifications.tasks.deliver":
            countdowns.append(reason.when)

    task_retry.connect(record, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            delivery = _sms_delivery()
    finally:
        task_retry.disconnect(record)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.provider_message_id) == ("sent", 4, "SM4")
    assert countdowns == [7, 14, 28]  # after the 1st, 2nd and 3rd failed try: 7·2⁰, 7·2¹, 7·2²
    assert len(responses.calls) == 4


@responses.activate
def test_a_provider_that_keeps_failing_ends_failed_with_every_attempt_logged(
    twilio, celery_eager, django_capture_on_commit_callbacks
):
    responses.post(TWILIO, status=500, body="down")
    with django_capture_on_commit_callbacks(execute=True):
        delivery = _sms_delivery()

    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert delivery.attempts == 3
    assert DeliveryAttempt.objects.filter(delivery=delivery, status="failed").count() == 3
    assert "500" in delivery.error
    assert delivery.body  # the message itself is kept: staff can see what was not delivered


@responses.activate
def test_a_refused_number_is_not_retried(twilio, celery_eager, django_capture_on_commit_callbacks):
    responses.post(TWILIO, status=400, json={"message": "not a mobile number"})
    with django_capture_on_commit_callbacks(execute=True):
        delivery = _sms_delivery()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 1)


@responses.activate
def test_whatsapp_cloud_api(settings, celery_eager, django_capture_on_commit_callbacks):
    settings.WHATSAPP_BACKEND = "notifications.backends.MetaWhatsAppBackend"
    settings.WHATSAPP_PHONE_NUMBER_ID, settings.WHATSAPP_ACCESS_TOKEN = "10001", "token"
    responses.post("https://graph.facebook.com/v20.0/10001/messages", json={"messages": [{"id": "wamid.1"}]})
    person = make_user(Role.CUSTOMER, phone="+919812340002", email=None)

    with django_capture_on_commit_callbacks(execute=True):
        notify("appointment_reminder", user=person, context=CONTEXT)

    delivery = Delivery.objects.get(channel="whatsapp")
    assert (delivery.status, delivery.provider_message_id) == ("sent", "wamid.1")
    assert responses.calls[0].request.headers["Authorization"] == "Bearer token"


GOOGLE_TOKEN = "https://oauth2.googleapis.com/token"


@pytest.fixture
def fcm_service_account(settings, tmp_path, monkeypatch) -> dict:
    """A real service-account file (a fresh RSA key) for FCM; the credentials cached from another test forgotten."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    account = {
        "type": "service_account",
        "project_id": "demo-project",
        "private_key_id": "key-1",
        "private_key": pem,
        "client_email": "push@demo-project.iam.gserviceaccount.com",
        "client_id": "1234567890",
        "token_uri": GOOGLE_TOKEN,
    }
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(account))
    settings.PUSH_BACKEND = "notifications.backends.FcmPushBackend"
    settings.FCM_PROJECT_ID = "demo-project"
    settings.FCM_CREDENTIALS_FILE = str(path)
    monkeypatch.setattr(FcmPushBackend, "_credentials", None)
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return {**account, "public_key": public}


@responses.activate
def test_fcm_v1_push_and_an_unregistered_device_is_switched_off(
    fcm_service_account, celery_eager, django_capture_on_commit_callbacks
):
    token_call = responses.post(GOOGLE_TOKEN, json={"access_token": "ya29.oauth-token", "expires_in": 3600})
    url = "https://fcm.googleapis.com/v1/projects/demo-project/messages:send"
    responses.post(url, json={"name": "projects/demo-project/messages/1"})
    responses.post(url, status=404, json={"error": {"status": "NOT_FOUND", "details": [{"errorCode": "UNREGISTERED"}]}})
    person = make_user(Role.CUSTOMER, phone=None, email=None)
    DeviceToken.objects.create(user=person, token="good-token")
    DeviceToken.objects.create(user=person, token="stale-token")

    with django_capture_on_commit_callbacks(execute=True):
        notify("partner_arrived", user=person, context=CONTEXT)

    by_token = {d.destination: d for d in Delivery.objects.filter(channel="push")}
    assert {d.status for d in by_token.values()} == {"sent", "failed"}
    failed = next(d for d in by_token.values() if d.status == "failed")
    assert failed.attempts == 1
    assert not DeviceToken.objects.get(token=failed.destination).is_active

    # one token exchange: a JWT signed with the service account's key, for FCM's scope; then reused
    assert token_call.call_count == 1
    body = token_call.calls[0].request.body
    exchange = parse_qs(body.decode() if isinstance(body, bytes) else body)
    assert exchange["grant_type"] == ["urn:ietf:params:oauth:grant-type:jwt-bearer"]
    claims = google_jwt.decode(exchange["assertion"][0], certs=fcm_service_account["public_key"], audience=GOOGLE_TOKEN)
    assert claims["iss"] == fcm_service_account["client_email"]
    assert claims["scope"] == "https://www.googleapis.com/auth/firebase.messaging"
    sends = [call.request for call in responses.calls if call.request.url == url]
    assert len(sends) == 2
    assert {request.headers["Authorization"] for request in sends} == {"Bearer ya29.oauth-token"}
    assert {json.loads(request.body)["message"]["token"] for request in sends} == {"good-token", "stale-token"}


# --- email through an ESP (django-anymail, Postmark's API stubbed at the HTTP layer) ------------

POSTMARK = "https://api.postmarkapp.com/email"


@pytest.fixture
def postmark(settings):
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "server-token"}
    settings.NOTIFICATION_MAX_ATTEMPTS = 3


def _email_delivery(address: str = "asha@example.com") -> Delivery:
    person = make_user(Role.CUSTOMER, phone=None, email=address)
    notify("booking_completed", user=person, context=CONTEXT)
    return Delivery.objects.get(channel="email", destination=address)


def _postmark_ok(message_id: str) -> dict:
    return {
        "To": "asha@example.com",
        "SubmittedAt": "2026-11-21T10:00:00Z",
        "MessageID": message_id,
        "ErrorCode": 0,
        "Message": "OK",
    }


@responses.activate
def test_email_through_an_esp_keeps_the_esp_message_id(postmark, celery_eager, django_capture_on_commit_callbacks):
    responses.post(POSTMARK, json=_postmark_ok("pm-0001"))
    with django_capture_on_commit_callbacks(execute=True):
        delivery = _email_delivery()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.provider, delivery.provider_message_id) == ("sent", "Postmark", "pm-0001")
    sent = responses.calls[0].request
    assert sent.headers["X-Postmark-Server-Token"] == "server-token"
    body = json.loads(sent.body)
    assert (body["To"], body["Subject"]) == ("asha@example.com", "Service completed")
    assert "BK-1" in body["TextBody"]


@responses.activate
def test_an_esp_outage_is_retried_and_a_rejected_key_is_not(postmark, celery_eager, django_capture_on_commit_callbacks):
    responses.post(POSTMARK, status=503, body="maintenance")
    responses.post(POSTMARK, body=requests.ConnectionError("reset"))
    responses.post(POSTMARK, json=_postmark_ok("pm-0002"))
    with django_capture_on_commit_callbacks(execute=True):
        delivery = _email_delivery()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.provider_message_id) == ("sent", 3, "pm-0002")
    errors = list(delivery.attempt_log.order_by("number").values_list("error", flat=True))
    assert "503" in errors[0]
    assert "reset" in errors[1]

    responses.replace(responses.POST, POSTMARK, status=401, json={"ErrorCode": 10, "Message": "Bad token"})
    with django_capture_on_commit_callbacks(execute=True):
        refused = _email_delivery("ravi@example.com")
    refused.refresh_from_db()
    assert (refused.status, refused.attempts) == ("failed", 1)
    assert "Bad token" in refused.error


class _BrokenSmtp:
    """Stands in for an SMTP server that refuses the connection."""

    def __init__(self, **kwargs) -> None:
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


class _BuggyBackend:
    def send(self, message):
        raise KeyError("messages")  # e.g. a provider answering 200 with an unexpected body


def test_an_smtp_failure_and_an_unexpected_error_are_logged_and_retried(
    settings, celery_eager, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}._BrokenSmtp"
    settings.WHATSAPP_BACKEND = f"{__name__}._BuggyBackend"
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    person = make_user(Role.CUSTOMER, phone="+919812340002", email="ravi@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        notify("booking_confirmed", user=person, context=CONTEXT)  # push, SMS, WhatsApp
        notify("booking_completed", user=person, context=CONTEXT)  # push, email

    email = Delivery.objects.get(channel="email")
    whatsapp = Delivery.objects.get(channel="whatsapp")
    assert (email.status, email.attempts) == ("failed", 2)
    assert "Connection refused" in email.error
    assert (whatsapp.status, whatsapp.attempts) == ("failed", 2)
    assert "KeyError" in whatsapp.error
    assert not DeliveryAttempt.objects.filter(status="pending").exists()  # no attempt left hanging


@responses.activate
def test_a_message_too_old_to_matter_is_expired_not_sent(twilio, settings):
    """A delivery still pending NOTIFICATION_MAX_AGE_HOURS after it was written (the worker was down, or
    seed_demo wrote past history) is dropped as expired: the provider is never called."""
    from datetime import timedelta

    from django.utils import timezone

    from notifications.services.delivery import attempt_delivery

    settings.NOTIFICATION_MAX_AGE_HOURS = 24
    delivery = _sms_delivery()
    Delivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - timedelta(hours=25))

    assert attempt_delivery(delivery.pk) == "expired"

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("expired", 0)
    assert "too old" in delivery.error
    assert len(responses.calls) == 0


@responses.activate
def test_a_message_younger_than_the_limit_is_still_sent(twilio, settings):
    from datetime import timedelta

    from django.utils import timezone

    from notifications.services.delivery import attempt_delivery

    settings.NOTIFICATION_MAX_AGE_HOURS = 24
    responses.post(TWILIO, json={"sid": "SM777"}, status=201)
    delivery = _sms_delivery()
    Delivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - timedelta(hours=23))

    assert attempt_delivery(delivery.pk) == "sent"
