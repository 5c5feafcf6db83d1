"""What each staff role may do with society orders and rate cards. Granted in ``OrdersConfig.ready``.

A society admin holds these permissions only for the orders of the societies in their scope
(``societies.scope.runs``); platform staff with the permission hold them for every society.
``docs/permissions.md`` ("Matrix (orders)") shows the whole matrix.
"""

from __future__ import annotations

from accounts.roles import Role, grant

_VIEW = ["orders.view_order", "orders.view_orderdispute", "orders.view_ratecard"]
_RUN = ["orders.change_order", "orders.change_orderdispute"]

GRANTS: dict[Role, list[str]] = {
    Role.ADMIN: [*_VIEW, *_RUN, "orders.change_ratecard", "orders.view_societyvendorservice"],
    Role.SUPPORT: _VIEW,
    Role.FINANCE: ["orders.view_order", "orders.view_orderdispute"],
    Role.OPS_MANAGER: [*_VIEW, *_RUN],
    Role.ONBOARD_MANAGER: ["orders.view_ratecard", "orders.view_societyvendorservice"],
    Role.SOCIETY_ADMIN: ["orders.view_order", "orders.view_orderdispute", "orders.change_orderdispute"],
}


def register() -> None:
    grant(GRANTS)
