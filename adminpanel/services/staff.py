"""Staff accounts (seed 003): create with a staff role, change, deactivate (soft delete), toggle active.

A deleted staff member is deactivated and loses their roles (seed 003 soft delete). Only a super admin
changes another staff account; nobody changes their own here (``accounts.services.blocking``). Every
write is audited.

A society admin is appointed with the societies they run (``society_ids``, required with that role;
``societies.services.admins``); changing them replaces the list.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.roles import STAFF_ROLES, Role
from accounts.services.blocking import check_may_change, end_sessions, user_set_active
from accounts.services.roles import user_set_roles
from core import audit
from core.errors import DomainError, ErrorCode
from core.types import Id
from societies.services.admins import society_admin_scope_set


def _person(user_id: Id) -> User:
    person = User.objects.prefetch_related("groups").filter(pk=user_id).first()
    if person is None:
        raise DomainError("User not found.", code=ErrorCode.NOT_FOUND, field="id", reason="not_found")
    return person


def staff_create(*, data: dict[str, Any], role: Role, actor: User) -> User:
    if role not in STAFF_ROLES or role == Role.SUPER_ADMIN:
        raise DomainError(
            "Choose a staff role (not super_admin).", code=ErrorCode.VALIDATION_ERROR, field="role", reason="not_staff"
        )
    society_ids = data.pop("society_ids", None)
    if role == Role.SOCIETY_ADMIN and not society_ids:
        raise DomainError(
            "A society admin needs the societies they run.",
            code=ErrorCode.VALIDATION_ERROR,
            field="society_ids",
            reason="required",
        )
    for field in ("email", "phone"):
        value = data.get(field)
        if value and User.objects.filter(**{field: value}).exists():
            raise DomainError(
                f"An account with this {field} exists.", code=ErrorCode.CONFLICT, field=field, reason="duplicate"
            )
    with transaction.atomic():
        person = User.objects.create_user(
            email=data.get("email") or None,
            phone=data.get("phone") or None,
            password=data["password"],
            full_name=data.get("full_name", ""),
        )
        user_set_roles(user=person, roles=[role])
        if society_ids:
            society_admin_scope_set(user=person, society_ids=society_ids, actor=actor)
        audit.record(
            action="create_staff",
            resource_type="user",
            resource_id=person.pk,
            actor=actor,
            changes={
                "email": {"old": None, "new": person.email},
                "phone": {"old": None, "new": person.phone},
                "full_name": {"old": None, "new": person.full_name},
                "role": {"old": None, "new": role.value},
            },
        )
    return _person(person.pk)


def staff_update(*, user_id: Id, data: dict[str, Any], actor: User) -> User:
    person = _person(user_id)
    if not person.is_staff_member:
        raise DomainError("Not a staff account.", code=ErrorCode.NOT_FOUND, field="id", reason="not_staff")
    check_may_change(actor, person)
    role = data.pop("role", None)
    society_ids = data.pop("society_ids", None)
    before_roles = sorted(person.role_names)
    with audit.track(person, action="update_staff", actor=actor), transaction.atomic():
        for name in ("full_name", "email", "phone", "is_active"):
            if name in data:
                setattr(person, name, data[name])
        try:
            person.save()
        except IntegrityError as exc:
            raise DomainError(
                "Another account uses this email or phone.", code=ErrorCode.CONFLICT, reason="duplicate"
            ) from exc
        if role is not None:
            user_set_roles(user=person, roles=[*(r for r in person.role_names if r not in STAFF_ROLES), role])
        if society_ids is not None:
            society_admin_scope_set(user=person, society_ids=society_ids, actor=actor)
        if data.get("is_active") is False:
            end_sessions(person)
    if role is not None:
        audit.record(
            action="change_staff_role",
            resource_type="user",
            resource_id=person.pk,
            actor=actor,
            changes={"roles": {"old": before_roles, "new": sorted(_person(user_id).role_names)}},
        )
    return _person(user_id)


def staff_delete(*, user_id: Id, actor: User) -> User:
    """Seed 003 soft delete: the account is deactivated and keeps no staff role."""
    person = _person(user_id)
    if not person.is_staff_member:
        raise DomainError("Not a staff account.", code=ErrorCode.NOT_FOUND, field="id", reason="not_staff")
    check_may_change(actor, person)
    before_roles = sorted(person.role_names)
    with transaction.atomic():
        User.objects.filter(pk=person.pk).update(is_active=False)
        user_set_roles(user=person, roles=[r for r in person.role_names if r not in STAFF_ROLES])
        end_sessions(person)
        audit.record(
            action="delete_staff",
            resource_type="user",
            resource_id=person.pk,
            actor=actor,
            changes={"is_active": {"old": person.is_active, "new": False}, "roles": {"old": before_roles, "new": []}},
        )
    return _person(user_id)


def staff_toggle_active(*, user_id: Id, actor: User) -> User:
    person = _person(user_id)
    if not person.is_staff_member:
        raise DomainError("Not a staff account.", code=ErrorCode.NOT_FOUND, field="id", reason="not_staff")
    return user_set_active(user_id=user_id, is_active=not person.is_active, reason="toggle", actor=actor)
