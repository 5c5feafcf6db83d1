"""SMS backends, chosen by ``SMS_BACKEND`` the way Django chooses an email backend.

``ConsoleSmsBackend`` (the embedded default) prints each message as one line
with the recipient and the full text, so a person trying the API can read an
OTP; ``LocmemSmsBackend`` keeps messages in ``outbox`` for tests. Provider
backends (MSG91, Twilio) join with the notifications issue.
"""

from __future__ import annotations

import sys
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
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


class ConsoleSmsBackend(BaseSmsBackend):
    _lock = threading.Lock()

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stdout

    def send(self, message: SmsMessage) -> str:
        with self._lock:
            self.stream.write(f"[sms] to={message.to} text={message.body!r}\n")
            self.stream.flush()
        return f"console-{int(message.sent_at.timestamp() * 1000)}"


outbox: list[SmsMessage] = []


class LocmemSmsBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> str:
        outbox.append(message)
        return f"locmem-{len(outbox)}"


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(*, to: str, body: str) -> str:
    return get_sms_backend().send(SmsMessage(to=to, body=body))
