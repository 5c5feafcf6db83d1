"""Writes on seed 003's patients: staff create and update them, a patient keeps their own profile and cancels
their own appointment, a clinician (or an admin) adds a medical note.

Rules and the readings chosen where the seed is silent:

* A patient is an account with the ``customer`` role and its ``PatientProfile`` (made on first use). Staff
  create one by phone (E.164, unique: an existing phone is ``409 PHONE_ALREADY_EXISTS``, an existing email
  ``409 EMAIL_ALREADY_EXISTS``, accounts' codes). A phone or email set by staff or by the patient here is not
  verified (``is_phone_verified``/``is_email_verified`` stay false) until the person proves it by OTP.
* Staff writes are in the audit log (``create_patient`` / ``update_patient``): the account's name and
  contacts with their values, the medical fields by name only (the audit log is read by roles that may not
  read health data).
* Medical notes (rule PA1) are append-only: there is no service to edit or delete one. Only the clinician
  of the appointment the note is about (``booking.requested_partner.user`` is the caller, and the booking is
  that patient's) or a holder of ``partners.add_medicalnote`` (admins) may write one; the appointment may be
  in any status (a note on a no-show or a cancelled visit is still clinical record). An admin may write a
  note without an appointment; a clinician's right comes from the appointment, so they must name it. Each
  note is written to the audit log through ``core.audit`` (``add_medical_note``, resource ``medicalnote``)
  with the patient, the appointment, the note's length and its SHA-256, not its text: the log proves which
  note was written when and by whom, and that the stored text is unchanged, without copying health data
  to readers of the log. The note is NOT put on the booking's timeline (``BookingEvent``), which the
  patient reads.
* A patient's cancel goes through ``bookings.services.lifecycle.booking_cancel`` as the customer, so the
  appointment policy applies (free until the notice deadline, then ``422 CANCELLATION_NOT_ALLOWED``);
  another person's appointment is ``404 BOOKING_NOT_FOUND``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction

from accounts.errors import AccountErrorCode
from accounts.models import PatientProfile, User
from accounts.roles import Role
from accounts.services.profile import registration_details
from accounts.services.roles import user_add_role
from bookings.models import CancelledBy
from bookings.services.lifecycle import Cancellation, booking_cancel
from core import audit
from core.errors import DomainError, ErrorCode
from core.types import Id
from partners.models import MedicalNote
from partners.selectors.appointments import patient_appointment, provider_of
from partners.selectors.patients import Scope, appointment_of, patient_get, patient_scope

ADD_NOTES = "partners.add_medicalnote"
PROFILE_FIELDS = (
    "date_of_birth",
    "gender",
    "blood_group",
    "emergency_contact_name",
    "emergency_contact_phone",
    "medical_history",
)


def _conflict(field: str) -> DomainError:
    code = AccountErrorCode.PHONE_ALREADY_EXISTS if field == "phone" else AccountErrorCode.EMAIL_ALREADY_EXISTS
    return DomainError(
        f"This {field} is already registered with another account.", code=code, field=field, reason="already_exists"
    )


def _check_contacts_free(*, phone: str | None, email: str | None, exclude: Id | None = None) -> None:
    for field, value in (("phone", phone), ("email", email)):
        if not value:
            continue
        lookup = {"phone": value} if field == "phone" else {"email__iexact": value}
        rows = User.objects.filter(**lookup)
        if exclude is not None:
            rows = rows.exclude(pk=exclude)
        if rows.exists():
            raise _conflict(field)


def _apply_profile(user: User, fields: dict[str, Any]) -> list[str]:
    """Write the given profile fields (creating the profile on first use); the names of those changed."""
    profile, _ = PatientProfile.objects.get_or_create(user=user)
    changed = []
    for name in PROFILE_FIELDS:
        if name in fields:
            value = fields[name]
            value = "" if value is None and name != "date_of_birth" else value
            if getattr(profile, name) != value:
                setattr(profile, name, value)
                changed.append(name)
    if changed:
        profile.save(update_fields=[*changed, "updated_at"])
    user.patient_profile = profile
    return changed


def patient_create(*, actor: User, full_name: str, phone: str, email: str | None = None, **profile: Any) -> User:
    """A new customer account with its patient profile (``phone`` E.164, ``email`` lower-case or None)."""
    _check_contacts_free(phone=phone, email=email)
    try:
        with transaction.atomic():
            user: User = User.objects.create_user(email=email, phone=phone, full_name=full_name.strip()[:150])
            user_add_role(user=user, role=Role.CUSTOMER)
            medical = _apply_profile(user, profile)
    except (IntegrityError, DjangoValidationError) as exc:  # a concurrent request took the phone or email
        raise _conflict("phone" if User.objects.filter(phone=phone).exists() else "email") from exc
    audit.record(
        action="create_patient",
        resource_type="user",
        resource_id=user.pk,
        actor=actor,
        changes={"full_name": user.full_name, "phone": phone, "email": email, "profile_fields": medical},
    )
    return user


def patient_update(*, actor: User, patient_id: Id, fields: dict[str, Any]) -> User:
    """Staff change a patient's name, contacts or profile (only the fields given)."""
    patient = patient_get(patient_scope(actor), patient_id)
    phone, email = fields.get("phone"), fields.get("email")
    _check_contacts_free(phone=phone, email=email, exclude=patient.pk)
    before = {"full_name": patient.full_name, "phone": patient.phone, "email": patient.email}
    account: list[str] = []
    if fields.get("full_name", "").strip():
        patient.full_name = fields["full_name"].strip()[:150]
        account.append("full_name")
    if phone and phone != patient.phone:
        patient.phone, patient.is_phone_verified = phone, False
        account += ["phone", "is_phone_verified"]
    if email and email != patient.email:
        patient.email, patient.is_email_verified = email, False
        account += ["email", "is_email_verified"]
    try:
        with transaction.atomic():
            if account:
                patient.save(update_fields=[*account, "updated_at"])
            medical = _apply_profile(patient, fields)
    except IntegrityError as exc:
        raise _conflict("phone" if phone and User.objects.filter(phone=phone).exists() else "email") from exc
    after = {"full_name": patient.full_name, "phone": patient.phone, "email": patient.email}
    changes: dict[str, Any] = {k: {"old": before[k], "new": after[k]} for k in before if before[k] != after[k]}
    audit.record(
        action="update_patient",
        resource_type="user",
        resource_id=patient.pk,
        actor=actor,
        changes={**changes, "profile_fields": medical},
    )
    return patient


def patient_profile_save(*, user: User, fields: dict[str, Any]) -> User:
    """The patient's own ``PUT /patient/profile``: name, email (unverified until proven) and medical fields."""
    with transaction.atomic():
        registration_details(user=user, full_name=fields.get("full_name"), email=fields.get("email"))
        _apply_profile(user, {k: v for k, v in fields.items() if k != "medical_history"})
    return user


def medical_note_add(*, actor: User, patient_id: Id, note: str, appointment_id: Id | None = None) -> MedicalNote:
    """Append a note on ``patient_id`` (rule PA1); see the module docstring for who may."""
    text = note.strip()
    if not text:
        raise DomainError("The note may not be blank.", code=ErrorCode.VALIDATION_ERROR, field="note")
    if actor.has_perm(ADD_NOTES):
        patient = patient_get(Scope(provider=None), patient_id)
        booking = None
        if appointment_id is not None:
            booking = appointment_of(patient_id=patient.pk, appointment_id=appointment_id, provider=None)
    else:
        provider = provider_of(actor)
        if provider is None:
            raise DomainError("Only the appointment's clinician may add a medical note.", code=ErrorCode.FORBIDDEN)
        patient = patient_get(Scope(provider=provider), patient_id)
        if appointment_id is None:
            raise DomainError(
                "Name the appointment the note is about.", code=ErrorCode.VALIDATION_ERROR, field="appointment_id"
            )
        booking = appointment_of(patient_id=patient.pk, appointment_id=appointment_id, provider=provider)
    with transaction.atomic():
        row = MedicalNote.objects.create(patient=patient, author=actor, booking=booking, note=text)
        audit.record(
            action="add_medical_note",
            resource_type="medicalnote",
            resource_id=row.pk,
            actor=actor,
            changes={
                "patient": str(patient.pk),
                "appointment": str(booking.pk) if booking else None,
                "note_length": len(text),
                "note_sha256": hashlib.sha256(text.encode()).hexdigest(),
            },
        )
    return row


def patient_appointment_cancel(*, user: User, booking_id: Id, reason: str = "") -> Cancellation:
    """The patient cancels their own appointment under the policy (``booking_cancel`` as the customer)."""
    patient_appointment(user, booking_id)
    return booking_cancel(user=user, booking_id=booking_id, reason=reason, by=CancelledBy.CUSTOMER)
