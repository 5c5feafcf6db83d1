"""Delivery backends for SMS, email, WhatsApp and push, chosen by settings as Django chooses ``EMAIL_BACKEND``.

Each backend's ``send(message)`` returns the provider's message id or raises
:class:`DeliveryFailed` (``retryable`` for timeouts, 429 and 5xx; not for a
refused number or an unregistered device). The delivery task retries the
retryable ones with backoff and logs every attempt.

- SMS (``SMS_BACKEND``): Twilio's REST API (``notifications.sms.TwilioSmsBackend``).
- email (Django's ``EMAIL_BACKEND``): SMTP, or an ESP's API through django-anymail.
- WhatsApp (``WHATSAPP_BACKEND``): Meta's WhatsApp Cloud API.
- push (``PUSH_BACKEND``): Firebase Cloud Messaging HTTP v1.
- telegram: the bot (``notifications.telegram``): the Bot API through python-telegram-bot when
  ``TELEGRAM_BOT_TOKEN`` is set, or the backend ``TELEGRAM_BACKEND`` names. People choose it in their
  preferences (seed 004); with neither setting :func:`channel_available` says no and nothing is queued
  on it (the bot's own replies then print on the console). Its destination is the person's verified
  ``telegram_id`` (a private chat's id is the user's id).
- webhook: an integrator's endpoint, signed (``notifications.webhooks``).

Each has a console backend (the embedded default) and a local-memory one
(tests).
"""

from __future__ import annotations

import hashlib
import hmac
import smtplib
import sys
import threading
from dataclasses import dataclass, field
from typing import Any

import requests
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid
from django.utils.module_loading import import_string

from core.admission import outside
from core.messaging import SmsMessage

_lock = threading.Lock()
TIMEOUT_SECONDS = 10


class DeliveryFailed(Exception):
    def __init__(self, message: str, *, retryable: bool, provider: str = "", status_code: int | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.provider = provider
        self.status_code = status_code


@dataclass(frozen=True)
class Outgoing:
    to: str
    body: str
    subject: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def raise_for_http(response: requests.Response, provider: str) -> None:
    if response.status_code < 400:
        return
    retryable = response.status_code in (408, 429) or response.status_code >= 500
    raise DeliveryFailed(
        f"{provider} answered {response.status_code}: {response.text[:300]}",
        retryable=retryable,
        provider=provider,
        status_code=response.status_code,
    )


def http_post(provider: str, url: str, **kwargs: Any) -> requests.Response:
    try:
        with outside():  # a request that sends one (an OTP) lets another run meanwhile
            response = requests.post(url, timeout=TIMEOUT_SECONDS, **kwargs)
    except requests.Timeout as exc:
        raise DeliveryFailed(f"{provider} timed out", retryable=True, provider=provider) from exc
    except requests.RequestException as exc:
        raise DeliveryFailed(f"{provider} unreachable: {exc}", retryable=True, provider=provider) from exc
    raise_for_http(response, provider)
    return response


# --- SMS and email: the existing backends ----------------------------------------------------


class SmsChannel:
    provider = "sms"

    def send(self, message: Outgoing) -> str:
        backend = import_string(settings.SMS_BACKEND)()
        self.provider = type(backend).__name__
        return backend.send(SmsMessage(to=message.to, body=message.body))


class EmailChannel:
    """Through Django's ``EMAIL_BACKEND``: SMTP, console, or an ESP's API through django-anymail.

    With anymail (``EMAIL_BACKEND=anymail.backends.<esp>.EmailBackend`` and the
    ESP's keys as ``ANYMAIL_*`` variables) the provider is the ESP and the
    provider id the ESP's message id; otherwise the Message-ID header we set.
    An ESP's 429 / 5xx, a network error or an SMTP failure is retried; a
    refused recipient or another 4xx is not.
    """

    provider = "django-email"

    def send(self, message: Outgoing) -> str:
        from anymail.exceptions import AnymailAPIError, AnymailInvalidAddress, AnymailRecipientsRefused

        connection = get_connection()
        self.provider = getattr(connection, "esp_name", "") or type(connection).__module__.rsplit(".", 1)[-1]
        message_id = make_msgid()
        email = EmailMessage(
            message.subject,
            message.body,
            settings.DEFAULT_FROM_EMAIL,
            [message.to],
            headers={"Message-ID": message_id},
            connection=connection,
        )
        try:
            sent = email.send()
        except (AnymailRecipientsRefused, AnymailInvalidAddress) as exc:
            raise DeliveryFailed(str(exc), retryable=False, provider=self.provider) from exc
        except AnymailAPIError as exc:
            status = exc.status_code
            retryable = status is None or status == 429 or status >= 500
            raise DeliveryFailed(str(exc), retryable=retryable, provider=self.provider) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}", retryable=True, provider=self.provider) from exc
        if not sent:
            raise DeliveryFailed("The email backend sent nothing.", retryable=True, provider=self.provider)
        status = getattr(email, "anymail_status", None)
        return str(status.message_id) if status is not None and status.message_id else message_id


# --- WhatsApp --------------------------------------------------------------------------------


class _ConsoleBackend:
    """Prints one line per message (recipient and full text), like the console SMS and email backends."""

    provider = "console"
    label = ""

    def send(self, message: Outgoing) -> str:
        with _lock:
            subject = f" title={message.subject!r}" if message.subject else ""
            sys.stdout.write(f"[{self.label}] to={message.to}{subject} text={message.body!r}\n")
            sys.stdout.flush()
        return f"console-{self.label}"


class _LocmemBackend:
    """Keeps messages in a list for tests."""

    provider = "locmem"
    label: str
    outbox: list[Outgoing] = []

    def send(self, message: Outgoing) -> str:
        with _lock:
            self.outbox.append(message)
            return f"locmem-{self.label}-{len(self.outbox)}"


whatsapp_outbox: list[Outgoing] = []
push_outbox: list[Outgoing] = []


class ConsoleWhatsAppBackend(_ConsoleBackend):
    label = "whatsapp"


class LocmemWhatsAppBackend(_LocmemBackend):
    label, outbox = "wa", whatsapp_outbox


class MetaWhatsAppBackend:
    """WhatsApp Cloud API: ``WHATSAPP_PHONE_NUMBER_ID`` and ``WHATSAPP_ACCESS_TOKEN``."""

    provider = "meta-whatsapp"

    def send(self, message: Outgoing) -> str:
        url = f"https://graph.facebook.com/v20.0/{settings.WHATSAPP_PHONE_NUMBER_ID}/messages"
        response = http_post(
            self.provider,
            url,
            headers={"Authorization": f"Bearer {settings.WHATSAPP_ACCESS_TOKEN}"},
            json={
                "messaging_product": "whatsapp",
                "to": message.to.lstrip("+"),
                "type": "text",
                "text": {"body": message.body},
            },
        )
        return response.json()["messages"][0]["id"]


# --- push ------------------------------------------------------------------------------------


class ConsolePushBackend(_ConsoleBackend):
    label = "push"


class LocmemPushBackend(_LocmemBackend):
    label, outbox = "push", push_outbox


class UnregisteredDevice(DeliveryFailed):
    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=False, provider="fcm")


class FcmPushBackend:
    """FCM HTTP v1: ``FCM_PROJECT_ID`` and a service account (``FCM_CREDENTIALS_FILE``), through google-auth."""

    provider = "fcm"
    _credentials = None

    def _token(self) -> str:
        from google.auth.transport.requests import Request
        from google.oauth2 import service_account

        if FcmPushBackend._credentials is None:
            FcmPushBackend._credentials = service_account.Credentials.from_service_account_file(
                settings.FCM_CREDENTIALS_FILE, scopes=["https://www.googleapis.com/auth/firebase.messaging"]
            )
        credentials = FcmPushBackend._credentials
        if not credentials.valid:
            credentials.refresh(Request())
        return credentials.token

    def send(self, message: Outgoing) -> str:
        url = f"https://fcm.googleapis.com/v1/projects/{settings.FCM_PROJECT_ID}/messages:send"
        try:
            response = http_post(
                self.provider,
                url,
                headers={"Authorization": f"Bearer {self._token()}"},
                json={
                    "message": {
                        "token": message.to,
                        "notification": {"title": message.subject, "body": message.body},
                        "data": {k: str(v) for k, v in message.data.items() if v},
                    }
                },
            )
        except DeliveryFailed as exc:
            if "UNREGISTERED" in str(exc) or " 404" in str(exc):
                raise UnregisteredDevice(str(exc)) from exc
            raise
        return response.json()["name"]


# --- webhooks ---------------------------------------------------------------------------------


def signature(secret: str, timestamp: str, body: str) -> str:
    """HMAC-SHA256 of ``"<timestamp>.<body>"`` under the endpoint's secret (see ``notifications.webhooks``)."""
    return hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()


class WebhookBackend:
    """POSTs a webhook delivery's JSON to its endpoint, signed (``notifications.webhooks``)."""

    provider = "webhook"

    def send(self, message: Outgoing) -> str:
        import time

        from notifications.models import WebhookEndpoint

        endpoint_id = message.data.get("endpoint_id")
        endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first() if endpoint_id else None
        if endpoint is None or not endpoint.is_active:
            raise DeliveryFailed("The endpoint was removed or switched off.", retryable=False, provider=self.provider)
        timestamp = str(int(time.time()))
        try:
            response = http_post(
                self.provider,
                endpoint.url,
                data=message.body.encode(),
                headers={
                    "Content-Type": "application/json",
                    "User-Agent": "services-platform-webhooks/1",
                    "X-Webhook-Event": message.subject,
                    "X-Webhook-Id": message.data.get("delivery_id", ""),
                    "X-Webhook-Timestamp": timestamp,
                    "X-Webhook-Signature": f"sha256={signature(endpoint.secret, timestamp, message.body)}",
                },
                allow_redirects=False,
            )
        except DeliveryFailed as exc:
            if exc.status_code == 410:  # Gone: the receiver asks us to stop
                WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
            raise
        return f"http-{response.status_code}"


def channel_available(channel: str) -> bool:
    """Whether a message on ``channel`` can be sent at all (a channel may be chosen before it has a backend)."""
    if channel == "telegram":
        return bool(settings.TELEGRAM_BACKEND or settings.TELEGRAM_BOT_TOKEN)
    return True


def backend_for(channel: str):
    if channel == "sms":
        return SmsChannel()
    if channel == "email":
        return EmailChannel()
    if channel == "whatsapp":
        return import_string(settings.WHATSAPP_BACKEND)()
    if channel == "push":
        return import_string(settings.PUSH_BACKEND)()
    if channel == "telegram" and channel_available(channel):
        from notifications.telegram import telegram_backend

        return telegram_backend()
    if channel == "webhook":
        return WebhookBackend()
    raise ValueError(f"No backend for channel {channel!r}")
