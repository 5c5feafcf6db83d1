"""Signing in: OTP (phone or email), password (email, phone or username), registration.

* A verified OTP for a contact with no account creates the account (a
  customer) and signs it in, answering ``is_new_user`` (DESIGN.md, "When
  seeds disagree", item 1).
* Password logins are limited exactly (seed 003): after 5 failures in 15
  minutes for an account, or from an IP, further attempts answer 429 until
  the window passes; a success clears the account's count. An unknown
  identifier costs the same password hashing as a known one.
* A blocked account is told so (403 ``ACCOUNT_BLOCKED``) only after its
  credentials were proven, so blocking reveals nothing to a stranger.
* Login endpoints for one kind of account (admin, partner, staff) answer
  403 ``WRONG_ACCOUNT_KIND`` to the others.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.errors import AccountErrorCode
from accounts.models import OtpChannel, OtpPurpose, User
from accounts.roles import Role
from accounts.services.otp import otp_verify
from accounts.services.passwords import validate_new_password
from accounts.services.roles import user_add_role
from core import ratelimit
from core.errors import DomainError, RateLimitError
from core.types import Id

FAILED_BY_ACCOUNT = "login-fail-account"
FAILED_BY_IP = "login-fail-ip"

business_log = logging.getLogger("platform.events")  # business events (seed 004)


@dataclass(frozen=True)
class SignIn:
    user: User
    is_new_user: bool = False


class AccountKind:
    ANY = "any"
    STAFF = "staff"
    PARTNER = "partner"


def ensure_active(user: User) -> None:
    if not user.is_active:
        raise DomainError(
            "This account has been blocked. Please contact support.",
            code=AccountErrorCode.ACCOUNT_BLOCKED,
            reason="account_blocked",
        )


def ensure_kind(user: User, kind: str) -> None:
    if kind == AccountKind.STAFF and not user.is_staff_member:
        raise DomainError(
            "This sign-in is for staff accounts only.", code=AccountErrorCode.WRONG_ACCOUNT_KIND, reason="not_staff"
        )
    if kind == AccountKind.PARTNER and not user.is_partner:
        raise DomainError(
            "This sign-in is for partner accounts only.", code=AccountErrorCode.WRONG_ACCOUNT_KIND, reason="not_partner"
        )


def sign_in_logged(*, sign_in: SignIn, method: str, platform: str, ip: str) -> None:
    """Seed 004 "Monitoring & Logging": one JSON line per sign-in (the request id is added by the log filter);
    ids and the address only, never a phone number or an email."""
    business_log.info(
        "User authenticated",
        extra={
            "event": "user_authenticated",
            "user_id": str(sign_in.user.pk),
            "new_user": sign_in.is_new_user,
            "method": method[:40],
            "platform": platform[:32],
            "ip": ip,
        },
    )


def _record_login(user: User) -> None:
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())


def login_with_otp(
    *, channel: OtpChannel, destination: str, code: str, otp_id: Id | None = None, kind: str = AccountKind.ANY
) -> SignIn:
    otp_verify(code=code, purpose=OtpPurpose.LOGIN, destination=destination, otp_id=otp_id)
    contact_field = "phone" if channel == OtpChannel.SMS else "email"
    verified_flag = "is_phone_verified" if channel == OtpChannel.SMS else "is_email_verified"
    user = User.objects.filter(**{contact_field: destination}).first()
    is_new = False
    if user is None:
        if kind != AccountKind.ANY:
            raise DomainError(
                "No account with this contact can sign in here.",
                code=AccountErrorCode.INVALID_CREDENTIALS,
                reason="no_account",
            )
        try:
            with transaction.atomic():
                contact: dict[str, Any] = {contact_field: destination, verified_flag: True}
                user = User.objects.create_user(**contact)
                user_add_role(user=user, role=Role.CUSTOMER)
                is_new = True
        except IntegrityError:  # created by a concurrent sign-in a moment ago
            user = User.objects.get(**{contact_field: destination})
    ensure_active(user)
    ensure_kind(user, kind)
    if not getattr(user, verified_flag):
        setattr(user, verified_flag, True)
        user.save(update_fields=[verified_flag, "updated_at"])
    _record_login(user)
    return SignIn(user=user, is_new_user=is_new)


def _failure_limits_hit(account_key: str, ip: str) -> None:
    for name, identity in ((FAILED_BY_ACCOUNT, account_key), (FAILED_BY_IP, ip)):
        state = ratelimit.peek(name, identity, limit=settings.LOGIN_MAX_FAILURES)
        if not state.allowed:
            raise RateLimitError(
                f"Too many failed sign-in attempts. Please try again after {state.reset_in} seconds.",
                retry_after_seconds=state.reset_in,
                reason="too_many_failed_logins",
            )


def login_with_password(*, field: str, identifier: str, password: str, ip: str, kind: str = AccountKind.ANY) -> SignIn:
    """``field`` is ``email``, ``phone`` or ``username``; ``identifier`` is already normalised."""
    account_key = f"{field}:{identifier}"
    _failure_limits_hit(account_key, ip)
    user = User.objects.filter(**{field: identifier}).first()
    if user is None:
        make_password(password)  # same cost as a real check: no timing oracle for unknown accounts
    if user is None or not user.check_password(password):
        window = settings.LOGIN_FAILURE_WINDOW_SECONDS
        ratelimit.hit(FAILED_BY_ACCOUNT, account_key, limit=settings.LOGIN_MAX_FAILURES, window_seconds=window)
        ratelimit.hit(FAILED_BY_IP, ip, limit=settings.LOGIN_MAX_FAILURES, window_seconds=window)
        raise DomainError(
            "Invalid email/phone/username or password.",
            code=AccountErrorCode.INVALID_CREDENTIALS,
            reason="invalid_credentials",
        )
    ratelimit.reset(FAILED_BY_ACCOUNT, account_key)
    ensure_active(user)
    ensure_kind(user, kind)
    _record_login(user)
    return SignIn(user=user)


def _conflict(field: str) -> DomainError:
    codes = {
        "email": AccountErrorCode.EMAIL_ALREADY_EXISTS,
        "phone": AccountErrorCode.PHONE_ALREADY_EXISTS,
        "username": AccountErrorCode.USERNAME_ALREADY_EXISTS,
    }
    return DomainError(
        f"This {field.replace('_', ' ')} is already registered with another account.",
        code=codes[field],
        field=field,
        reason="already_exists",
    )


def user_register(
    *,
    email: str,
    password: str,
    full_name: str,
    phone: str | None = None,
    partner_kind: Role | None = None,
) -> SignIn:
    """Seed 004 registration: a customer, or a specialist/partner, with a password.

    Seed 004's ``telegramId`` is not taken here: nothing proves the registrant
    owns that Telegram account, and a stored id is what Telegram sign-in looks
    accounts up by. A Telegram id is linked only by a verified Telegram sign-in
    (``accounts.services.social``).
    """
    for field, value in (("email", email), ("phone", phone)):
        if value and User.objects.filter(**{field: value}).exists():
            raise _conflict(field)
    validate_new_password(password, user=User(email=email, full_name=full_name))
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password, phone=phone, full_name=full_name)
            user_add_role(user=user, role=Role.CUSTOMER)
            if partner_kind is not None:
                user_add_role(user=user, role=partner_kind)
    except IntegrityError as exc:  # a concurrent registration took the email or phone
        raise _conflict("phone" if phone and User.objects.filter(phone=phone).exists() else "email") from exc
    _record_login(user)
    return SignIn(user=user, is_new_user=True)
