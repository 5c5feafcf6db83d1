"""Request and response shapes of seed 003's patient endpoints (``/patients``, ``/patient/...``,
``/patient-auth/...``) and the functions that render them.

Answers are snake_case (DESIGN.md section 2); requests may use the seed's camelCase (the JSON parser turns
it into snake_case; query strings go through ``CamelCaseInput``). A patient's id is their account's UUID.
``appointment_date`` / ``appointment_time`` are the provider's local wall time, as booked. Dates of birth are
ISO dates; ``gender`` is MALE, FEMALE or OTHER and ``blood_group`` one of A+ ... O- (anything else is 422
naming the field); phones are E.164 (``+919876543210``; a local form is normalised, a wrong one is 422
``INVALID_PHONE_NUMBER``).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from accounts.models import BloodGroup, Gender, PatientProfile, User
from accounts.serializers import LowerEmailField, OtpCodeField, PhoneField, TokensOutput
from bookings.models import BOOKING_PAYABLE, Booking
from core.api import CamelCaseInput
from partners.api import appointment_schemas
from partners.api.appointment_schemas import ApptPatientRow
from partners.models import MedicalNote
from partners.selectors.patients import profile_of
from payments.models import Payment

MONEY = serializers.FloatField

# --- input -----------------------------------------------------------------------------------------------------


class PatientListQuery(CamelCaseInput):
    search = serializers.CharField(required=False, allow_blank=True, max_length=150)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=32)


class _ProfileFields(serializers.Serializer):
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    blood_group = serializers.ChoiceField(choices=BloodGroup.choices, required=False, allow_blank=True)
    emergency_contact_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    emergency_contact_phone = PhoneField(required=False, allow_null=True)

    def validate_date_of_birth(self, value: Any) -> Any:
        if value is not None and value > timezone.localdate():
            raise serializers.ValidationError("The date of birth cannot be in the future.")
        return value


class PatientCreateInput(_ProfileFields):
    full_name = serializers.CharField(max_length=150)
    phone = PhoneField()
    email = LowerEmailField(required=False, allow_null=True)
    medical_history = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class PatientUpdateInput(_ProfileFields):
    full_name = serializers.CharField(required=False, max_length=150)
    phone = PhoneField(required=False)
    email = LowerEmailField(required=False)
    medical_history = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class PatientSelfInput(_ProfileFields):
    full_name = serializers.CharField(required=False, max_length=150)
    email = LowerEmailField(required=False)


class MedicalNoteInput(serializers.Serializer):
    note = serializers.CharField(max_length=10000)
    appointment_id = serializers.UUIDField(required=False, allow_null=True)


class PatientCancelInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class PatientSendOtpInput(serializers.Serializer):
    phone = PhoneField()
    full_name = serializers.CharField(required=False, allow_blank=True, max_length=150, default="")


class PatientVerifyOtpInput(serializers.Serializer):
    phone = PhoneField()
    otp = OtpCodeField()


# --- output ----------------------------------------------------------------------------------------------------


class _PatientFields(serializers.Serializer):
    """The fields every answer about a patient starts with (not a component of its own)."""

    id = serializers.UUIDField()
    full_name = serializers.CharField()
    phone = serializers.CharField(allow_null=True)
    email = serializers.CharField(allow_null=True)
    date_of_birth = serializers.DateField(allow_null=True)
    gender = serializers.CharField(allow_null=True)
    blood_group = serializers.CharField(allow_null=True)


class PatientRowOutput(_PatientFields):
    created_at = serializers.DateTimeField()


class MedicalNoteOutput(serializers.Serializer):
    id = serializers.UUIDField()
    note = serializers.CharField()
    author_id = serializers.UUIDField()
    author_name = serializers.CharField()
    appointment_id = serializers.UUIDField(allow_null=True)
    created_at = serializers.DateTimeField()


class PatientDetailOutput(PatientRowOutput):
    emergency_contact_name = serializers.CharField(allow_null=True)
    emergency_contact_phone = serializers.CharField(allow_null=True)
    medical_history = serializers.CharField(allow_null=True)
    notes = MedicalNoteOutput(
        many=True, required=False, help_text="Only for admins and the patient's clinician; never to the patient."
    )


class PatientSelfOutput(_PatientFields):
    emergency_contact_name = serializers.CharField(allow_null=True)
    emergency_contact_phone = serializers.CharField(allow_null=True)


class PatientPaymentOutput(serializers.Serializer):
    id = serializers.UUIDField()
    appointment_id = serializers.CharField(allow_null=True, help_text="The booking paid for, if it is one.")
    amount = MONEY()
    amount_refunded = MONEY()
    kind = serializers.CharField()
    status = serializers.CharField()
    method = serializers.CharField(allow_null=True)
    paid_at = serializers.DateTimeField(allow_null=True)


class PatientDashboardOutput(serializers.Serializer):
    upcoming_appointments = ApptPatientRow(many=True)
    recent_payments = PatientPaymentOutput(many=True)
    total_appointments = serializers.IntegerField()
    total_spent = MONEY()


class PatientOtpSentOutput(serializers.Serializer):
    otp_id = serializers.UUIDField()
    phone = serializers.CharField()
    sent_to = serializers.CharField()
    channel = serializers.CharField(help_text="How the code was sent (sms).")
    expires_at = serializers.DateTimeField()
    expires_in = serializers.IntegerField()
    retry_after = serializers.IntegerField()


class PatientSignedInOutput(serializers.Serializer):
    id = serializers.UUIDField()
    full_name = serializers.CharField()
    phone = serializers.CharField(allow_null=True)
    email = serializers.CharField(allow_null=True)
    is_new_user = serializers.BooleanField()


class PatientSignInOutput(serializers.Serializer):
    patient = PatientSignedInOutput()
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()
    expires_in = serializers.IntegerField()
    tokens = TokensOutput()


# --- rendering -------------------------------------------------------------------------------------------------


def _blank(value: str) -> str | None:
    return value or None


def patient_row(user: User) -> dict[str, Any]:
    profile = profile_of(user)
    return {
        "id": user.pk,
        "full_name": user.full_name,
        "phone": user.phone,
        "email": user.email,
        "date_of_birth": profile.date_of_birth if profile else None,
        "gender": _blank(profile.gender) if profile else None,
        "blood_group": _blank(profile.blood_group) if profile else None,
        "created_at": user.created_at,
    }


def medical_note_row(note: MedicalNote) -> dict[str, Any]:
    return {
        "id": note.pk,
        "note": note.note,
        "author_id": note.author_id,
        "author_name": note.author.full_name,
        "appointment_id": note.booking_id,
        "created_at": note.created_at,
    }


def _contact(profile: PatientProfile | None) -> dict[str, str | None]:
    return {
        "emergency_contact_name": _blank(profile.emergency_contact_name) if profile else None,
        "emergency_contact_phone": _blank(profile.emergency_contact_phone) if profile else None,
    }


def patient_detail(user: User, notes: list[MedicalNote] | None) -> dict[str, Any]:
    profile = profile_of(user)
    data = {
        **patient_row(user),
        **_contact(profile),
        "medical_history": _blank(profile.medical_history) if profile else None,
    }
    if notes is not None:
        data["notes"] = [medical_note_row(note) for note in notes]
    return PatientDetailOutput(data).data


def patient_self(user: User) -> dict[str, Any]:
    """The patient's own profile: the row and emergency contact (``created_at`` is not among its fields)."""
    return PatientSelfOutput({**patient_row(user), **_contact(profile_of(user))}).data


def appointment_row(booking: Booking) -> dict[str, Any]:
    """The shared appointment row (:class:`~partners.api.appointment_schemas.ApptPatientRow`) with the
    booking's own lower-case status, session type and payment status, as these endpoints answered first."""
    return appointment_schemas.patient_row(booking, seed_names=False)


def payment_row(payment: Payment) -> dict[str, Any]:
    return PatientPaymentOutput(
        {
            "id": payment.pk,
            "appointment_id": payment.payable_id if payment.payable_type == BOOKING_PAYABLE else None,
            "amount": payment.amount,
            "amount_refunded": payment.amount_refunded,
            "kind": payment.kind,
            "status": payment.status,
            "method": payment.method or None,
            "paid_at": payment.captured_at or payment.created_at,
        }
    ).data
