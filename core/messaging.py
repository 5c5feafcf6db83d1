"""Sending an SMS or an email, for code below the notifications app.

``accounts`` may import only ``core`` (DESIGN.md section 1), yet it sends
OTPs. The SMS backend is chosen by the ``SMS_BACKEND`` dotted path, the way
Django chooses ``EMAIL_BACKEND``; the backends themselves live in
``notifications.sms``. Messages go out after the surrounding transaction
commits, so a rolled-back request sends nothing.

``send_sms_on_commit``, ``send_whatsapp_on_commit`` (falls back to SMS when
WhatsApp cannot deliver it) and ``send_email_on_commit`` hand the message to the
sender named by ``MESSAGE_SENDER`` (``notifications.services.send_logged``:
a row in the delivery log, sent at commit, every attempt recorded). A
``secret`` (a one-time code) is masked in that log and never leaves this
request: such a message is tried once, at commit, and not retried later (the
person asks for a new code). With ``MESSAGE_SENDER`` empty the message is sent
at commit with no log.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str
    sent_at: datetime = field(default_factory=timezone.now)


class BaseSmsBackend(ABC):
    @abstractmethod
    def send(self, message: SmsMessage) -> str:
        """Deliver ``message``; return the provider's message id."""


def send_sms(*, to: str, body: str) -> str:
    backend: BaseSmsBackend = import_string(settings.SMS_BACKEND)()
    return backend.send(SmsMessage(to=to, body=body))


def send_email(*, to: str, subject: str, body: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def send_directly(*, channel: str, to: str, body: str, subject: str = "", **_: object) -> None:
    if channel in ("sms", "whatsapp"):  # no WhatsApp backend below the notifications app: a text instead
        transaction.on_commit(lambda: send_sms(to=to, body=body))
    else:
        transaction.on_commit(lambda: send_email(to=to, subject=subject, body=body))


def _sender():
    return import_string(settings.MESSAGE_SENDER) if settings.MESSAGE_SENDER else send_directly


def send_sms_on_commit(*, to: str, body: str, event_type: str = "sms", secret: str = "", user=None) -> None:
    _sender()(channel="sms", to=to, body=body, event_type=event_type, secret=secret, user=user)


def send_whatsapp_on_commit(
    *, to: str, body: str, event_type: str = "whatsapp", secret: str = "", user=None, fallback: str = "sms"
) -> None:
    """A WhatsApp message; if it cannot be delivered it goes by ``fallback`` (SMS) to the same number."""
    _sender()(channel="whatsapp", to=to, body=body, event_type=event_type, secret=secret, user=user, fallback=fallback)


def send_email_on_commit(
    *, to: str, subject: str, body: str, event_type: str = "email", secret: str = "", user=None
) -> None:
    _sender()(channel="email", to=to, subject=subject, body=body, event_type=event_type, secret=secret, user=user)
