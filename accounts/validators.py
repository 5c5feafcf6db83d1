"""Contact normalisation: phones to E.164, emails to lower case, blanks to ``None``.

Phones without a country code are read as Indian numbers (``PHONE_DEFAULT_REGION``,
"IN" by default), the platform's market.
"""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError


def normalize_email(value: str | None) -> str | None:
    value = (value or "").strip()
    return value.lower() or None


def normalize_phone(value: str | None) -> str | None:
    """E.164 form of ``value``; raises ``ValidationError`` if it is not a valid phone number."""
    value = (value or "").strip()
    if not value:
        return None
    region = getattr(settings, "PHONE_DEFAULT_REGION", "IN")
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError("Enter a valid phone number.", code="invalid_phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError("Enter a valid phone number.", code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_phone_field(value: str | None, field: str = "phone") -> str | None:
    """``normalize_phone`` whose error names the field (for model and form cleaning)."""
    try:
        return normalize_phone(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.error_list}) from exc


def validate_e164(value: str) -> None:
    """Model-field validator: the stored value must already be a valid number in E.164 form."""
    if value and normalize_phone(value) != value:
        raise ValidationError("Phone numbers are stored in E.164 form, e.g. +919876543210.", code="invalid_phone")
