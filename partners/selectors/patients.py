"""Reads of seed 003's patients: who may see which patient, their appointments and medical notes, and a
patient's own appointments, payments and dashboard.

Scope (docs/permissions.md, "Matrix (appointments ...)"):

* a holder of ``accounts.view_patientprofile`` (the clinic's staff roles) sees every patient, i.e. every
  account with the ``customer`` role;
* a clinician or specialist (a provider, who holds no such permission) sees only the patients who have an
  appointment with them (``Booking.requested_partner`` is their partner row, whatever its status), and of
  those patients only the appointments with them;
* anyone else is ``403 FORBIDDEN``; a patient outside the caller's scope is ``404 NOT_FOUND``, never 403.

Medical notes are shown to holders of ``partners.view_medicalnote`` (admins) in full and to a clinician only
for the appointments with them or written by them (reading: a clinician's notes follow their appointments,
as the matrix's "own appointments' patients" says); never to the patient: no patient endpoint reads them.

An "appointment" is a booking with a chosen provider (``requested_partner`` set); a patient's seed 000
bookings are not listed here. Every list keeps its query count independent of its length.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import PatientProfile, User
from accounts.roles import Role
from bookings.errors import BookingErrorCode
from bookings.models import Booking
from core.errors import DomainError, ErrorCode
from core.types import Id
from partners.models import MedicalNote, Partner
from partners.selectors.appointments import LIVE, patient_appointments, provider_of
from payments.models import PAID_STATUSES, Payment

VIEW_PATIENTS = "accounts.view_patientprofile"
VIEW_NOTES = "partners.view_medicalnote"
RECENT_PAYMENTS = 5
DASHBOARD_UPCOMING = 10


@dataclass(frozen=True)
class Scope:
    """What a caller may read: every patient (``provider`` None) or a provider's own patients."""

    provider: Partner | None


def patient_scope(user: User) -> Scope:
    if user.has_perm(VIEW_PATIENTS):
        return Scope(provider=None)
    provider = provider_of(user)
    if provider is None:
        raise DomainError("You do not have permission to read patients.", code=ErrorCode.FORBIDDEN)
    return Scope(provider=provider)


def _not_found() -> DomainError:
    return DomainError("Patient not found.", code=ErrorCode.NOT_FOUND, field="id", reason="patient_not_found")


def patients_in(scope: Scope) -> QuerySet[User]:
    rows = User.objects.filter(groups__name=Role.CUSTOMER).select_related("patient_profile")
    if scope.provider is not None:
        theirs = Booking.objects.filter(user=OuterRef("pk"), requested_partner=scope.provider)
        rows = rows.filter(Exists(theirs))
    return rows


def patient_list(scope: Scope, *, search: str = "", phone: str = "") -> QuerySet[User]:
    """``search`` matches the name or email, ``phone`` any part of the number (digits only are compared)."""
    rows = patients_in(scope)
    if search.strip():
        term = search.strip()
        rows = rows.filter(Q(full_name__icontains=term) | Q(email__icontains=term))
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits:
        rows = rows.filter(phone__contains=digits)
    return rows.order_by("-created_at", "pk")


def patient_get(scope: Scope, patient_id: Id) -> User:
    patient = patients_in(scope).filter(pk=patient_id).first()
    if patient is None:
        raise _not_found()
    return patient


def profile_of(user: User) -> PatientProfile | None:
    """The patient's profile, or None before its first use (read through the cached reverse relation)."""
    try:
        return user.patient_profile
    except PatientProfile.DoesNotExist:
        return None


def appointments_of_patient(scope: Scope, patient: User) -> QuerySet[Booking]:
    rows = patient_appointments(patient, expired=True)
    return rows if scope.provider is None else rows.filter(requested_partner=scope.provider)


def notes_for(viewer: User, scope: Scope, patient: User) -> list[MedicalNote] | None:
    """The notes ``viewer`` may read on ``patient``, newest first; None when they may read none."""
    rows = MedicalNote.objects.filter(patient=patient).select_related("author").order_by("-created_at", "pk")
    if viewer.has_perm(VIEW_NOTES):
        return list(rows)
    provider = scope.provider or provider_of(viewer)
    if provider is None:
        return None
    return list(rows.filter(Q(booking__requested_partner=provider) | Q(author=viewer)))


def appointment_of(*, patient_id: Id, appointment_id: Id, provider: Partner | None) -> Booking:
    """The patient's appointment (with ``provider`` when given); 404 ``BOOKING_NOT_FOUND`` otherwise."""
    rows = Booking.objects.filter(pk=appointment_id, user_id=patient_id, requested_partner__isnull=False)
    if provider is not None:
        rows = rows.filter(requested_partner=provider)
    booking = rows.first()
    if booking is None:
        raise DomainError("Appointment not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="appointment_id")
    return booking


# --- the patient's own pages ---------------------------------------------------------------------------------


def dashboard_of(user: User) -> dict[str, Any]:
    """Seed 003's dashboard in five queries.

    * ``upcoming_appointments``: appointments starting from now on, still live (``LIVE``: not cancelled,
      expired or closed), soonest first (at most ten);
    * ``recent_payments``: the user's five latest successful payments (captured, including those refunded
      since), of any kind and for anything they paid;
    * ``total_appointments``: every appointment but unpaid holds that expired (they never took place nor
      were kept);
    * ``total_spent``: what those successful payments hold after refunds.
    """
    now = timezone.now()
    mine = patient_appointments(user)
    upcoming = list(
        mine.filter(scheduled_start__gte=now, status__in=LIVE).order_by("scheduled_start", "pk")[:DASHBOARD_UPCOMING]
    )
    paid = Payment.objects.filter(user=user, status__in=PAID_STATUSES)
    recent = list(paid.order_by("-captured_at", "-created_at")[:RECENT_PAYMENTS])
    totals = paid.aggregate(amount=Sum("amount"), refunded=Sum("amount_refunded"))
    spent = (totals["amount"] or Decimal("0")) - (totals["refunded"] or Decimal("0"))
    return {
        "upcoming_appointments": upcoming,
        "recent_payments": recent,
        "total_appointments": mine.count(),
        "total_spent": spent,
    }
