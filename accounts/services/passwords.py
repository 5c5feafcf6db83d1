"""Passwords (seed 001 1.8-1.11): set, change, forgot, reset, with Django's validators.

A reset proves the contact with an OTP (purpose ``reset_password``), then
signs the user out everywhere (every refresh token is blacklisted; access
tokens carry a hash of the password and stop working too).
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.errors import AccountErrorCode
from accounts.models import OtpChannel, OtpPurpose, User
from accounts.services.otp import OtpSent, otp_send, otp_verify
from accounts.services.tokens import tokens_revoke_all
from core.errors import DomainError
from core.types import Id


def validate_new_password(password: str, *, user: User | None = None, field: str = "password") -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise DomainError(
            exc.messages[0],
            code=AccountErrorCode.WEAK_PASSWORD,
            field=field,
            reason="weak_password",
            context={"problems": exc.messages},
        ) from exc


def _ensure_confirmed(password: str, confirm: str | None) -> None:
    if confirm is not None and confirm != password:
        raise DomainError(
            "The passwords do not match.",
            code=AccountErrorCode.PASSWORD_MISMATCH,
            field="confirm_password",
            reason="mismatch",
        )


def password_set(*, user: User, password: str, confirm_password: str | None = None) -> User:
    """For accounts without a password (OTP-only, OAuth, Telegram)."""
    if user.has_usable_password():
        raise DomainError(
            "This account already has a password. Use change-password instead.",
            code=AccountErrorCode.PASSWORD_ALREADY_SET,
            reason="password_already_set",
        )
    _ensure_confirmed(password, confirm_password)
    validate_new_password(password, user=user)
    user.set_password(password)
    user.save(update_fields=["password", "updated_at"])
    return user


def password_change(
    *, user: User, current_password: str, new_password: str, confirm_password: str | None = None
) -> User:
    if not user.check_password(current_password):
        raise DomainError(
            "Current password is incorrect.",
            code=AccountErrorCode.INVALID_PASSWORD,
            field="current_password",
            reason="incorrect",
        )
    _ensure_confirmed(new_password, confirm_password)
    validate_new_password(new_password, user=user, field="new_password")
    user.set_password(new_password)
    user.save(update_fields=["password", "updated_at"])
    return user


def password_forgot(*, channel: OtpChannel, destination: str) -> OtpSent:
    field = "phone" if channel == OtpChannel.SMS else "email"
    user = User.objects.filter(**{field: destination}).first()
    if user is None:
        raise DomainError(
            "No account found with this email/phone.",
            code=AccountErrorCode.USER_NOT_FOUND,
            field=field,
            reason="not_registered",
        )
    return otp_send(channel=channel, destination=destination, purpose=OtpPurpose.RESET_PASSWORD, user=user)


def password_reset(*, channel: OtpChannel, destination: str, code: str, otp_id: Id, new_password: str) -> User:
    field = "phone" if channel == OtpChannel.SMS else "email"
    user = User.objects.filter(**{field: destination}).first()
    if user is not None:
        validate_new_password(new_password, user=user, field="new_password")  # before the OTP is spent
    otp = otp_verify(code=code, purpose=OtpPurpose.RESET_PASSWORD, destination=destination, otp_id=otp_id)
    user = otp.user or user
    if user is None:
        raise DomainError("No account found with this email/phone.", code=AccountErrorCode.USER_NOT_FOUND)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password", "updated_at"])
        tokens_revoke_all(user=user)
    return user
