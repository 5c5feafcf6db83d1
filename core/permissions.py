"""Permission classes shared by every app's views."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission


def require_perms(*perms: str) -> type[BasePermission]:
    """A DRF permission class requiring every one of ``perms`` (Django permissions, so roles apply)."""

    class RequirePerms(BasePermission):
        message = "You do not have permission to perform this action."

        def has_permission(self, request: Any, view: Any) -> bool:
            user = request.user
            return bool(user and user.is_authenticated and user.has_perms(perms))

    RequirePerms.__name__ = f"Require({', '.join(perms)})"
    return RequirePerms


def require_perms_by_method(*, read: str, write: str) -> type[BasePermission]:
    """``read`` for GET/HEAD/OPTIONS, ``write`` for the other methods (one list-and-create view)."""

    class RequirePermsByMethod(BasePermission):
        message = "You do not have permission to perform this action."

        def has_permission(self, request: Any, view: Any) -> bool:
            user = request.user
            needed = read if request.method in SAFE_METHODS else write
            return bool(user and user.is_authenticated and user.has_perm(needed))

    RequirePermsByMethod.__name__ = f"Require(read={read}, write={write})"
    return RequirePermsByMethod
