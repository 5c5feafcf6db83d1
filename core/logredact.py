"""Personal data never reaches a log line (issue #21): phone numbers, emails and tokens are redacted.

``RedactPersonalData`` is a logging filter that ``config/settings/log_config.py`` puts on every handler. It
rewrites, in place and only when something matches, the record's message, its structured extra fields
(recursively through dicts and lists, keeping the JSON shape) and its stack text:

* email addresses become ``[email]``, Indian and E.164 phone numbers ``[phone]``, JWTs ``[jwt]``;
* a value whose field name says it is a secret (``otp``, ``token``, ``signature``, ``password``, ``secret``,
  ``authorization``, ``api_key`` ...) becomes ``[redacted]``, in extras and in ``key=value`` / ``"key": "value"``
  text inside messages; so do 64-hex-digit strings (Razorpay's HMAC signatures).

``RedactingJsonFormatter`` is the JSON formatter with the same rules applied to formatted exception text (a
database error's detail can quote an email).

The console SMS, WhatsApp and e-mail backends do not log: they write the development-only
``[sms] to=+91... text='...'`` lines straight to stdout so that a person trying the API can read an OTP, and
tests read the ``locmem`` outboxes instead. That output is deliberate and left alone.

``find_personal_data`` is the detector the test suite's log check (``tests/logcheck.py``) runs on every
formatted line of a full run.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from pythonjsonlogger.json import JsonFormatter

EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# E.164 (a plus, 10 to 15 digits, spaces or dashes allowed after the country code) or an Indian mobile
# written without the plus (optionally 0 or 91 first). Digits glued to letters, dots or more digits (ids,
# amounts, hashes) are not phone numbers.
PHONE = re.compile(
    r"(?<![\w+])\+[1-9]\d{0,2}[\s-]?\d{3,5}[\s-]?\d{3,5}(?:[\s-]?\d{1,4})?(?![\w.])"
    r"|(?<![\w+.-])(?:0|91)?[6-9]\d{9}(?![\w.])"
)
JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+")
HEX_SIGNATURE = re.compile(r"\b[0-9a-fA-F]{64}\b")
SECRET_NAMES = re.compile(
    r"otp|token|signature|password|passwd|secret|authorization|api[_-]?key|access[_-]?key|cookie|refresh",
    re.IGNORECASE,
)
# key=value or "key": "value" inside free text, for the secret names above.
SECRET_PAIR = re.compile(
    r"(?P<key>\b[\w-]*(?:otp|token|signature|password|secret|api[_-]?key)[\w-]*[\"']?\s*[:=]\s*[\"']?)"
    r"(?P<value>[^\s\"',;}&]+)",
    re.IGNORECASE,
)

# The LogRecord's own attributes: everything else in ``record.__dict__`` is an ``extra`` field.
_RECORD_ATTRS = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "request_id",
    "taskName",
}
_SECRET_EXEMPT = frozenset({"token_type", "otp_length", "tokens_issued"})


def redact(text: str) -> str:
    """The text with every email, phone number, JWT and secret value replaced by a placeholder."""
    text = JWT.sub("[jwt]", text)
    text = SECRET_PAIR.sub(lambda m: m.group("key") + "[redacted]", text)
    text = EMAIL.sub("[email]", text)
    text = PHONE.sub("[phone]", text)
    return HEX_SIGNATURE.sub("[redacted]", text)


def find_personal_data(text: str) -> list[str]:
    """Which kinds of personal data (``email``, ``phone``, ``jwt``) the text holds, in that order."""
    return [kind for kind, pattern in (("email", EMAIL), ("phone", PHONE), ("jwt", JWT)) if pattern.search(text)]


def _is_secret_name(name: str) -> bool:
    return name not in _SECRET_EXEMPT and bool(SECRET_NAMES.search(name))


def redact_value(value: Any, name: str = "") -> Any:
    """A structured value with strings redacted, dicts and lists rebuilt; secrets named by their key blanked."""
    if name and _is_secret_name(name) and value not in (None, "", [], {}) and not isinstance(value, bool):
        return "[redacted]"
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_value(item, str(key)) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact_value(item) for item in value)
    return value


class RedactPersonalData(logging.Filter):
    """Redacts the message, the extra fields and the stack text; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: leave it to the formatter to report
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        for key, value in list(record.__dict__.items()):
            if key in _RECORD_ATTRS or key.startswith("_"):
                continue
            clean_value = redact_value(value, key)
            if clean_value != value:
                setattr(record, key, clean_value)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class RedactingJsonFormatter(JsonFormatter):
    """The JSON formatter whose exception text is redacted too."""

    def formatException(self, ei: Any) -> Any:
        formatted = super().formatException(ei)
        if isinstance(formatted, list):
            return [redact(line) for line in formatted]
        return redact(formatted)
