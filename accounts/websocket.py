"""WebSocket authentication: the access JWT from ``?token=`` or the ``Authorization`` header.

Sets ``scope["user"]`` (``AnonymousUser`` when there is no usable token) and
``scope["auth_error"]`` (``missing``, ``invalid``, ``expired`` or ``blocked``)
so that a consumer can close with 4401 (not authenticated) and tell why.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth.models import AnonymousUser
from rest_framework import exceptions

from accounts.authentication import AccountBlocked, PlatformJWTAuthentication, TokenExpired


def _token(scope) -> str | None:
    query = parse_qs((scope.get("query_string") or b"").decode())
    if query.get("token"):
        return query["token"][0]
    for name, value in scope.get("headers") or []:
        if name == b"authorization":
            parts = value.decode().split()
            if len(parts) == 2 and parts[0].lower() == "bearer":
                return parts[1]
    return None


@database_sync_to_async
def _authenticate(raw: str):
    auth = PlatformJWTAuthentication()
    try:
        return auth.get_user(auth.get_validated_token(raw.encode())), None
    except TokenExpired:
        return AnonymousUser(), "expired"
    except AccountBlocked:
        return AnonymousUser(), "blocked"
    except exceptions.AuthenticationFailed:
        return AnonymousUser(), "invalid"


class JWTAuthMiddleware(BaseMiddleware):
    async def __call__(self, scope, receive, send):
        raw = _token(scope)
        if raw is None:
            scope["user"], scope["auth_error"] = AnonymousUser(), "missing"
        else:
            scope["user"], scope["auth_error"] = await _authenticate(raw)
        return await super().__call__(scope, receive, send)
