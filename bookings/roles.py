"""What each staff role may do with bookings, promo codes and contact submissions (granted in ``BookingsConfig.ready``).

The whole matrix is ``accounts.roles.ROLE_PERMISSIONS``; ``docs/permissions.md`` shows it as a table.
"""

from __future__ import annotations

from accounts.roles import Role, grant

_BOOKINGS = ["bookings.view_booking", "bookings.view_bookingservice", "bookings.view_bookingevent"]
_CHANGE_BOOKINGS = ["bookings.change_booking"]
# Seed 003 "Appointments (Create)": booking an appointment for a patient (front desk and the clinic roles).
_BOOK_FOR_PATIENTS = ["bookings.add_booking"]
_VIEW_PROMOS = ["bookings.view_promocode", "bookings.view_promocodeusage"]
_RUN_PROMOS = [*_VIEW_PROMOS, "bookings.add_promocode", "bookings.change_promocode"]
_CONTACT = ["bookings.view_contactsubmission", "bookings.change_contactsubmission"]
# Seed 004 review moderation (hide / restore in the admin).
_REVIEWS = ["bookings.view_review", "bookings.change_review"]
# Seed 002 booking photos and sign-offs in the admin, read only (the API's rules are in bookings.services.photos
# and bookings.services.signatures).
_PHOTOS = ["bookings.view_bookingphoto", "bookings.view_bookingsignature"]  # and the sign-offs
# Seed 002 disputes (bookings.services.disputes): reading them, writing in them as a mediator, and assigning,
# escalating, resolving (with a refund) and closing them (seed 002: an ops manager or an admin).
_VIEW_DISPUTES = ["bookings.view_dispute", "bookings.view_disputemessage"]
_MEDIATE = [*_VIEW_DISPUTES, "bookings.add_disputemessage"]
_RESOLVE = [*_MEDIATE, "bookings.change_dispute"]

GRANTS: dict[Role, list[str]] = {
    Role.ADMIN: [
        *_BOOKINGS,
        *_CHANGE_BOOKINGS,
        *_BOOK_FOR_PATIENTS,
        *_RUN_PROMOS,
        *_CONTACT,
        *_REVIEWS,
        *_PHOTOS,
        *_RESOLVE,
    ],
    Role.SUPPORT: [*_BOOKINGS, *_VIEW_PROMOS, *_CONTACT, *_REVIEWS, *_PHOTOS, *_MEDIATE],
    Role.FINANCE: [*_BOOKINGS, *_VIEW_PROMOS, *_VIEW_DISPUTES],
    Role.OPS_MANAGER: [
        *_BOOKINGS,
        *_CHANGE_BOOKINGS,
        *_BOOK_FOR_PATIENTS,
        *_RUN_PROMOS,
        *_CONTACT,
        *_REVIEWS,
        *_PHOTOS,
        *_RESOLVE,
    ],
    Role.CENTRE_MANAGER: [*_BOOKINGS, *_CHANGE_BOOKINGS, *_BOOK_FOR_PATIENTS],
    Role.CARE_COORDINATOR: [*_BOOKINGS, *_CHANGE_BOOKINGS, *_BOOK_FOR_PATIENTS, *_CONTACT],
    Role.FRONT_DESK: [*_BOOKINGS, *_BOOK_FOR_PATIENTS, *_CONTACT],
}


def register() -> None:
    grant(GRANTS)
