"""Service-token authentication for the internal APIs (seed 000 "Internal APIs").

Internal callers (the dispatch worker of another deployment, an ops script)
send ``Authorization: Bearer <INTERNAL_API_TOKEN>``; no user JWT is accepted
there. With the setting empty every call is refused, so the internal APIs are
closed unless an operator opens them. Compared in constant time.
"""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission


class InternalService:
    """The caller of an internal API: not a person."""

    is_authenticated = True
    is_active = True
    pk = None
    id = None

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return False

    def __str__(self) -> str:
        return "internal-service"


class InternalTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request: Any) -> tuple[InternalService, str] | None:
        parts = get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower() != self.keyword:
            return None
        expected = settings.INTERNAL_API_TOKEN
        if not expected or not hmac.compare_digest(parts[1].decode("latin-1"), expected):
            raise AuthenticationFailed("Invalid service token.")
        return InternalService(), expected

    def authenticate_header(self, request: Any) -> str:
        return 'Bearer realm="internal"'


class IsInternalService(BasePermission):
    message = "A service token is required."

    def has_permission(self, request: Any, view: Any) -> bool:
        return isinstance(request.user, InternalService)
