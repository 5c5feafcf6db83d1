"""OpenAPI: the response shapes of the staff bookings endpoints (``bookings.api.admin``), and the request and
response shapes of seed 004's specialist booking (``POST /bookings``, ``PUT /bookings/{id}``, the list filters).

They describe what the views build (``bookings.serializers.staff_booking_detail`` and the dicts in
``bookings.api.admin``), field for field; the nested outputs are the serializers that render them.
"""

from __future__ import annotations

from typing import Any

from django.utils.dateparse import parse_datetime
from rest_framework import serializers

from bookings.admin_serializers import AdminContactOutput, AdminPromoOutput
from bookings.models import Booking
from bookings.serializers import MONEY, BookingDetailOutput, BookingServiceOutput
from core.api import query
from core.schema import page_of
from payments.models import RefundStatus
from payments.serializers import PaymentOutput


class StaffBookingUserOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    phone_number = serializers.CharField(allow_null=True)
    email = serializers.EmailField(allow_null=True)
    is_active = serializers.BooleanField()


class StaffBookingEventOutput(serializers.Serializer):
    action = serializers.CharField()
    timestamp = serializers.DateTimeField()
    by = serializers.CharField(help_text='Who acted: their name, email or id, or "system".')
    old_status = serializers.CharField()
    new_status = serializers.CharField()
    note = serializers.CharField()


class LatestPaymentOutput(PaymentOutput):
    """``PaymentOutput`` as a nested field (DRF would otherwise build its unique-together validators)."""

    class Meta(PaymentOutput.Meta):
        validators: list = []


class StaffBookingDetailOutput(serializers.Serializer):
    booking = BookingDetailOutput()
    user = StaffBookingUserOutput()
    partner = serializers.DictField(
        allow_null=True,
        child=serializers.JSONField(),
        help_text="The booking's partner as booking.partner shows it (null while it has none).",
    )
    payment = LatestPaymentOutput(allow_null=True, help_text="The latest payment attempt.")
    services = BookingServiceOutput(many=True)
    timeline = StaffBookingEventOutput(many=True, help_text="Oldest first.")


class StaffCancelRefundOutput(serializers.Serializer):
    amount = serializers.FloatField()
    cancellation_fee = serializers.FloatField()
    status = serializers.ChoiceField(choices=["none", "processing", "processed", "failed"])
    destination = serializers.ChoiceField(choices=["original_payment_method"])


class StaffCancelOutput(serializers.Serializer):
    booking = BookingDetailOutput()
    refund = StaffCancelRefundOutput()


class StaffRefundOutput(serializers.Serializer):
    refund_id = serializers.UUIDField()
    refund_amount = serializers.FloatField()
    status = serializers.ChoiceField(
        choices=["processing", RefundStatus.PROCESSED.value, RefundStatus.FAILED.value],
        help_text='A pending refund shows as "processing".',
    )


PromoCodesPage = page_of("AdminPromoCodesPage", "promo_codes", AdminPromoOutput(many=True))


class PromoCodeOutput(serializers.Serializer):
    promo_code = AdminPromoOutput()


ContactSubmissionsPage = page_of("AdminContactSubmissionsPage", "submissions", AdminContactOutput(many=True))


class ContactSubmissionOutput(serializers.Serializer):
    submission = AdminContactOutput()


# --- seed 004: a specialist booked at an instant (bookings.api.customer) ----------------------------------------


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 instant that names its offset (``Z`` or ``+05:30``): a bare wall time is refused, since
    it could be the customer's, the provider's or the server's (seed 004 ``scheduledAt``)."""

    default_error_messages = {"naive": "Give the time with its offset, e.g. 2026-03-15T10:00:00Z."}

    def to_internal_value(self, value: Any):
        if isinstance(value, str):
            parsed = parse_datetime(value.strip())
            if parsed is not None and parsed.tzinfo is None:
                self.fail("naive")
        return super().to_internal_value(value)


# Seed 004 ``POST /bookings``.
class SpecialistBookingInput(serializers.Serializer):
    """Book a specialist's service at a time (camelCase names accepted). ``payment_method_id`` (a Stripe card)
    is accepted and not used: the customer pays the deposit through the gateway order answered with the
    booking."""

    service_id = serializers.UUIDField()
    specialist_id = serializers.UUIDField()
    scheduled_at = AwareDateTimeField()
    duration = serializers.IntegerField(
        min_value=1, max_value=24 * 60, required=False, help_text="Minutes; must be the service's own length."
    )
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    payment_method_id = serializers.CharField(max_length=255, required=False, allow_blank=True)
    total_amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, min_value=0, help_text="Refused unless it is the price."
    )


# Seed 004 ``PUT /bookings/{id}``.
class BookingUpdateInput(serializers.Serializer):
    """New notes, or a new time (a reschedule), or both."""

    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    scheduled_at = AwareDateTimeField(required=False)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "notes" not in attrs and "scheduled_at" not in attrs:
            raise serializers.ValidationError({"notes": ["Send notes or scheduled_at."]}, code="required")
        return attrs


class BookingListQuery(serializers.Serializer):
    """``GET /bookings`` filters; dates are the booking's own (local) day, both ends included."""

    status = serializers.CharField(max_length=32, required=False, allow_blank=True)
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False)
    scheduled_date = serializers.DateField(required=False, help_text="Only this day (start_date = end_date).")
    pincode = serializers.RegexField(r"^\d{6}$", required=False, help_text="Booked at an address in this pincode.")

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "get"):
            data = {
                "status": data.get("status"),
                "start_date": data.get("start_date", data.get("startDate")),
                "end_date": data.get("end_date", data.get("endDate")),
                "scheduled_date": data.get("scheduled_date", data.get("scheduledDate")),
                "pincode": data.get("pincode"),
            }
            data = {key: value for key, value in data.items() if value not in (None, "")}
        return super().to_internal_value(data)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("scheduled_date"):  # seed 002's one day
            attrs["start_date"] = attrs["end_date"] = attrs.pop("scheduled_date")
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": ["Must not be before start_date."]}, code="invalid")
        return attrs


# The query parameters BookingListQuery reads.
BOOKING_LIST_FILTERS = (
    "status",
    "start_date",
    "startDate",
    "end_date",
    "endDate",
    "scheduled_date",
    "scheduledDate",
    "pincode",
)


def booking_list_filters(request: Any) -> dict[str, Any]:
    """:class:`BookingListQuery`'s answer; ``{}`` without validating when no filter is given (its answer then)."""
    if any(request.query_params.get(name) for name in BOOKING_LIST_FILTERS):
        return query(BookingListQuery, request)
    return {}


# Seed 004's ``booking`` block of ``POST /bookings``.
class SpecialistBookingOutput(serializers.Serializer):
    """The new booking, as answered by ``POST /bookings``."""

    id = serializers.UUIDField()
    service_id = serializers.UUIDField()
    customer_id = serializers.UUIDField()
    specialist_id = serializers.UUIDField()
    status = serializers.CharField()
    scheduled_at = serializers.DateTimeField()
    duration = serializers.IntegerField(help_text="Minutes.")
    total_amount = serializers.DecimalField(**MONEY)
    deposit_amount = serializers.DecimalField(**MONEY, allow_null=True)
    notes = serializers.CharField()
    hold_expires_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


def specialist_booking(booking: Booking) -> dict[str, Any]:
    item = booking.items.all()[0]
    return SpecialistBookingOutput(
        {
            "id": booking.pk,
            "service_id": item.service_id,
            "customer_id": booking.user_id,
            "specialist_id": booking.requested_partner_id,
            "status": booking.status,
            "scheduled_at": booking.scheduled_start,
            "duration": item.duration_minutes,
            "total_amount": booking.grand_total,
            "deposit_amount": booking.deposit_amount,
            "notes": booking.customer_notes,
            "hold_expires_at": booking.hold_expires_at,
            "created_at": booking.created_at,
        }
    ).data


class DepositIntentOutput(serializers.Serializer):
    """The gateway order that pays the deposit (or the price when the specialist takes no deposit)."""

    payment_id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=["deposit", "full"])
    gateway = serializers.CharField()
    order_id = serializers.CharField()
    amount = serializers.IntegerField(help_text="In minor units (paise), as the gateway's checkout wants it.")
    amount_display = serializers.CharField()
    currency = serializers.CharField()
    key = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    receipt = serializers.CharField()
    prefill = serializers.DictField(child=serializers.CharField())
    notes = serializers.DictField(child=serializers.CharField())


class SpecialistBookedOutput(serializers.Serializer):
    booking = SpecialistBookingOutput()
    payment_intent = DepositIntentOutput(
        allow_null=True, help_text="Null when the gateway could not be reached: pay with /payments/process-deposit."
    )
