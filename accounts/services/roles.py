"""Roles as Django groups: keep the groups' permissions equal to the matrix; give people roles."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.models import User
from accounts.roles import ROLE_PERMISSIONS, STAFF_ROLES, Role


def roles_sync() -> None:
    """Create every role's group and set its permissions (run after every migrate)."""
    permissions = {
        f"{p.content_type.app_label}.{p.codename}": p for p in Permission.objects.select_related("content_type")
    }
    with transaction.atomic():
        for role, names in ROLE_PERMISSIONS.items():
            group, _ = Group.objects.get_or_create(name=role.value)
            group.permissions.set([permissions[name] for name in names if name in permissions])


def user_set_roles(*, user: User, roles: Iterable[Role | str]) -> User:
    """Replace the user's roles; staff roles let them into the Django admin, super_admin makes a superuser."""
    wanted = {Role(role) for role in roles}
    with transaction.atomic():
        groups = [Group.objects.get_or_create(name=role.value)[0] for role in wanted]
        user.groups.set(groups)
        user.is_staff = bool(wanted & STAFF_ROLES)
        user.is_superuser = Role.SUPER_ADMIN in wanted
        user.save(update_fields=["is_staff", "is_superuser", "updated_at"])
    user.__dict__.pop("role_names", None)
    return user


def user_add_role(*, user: User, role: Role) -> None:
    """Give one more account-kind role (customer, partner, specialist); staff roles go through user_set_roles."""
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    user.__dict__.pop("role_names", None)
