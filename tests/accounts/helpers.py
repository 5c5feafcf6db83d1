"""Reading OTPs the way a person would: from the message that was sent."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.core import mail

from notifications import sms


def last_sms_code(phone: str) -> str:
    messages = [m for m in sms.outbox if m.to == phone]
    assert messages, f"no SMS was sent to {phone}"
    return re.search(r"\b(\d{6})\b", messages[-1].body).group(1)


def last_email_code(email: str) -> str:
    messages = [m for m in mail.outbox if email in m.to]
    assert messages, f"no email was sent to {email}"
    return re.search(r"\b(\d{6})\b", messages[-1].body).group(1)


def assert_error(response, status: int, code: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["success"] is False
    error = body["error"]
    assert error["code"] == code, error
    if field is not None:
        assert error["details"].get("field") == field, error
    assert error["metadata"]["request_id"]
    return error


def telegram_widget(bot_token: str, **fields) -> dict:
    """A login-widget payload signed as Telegram signs it (HMAC-SHA256, key SHA256(bot token))."""
    import hashlib
    import hmac
    import time

    payload = {"first_name": "Ivan", "last_name": "Petrov", "username": "ivanp", "auth_date": int(time.time())}
    payload.update(fields)
    check = "\n".join(f"{k}={v}" for k, v in sorted(payload.items()))
    secret = hashlib.sha256(bot_token.encode()).digest()
    payload["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return payload


def last_whatsapp_code(phone: str) -> str:
    from notifications.backends import whatsapp_outbox

    messages = [m for m in whatsapp_outbox if m.to == phone]
    assert messages, f"no WhatsApp message was sent to {phone}"
    return re.search(r"\b(\d{6})\b", messages[-1].body).group(1)


def self_signed_key(common_name: str) -> tuple[str, str]:
    """A new RSA key and a self-signed certificate for it, both PEM (a stand-in for Google's signing keys)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return pem.decode(), cert.public_bytes(serialization.Encoding.PEM).decode()
