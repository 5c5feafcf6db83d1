"""Payments API input and output shapes (snake_case; seed 003/004 camelCase is accepted by the parser)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from payments import registry
from payments.models import Payment, PaymentKind, PaymentLink, PaymentMethod, ReconciliationReport, Refund, RefundType


# ``booking_id`` is seed 004's, ``appointment_id`` seed 003's: id fields a payable registered.
class PayableInput(serializers.Serializer):
    """What is paid for: ``payable_type`` and ``payable_id``, or simply ``booking_id`` (or ``appointment_id``)."""

    payable_type = serializers.CharField(max_length=64, required=False)
    payable_id = serializers.CharField(max_length=64, required=False)
    booking_id = serializers.CharField(max_length=64, required=False, help_text="Pay for this booking.")
    appointment_id = serializers.CharField(
        max_length=64, required=False, help_text="Pay for this appointment (a booking's id)."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        booking_type = registry.payable_type_for_id_field("booking_id")  # registered by the bookings app
        booking_id = attrs.pop("booking_id", None) or attrs.pop("appointment_id", None)
        attrs.pop("appointment_id", None)
        if booking_id and not attrs.get("payable_id") and booking_type:
            attrs["payable_type"], attrs["payable_id"] = booking_type, booking_id
        for name in ("payable_type", "payable_id"):
            if not attrs.get(name):
                raise serializers.ValidationError({name: ["This field is required."]}, code="required")
        return attrs


class CreateOrderInput(PayableInput):
    kind = serializers.ChoiceField(choices=PaymentKind.choices, default=PaymentKind.FULL)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, min_value=0)
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", required=False)


class BalanceOrderInput(CreateOrderInput):
    loyalty_points_used = serializers.IntegerField(
        min_value=0, required=False, default=0, help_text="Loyalty points to take off (1 point = ₹0.10)."
    )


class VerifyInput(serializers.Serializer):
    razorpay_order_id = serializers.CharField(max_length=64)
    razorpay_payment_id = serializers.CharField(max_length=64)
    razorpay_signature = serializers.CharField(max_length=128)


class RefundInput(serializers.Serializer):
    payment_id = serializers.UUIDField(required=False)
    payable_type = serializers.CharField(max_length=64, required=False)
    payable_id = serializers.CharField(max_length=64, required=False)
    booking_id = serializers.CharField(max_length=64, required=False, help_text="Refund this booking's payments.")
    refund_type = serializers.ChoiceField(choices=RefundType.choices, default=RefundType.FULL)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, min_value=0)
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        booking_type = registry.payable_type_for_id_field("booking_id")  # registered by the bookings app
        if attrs.get("booking_id") and not attrs.get("payable_id") and booking_type:
            attrs["payable_type"], attrs["payable_id"] = booking_type, attrs["booking_id"]
        if not attrs.get("payment_id") and not (attrs.get("payable_type") and attrs.get("payable_id")):
            raise serializers.ValidationError(
                {"payment_id": ["Send payment_id, or payable_type and payable_id."]}, code="required"
            )
        if attrs["refund_type"] == RefundType.PARTIAL and attrs.get("amount") is None:
            raise serializers.ValidationError({"amount": ["A partial refund needs an amount."]}, code="required")
        return attrs


class CashPaymentInput(PayableInput):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    method = serializers.ChoiceField(
        choices=[PaymentMethod.CASH, PaymentMethod.BANK_TRANSFER, PaymentMethod.UPI, PaymentMethod.OTHER],
        default=PaymentMethod.CASH,
    )
    kind = serializers.ChoiceField(choices=PaymentKind.choices, default=PaymentKind.FULL)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class PaymentLinkInput(PayableInput):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, min_value=0)
    kind = serializers.ChoiceField(choices=PaymentKind.choices, default=PaymentKind.FULL)
    customer_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    customer_phone = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")
    customer_email = serializers.EmailField(required=False, allow_blank=True, default="")


class OfflineCheckoutInput(serializers.Serializer):
    order_id = serializers.CharField(max_length=64)
    outcome = serializers.ChoiceField(choices=["success", "failure"], default="success")


class RefundOutput(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False)

    class Meta:
        model = Refund
        fields = [
            "id",
            "payment_id",
            "amount",
            "refund_type",
            "status",
            "gateway_refund_id",
            "reason",
            "failure_reason",
            "processed_at",
            "created_at",
        ]


class PaymentOutput(serializers.ModelSerializer):
    payment_id = serializers.UUIDField(source="id")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False)
    amount_refunded = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False)
    payment_method = serializers.CharField(source="method")
    razorpay_order_id = serializers.CharField(source="gateway_order_id", allow_null=True)
    razorpay_payment_id = serializers.CharField(source="gateway_payment_id", allow_null=True)
    transaction_id = serializers.CharField(source="gateway_payment_id", allow_null=True)
    paid_at = serializers.DateTimeField(source="captured_at", allow_null=True)
    type = serializers.CharField(source="kind")

    class Meta:
        model = Payment
        fields = [
            "id",
            "payment_id",
            "payable_type",
            "payable_id",
            "kind",
            "type",
            "amount",
            "amount_refunded",
            "currency",
            "status",
            "gateway",
            "payment_method",
            "razorpay_order_id",
            "razorpay_payment_id",
            "transaction_id",
            "receipt",
            "description",
            "failure_reason",
            "paid_at",
            "created_at",
            "updated_at",
        ]


# Seed 000 reads the booking's id, number and status here.
class VerifyOutput(PaymentOutput):
    """A verified payment, with what it paid for (for a booking: its id, number and status)."""

    payment_status = serializers.CharField()
    booking_id = serializers.UUIDField(required=False, help_text="For a booking: the booking paid for.")
    booking_number = serializers.CharField(required=False)
    booking_status = serializers.CharField(required=False, help_text="The booking's status after this payment.")

    class Meta(PaymentOutput.Meta):
        fields = [*PaymentOutput.Meta.fields, "payment_status", "booking_id", "booking_number", "booking_status"]


class PaymentDetailOutput(PaymentOutput):
    refunds = RefundOutput(many=True, read_only=True)

    class Meta(PaymentOutput.Meta):
        fields = [*PaymentOutput.Meta.fields, "refunds"]


class PaymentLinkOutput(serializers.ModelSerializer):
    payment_link_id = serializers.CharField(source="gateway_link_id")
    amount = serializers.DecimalField(source="payment.amount", max_digits=12, decimal_places=2, coerce_to_string=False)
    amount_paid = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False)
    payment_id = serializers.UUIDField()

    class Meta:
        model = PaymentLink
        fields = [
            "id",
            "payment_link_id",
            "payment_id",
            "short_url",
            "status",
            "amount",
            "amount_paid",
            "expires_at",
            "customer_name",
            "customer_phone",
            "customer_email",
            "created_at",
        ]


class ReconciliationOutput(serializers.ModelSerializer):
    class Meta:
        model = ReconciliationReport
        fields = [
            "id",
            "day",
            "gateway",
            "gateway_payments",
            "matched",
            "fixed",
            "discrepancies",
            "details",
            "created_at",
            "updated_at",
        ]
