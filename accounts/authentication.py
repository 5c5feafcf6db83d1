"""JWT authentication with the envelope's codes.

simplejwt answers every bad token alike; clients need to tell an expired
access token (``TOKEN_EXPIRED``: refresh and retry) from a bad one
(``UNAUTHORIZED``: sign in again) and a blocked account (``ACCOUNT_BLOCKED``,
403, refused at once even with an unexpired token: the user row is read on
every request).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Field
from django.db.models.expressions import Col
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import ExpiredTokenError, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken, Token
from rest_framework_simplejwt.utils import get_md5_hash_password

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


@cache
def _user_read() -> tuple[str, Field, list[str], list[tuple[int, list[Callable], Col]]]:
    """The user of a token by ``USER_ID_FIELD``: the statement (every column), that field, the field names and each
    column's converters as the ORM applies them (``SQLCompiler.get_converters``). Written once, not built by the
    ORM on every request (issue #21: compiling ``filter(...).first()`` was about half of reading the user)."""
    model = get_user_model()
    key = cast(Field, model._meta.get_field(api_settings.USER_ID_FIELD))
    fields, table = model._meta.concrete_fields, model._meta.db_table
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = f"SELECT {columns} FROM {connection.ops.quote_name(table)} WHERE {connection.ops.quote_name(key.column)} = %s"  # noqa: S608 - names from the model
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(table)
        functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if functions:
            converters.append((index, functions, column))
    return sql, key, [field.attname for field in fields], converters


def _user(user_id: Any) -> Any:
    """The user whose ``USER_ID_FIELD`` is ``user_id`` (one statement), ``None`` when there is none."""
    sql, key, names, converters = _user_read()
    with connection.cursor() as cursor:
        cursor.execute(sql, [key.get_db_prep_value(user_id, connection)])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, functions, column in converters:
        for convert in functions:
            values[index] = convert(values[index], column, connection)
    return get_user_model().from_db(connection.alias, names, values)


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
