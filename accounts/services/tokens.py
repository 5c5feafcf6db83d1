"""JWT pairs with simplejwt: issue, refresh with rotation, logout.

Access tokens live ``JWT_ACCESS_MINUTES`` (15), refresh tokens
``JWT_REFRESH_DAYS`` (7). Refreshing rotates: the old refresh token is
blacklisted in the same transaction that issues the new pair, under a row
lock on its outstanding-token record, so two concurrent refreshes with one
token yield one new pair and a reused (rotated) token is refused. Logout
blacklists the given refresh token, or every refresh token of the user when
none is given (seed 000's logout has no body).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from rest_framework_simplejwt.exceptions import ExpiredTokenError, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import get_md5_hash_password

from accounts.errors import AccountErrorCode
from accounts.models import User
from core.errors import DomainError, ErrorCode


def access_lifetime_seconds() -> int:
    return int(api_settings.ACCESS_TOKEN_LIFETIME.total_seconds())


def _pair(refresh: RefreshToken) -> dict[str, Any]:
    return {
        "access_token": str(refresh.access_token),
        "refresh_token": str(refresh),
        "expires_in": access_lifetime_seconds(),
        "token_type": "Bearer",
    }


def tokens_issue(*, user: User) -> dict[str, Any]:
    """A new token pair (and its outstanding-token record) for ``user``."""
    refresh = RefreshToken.for_user(user)
    refresh["roles"] = sorted(user.role_names)
    return _pair(refresh)


def _bad_token(exc: Exception, field: str = "refresh_token") -> DomainError:
    if isinstance(exc, ExpiredTokenError):
        return DomainError(
            "The refresh token has expired. Please sign in again.",
            code=ErrorCode.TOKEN_EXPIRED,
            field=field,
            reason="expired",
        )
    return DomainError(
        "The refresh token is invalid or has been revoked. Please sign in again.",
        code=AccountErrorCode.INVALID_TOKEN,
        field=field,
        reason="invalid",
    )


def _parse(raw: str) -> RefreshToken:
    try:
        return RefreshToken(raw, verify=True)  # type: ignore[arg-type]  # simplejwt annotates the encoded token as Token
    except TokenError as exc:
        raise _bad_token(exc) from exc


def token_refresh(*, refresh_token: str) -> dict[str, Any]:
    token = _parse(refresh_token)
    with transaction.atomic():
        outstanding = (
            OutstandingToken.objects.select_for_update(of=("self",)).order_by().filter(jti=token["jti"]).first()
        )
        if outstanding is None or BlacklistedToken.objects.filter(token=outstanding).exists():
            raise _bad_token(TokenError("blacklisted"))
        user = User.objects.filter(pk=token[api_settings.USER_ID_CLAIM]).first()
        if user is None:
            raise _bad_token(TokenError("no such user"))
        if not user.is_active:
            raise DomainError(
                "This account has been blocked. Please contact support.",
                code=AccountErrorCode.ACCOUNT_BLOCKED,
                reason="account_blocked",
            )
        if token.get(api_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(user.password):
            raise _bad_token(TokenError("password changed"))
        BlacklistedToken.objects.create(token=outstanding)
        return tokens_issue(user=user)


def token_logout(*, user: User, refresh_token: str | None) -> int:
    """Blacklist one refresh token of ``user`` (or all of them); returns how many were revoked."""
    with transaction.atomic():
        if refresh_token:
            token = _parse(refresh_token)
            if str(token.get(api_settings.USER_ID_CLAIM)) != str(user.pk):
                raise DomainError(
                    "This refresh token belongs to another account.",
                    code=AccountErrorCode.INVALID_TOKEN,
                    field="refresh_token",
                    reason="not_yours",
                )
            outstanding = OutstandingToken.objects.filter(jti=token["jti"])
        else:
            outstanding = OutstandingToken.objects.filter(user=user)
        return tokens_blacklist(outstanding=outstanding)


def tokens_revoke_all(*, user: User) -> int:
    """Sign ``user`` out everywhere (password reset, blocking)."""
    return tokens_blacklist(outstanding=OutstandingToken.objects.filter(user=user))


def tokens_blacklist(*, outstanding: QuerySet[OutstandingToken]) -> int:
    pending = outstanding.exclude(blacklistedtoken__isnull=False)
    rows = [BlacklistedToken(token=token) for token in pending]
    BlacklistedToken.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
