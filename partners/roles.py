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
# Seed 003: centres and their clinicians (a centre manager only for their own centres: the services scope it).
_VIEW_CENTRES = ["partners.view_centre", "partners.view_partnertimeoff"]
_RUN_CENTRES = [*_VIEW_CENTRES, "partners.add_centre", "partners.change_centre"]
_CLINICIANS = [
    "partners.manage_clinicians",
    "partners.add_partnertimeoff",
    "partners.change_partnertimeoff",
    "partners.delete_partnertimeoff",
]
# Medical notes: the appointment's clinician (a provider, checked per object) and admins.
_NOTES = ["partners.view_medicalnote", "partners.add_medicalnote"]

GRANTS: dict[Role, list[str]] = {
    Role.ADMIN: [
        *_MANAGE_PARTNERS,
        *_DISPATCH,
        *_ONBOARDING,
        *_PAY_PARTNERS,
        *_RELEASE_EARNINGS,
        *_RUN_CENTRES,
        "partners.delete_centre",
        *_CLINICIANS,
        *_NOTES,
    ],
    Role.SUPPORT: _VIEW_PARTNERS,
    Role.FINANCE: [*_VIEW_PARTNERS, *_PAY_PARTNERS],
    # seed 002: operations managers release a partner's payment
    Role.OPS_MANAGER: [
        *_MANAGE_PARTNERS,
        *_DISPATCH,
        *_PARTNER_MONEY,
        *_RELEASE_EARNINGS,
        *_RUN_CENTRES,
        *_CLINICIANS,
    ],
    Role.ONBOARD_MANAGER: [*_MANAGE_PARTNERS, *_ONBOARDING],
    Role.CENTRE_MANAGER: [*_VIEW_PARTNERS, *_DISPATCH, *_VIEW_CENTRES, "partners.change_centre", *_CLINICIANS],
    Role.CARE_COORDINATOR: _VIEW_CENTRES,
    Role.FRONT_DESK: _VIEW_CENTRES,
}


def register() -> None:
    grant(GRANTS)
