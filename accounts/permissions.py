"""Per-endpoint and per-object permissions for accounts endpoints."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.roles import PROFILE_READ_PERMISSION


class IsStaffMember(BasePermission):
    message = "This is for staff only."

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_staff_member)


class IsOwner(BasePermission):
    """Only the account itself (``obj`` is a user)."""

    message = "You can only manage your own account."

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        return obj.pk == request.user.pk


class CanReadProfile(IsOwner):
    """The owner reads and writes; staff holding ``accounts.view_user`` may read."""

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        if obj.pk == request.user.pk:
            return True
        return request.method in SAFE_METHODS and request.user.has_perm(PROFILE_READ_PERMISSION)
