"""OpenAPI: the response shapes of the staff bookings endpoints (``bookings.api.admin``).

They describe what the views build (``bookings.serializers.staff_booking_detail`` and the dicts in
``bookings.api.admin``), field for field; the nested outputs are the serializers that render them.
"""

from __future__ import annotations

from rest_framework import serializers

from bookings.serializers import AdminContactOutput, AdminPromoOutput, BookingDetailOutput, BookingServiceOutput
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
