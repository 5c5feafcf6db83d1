"""Input and output shapes of seed 003's appointment endpoints (``partners.api.appointments``; issue #18).

Requests accept seed 003's camelCase names (``clinicianId``, ``appointmentDate``...) beside snake_case;
answers are snake_case (DESIGN.md section 2). Seed values stay upper-case where the seed shows them:
``session_type`` ONLINE | IN_PERSON | AT_HOME, ``status`` PENDING (an unpaid hold or a booking waiting for
its specialist) | CONFIRMED | COMPLETED | CANCELLED | NO_SHOW | EXPIRED, ``payment_status`` PENDING | PAID |
DEPOSIT_PAID | ... ``appointment_date`` and ``appointment_time`` ("10:00:00") are the provider's local wall
time; ``scheduled_start``/``scheduled_end`` the same instants in ISO 8601 with offset. Money is a JSON number.
Choice-like inputs are validated strings (no OpenAPI enum components to collide with other modules').
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from bookings import policy
from bookings.models import Booking, PaymentMode, SessionType
from bookings.services.lifecycle import Cancellation
from catalog.pricing import ZERO
from core.api import CamelCaseInput
from core.schema import page_of
from partners.selectors.appointments import SEED_STATUSES, seed_status

SESSION_TYPES = {"ONLINE": SessionType.ONLINE, "IN_PERSON": SessionType.IN_PERSON, "AT_HOME": SessionType.AT_HOME}
PAYMENT_MODES = {"ONLINE": PaymentMode.ONLINE, "CASH": PaymentMode.CASH}
STAFF_STATUSES = ("CONFIRMED", "COMPLETED", "NO_SHOW", "CANCELLED")
_ALIASES = {
    "patientId": "patient_id",
    "clinicianId": "clinician_id",
    "centreId": "centre_id",
    "appointmentDate": "appointment_date",
    "appointmentTime": "appointment_time",
    "sessionType": "session_type",
    "consultationFee": "consultation_fee",
    "paymentMode": "payment_mode",
    "addressId": "address_id",
    "patientPhone": "patient_phone",
    "patientName": "patient_name",
}


def _choice(value: str, choices: Mapping[str, str], what: str) -> str:
    key = value.strip().upper().replace("-", "_").replace(" ", "_")
    if key not in choices:
        raise serializers.ValidationError(f"{what} is one of {', '.join(choices)}.")
    return choices[key]


# ---- input -------------------------------------------------------------------------------------------------


class _SlotInput(CamelCaseInput):
    """An appointment to book: the clinician, the day and time, and the session type (online, in person, at
    home); camelCase names (``clinicianId``, ``appointmentDate``...) are accepted beside snake_case."""

    ALIASES = _ALIASES
    clinician_id = serializers.UUIDField()
    centre_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    appointment_date = serializers.DateField()
    appointment_time = serializers.TimeField()
    session_type = serializers.CharField(help_text="ONLINE, IN_PERSON or AT_HOME.")
    consultation_fee = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text="Optional; when sent it must equal the clinician's fee.",
    )
    address_id = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text="AT_HOME only: the patient's address."
    )

    def validate_session_type(self, value: str) -> str:
        return _choice(value, SESSION_TYPES, "sessionType")


class PatientBookingInput(_SlotInput):
    """A patient books an appointment for themselves: the clinician, the day and time, and the session type
    (online, in person, at home); camelCase names (``clinicianId``, ``appointmentDate``...) are accepted beside
    snake_case."""


class _StaffSlotInput(_SlotInput):
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    payment_mode = serializers.CharField(
        required=False, default="ONLINE", help_text="ONLINE (a payment link is made) or CASH (paid at the centre)."
    )

    def validate_payment_mode(self, value: str) -> str:
        return _choice(value, PAYMENT_MODES, "paymentMode")


class StaffAppointmentInput(_StaffSlotInput):
    """Staff book an appointment for a registered patient, paid online (a payment link) or in cash at the
    centre; camelCase names (``clinicianId``, ``appointmentDate``...) are accepted beside snake_case."""

    patient_id = serializers.UUIDField()


class FrontDeskBookingInput(_StaffSlotInput):
    """The front desk books an appointment for a patient by phone number and name (an account is made if there
    is none); camelCase names (``clinicianId``, ``appointmentDate``...) are accepted beside snake_case."""

    patient_phone = serializers.CharField(max_length=32, help_text="E.164 preferred; Indian numbers without a code.")
    patient_name = serializers.CharField(max_length=150)


class AppointmentsQuery(CamelCaseInput):
    ALIASES = _ALIASES
    centre_id = serializers.UUIDField(required=False)
    clinician_id = serializers.UUIDField(required=False)
    patient_id = serializers.UUIDField(required=False)
    date = serializers.DateField(required=False, help_text="The appointment's local date.")
    status = serializers.CharField(required=False, help_text=", ".join(SEED_STATUSES))

    def validate_status(self, value: str) -> str:
        key = value.strip().upper()
        if key not in SEED_STATUSES:
            raise serializers.ValidationError(f"status is one of {', '.join(SEED_STATUSES)}.")
        return key


class AppointmentUpdateInput(CamelCaseInput):
    """Move an appointment to another day or time, or change its status, with a reason; camelCase names
    (``appointmentDate``, ``appointmentTime``) are accepted beside snake_case."""

    ALIASES = _ALIASES
    appointment_date = serializers.DateField(required=False)
    appointment_time = serializers.TimeField(required=False)
    status = serializers.CharField(required=False, help_text=", ".join(STAFF_STATUSES))
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")

    def validate_status(self, value: str) -> str:
        key = value.strip().upper()
        if key not in STAFF_STATUSES:
            raise serializers.ValidationError(f"status is one of {', '.join(STAFF_STATUSES)}.")
        return SEED_STATUSES[key][0]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not ({"appointment_date", "appointment_time", "status"} & set(attrs)):
            raise serializers.ValidationError(
                {"status": "Send a new appointmentDate and appointmentTime, or a status."}
            )
        return attrs


class AppointmentCancelInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


# ---- output ------------------------------------------------------------------------------------------------


class _ApptFields(serializers.Serializer):  # what :func:`_common` renders; not a component of its own
    """An appointment: the clinician and centre, when it is, how it is held, its status and fee."""

    id = serializers.UUIDField()
    booking_number = serializers.CharField()
    clinician_id = serializers.UUIDField()
    clinician_name = serializers.CharField()
    centre_id = serializers.UUIDField(allow_null=True)
    centre_name = serializers.CharField(allow_null=True)
    appointment_date = serializers.DateField()
    appointment_time = serializers.CharField(help_text='Provider-local, "10:00:00".')
    scheduled_start = serializers.DateTimeField()
    session_type = serializers.CharField(help_text="ONLINE, IN_PERSON or AT_HOME.")
    status = serializers.CharField(help_text=", ".join(SEED_STATUSES))
    payment_status = serializers.CharField(help_text="PENDING, PAID, DEPOSIT_PAID...")
    consultation_fee = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=False)


class ApptStaffRow(_ApptFields):
    """An appointment in the lists staff and clinicians see: when, with whom, its status and how it is paid."""

    patient_id = serializers.UUIDField()
    patient_name = serializers.CharField()
    scheduled_end = serializers.DateTimeField()
    payment_mode = serializers.CharField(help_text="ONLINE or CASH.")


class ApptTimelineEntry(serializers.Serializer):
    status = serializers.CharField()
    action = serializers.CharField()
    note = serializers.CharField()
    at = serializers.DateTimeField()


class ApptCentre(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    city = serializers.CharField()
    address = serializers.CharField()
    timezone = serializers.CharField()


class ApptStaffDetail(ApptStaffRow):
    """One appointment as staff and its clinician see it: the patient's phone, the meeting link, notes, the
    centre and what happened to it so far."""

    patient_phone = serializers.CharField(allow_null=True)
    meet_link = serializers.CharField(allow_null=True)
    notes = serializers.CharField()
    centre = ApptCentre(allow_null=True)
    hold_expires_at = serializers.DateTimeField(allow_null=True)
    cancellation_deadline = serializers.DateTimeField()
    timeline = ApptTimelineEntry(many=True)


class ApptAgenda(serializers.Serializer):
    current = ApptStaffRow(many=True)
    upcoming = ApptStaffRow(many=True)
    past = ApptStaffRow(many=True, help_text="The latest 50.")


class ApptStaffCreated(serializers.Serializer):
    id = serializers.UUIDField()
    booking_number = serializers.CharField()
    appointment_date = serializers.DateField()
    appointment_time = serializers.CharField()
    status = serializers.CharField()
    patient_id = serializers.UUIDField()
    payment_link = serializers.CharField(allow_null=True, help_text="Null for CASH, or when no link could be made.")
    hold_expires_at = serializers.DateTimeField(allow_null=True)


# A cancel's answer (:func:`cancelled_row`): /booking/... and /appointments/... with seed 003's status.
class ApptCancelled(serializers.Serializer):
    """A cancelled appointment, with the fee kept and the refund. /booking/... and /appointments/... write the
    status in capitals (CANCELLED), /patient/appointments/{id}/cancel in lower case (cancelled)."""

    id = serializers.UUIDField()
    status = serializers.CharField()
    cancellation_fee = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=False)
    refund_amount = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=False)
    refund_status = serializers.CharField(help_text="none, processing, processed or failed.")


class ApptPatientCreated(serializers.Serializer):
    appointment_id = serializers.UUIDField()
    payment_order_id = serializers.CharField(allow_null=True, help_text="The gateway order; null if none was made.")
    payment_id = serializers.UUIDField(allow_null=True)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=False)
    currency = serializers.CharField()
    hold_expires_at = serializers.DateTimeField(allow_null=True)


# Rendered by :func:`patient_row`; /booking/... answers seed 003's upper-case values.
class ApptPatientRow(_ApptFields):
    """One appointment as its patient sees it: /booking/my-appointments, and the rows of /patient/appointments,
    /patient/dashboard and /patients/{id}/appointments. /booking/... writes ``session_type``, ``status`` and
    ``payment_status`` in capitals (ONLINE, PENDING, PAID...); the /patient and /patients endpoints in lower case
    (online, pending_payment, deposit_paid...)."""

    meet_link = serializers.CharField(allow_null=True)
    can_cancel = serializers.BooleanField()
    cancellation_deadline = serializers.DateTimeField()


ApptPatientPage = page_of("ApptPatientPage", "appointments", ApptPatientRow(many=True))


class ApptClinician(serializers.Serializer):
    id = serializers.UUIDField()
    full_name = serializers.CharField()
    specialization = serializers.ListField(child=serializers.CharField())


class ApptPatientDetail(ApptPatientRow):
    clinician = ApptClinician()
    centre = ApptCentre(allow_null=True)
    hold_expires_at = serializers.DateTimeField(allow_null=True)
    notes = serializers.CharField()


# ---- rendering ---------------------------------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _common(b: Booking) -> dict[str, Any]:
    provider = b.requested_partner
    return {
        "id": str(b.pk),
        "booking_number": b.booking_number,
        "clinician_id": str(b.requested_partner_id),
        "clinician_name": provider.user.full_name if provider else "",
        "centre_id": str(b.centre_id) if b.centre_id else None,
        "centre_name": b.centre.name if b.centre else None,
        "appointment_date": b.booking_date.isoformat(),
        "appointment_time": b.booking_time.strftime("%H:%M:%S"),
        "scheduled_start": _iso(b.scheduled_start),
        "session_type": (b.session_type or "").upper(),
        "status": seed_status(b.status),
        "payment_status": b.payment_status.upper(),
        "consultation_fee": b.grand_total,
    }


def _centre(b: Booking) -> dict[str, Any] | None:
    c = b.centre
    if c is None:
        return None
    return {"id": str(c.pk), "name": c.name, "city": c.city, "address": c.address, "timezone": c.timezone}


def staff_row(b: Booking) -> dict[str, Any]:
    return {
        **_common(b),
        "patient_id": str(b.user_id),
        "patient_name": b.user.full_name,
        "scheduled_end": _iso(b.scheduled_end),
        "payment_mode": b.payment_method.upper(),
    }


def staff_detail(b: Booking) -> dict[str, Any]:
    return {
        **staff_row(b),
        "patient_phone": b.user.phone,
        "meet_link": b.meeting_link or None,
        "notes": b.customer_notes,
        "centre": _centre(b),
        "hold_expires_at": _iso(b.hold_expires_at),
        "cancellation_deadline": _iso(policy.deadline_of(b)),
        "timeline": [
            {"status": seed_status(e.new_status) if e.new_status else "", "action": e.action, "note": e.note}
            | {"at": _iso(e.created_at)}
            for e in b.events.all()
        ],
    }


def patient_row(b: Booking, *, seed_names: bool = True) -> dict[str, Any]:
    """:class:`ApptPatientRow`; ``seed_names=False`` keeps the booking's own lower-case values (/patient...)."""
    terms = policy.terms(b, now=timezone.now(), captured=ZERO)
    row = {
        **_common(b),
        "meet_link": b.meeting_link or None,
        "can_cancel": terms.can_cancel,
        "cancellation_deadline": _iso(policy.deadline_of(b)),
    }
    if not seed_names:
        row |= {"session_type": b.session_type, "status": b.status, "payment_status": b.payment_status}
    return row


def cancelled_row(done: Cancellation, *, seed_names: bool = True) -> dict[str, Any]:
    """:class:`ApptCancelled`; ``seed_names=False`` keeps the booking's own lower-case status (/patient...)."""
    status = done.booking.status
    return {
        "id": str(done.booking.pk),
        "status": seed_status(status) if seed_names else status,
        "cancellation_fee": done.fee,
        "refund_amount": done.refund_amount,
        "refund_status": done.refund_status,
    }


def patient_detail(b: Booking) -> dict[str, Any]:
    provider = b.requested_partner
    return {
        **patient_row(b),
        "clinician": {
            "id": str(b.requested_partner_id),
            "full_name": provider.user.full_name if provider else "",
            "specialization": list(provider.specialties or []) if provider else [],
        },
        "centre": _centre(b),
        "hold_expires_at": _iso(b.hold_expires_at),
        "notes": b.customer_notes,
    }
