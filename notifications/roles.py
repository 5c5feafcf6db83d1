"""What each staff role may do with notifications (seed 003): delivery history and stats, resending a
confirmation, reminders, broadcasts. Granted in ``NotificationsConfig.ready``.

The whole matrix is ``accounts.roles.ROLE_PERMISSIONS``; ``docs/permissions.md`` shows it as a table.
"""

from __future__ import annotations

from accounts.roles import Role, grant

_DELIVERIES = ["notifications.view_delivery", "notifications.view_deliveryattempt", "notifications.view_notification"]
_RESEND = ["notifications.resend_confirmation"]
_REMIND = ["notifications.send_reminder"]
_BROADCAST = ["notifications.broadcast", "notifications.view_devicetoken"]

GRANTS: dict[Role, list[str]] = {
    Role.ADMIN: [*_DELIVERIES, *_RESEND, *_REMIND, *_BROADCAST],
    Role.OPS_MANAGER: [*_DELIVERIES, *_RESEND, *_REMIND],
    Role.CENTRE_MANAGER: [*_DELIVERIES, *_RESEND],
    Role.CARE_COORDINATOR: _RESEND,
    Role.FRONT_DESK: _RESEND,
}


def register() -> None:
    grant(GRANTS)
