"""Payments for the person paying (under ``/api/v1/payments``): create a gateway order (seed 003
``create-order``; seed 004 deposit and remaining balance), verify a Checkout payment, a payment's status
and details, my history. Payment-creating endpoints need ``X-Idempotency-Key``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.api import valid
from core.idempotency import SCHEMA_PARAMETER, IdempotentMixin, idempotency_key
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer
from payments import selectors
from payments import serializers as io
from payments.models import Payment, PaymentKind
from payments.services import checkout, payments

TAG = "payments"
IDEMPOTENCY = SCHEMA_PARAMETER
_CHECKOUT = inline_serializer(
    "Checkout",
    {
        "payment_id": serializers.UUIDField(),
        "gateway": serializers.CharField(),
        "order_id": serializers.CharField(),
        "razorpay_order_id": serializers.CharField(),
        "amount": serializers.IntegerField(help_text="In paise, as Razorpay Checkout wants it."),
        "amount_display": serializers.CharField(),
        "currency": serializers.CharField(),
        "key": serializers.CharField(),
        "name": serializers.CharField(),
        "description": serializers.CharField(),
        "receipt": serializers.CharField(),
        "prefill": serializers.DictField(),
        "notes": serializers.DictField(),
        "final_amount": serializers.IntegerField(help_text="In paise: what is charged (the same as amount)."),
        "loyalty_discount": serializers.IntegerField(help_text="In paise: what loyalty points took off the item."),
        "loyalty_points_earned": serializers.IntegerField(help_text="Points the item earned (0 before completion)."),
    },
)


# Seed 003 ``create-order`` (also ``/payments/orders``); seed 004's deposit and remaining balance.
class CreateOrderView(IdempotentMixin, APIView):
    """Start paying for a booking (or anything else payable): a gateway order for the full amount, the deposit
    or the remaining balance, with what the checkout page needs."""

    permission_classes = [IsAuthenticated]
    kind: str | None = None
    input_class: type[io.CreateOrderInput] = io.CreateOrderInput

    @extend_schema(
        tags=[TAG],
        summary="Create a gateway order for a payable",
        parameters=[IDEMPOTENCY],
        request=io.CreateOrderInput,
        responses={201: _CHECKOUT, 409: ErrorResponseSerializer, 422: ErrorResponseSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(self.input_class, request)
        checkout = payments.payment_create_order(
            user=request.user,
            payable_type=data["payable_type"],
            payable_id=data["payable_id"],
            kind=self.kind or data["kind"],
            amount=data.get("amount"),
            currency=data.get("currency"),
            idempotency_key=idempotency_key(request),
            loyalty_points=data.get("loyalty_points_used") or 0,
        )
        return ApiResponse(checkout.data, message="Payment order created", status=201)


class ProcessDepositView(CreateOrderView):
    """Pay a booking's deposit: a gateway order for the deposit, with what the checkout page needs."""

    kind = PaymentKind.DEPOSIT


# Seed 004's remaining balance after the session.
class ProcessBalanceView(CreateOrderView):
    """Pay what is left after the session. ``loyaltyPointsUsed`` points come off it first (1 point = ₹0.10);
    the number is the total to use on the booking, so a retry never spends points twice."""

    kind = PaymentKind.BALANCE
    input_class = io.BalanceOrderInput

    @extend_schema(
        tags=[TAG],
        summary="Pay the remaining balance of a completed session, with loyalty points off",
        parameters=[IDEMPOTENCY],
        request=io.BalanceOrderInput,
        responses={
            201: _CHECKOUT,
            404: ErrorResponseSerializer,
            409: ErrorResponseSerializer,
            422: ErrorResponseSerializer,
        },
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        return super().post(request)


class VerifyView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Verify a Checkout payment",
        request=io.VerifyInput,
        responses={200: io.VerifyOutput, 400: ErrorResponseSerializer, 404: ErrorResponseSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(io.VerifyInput, request)
        payment = checkout.payment_verify(
            user=request.user,
            order_id=data["razorpay_order_id"],
            payment_id=data["razorpay_payment_id"],
            signature=data["razorpay_signature"],
        )
        body = io.PaymentOutput(payment).data
        body["payment_status"] = payment.status
        body.update(payments.payable_client_fields(payment))
        message = "Payment verified successfully" if payment.status == "success" else "Payment not completed"
        return ApiResponse(body, message=message)


class PaymentStatusView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="A payment's status", responses=io.PaymentOutput)
    def get(self, request: AuthenticatedRequest, payment_id) -> ApiResponse:
        return ApiResponse(io.PaymentOutput(selectors.payment_of(request.user, payment_id)).data)


class PaymentDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="A payment with its refunds", responses=io.PaymentDetailOutput)
    def get(self, request: AuthenticatedRequest, payment_id) -> ApiResponse:
        return ApiResponse(io.PaymentDetailOutput(selectors.payment_of(request.user, payment_id)).data)


class PaymentHistoryView(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = io.PaymentOutput
    pagination_items_key = "payments"
    pagination_default_limit = 20

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no signed-in user
            return Payment.objects.none()
        return selectors.payments_of(self.request.user)

    @extend_schema(tags=[TAG], summary="My payments, newest first")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)
