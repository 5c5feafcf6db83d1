"""What each staff role may do with payments, refunds, links and the books (granted in ``PaymentsConfig.ready``).

The whole matrix is ``accounts.roles.ROLE_PERMISSIONS``; ``docs/permissions.md`` shows it as a table.
"""

from __future__ import annotations

from accounts.roles import Role, grant

_VIEW_MONEY = ["payments.view_payment", "payments.view_refund", "payments.view_paymentlink"]
_BOOKS = [
    "payments.view_ledgerentry",
    "payments.view_ledgeraccount",
    "payments.view_paymentwebhook",
    "payments.view_reconciliationreport",
]
_MOVE_MONEY = ["payments.add_refund", "payments.add_payment"]  # refunds; cash and manual payments
_LINKS = ["payments.add_paymentlink", "payments.view_paymentlink", "payments.view_payment"]
_REPLAY_WEBHOOKS = ["payments.change_paymentwebhook"]
_SETTLE_BY_HAND = ["payments.change_payment"]  # a pending payment paid in cash or by transfer (seed 002)

GRANTS: dict[Role, list[str]] = {
    Role.ADMIN: [*_VIEW_MONEY, *_BOOKS, *_MOVE_MONEY, *_LINKS, *_REPLAY_WEBHOOKS, *_SETTLE_BY_HAND],
    Role.SUPPORT: _VIEW_MONEY,
    Role.FINANCE: [*_VIEW_MONEY, *_BOOKS, *_MOVE_MONEY, *_REPLAY_WEBHOOKS, *_SETTLE_BY_HAND],
    Role.OPS_MANAGER: [*_VIEW_MONEY, *_LINKS, *_SETTLE_BY_HAND],
    Role.CENTRE_MANAGER: [*_VIEW_MONEY, *_LINKS],
    Role.CARE_COORDINATOR: _LINKS,
    Role.FRONT_DESK: _LINKS,
}


def register() -> None:
    grant(GRANTS)
