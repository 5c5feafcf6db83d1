"""One-time passwords (seed 001 1.1-1.4 and 9.3-9.7, seed 000 table 12).

Six digits, stored as an HMAC (never in clear), valid five minutes, bound to
their ``otp_id``, destination and purpose, single use, dead after three wrong
tries. Sending is limited exactly (``core.ratelimit``): one per destination
per 60 seconds and three per destination per hour, whatever the purpose or
channel. A wrong code's attempt is committed before the error is raised, so
call :func:`otp_verify` outside any other transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.errors import AccountErrorCode
from accounts.models import OtpChannel, OtpPurpose, OtpVerification, User
from core import ratelimit, system_settings
from core.errors import DomainError, ErrorCode, RateLimitError
from core.messaging import send_email_on_commit, send_sms_on_commit, send_whatsapp_on_commit
from core.types import Id

WHATSAPP = "whatsapp"  # otp_send(via=...): a phone code over WhatsApp, SMS if that fails

COOLDOWN = "otp-cooldown"
HOURLY = "otp-hour"


@dataclass(frozen=True)
class OtpSent:
    otp: OtpVerification
    rate: ratelimit.RateLimitResult

    @property
    def retry_after(self) -> int:
        return int(settings.OTP_RESEND_COOLDOWN_SECONDS)

    @property
    def can_resend_after(self) -> datetime:
        return self.otp.last_sent_at + timedelta(seconds=settings.OTP_RESEND_COOLDOWN_SECONDS)


def _code_hash(otp_id: uuid.UUID, code: str) -> str:
    message = f"{otp_id}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**settings.OTP_LENGTH):0{settings.OTP_LENGTH}d}"


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _enforce_send_limits(destination: str) -> ratelimit.RateLimitResult:
    wait = ratelimit.acquire_cooldown(COOLDOWN, destination, seconds=settings.OTP_RESEND_COOLDOWN_SECONDS)
    if wait:
        raise RateLimitError(
            f"Please wait {wait} seconds before requesting another OTP.",
            code=ErrorCode.TOO_MANY_REQUESTS,
            retry_after_seconds=wait,
            extra={"retry_after_seconds": wait, "can_resend_after": _iso(timezone.now() + timedelta(seconds=wait))},
        )
    return ratelimit.enforce(
        HOURLY, destination, limit=settings.OTP_MAX_PER_HOUR, window_seconds=3600, what="OTP requests"
    )


def _deliver(otp: OtpVerification, code: str, via: str = "") -> None:
    minutes = system_settings.value("otp_expiry_minutes")
    text = f"{code} is your verification code. It expires in {minutes} minutes. Do not share it with anyone."
    if otp.channel == OtpChannel.SMS and via == WHATSAPP:
        send_whatsapp_on_commit(to=otp.destination, body=text, event_type="otp", secret=code, user=otp.user)
    elif otp.channel == OtpChannel.SMS:
        send_sms_on_commit(to=otp.destination, body=text, event_type="otp", secret=code, user=otp.user)
    else:
        subject = "Your verification code"
        send_email_on_commit(
            to=otp.destination, subject=subject, body=text, event_type="otp", secret=code, user=otp.user
        )


def otp_send(
    *, channel: OtpChannel, destination: str, purpose: OtpPurpose, user: User | None = None, via: str = ""
) -> OtpSent:
    """Create and send an OTP; ``destination`` is already normalised (E.164 phone or lower-case email).

    ``via="whatsapp"`` sends a phone code over WhatsApp, falling back to SMS when WhatsApp cannot deliver it
    (seed 003's patient sign-in); the code is the same phone code either way.
    """
    rate = _enforce_send_limits(destination)
    code = _new_code()
    now = timezone.now()
    otp = OtpVerification(
        id=uuid.uuid4(),
        channel=channel,
        destination=destination,
        purpose=purpose,
        expires_at=now + timedelta(minutes=system_settings.value("otp_expiry_minutes")),
        last_sent_at=now,
        user=user,
    )
    otp.code_hash = _code_hash(otp.id, code)
    with transaction.atomic():
        otp.save()
        _deliver(otp, code, via)
    return OtpSent(otp=otp, rate=rate)


def otp_resend(*, otp_id: Id, user: User, purposes: tuple[OtpPurpose, ...]) -> OtpSent:
    """A new code for a pending contact verification (seed 001 9.7): new expiry, tries reset."""
    otp = OtpVerification.objects.filter(id=otp_id, user=user, purpose__in=purposes, verified_at__isnull=True).first()
    if otp is None:
        raise DomainError("No pending verification with this id.", code=ErrorCode.NOT_FOUND, field="verification_id")
    rate = _enforce_send_limits(otp.destination)
    code = _new_code()
    now = timezone.now()
    with transaction.atomic():
        locked = OtpVerification.objects.select_for_update().get(pk=otp.pk)
        locked.code_hash = _code_hash(locked.id, code)
        locked.expires_at = now + timedelta(minutes=system_settings.value("otp_expiry_minutes"))
        locked.attempts = 0
        locked.sent_count = F("sent_count") + 1
        locked.last_sent_at = now
        locked.save(update_fields=["code_hash", "expires_at", "attempts", "sent_count", "last_sent_at", "updated_at"])
        locked.refresh_from_db()
        _deliver(locked, code)
    return OtpSent(otp=locked, rate=rate)


def _invalid(message: str, *, reason: str, field: str, status: int | None, **extra: Any) -> DomainError:
    return DomainError(
        message, code=AccountErrorCode.INVALID_OTP, field=field, reason=reason, extra=extra or None, status=status
    )


def otp_verify(
    *,
    code: str,
    purpose: OtpPurpose | tuple[OtpPurpose, ...],
    destination: str | None = None,
    otp_id: Id | None = None,
    user: User | None = None,
    error_status: int | None = None,
) -> OtpVerification:
    """Consume the OTP if ``code`` is right; raise ``INVALID_OTP`` / ``OTP_EXPIRED`` otherwise.

    With ``otp_id`` the OTP must be that one (and match destination, purpose
    and user); without it (seed 000 clients) the newest unused OTP for the
    destination and purpose is checked. Two concurrent verifications of one
    OTP: the row lock lets exactly one succeed.
    """
    purposes = purpose if isinstance(purpose, tuple) else (purpose,)
    failure: DomainError | None = None
    with transaction.atomic():
        rows = OtpVerification.objects.select_for_update().filter(purpose__in=purposes)
        if destination is not None:
            rows = rows.filter(destination=destination)
        if user is not None:
            rows = rows.filter(user=user)
        if otp_id is not None:
            otp = rows.filter(id=otp_id).first()
        else:
            otp = rows.filter(verified_at__isnull=True).order_by("-created_at").first()
        field = "otp_id" if otp_id is not None else "otp"
        if otp is None:
            raise _invalid("Invalid or expired OTP.", reason="not_found", field=field, status=error_status)
        if otp.verified_at is not None:
            raise _invalid("This OTP has already been used.", reason="already_used", field=field, status=error_status)
        if otp.attempts >= settings.OTP_MAX_ATTEMPTS:
            raise _invalid(
                "Too many wrong attempts. Please request a new OTP.",
                reason="too_many_attempts",
                field="otp",
                status=error_status,
                attempts_remaining=0,
                can_resend=True,
            )
        now = timezone.now()
        if now >= otp.expires_at:
            raise DomainError(
                "OTP has expired. Please request a new one.",
                code=AccountErrorCode.OTP_EXPIRED,
                field="otp",
                reason="expired",
                extra={"can_resend": True},
                status=error_status,
            )
        if hmac.compare_digest(_code_hash(otp.id, str(code)), otp.code_hash):
            otp.verified_at = now
            otp.save(update_fields=["verified_at", "updated_at"])
        else:
            otp.attempts = F("attempts") + 1
            otp.save(update_fields=["attempts", "updated_at"])
            otp.refresh_from_db(fields=["attempts"])
            remaining = max(0, settings.OTP_MAX_ATTEMPTS - otp.attempts)
            failure = _invalid(
                "The OTP entered is incorrect.",
                reason="wrong_code",
                field="otp",
                status=error_status,
                attempts_remaining=remaining,
                can_resend=True,
            )
    if failure is not None:
        raise failure  # after commit: the wrong attempt is counted
    return otp
