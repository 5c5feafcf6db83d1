"""What each staff role may do with partners, dispatch, onboarding and partner money.

Granted in ``PartnersConfig.ready``.

The whole matrix is ``accounts.roles.ROLE_PERMISSIONS``; ``docs/permissions.md`` shows it as a table.
"""

from __future__ import annotations

from accounts.roles import Role, grant

_VIEW_PARTNERS = [
    "partners.view_partner",
    "partners.view_partneravailability",
    "partners.view_partnerassignment",
    "partners.view_dispatch",
]
_MANAGE_PARTNERS = [*_VIEW_PARTNERS, "partners.add_partner", "partners.change_partner"]
_DISPATCH = ["partners.add_partnerassignment", "partners.change_dispatch"]  # assign by hand, work the queue
_ONBOARDING = ["partners.view_partnerapplication", "partners.change_partnerapplication"]
_PARTNER_MONEY = ["partners.view_partnerearning", "partners.view_partnerpayout"]
_PAY_PARTNERS = [*_PARTNER_MONEY, "partners.add_partnerpayout", "partners.change_partnerpayout"]
_RELEASE_EARNINGS = ["partners.change_partnerearning"]

GRANTS: dict[Role, list[str]] = {
    Role.ADMIN: [*_MANAGE_PARTNERS, *_DISPATCH, *_ONBOARDING, *_PAY_PARTNERS, *_RELEASE_EARNINGS],
    Role.SUPPORT: _VIEW_PARTNERS,
    Role.FINANCE: [*_VIEW_PARTNERS, *_PAY_PARTNERS],
    # seed 002: operations managers release a partner's payment
    Role.OPS_MANAGER: [*_MANAGE_PARTNERS, *_DISPATCH, *_PARTNER_MONEY, *_RELEASE_EARNINGS],
    Role.ONBOARD_MANAGER: [*_MANAGE_PARTNERS, *_ONBOARDING],
    Role.CENTRE_MANAGER: [*_VIEW_PARTNERS, *_DISPATCH],
}


def register() -> None:
    grant(GRANTS)
