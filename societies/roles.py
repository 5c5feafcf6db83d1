"""What each role may do with societies. Granted in ``SocietiesConfig.ready``.

A society admin holds these permissions only for the societies in their
``SocietyAdmin`` scope (``societies.scope``); platform staff (any other staff
role that has the permission, or a super admin) hold them for every society.
``docs/permissions.md`` shows the whole matrix.
"""

from __future__ import annotations

from accounts.roles import Role, grant

_VIEW = [
    "societies.view_society",
    "societies.view_hierarchynode",
    "societies.view_residence",
    "societies.view_vendoraccess",
    "societies.view_servicearea",
]
_RUN_A_SOCIETY = [
    *_VIEW,
    "societies.add_hierarchynode",
    "societies.change_hierarchynode",
    "societies.change_residence",
    "societies.change_vendoraccess",
    "societies.add_servicearea",
    "societies.change_servicearea",
    "societies.delete_servicearea",
]
_SET_UP = [
    "societies.add_society",
    "societies.change_society",
    "societies.view_rosterentry",
    "societies.add_rosterentry",
    "societies.change_rosterentry",
    "societies.add_societyadminscope",
    "societies.view_societyadminscope",
]

GRANTS: dict[Role, list[str]] = {
    Role.ADMIN: [*_RUN_A_SOCIETY, *_SET_UP],
    Role.SUPPORT: _VIEW,
    Role.OPS_MANAGER: _VIEW,
    Role.ONBOARD_MANAGER: [*_VIEW, "societies.change_vendoraccess"],
    Role.SOCIETY_ADMIN: [*_RUN_A_SOCIETY, "societies.view_rosterentry"],
}


def register() -> None:
    grant(GRANTS)
