"""Who sees which appointments (seed 003 "Appointments", docs/permissions.md matrix; issue #18).

An appointment is a booking with ``requested_partner`` set. Scopes:

* staff holding ``bookings.view_booking`` (admin, ops manager, support, finance, care coordinator, front
  desk, super admin) see every appointment;
* a **centre manager** (when that is their only staff role) sees the appointments whose centre is one of
  their ``StaffCentre`` rows; an online appointment with no centre is outside every centre manager's scope;
* a **clinician or specialist** (``user.partner_profile`` of that kind) sees the appointments booked with
  them (``requested_partner``), whatever their status;
* a patient sees their own (:func:`patient_appointments`);
* anyone else has no scope (the views answer 403 on lists, 404 on a named appointment).

Lists read the patient, provider (and their user), centre and the status-deciding fields with one join, so
a page takes the same number of queries whatever its size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from accounts.roles import STAFF_ROLES, Role
from bookings.errors import BookingErrorCode
from bookings.models import Booking, BookingEvent, BookingStatus
from core.errors import DomainError
from core.types import Id
from partners.models import Partner, PartnerKind, StaffCentre

VIEW = "bookings.view_booking"
PROVIDER_KINDS = (PartnerKind.CLINICIAN, PartnerKind.SPECIALIST)
# Seed 003's upper-case statuses and the booking statuses each one stands for (an unpaid hold is PENDING).
SEED_STATUSES: dict[str, tuple[str, ...]] = {
    "PENDING": (BookingStatus.PENDING_PAYMENT, BookingStatus.PENDING),
    "CONFIRMED": (BookingStatus.CONFIRMED,),
    "COMPLETED": (BookingStatus.COMPLETED,),
    "CANCELLED": (BookingStatus.CANCELLED,),
    "NO_SHOW": (BookingStatus.NO_SHOW,),
    "EXPIRED": (BookingStatus.EXPIRED,),
}
LIVE = (BookingStatus.PENDING_PAYMENT, BookingStatus.PENDING, BookingStatus.CONFIRMED)
PAST_LIMIT = 50


@dataclass(frozen=True)
class Scope:
    """``everything``; else the centres a centre manager runs; else the provider's own appointments."""

    everything: bool = False
    centre_manager: User | None = None
    provider_id: UUID | None = None


def seed_status(status: str) -> str:
    return next((name for name, statuses in SEED_STATUSES.items() if status in statuses), status.upper())


def provider_of(user: User) -> Partner | None:
    """The clinician or specialist profile of ``user``, if they are one (read through the cached reverse
    relation, so a request asks the database at most once)."""
    profile: Partner | None = getattr(user, "partner_profile", None)
    return profile if profile is not None and profile.kind in PROVIDER_KINDS else None


def scope_of(user: User) -> Scope | None:
    """The appointments ``user`` may see, or None (no access at all)."""
    if user.has_perm(VIEW):
        if user.is_superuser or user.has_role(*(STAFF_ROLES - {Role.CENTRE_MANAGER})):
            return Scope(everything=True)
        if user.has_role(Role.CENTRE_MANAGER):
            return Scope(centre_manager=user)
        return Scope(everything=True)
    provider = provider_of(user)
    if provider is not None:
        return Scope(provider_id=provider.pk)
    return None


def _rows() -> QuerySet[Booking]:
    return Booking.objects.filter(requested_partner__isnull=False).select_related(
        "user", "requested_partner__user", "centre"
    )


def in_scope(rows: QuerySet[Booking], scope: Scope) -> QuerySet[Booking]:
    if scope.everything:
        return rows
    if scope.centre_manager is not None:
        return rows.filter(centre_id__in=StaffCentre.objects.filter(user=scope.centre_manager).values("centre_id"))
    return rows.filter(requested_partner_id=scope.provider_id)


def appointments_for(
    scope: Scope,
    *,
    centre_id: Id | None = None,
    clinician_id: UUID | None = None,
    patient_id: Id | None = None,
    day: date | None = None,
    status: str | None = None,
) -> QuerySet[Booking]:
    """Staff list (seed 003 filters); ``day`` is the appointment's local date, ``status`` a seed name."""
    rows = in_scope(_rows(), scope)
    if centre_id is not None:
        rows = rows.filter(centre_id=centre_id)
    if clinician_id is not None:
        rows = rows.filter(requested_partner_id=clinician_id)
    if patient_id is not None:
        rows = rows.filter(user_id=patient_id)
    if day is not None:
        rows = rows.filter(booking_date=day)
    if status is not None:
        rows = rows.filter(status__in=SEED_STATUSES.get(status, (status,)))
    return rows.order_by("-scheduled_start", "-created_at")


def _with_timeline(rows: QuerySet[Booking]) -> QuerySet[Booking]:
    return rows.prefetch_related(Prefetch("events", queryset=BookingEvent.objects.order_by("created_at")))


def appointment_for(scope: Scope | None, booking_id: Id) -> Booking:
    """One appointment in ``scope`` with its timeline; 404 ``BOOKING_NOT_FOUND`` for anything else."""
    found = None if scope is None else _with_timeline(in_scope(_rows(), scope)).filter(pk=booking_id).first()
    if found is None:
        raise DomainError("Appointment not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="id")
    return found


@dataclass(frozen=True)
class Agenda:
    current: list[Booking]
    upcoming: list[Booking]
    past: list[Booking]


def provider_agenda(provider: Partner, *, now: datetime) -> Agenda:
    """Seed 003 "my appointments": current (now in [start, end)) and upcoming (start > now) among the live
    statuses, soonest first; past (end <= now), any status but an expired hold, the latest ``PAST_LIMIT``
    first. Two queries."""
    mine = _rows().filter(requested_partner=provider)
    live = list(mine.filter(status__in=LIVE, scheduled_end__gt=now).order_by("scheduled_start"))
    past = list(
        mine.filter(scheduled_end__lte=now)
        .exclude(status=BookingStatus.EXPIRED)
        .order_by("-scheduled_start")[:PAST_LIMIT]
    )
    return Agenda(
        current=[b for b in live if b.scheduled_start <= now],
        upcoming=[b for b in live if b.scheduled_start > now],
        past=past,
    )


def patient_appointments(user: User, *, expired: bool = False) -> QuerySet[Booking]:
    """The patient's own appointments, the latest first; an unpaid hold that expired only with ``expired``
    (/booking/my-appointments and the dashboard leave them out; /patient/appointments and
    /patients/{id}/appointments list them, as they did first)."""
    rows = _rows().filter(user=user).order_by("-scheduled_start", "pk")
    return rows if expired else rows.exclude(status=BookingStatus.EXPIRED)


def patient_appointment(user: User, booking_id: Id) -> Booking:
    """The caller's own appointment; anyone else's (or a seed 000 booking) is 404 ``BOOKING_NOT_FOUND``."""
    found = _rows().filter(user=user, pk=booking_id).first()
    if found is None:
        raise DomainError("Appointment not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="id")
    return found


def provider_appointment(user: User, booking_id: Id) -> Booking:
    """An appointment booked with ``user`` as the provider; 404 for anyone else's."""
    provider = provider_of(user)
    return appointment_for(Scope(provider_id=provider.pk) if provider else None, booking_id)
