"""SMS backends, chosen by ``SMS_BACKEND`` (see ``core.messaging``).

``ConsoleSmsBackend`` (the embedded default) prints each message as one line
with the recipient and the full text, so a person trying the API can read an
OTP; ``LocmemSmsBackend`` keeps messages in ``outbox`` for tests. Provider
backends (MSG91, Twilio) join with the notifications issue.
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
