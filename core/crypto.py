"""Encryption of personal fields at rest (KYC numbers, bank accounts) and a keyed hash to look them up.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from
``cryptography``) under ``FIELD_ENCRYPTION_KEY``; with no key set, one is derived
from ``SECRET_KEY`` (so the embedded default works; production should set its
own key and keep it when rotating ``SECRET_KEY``). ``lookup_hash`` is an HMAC of
the normalised value, so "is this Aadhaar number already registered?" is a
unique index, not a decryption of every row.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@cache
def _key_material() -> bytes:
    configured = getattr(settings, "FIELD_ENCRYPTION_KEY", "")
    if configured:
        return configured.encode()
    digest = hashlib.sha256(f"field-encryption:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


def encrypt(value: str) -> str:
    return Fernet(_key_material()).encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return Fernet(_key_material()).decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def lookup_hash(value: str) -> str | None:
    if not value:
        return None
    return hmac.new(_key_material(), value.strip().upper().encode(), hashlib.sha256).hexdigest()


def mask(value: str, visible: int = 4) -> str:
    """``"XXXXXX7890"``: all but the last ``visible`` characters hidden."""
    if not value:
        return ""
    return "X" * max(len(value) - visible, 0) + value[-visible:]
