"""JWT authentication with the envelope's codes.

simplejwt answers every bad token alike; clients need to tell an expired
access token (``TOKEN_EXPIRED``: refresh and retry) from a bad one
(``UNAUTHORIZED``: sign in again) and a blocked account (``ACCOUNT_BLOCKED``,
403, refused at once even with an unexpired token: the user row is read on
every request).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import ExpiredTokenError, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken, Token
from rest_framework_simplejwt.utils import get_md5_hash_password

from core.rows import get_row

if TYPE_CHECKING:
    from accounts.models import User


class AuthenticatedRequest(Request):
    """For type checkers: the request of a view behind ``IsAuthenticated``, whose ``user`` is a ``User``."""

    user: User


class TokenExpired(exceptions.AuthenticationFailed):
    default_detail = "Your session has expired. Refresh the access token or sign in again."
    default_code = "token_expired"


class InvalidAccessToken(exceptions.AuthenticationFailed):
    default_detail = "The access token is invalid. Please sign in again."
    default_code = "unauthorized"


class AccountBlocked(exceptions.AuthenticationFailed):
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "This account has been blocked. Please contact support."
    default_code = "account_blocked"


def _user(user_id: Any) -> Any:
    """The user whose ``USER_ID_FIELD`` is ``user_id``, ``None`` when there is none: one statement written once
    (``core.rows``), not built by the ORM on every request (issue #21: compiling ``filter(...).first()`` was about
    half of reading the user)."""
    return get_row(get_user_model(), **{api_settings.USER_ID_FIELD: user_id})


class PlatformJWTAuthentication(JWTAuthentication):
    def get_validated_token(self, raw_token: bytes) -> Token:
        try:
            return AccessToken(raw_token)  # type: ignore[arg-type]  # simplejwt annotates the encoded token as Token
        except ExpiredTokenError as exc:
            raise TokenExpired() from exc
        except TokenError as exc:
            raise InvalidAccessToken() from exc

    def get_user(self, validated_token: Token) -> Any:
        try:
            user_id = validated_token[api_settings.USER_ID_CLAIM]
        except KeyError as exc:
            raise InvalidAccessToken() from exc
        user = _user(user_id)
        if user is None:
            raise InvalidAccessToken()
        if not user.is_active:
            raise AccountBlocked()
        if api_settings.CHECK_REVOKE_TOKEN and validated_token.get(
            api_settings.REVOKE_TOKEN_CLAIM
        ) != get_md5_hash_password(user.password):
            raise InvalidAccessToken("The password was changed. Please sign in again.")
        return user
