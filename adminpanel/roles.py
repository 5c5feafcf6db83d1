"""What each staff role may do in the back office (granted in ``AdminpanelConfig.ready``): dashboards,
analytics, settings (read; only super_admin changes them), the audit log (read-only for everyone) and caches.

Settings and the audit log are core's models; core imports no app of ours, so
the back office, which shows them, grants them. The whole matrix is
``accounts.roles.ROLE_PERMISSIONS``; ``docs/permissions.md`` shows it as a table.
"""

from __future__ import annotations

from accounts.roles import Role, grant

_DASHBOARD = ["adminpanel.view_dashboard"]
_ANALYTICS = ["adminpanel.view_analytics"]
_VIEW_SETTINGS = ["core.view_systemsetting"]
_AUDIT = ["core.view_auditlog"]
_CACHES = ["adminpanel.manage_cache"]

GRANTS: dict[Role, list[str]] = {
    Role.ADMIN: [*_DASHBOARD, *_ANALYTICS, *_VIEW_SETTINGS, *_AUDIT, *_CACHES],
    Role.SUPPORT: _DASHBOARD,
    Role.FINANCE: [*_DASHBOARD, *_ANALYTICS, *_VIEW_SETTINGS],
    Role.OPS_MANAGER: [*_DASHBOARD, *_ANALYTICS, *_VIEW_SETTINGS],
    Role.CENTRE_MANAGER: [*_DASHBOARD, *_ANALYTICS],  # seed 003: analytics for ADMIN, MANAGER, CENTRE_MANAGER
}


def register() -> None:
    grant(GRANTS)
