"""Input fields and helpers the accounts serializers (and other apps' inputs) share: a phone in any common
form, a lower-case email, a 6-digit code, and moving another name of a field onto its own."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from accounts.validators import normalize_email, normalize_phone


class PhoneField(serializers.CharField):
    """A phone number in any common form, returned as E.164 (``INVALID_PHONE_NUMBER`` otherwise)."""

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        try:
            phone = normalize_phone(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                "Enter a valid phone number with its country code, e.g. +919876543210.", code="INVALID_PHONE_NUMBER"
            ) from exc
        if phone is None:
            raise serializers.ValidationError("This field may not be blank.", code="blank")
        return phone


class LowerEmailField(serializers.EmailField):
    def to_internal_value(self, data: Any) -> str:
        return normalize_email(super().to_internal_value(data)) or ""


def aliased(attrs: dict[str, Any], target: str, *aliases: str) -> None:
    """Move the first alias present (seed 000's name) onto ``target`` (seed 001's name)."""
    for alias in aliases:
        if attrs.get(target) in (None, "") and attrs.get(alias) not in (None, ""):
            attrs[target] = attrs[alias]
        attrs.pop(alias, None)


def require_one(attrs: dict[str, Any], *fields: str) -> None:
    present = [field for field in fields if attrs.get(field) not in (None, "")]
    if not present:
        names = " or ".join(fields)
        raise serializers.ValidationError({fields[0]: [f"Send {names}."]}, code="required")


class OtpCodeField(serializers.RegexField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(r"^\d{6}$", **kwargs)
        self.error_messages["invalid"] = "The OTP is 6 digits."
