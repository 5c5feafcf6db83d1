"""What each staff role may do with categories and services (granted in ``CatalogConfig.ready``).

The whole matrix is ``accounts.roles.ROLE_PERMISSIONS``; ``docs/permissions.md`` shows it as a table.
"""

from __future__ import annotations

from accounts.roles import Role, grant

_CATALOG = ["catalog.view_category", "catalog.view_service"]
_RUN_CATALOG = ["catalog.add_service", "catalog.change_service", "catalog.delete_service", "catalog.change_category"]
# A service's workflow (seed 001 7.1): the steps a vendor works through on a society order.
_WORKFLOWS = [
    "catalog.view_workflowtemplate",
    "catalog.add_workflowtemplate",
    "catalog.change_workflowtemplate",
    "catalog.view_workflowstep",
    "catalog.add_workflowstep",
    "catalog.change_workflowstep",
    "catalog.delete_workflowstep",
]

GRANTS: dict[Role, list[str]] = {
    Role.ADMIN: [*_CATALOG, *_RUN_CATALOG, *_WORKFLOWS],
    Role.SUPPORT: [*_CATALOG, "catalog.view_workflowtemplate", "catalog.view_workflowstep"],
    Role.FINANCE: _CATALOG,
    Role.OPS_MANAGER: [*_CATALOG, *_RUN_CATALOG, *_WORKFLOWS],
    Role.CENTRE_MANAGER: _CATALOG,
    Role.CARE_COORDINATOR: _CATALOG,
    Role.FRONT_DESK: _CATALOG,
}


def register() -> None:
    grant(GRANTS)
