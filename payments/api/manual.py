"""``POST /payments/{id}/process_manual_payment`` (seed 002, rule E): an operations manager settles a pending
payment in cash or by bank transfer (``payments.services.manual``; needs ``payments.change_payment``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.api import valid
from core.permissions import require_perms
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer
from payments.models import PaymentMethod
from payments.serializers import PaymentOutput
from payments.services.manual import payment_process_manual

MESSAGE = "Payment processed successfully"


class ManualPaymentInput(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=[PaymentMethod.CASH, PaymentMethod.BANK_TRANSFER], default=PaymentMethod.CASH
    )
    reference = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", help_text="The transfer's or receipt's number."
    )
    notes = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ManualPaymentOutput(PaymentOutput):
    """The payment after it was processed by hand."""

    processed_by = serializers.UUIDField(source="recorded_by_id", help_text="Who processed it.")
    processed_at = serializers.DateTimeField(source="captured_at")
    payment_type = serializers.SerializerMethodField(help_text="manual: settled by staff, not through the gateway.")

    class Meta(PaymentOutput.Meta):
        fields = [*PaymentOutput.Meta.fields, "processed_by", "processed_at", "payment_type"]
        validators: list = []  # an answer only (kind and type both read Payment.kind)

    def get_payment_type(self, payment) -> str:
        return "manual"


class ProcessManualPaymentView(APIView):
    """Operations managers (and finance, admins) mark a pending payment paid in cash or by bank transfer; the
    item paid for (a booking) becomes paid as after a gateway capture. Only a pending payment: anything else is
    422 INVALID_PAYMENT_STATUS."""

    permission_classes = [IsAuthenticated, require_perms("payments.change_payment")]

    @extend_schema(
        tags=["payments"],
        summary="Mark a pending payment paid in cash or by bank transfer",
        request=ManualPaymentInput,
        responses={
            200: inline_serializer(
                "ManualPaymentProcessed", {"message": serializers.CharField(), "payment": ManualPaymentOutput()}
            ),
            404: ErrorResponseSerializer,
            409: ErrorResponseSerializer,
            422: ErrorResponseSerializer,
        },
    )
    def post(self, request: AuthenticatedRequest, payment_id) -> ApiResponse:
        data = valid(ManualPaymentInput, request)
        payment = payment_process_manual(payment_id=payment_id, processed_by=request.user, **data)
        return ApiResponse({"message": MESSAGE, "payment": ManualPaymentOutput(payment).data}, message=MESSAGE)
