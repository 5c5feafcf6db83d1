"""SMS backends, chosen by ``SMS_BACKEND`` (see ``core.messaging``).

``ConsoleSmsBackend`` (the embedded default) prints each message as one line
with the recipient and the full text, so a person trying the API can read an
OTP; ``LocmemSmsBackend`` keeps messages in ``outbox`` for tests.
``TwilioSmsBackend`` sends through Twilio's REST API (``TWILIO_ACCOUNT_SID``,
``TWILIO_AUTH_TOKEN``, ``TWILIO_FROM_NUMBER``) and raises
``notifications.backends.DeliveryFailed`` (retryable on timeouts, 429 and 5xx).
"""

from __future__ import annotations

import sys
import threading

from core.messaging import BaseSmsBackend, SmsMessage

_lock = threading.Lock()


class ConsoleSmsBackend(BaseSmsBackend):
    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stdout

    def send(self, message: SmsMessage) -> str:
        with _lock:
            self.stream.write(f"[sms] to={message.to} text={message.body!r}\n")
            self.stream.flush()
        return f"console-{int(message.sent_at.timestamp() * 1000)}"


outbox: list[SmsMessage] = []


class LocmemSmsBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> str:
        with _lock:
            outbox.append(message)
            return f"locmem-{len(outbox)}"


class TwilioSmsBackend(BaseSmsBackend):
    provider = "twilio"

    def send(self, message: SmsMessage) -> str:
        from django.conf import settings

        from notifications.backends import http_post

        sid = settings.TWILIO_ACCOUNT_SID
        response = http_post(
            self.provider,
            f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json",
            auth=(sid, settings.TWILIO_AUTH_TOKEN),
            data={"To": message.to, "From": settings.TWILIO_FROM_NUMBER, "Body": message.body},
        )
        return response.json()["sid"]
