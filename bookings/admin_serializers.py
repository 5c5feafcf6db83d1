"""The staff endpoints' shapes (``bookings.api.admin``): booking cancel and refund, promo codes, contact messages."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from bookings.models import ContactStatus, ContactSubmission, DiscountType, PromoCode
from bookings.serializers import MONEY


class ContactQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=ContactStatus.choices, required=False)


class PromoQuery(serializers.Serializer):
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)


class AdminCancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    refund_amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False)
    refund_to_wallet = serializers.BooleanField(required=False, default=False)


class AdminRefundInput(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, help_text="Omit for all that is left to refund."
    )
    reason = serializers.CharField(max_length=500)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def validate_amount(self, value):
        if value is not None and value <= 0:
            raise serializers.ValidationError("Must be greater than 0.")
        return value


class AdminPromoInput(serializers.ModelSerializer):
    discount_type = serializers.ChoiceField(choices=DiscountType.choices)
    discount_value = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)

    class Meta:
        model = PromoCode
        fields = [
            "code",
            "description",
            "discount_type",
            "discount_value",
            "min_order_amount",
            "max_discount",
            "usage_limit",
            "total_usage_limit",
            "valid_from",
            "valid_until",
            "is_active",
        ]
        extra_kwargs: dict[str, dict[str, Any]] = {"code": {"validators": []}}


class AdminPromoOutput(serializers.ModelSerializer):
    discount_value = serializers.DecimalField(**MONEY)
    min_order_amount = serializers.DecimalField(**MONEY, allow_null=True)
    max_discount = serializers.DecimalField(**MONEY, allow_null=True)

    class Meta:
        model = PromoCode
        fields = [
            "id",
            *AdminPromoInput.Meta.fields,
            "used_count",
            "created_at",
            "updated_at",
        ]


class AdminContactUpdateInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ContactStatus.choices, required=False)
    admin_notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError({"status": "Send status or admin_notes."})
        return attrs


class AdminContactOutput(serializers.ModelSerializer):
    class Meta:
        model = ContactSubmission
        fields = [
            "id",
            "name",
            "email",
            "phone",
            "subject",
            "message",
            "status",
            "admin_notes",
            "created_at",
            "updated_at",
        ]
