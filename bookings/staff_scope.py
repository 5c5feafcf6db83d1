"""Which bookings a staff member reaches through the staff booking endpoints (issue #21).

Seed 003's clinic roles hold ``bookings.view_booking`` (and ``change_booking``) for the clinic's appointments:
its RBAC table gives CENTRE_MANAGER "Manage specific centre", CARE_COORDINATOR "Manage appointments" and
FRONT_DESK "Book appointments", and grants them "Appointments (View All)"; seed 000's at-home jobs are the back
office's (admin, support, finance; seed 002's ops manager). So:

* a super admin, or anyone holding a platform role (``admin``, ``support``, ``finance``, ``ops_manager``), or
  holding no clinic role at all: every booking, as before;
* otherwise (a clinic role is their only grant of bookings): appointments only (a booking with
  ``requested_partner``, ``Booking.is_appointment``), as ``partners.selectors.appointments`` scopes them:
  a care coordinator or front desk every appointment, a centre manager those whose centre is one they run
  (``StaffCentre``; an online appointment without a centre is in no centre manager's scope).

Anything else answers ``404 BOOKING_NOT_FOUND``, as for a booking that does not exist. The rule is one ``Q``
(:func:`staff_bookings_q`) evaluated inside the booking statement: the user's roles and centres are ``EXISTS``
subqueries of it, so a list takes no query more, and :func:`staff_booking_check` one (none for a superuser).
"""

from __future__ import annotations

from django.db.models import Exists, Q, QuerySet

from accounts.models import User
from accounts.roles import Role
from bookings.errors import BookingErrorCode
from bookings.models import Booking
from core.errors import DomainError, ErrorCodeEnum
from core.types import Id

PLATFORM_ROLES = (Role.SUPER_ADMIN, Role.ADMIN, Role.SUPPORT, Role.FINANCE, Role.OPS_MANAGER)
EVERY_APPOINTMENT_ROLES = (Role.CARE_COORDINATOR, Role.FRONT_DESK)
CLINIC_ROLES = (Role.CENTRE_MANAGER, *EVERY_APPOINTMENT_ROLES)


def _holds(user: User, roles: tuple[Role, ...]) -> Exists:
    groups = User.groups.through._default_manager.filter(user_id=user.pk, group__name__in=[str(role) for role in roles])
    return Exists(groups)


def staff_bookings_q(user: User) -> Q | None:
    """The bookings ``user`` reaches as staff, as a filter; ``None`` for a superuser (no filter at all)."""
    if user.is_superuser:
        return None
    centre_model = Booking._meta.get_field("centre").related_model
    own_centres = centre_model.objects.filter(staff__user_id=user.pk).values("pk")  # type: ignore[union-attr]
    everything = Q(_holds(user, PLATFORM_ROLES)) | ~Q(_holds(user, CLINIC_ROLES))
    appointments = Q(requested_partner__isnull=False) & (
        Q(_holds(user, EVERY_APPOINTMENT_ROLES)) | Q(centre_id__in=own_centres)
    )
    return everything | appointments


def staff_bookings(user: User, rows: QuerySet[Booking]) -> QuerySet[Booking]:
    """``rows`` narrowed to the bookings ``user`` reaches as staff (the same number of statements)."""
    scope = staff_bookings_q(user)
    return rows if scope is None else rows.filter(scope)


def staff_reaches(user: User, booking_id: Id) -> bool:
    """Whether ``user`` reaches the booking as staff (one query; none for a superuser). Permissions are the
    caller's to check: this says only whether the booking is one the user's staff roles are for."""
    scope = staff_bookings_q(user)
    return scope is None or Booking.objects.filter(scope, pk=booking_id).exists()


def staff_booking_check(
    user: User, booking_id: Id, *, code: ErrorCodeEnum = BookingErrorCode.BOOKING_NOT_FOUND, field: str = "id"
) -> None:
    """``404 BOOKING_NOT_FOUND`` when ``user`` does not reach the booking as staff (a scoped user also when it does
    not exist; for a superuser the endpoint's own read answers that). ``code`` and ``field`` are those the
    endpoint answers for an unknown id."""
    if not staff_reaches(user, booking_id):
        raise DomainError("Booking not found.", code=code, field=field, reason="not_found")
