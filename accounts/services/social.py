"""Google, Facebook and Telegram sign-in (seed 001 1.6-1.7, seed 004 ``/auth/telegram``).

* Google: the ID token is verified by google-auth against Google's published
  certificates (signature, expiry, issuer) and must be for one of
  ``GOOGLE_CLIENT_IDS``.
* Facebook: the access token is checked with the Graph API's ``debug_token``
  (valid, issued for ``FACEBOOK_APP_ID``), then ``/me`` gives the profile.
* Telegram: the login-widget hash is HMAC-SHA256 over the sorted
  ``key=value`` lines with SHA256(bot token) as the key, as Telegram
  documents it; ``auth_date`` older than a day is refused.
* Telegram mini app (``initData``): the query string is parsed, ``hash``
  taken out, the data-check-string is the remaining ``key=value`` pairs
  (values URL-decoded; ``user`` stays the raw JSON) sorted by key and joined
  by ``\n``; the key is HMAC-SHA256(key=b"WebAppData", msg=bot token), the
  hash is the hex HMAC-SHA256 of the string under that key, compared in
  constant time. ``auth_date`` must be within
  ``TELEGRAM_AUTH_MAX_AGE_SECONDS`` and not in the future (reading: a clock
  skew of up to a minute is allowed); the person is ``user.id``. A repeated
  key in the query string is refused (reading: Telegram never sends one, and
  which value counted would be ambiguous).

An account is found by the provider's id, then by a verified email (which
links the provider to it), else created as a customer (``is_new_user``).

Provider ids are identities, so only a verified sign-in here writes one.
In particular ``User.telegram_id`` is set only by :func:`telegram_sign_in`
after the widget's HMAC check: seed 004's ``POST /auth/register`` accepts a
``telegramId`` and ignores it (decision: ignored rather than kept as an
unverified hint, so no lookup can ever meet an id nobody proved). Otherwise
whoever registered first with someone else's Telegram id would receive that
person's Telegram sign-ins. Linking Telegram to an account that already
exists (a verified Telegram sign-in made by a signed-in person) is not built
yet; until it is, a first Telegram sign-in creates its own account.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import parse_qsl

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from google.auth.exceptions import GoogleAuthError
from google.auth.transport import requests as google_requests
from google.oauth2 import id_token as google_id_token

from accounts.errors import AccountErrorCode
from accounts.models import User
from accounts.roles import Role
from accounts.services.login import SignIn, ensure_active
from accounts.services.roles import user_add_role
from accounts.validators import normalize_email
from core.admission import outside
from core.errors import DomainError, ErrorCode, ErrorCodeEnum

GRAPH_URL = "https://graph.facebook.com/v19.0"
GOOGLE_ISSUERS = {"accounts.google.com", "https://accounts.google.com"}
HTTP_TIMEOUT_SECONDS = 5


def _failed(
    message: str, reason: str, code: ErrorCodeEnum = AccountErrorCode.OAUTH_FAILED, field: str | None = None
) -> DomainError:
    return DomainError(message, code=code, reason=reason, field=field)


def _not_configured(provider: str) -> DomainError:
    return DomainError(
        f"{provider} sign-in is not configured on this server.",
        code=ErrorCode.SERVICE_UNAVAILABLE,
        reason="not_configured",
    )


def _sign_in(*, id_field: str, provider_id: str, email: str | None, full_name: str, photo_url: str) -> SignIn:
    user = User.objects.filter(**{id_field: provider_id}).first()
    is_new = False
    if user is None and email:
        user = User.objects.filter(email=email).first()
        if user is not None:
            setattr(user, id_field, provider_id)
            user.is_email_verified = True
            user.save(update_fields=[id_field, "is_email_verified", "updated_at"])
    if user is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=email,
                    full_name=full_name,
                    photo_url=photo_url,
                    is_email_verified=bool(email),
                    **{id_field: provider_id},
                )
                user_add_role(user=user, role=Role.CUSTOMER)
                is_new = True
        except IntegrityError:  # a concurrent first sign-in created it
            user = User.objects.get(**{id_field: provider_id})
    ensure_active(user)
    return SignIn(user=user, is_new_user=is_new)


def google_sign_in(*, id_token: str, session: requests.Session | None = None) -> tuple[SignIn, dict[str, Any]]:
    if not settings.GOOGLE_CLIENT_IDS:
        raise _not_configured("Google")
    request = google_requests.Request(session=session or requests.Session())
    try:
        with outside():  # Google's certificates may be fetched: another request runs meanwhile
            # google-auth has no annotations
            claims = google_id_token.verify_oauth2_token(  # type: ignore[no-untyped-call]
                id_token, request, audience=list(settings.GOOGLE_CLIENT_IDS)
            )
    except (ValueError, GoogleAuthError) as exc:
        raise _failed("The Google sign-in could not be verified.", "invalid_id_token", field="id_token") from exc
    if claims.get("iss") not in GOOGLE_ISSUERS:
        raise _failed("The Google sign-in could not be verified.", "wrong_issuer", field="id_token")
    email = normalize_email(claims.get("email")) if claims.get("email_verified") else None
    sign_in = _sign_in(
        id_field="google_sub",
        provider_id=str(claims["sub"]),
        email=email,
        full_name=claims.get("name", ""),
        photo_url=claims.get("picture", ""),
    )
    return sign_in, {"email": email, "full_name": claims.get("name", ""), "profile_photo_url": claims.get("picture")}


def facebook_sign_in(*, access_token: str) -> tuple[SignIn, dict[str, Any]]:
    if not (settings.FACEBOOK_APP_ID and settings.FACEBOOK_APP_SECRET):
        raise _not_configured("Facebook")
    try:
        with outside():  # Facebook's Graph API: another request runs meanwhile
            debug = (
                requests.get(
                    f"{GRAPH_URL}/debug_token",
                    params={
                        "input_token": access_token,
                        "access_token": f"{settings.FACEBOOK_APP_ID}|{settings.FACEBOOK_APP_SECRET}",
                    },
                    timeout=HTTP_TIMEOUT_SECONDS,
                )
                .json()
                .get("data", {})
            )
            if not debug.get("is_valid") or str(debug.get("app_id")) != str(settings.FACEBOOK_APP_ID):
                raise _failed(
                    "The Facebook sign-in could not be verified.", "invalid_access_token", field="access_token"
                )
            me = requests.get(
                f"{GRAPH_URL}/me",
                params={"fields": "id,name,email,picture.type(large)", "access_token": access_token},
                timeout=HTTP_TIMEOUT_SECONDS,
            ).json()
    except (requests.RequestException, ValueError) as exc:
        raise DomainError(
            "Facebook could not be reached. Please try again.", code=ErrorCode.SERVICE_UNAVAILABLE, reason="upstream"
        ) from exc
    if str(me.get("id")) != str(debug.get("user_id")):
        raise _failed("The Facebook sign-in could not be verified.", "user_mismatch", field="access_token")
    email = normalize_email(me.get("email"))
    picture = (me.get("picture") or {}).get("data", {}).get("url", "")
    sign_in = _sign_in(
        id_field="facebook_id", provider_id=str(me["id"]), email=email, full_name=me.get("name", ""), photo_url=picture
    )
    return sign_in, {"email": email, "full_name": me.get("name", ""), "profile_photo_url": picture or None}


def telegram_check_hash(fields: dict[str, Any], bot_token: str) -> bool:
    received = str(fields.get("hash", ""))
    lines = sorted(f"{key}={value}" for key, value in fields.items() if key != "hash" and value not in (None, ""))
    secret = hashlib.sha256(bot_token.encode()).digest()
    expected = hmac.new(secret, "\n".join(lines).encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, received)


def telegram_sign_in(*, fields: dict[str, Any]) -> SignIn:
    """``fields`` are the widget's own names: id, first_name, last_name, username, photo_url, auth_date, hash."""
    if not settings.TELEGRAM_BOT_TOKEN:
        raise _not_configured("Telegram")
    if not telegram_check_hash(fields, settings.TELEGRAM_BOT_TOKEN):
        raise _failed(
            "The Telegram sign-in could not be verified.", "bad_hash", AccountErrorCode.TELEGRAM_AUTH_FAILED, "hash"
        )
    if time.time() - int(fields["auth_date"]) > settings.TELEGRAM_AUTH_MAX_AGE_SECONDS:
        raise _failed(
            "The Telegram sign-in is too old. Please sign in again.",
            "expired",
            AccountErrorCode.TELEGRAM_AUTH_FAILED,
            "auth_date",
        )
    full_name = " ".join(part for part in (fields.get("first_name"), fields.get("last_name")) if part)
    return _sign_in(
        id_field="telegram_id",
        provider_id=str(fields["id"]),
        email=None,
        full_name=full_name,
        photo_url=fields.get("photo_url") or "",
    )


MINI_APP_CLOCK_SKEW_SECONDS = 60


def telegram_init_data_fields(init_data: str, bot_token: str) -> dict[str, str] | None:
    """The mini app's ``initData`` fields when its hash is right, else None."""
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return None
    fields = dict(pairs)
    if len(fields) != len(pairs) or "hash" not in fields:
        return None
    received = fields.pop("hash")
    check_string = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    expected = hmac.new(secret, check_string.encode(), hashlib.sha256).hexdigest()
    return fields if hmac.compare_digest(expected, received) else None


def _mini_app_failed(reason: str, message: str = "The Telegram sign-in could not be verified.") -> DomainError:
    return _failed(message, reason, AccountErrorCode.TELEGRAM_AUTH_FAILED, "init_data")


def telegram_mini_app_sign_in(*, init_data: str) -> SignIn:
    """Seed 004's mini app sign-in: the verified ``initData``'s ``user`` is found or created by Telegram id."""
    if not settings.TELEGRAM_BOT_TOKEN:
        raise _not_configured("Telegram")
    fields = telegram_init_data_fields(init_data, settings.TELEGRAM_BOT_TOKEN)
    if fields is None:
        raise _mini_app_failed("bad_hash")
    try:
        age = time.time() - int(fields["auth_date"])
        user = json.loads(fields["user"])
        telegram_id = str(int(user["id"]))
    except (KeyError, ValueError, TypeError) as exc:
        raise _mini_app_failed("malformed") from exc
    if age > settings.TELEGRAM_AUTH_MAX_AGE_SECONDS:
        raise _mini_app_failed("expired", "The Telegram sign-in is too old. Please sign in again.")
    if age < -MINI_APP_CLOCK_SKEW_SECONDS:
        raise _mini_app_failed("future_auth_date")
    full_name = " ".join(str(user[part]) for part in ("first_name", "last_name") if user.get(part))
    return _sign_in(
        id_field="telegram_id",
        provider_id=telegram_id,
        email=None,
        full_name=full_name,
        photo_url=str(user.get("photo_url") or ""),
    )


def telegram_bot_sign_in(*, telegram_id: str, full_name: str) -> SignIn:
    """The bot's ``/start`` (seed 004): ``from.id`` of an update whose webhook secret was checked, so verified."""
    return _sign_in(id_field="telegram_id", provider_id=telegram_id, email=None, full_name=full_name, photo_url="")
