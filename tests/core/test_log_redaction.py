"""Personal data never reaches a log line (issue #21): the redaction filter on every handler, and the detector
the suite's log check (tests/logcheck.py) runs over every line of a run."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from core.logredact import RedactPersonalData, find_personal_data, redact
from tests.logcheck import PersonalDataLogCheck

JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyX2lkIjoiNDIifQ.dGhpc2lzbm90YXJlYWxzaWduYXR1cmU"
SIGNATURE = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def configured_handler(stream: io.StringIO) -> logging.Handler:
    """A handler built like settings.LOGGING's console: its filters and its JSON formatter."""
    config = settings.LOGGING
    handler = logging.StreamHandler(stream)
    formatter_config = dict(config["formatters"]["json"])
    handler.setFormatter(import_string(formatter_config.pop("()"))(**formatter_config))
    for name in config["handlers"]["console"]["filters"]:
        filter_config = dict(config["filters"][name])
        handler.addFilter(import_string(filter_config.pop("()"))(**filter_config))
    return handler


@pytest.fixture
def log_line():
    stream = io.StringIO()
    handler = configured_handler(stream)
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    previous = logger.level
    logger.setLevel(logging.INFO)
    yield lambda: json.loads(stream.getvalue().splitlines()[-1])
    logger.removeHandler(handler)
    logger.propagate = True
    logger.setLevel(previous)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sent to asha.k+promo@example.co.in today", "sent to [email] today"),
        ("OTP for +919812345678 sent", "OTP for [phone] sent"),
        ("call +91 98123 45678 or 09812345678 or 919812345678", "call [phone] or [phone] or [phone]"),
        ("a US number +1-415-555-0100", "a US number [phone]"),
        (f"Bearer {JWT}", "Bearer [jwt]"),
        ("verify phone=+919812345678 otp=482913", "verify phone=[phone] otp=[redacted]"),
        ('{"razorpay_signature": "abc123def"}', '{"razorpay_signature": "[redacted]"}'),
        (f"signed {SIGNATURE}", "signed [redacted]"),
    ],
)
def test_redact_replaces_emails_phones_jwts_and_secrets(text, expected):
    assert redact(text) == expected
    assert find_personal_data(redact(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "booking BK-20260101-0001 for 1180.00 INR",
        "user 3f9a2b1c-7d4e-4a5b-9c6d-981234567890 at 2026-11-30T10:00:00+05:30",
        "order_Pk9812345678ab paid in 1732912345678 ms, amount 9812345678.00",
        "job 42 took 7123 ms; pincode 560001",
    ],
)
def test_ids_amounts_times_and_pincodes_are_not_personal_data(text):
    assert find_personal_data(text) == []
    assert redact(text) == text


def test_the_configured_handler_redacts_the_message_and_the_extra_fields_keeping_their_shape(log_line):
    logging.getLogger("tests.redaction").info(
        "Signed in %s with %s",
        "asha@example.com",
        "+919812345678",
        extra={
            "user_id": 42,
            "contact": {"email": "asha@example.com", "phones": ["+919812345678", "office"], "otp": "482913"},
            "access_token": JWT,
            "amount": "1180.00",
        },
    )

    line = log_line()
    assert line["message"] == "Signed in [email] with [phone]"
    assert line["contact"] == {"email": "[email]", "phones": ["[phone]", "office"], "otp": "[redacted]"}
    assert line["access_token"] == "[redacted]"
    assert (line["user_id"], line["amount"], line["level"]) == (42, "1180.00", "INFO")


def test_an_exception_text_is_redacted_too(log_line):
    try:
        raise ValueError('duplicate key (email)=(asha@example.com) for "+919812345678"')
    except ValueError:
        logging.getLogger("tests.redaction").exception("Could not save")

    line = log_line()
    assert "asha@example.com" not in json.dumps(line)
    assert '(email)=([email]) for \\"[phone]\\"' in json.dumps(line["exc_info"])


def test_every_configured_handler_redacts():
    config = settings.LOGGING
    assert config["filters"]["redact"]["()"] == "core.logredact.RedactPersonalData"
    assert config["formatters"]["json"]["()"] == "core.logredact.RedactingJsonFormatter"
    assert all("redact" in handler.get("filters", []) for handler in config["handlers"].values())
    root = logging.getLogger()
    configured = [h for h in root.handlers if not type(h).__module__.startswith(("_pytest", "tests."))]
    assert configured
    assert all(any(isinstance(f, RedactPersonalData) for f in h.filters) for h in configured)


def record(message: str, *args: object, name: str = "platform.events", **extra: object) -> logging.LogRecord:
    made = logging.LogRecord(name, logging.WARNING, __file__, 1, message, args, None)
    made.__dict__.update(extra)
    return made


@pytest.mark.parametrize(
    ("message", "extra", "kinds"),
    [
        ("Sign-in by %s", {}, ["email"]),
        ("Sent", {"to": "+919812345678"}, ["phone"]),
        ("Token %s", {}, ["jwt"]),
    ],
)
def test_the_suite_log_check_catches_a_planted_email_phone_or_jwt(message, extra, kinds):
    planted = {"email": "asha@example.com", "jwt": JWT}
    check = PersonalDataLogCheck()
    check.setFormatter(configured_handler(io.StringIO()).formatter)  # the real formatter, without the filter
    args = tuple(planted[kind] for kind in kinds if kind in planted and "%s" in message)

    check.handle(record(message, *args, **extra))

    assert check.counts == {"platform.events": 1}
    [finding] = check.findings
    assert (finding.logger, finding.level, finding.kinds) == ("platform.events", "WARNING", kinds)
    assert find_personal_data(finding.sample) == []  # the report never repeats the leak
    assert "platform.events: 1" in check.report()


def test_the_suite_log_check_passes_what_the_real_pipeline_redacts():
    check = PersonalDataLogCheck()
    check.copy_pipeline(configured_handler(io.StringIO()))

    check.handle(record("Sign-in by %s", "asha@example.com", to="+919812345678", token=JWT))

    assert check.records_seen == 1
    assert not check.counts
