"""Roles and the permission matrix (DESIGN.md section 3; seed 000 table 18, seed 003 RBAC).

Every role is a Django ``Group`` of the same name, so the Django admin honours
it through ordinary permissions. Account kinds (``customer``, ``partner``,
``specialist``) say what a person is; staff roles say what they may do.
``society_admin`` is scoped to societies (the scope table comes with the
societies app; the role exists now).

``ROLE_PERMISSIONS`` is the matrix, as ``app_label.codename`` strings. accounts
lists only its own permissions here; every other app grants its own per role
with :func:`grant` in its ``AppConfig.ready()`` (from its own
``<app>/roles.py``; the back office also grants core's, since core imports no
app of ours), so this module names no other app. A permission whose model does
not exist yet is skipped and picked up by the ``post_migrate`` sync once its
app is installed. ``docs/permissions.md`` shows the same matrix as a table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from django.db import models


class Role(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    PARTNER = "partner", "Partner (technician or vendor)"
    SPECIALIST = "specialist", "Specialist"
    SUPER_ADMIN = "super_admin", "Super admin"
    ADMIN = "admin", "Admin"
    SUPPORT = "support", "Support"
    FINANCE = "finance", "Finance"
    OPS_MANAGER = "ops_manager", "Operations manager"
    ONBOARD_MANAGER = "onboard_manager", "Onboarding manager"
    CENTRE_MANAGER = "centre_manager", "Centre manager"
    CARE_COORDINATOR = "care_coordinator", "Care coordinator"
    FRONT_DESK = "front_desk", "Front desk"
    SOCIETY_ADMIN = "society_admin", "Society admin"


ACCOUNT_KINDS = frozenset({Role.CUSTOMER, Role.PARTNER, Role.SPECIALIST})
PARTNER_ROLES = frozenset({Role.PARTNER, Role.SPECIALIST})
STAFF_ROLES = frozenset(set(Role) - ACCOUNT_KINDS)

ROLE_PERMISSIONS: dict[Role, list[str]] = {role: [] for role in Role}
"""Each role's permissions, assembled by :func:`grant`; read it only once the apps are loaded."""


R = TypeVar("R", bound=str)  # a Role, or the name of a role


def grant(grants: Mapping[R, Iterable[str]]) -> None:
    """Give roles permissions (``app_label.codename``); each app grants its own in ``AppConfig.ready()``.

    ``super_admin`` is a Django superuser and gets nothing here. A name is kept
    as given (the matrix is a list per role, the way ``GET /auth/roles`` shows
    it); the groups hold each permission once.
    """
    for name_or_role, given in grants.items():
        role = Role(name_or_role)
        names = list(given)
        if role == Role.SUPER_ADMIN and names:
            raise ValueError("super_admin has every permission already (a superuser); grant it nothing.")
        malformed = [name for name in names if name.count(".") != 1 or not all(name.split("."))]
        if malformed:
            raise ValueError(f"Permissions are 'app_label.codename': {malformed}")
        ROLE_PERMISSIONS[role].extend(names)


# accounts' own permissions; every other app grants its own, from its <app>/roles.py.
_VIEW_PEOPLE = ["accounts.view_user", "accounts.view_address"]
_MANAGE_PEOPLE = [*_VIEW_PEOPLE, "accounts.change_user", "accounts.add_user"]
# Seed 003's "Patients" row: every clinic role reads and keeps patient profiles (a clinician, who is a
# provider and not staff, reads their own patients only: partners' services decide that per object).
_PATIENTS = ["accounts.view_patientprofile", "accounts.add_patientprofile", "accounts.change_patientprofile"]

grant(
    {
        Role.ADMIN: [*_MANAGE_PEOPLE, "accounts.change_address", *_PATIENTS],
        Role.SUPPORT: _VIEW_PEOPLE,
        Role.FINANCE: ["accounts.view_user"],
        Role.OPS_MANAGER: [*_VIEW_PEOPLE, *_PATIENTS],
        Role.ONBOARD_MANAGER: ["accounts.view_user"],
        Role.CENTRE_MANAGER: [*_VIEW_PEOPLE, *_PATIENTS],
        Role.CARE_COORDINATOR: [*_VIEW_PEOPLE, *_PATIENTS],
        Role.FRONT_DESK: [*_VIEW_PEOPLE, *_PATIENTS],
        # society_admin reads people of their own societies only: granted with the societies app's scope.
    }
)

# Who may read another person's profile through the API (seed 001 9.1 is owner-only otherwise).
PROFILE_READ_PERMISSION = "accounts.view_user"
