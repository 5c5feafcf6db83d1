"""Payments API (under ``/api/v1/payments``): thin views over the services.

Seed 000: verify, status, webhook. Seed 003: create-order, details, history,
create-link, verify link. Seed 004: process-deposit, process-full-payment,
refund, history. Payment-creating endpoints need ``X-Idempotency-Key``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from core.idempotency import SCHEMA_PARAMETER, IdempotentMixin, idempotency_key
from core.permissions import require_perms
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer
from payments import selectors
from payments import serializers as io
from payments.models import Payment, PaymentKind, ReconciliationReport
from payments.services import links, payments, refunds, webhooks

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
    },
)


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class CreateOrderView(IdempotentMixin, APIView):
    """Seed 003 ``create-order`` (also ``/payments/orders``); seed 004's deposit and remaining balance."""

    permission_classes = [IsAuthenticated]
    kind: str | None = None

    @extend_schema(
        tags=[TAG],
        summary="Create a gateway order for a payable",
        parameters=[IDEMPOTENCY],
        request=io.CreateOrderInput,
        responses={201: _CHECKOUT, 409: ErrorResponseSerializer, 422: ErrorResponseSerializer},
    )
    def post(self, request: Request) -> ApiResponse:
        data = _valid(io.CreateOrderInput, request)
        checkout = payments.payment_create_order(
            user=request.user,
            payable_type=data["payable_type"],
            payable_id=data["payable_id"],
            kind=self.kind or data["kind"],
            amount=data.get("amount"),
            currency=data.get("currency"),
            idempotency_key=idempotency_key(request),
        )
        return ApiResponse(checkout.data, message="Payment order created", status=201)


class ProcessDepositView(CreateOrderView):
    kind = PaymentKind.DEPOSIT


class ProcessBalanceView(CreateOrderView):
    kind = PaymentKind.BALANCE


class VerifyView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Verify a Checkout payment",
        request=io.VerifyInput,
        responses={200: io.VerifyOutput, 400: ErrorResponseSerializer},
    )
    def post(self, request: Request) -> ApiResponse:
        data = _valid(io.VerifyInput, request)
        payment = payments.payment_verify(
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


class WebhookView(APIView):
    """Razorpay's webhook: public, verified by ``X-Razorpay-Signature`` over the raw body."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(
        tags=[TAG],
        summary="Razorpay webhook",
        request={"application/json": dict},
        parameters=[
            OpenApiParameter("X-Razorpay-Signature", str, OpenApiParameter.HEADER, required=True),
            OpenApiParameter("X-Razorpay-Event-Id", str, OpenApiParameter.HEADER),
        ],
        responses={
            200: inline_serializer(
                "WebhookAck", {"received": serializers.BooleanField(), "status": serializers.CharField()}
            ),
            400: ErrorResponseSerializer,
        },
    )
    def post(self, request: Request) -> ApiResponse:
        webhook = webhooks.webhook_receive(
            body=request.body,
            signature=request.headers.get("X-Razorpay-Signature", ""),
            event_id=request.headers.get("X-Razorpay-Event-Id", ""),
        )
        return ApiResponse({"received": True, "status": webhook.status})


class PaymentStatusView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="A payment's status (seed 000)", responses=io.PaymentOutput)
    def get(self, request: Request, payment_id) -> ApiResponse:
        return ApiResponse(io.PaymentOutput(selectors.payment_of(request.user, payment_id)).data)


class PaymentDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="A payment with its refunds (seed 003)", responses=io.PaymentDetailOutput)
    def get(self, request: Request, payment_id) -> ApiResponse:
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

    @extend_schema(tags=[TAG], summary="My payments, newest first (seeds 003 and 004)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)


class RefundView(IdempotentMixin, APIView):
    """Seed 004 refund (``full | partial | deposit_only``): finance and admins."""

    permission_classes = [IsAuthenticated, require_perms("payments.add_refund")]

    @extend_schema(
        tags=[TAG],
        summary="Refund a payment",
        parameters=[IDEMPOTENCY],
        request=io.RefundInput,
        responses={201: io.RefundOutput, 422: ErrorResponseSerializer},
    )
    def post(self, request: Request) -> ApiResponse:
        data = _valid(io.RefundInput, request)
        payment_pk = (
            data.get("payment_id")
            or refunds.payment_for_refund(
                payable_type=data["payable_type"], payable_id=data["payable_id"], refund_type=data["refund_type"]
            ).pk
        )
        refund = refunds.refund_create(
            payment_pk=payment_pk,
            refund_type=data["refund_type"],
            amount=data.get("amount"),
            reason=data["reason"],
            requested_by=request.user,
        )
        return ApiResponse(io.RefundOutput(refund).data, message="Refund initiated", status=201)


class CashPaymentView(IdempotentMixin, APIView):
    permission_classes = [IsAuthenticated, require_perms("payments.add_payment")]

    @extend_schema(
        tags=[TAG],
        summary="Record a cash or manual payment",
        parameters=[IDEMPOTENCY],
        request=io.CashPaymentInput,
        responses={201: io.PaymentOutput},
    )
    def post(self, request: Request) -> ApiResponse:
        data = _valid(io.CashPaymentInput, request)
        payment = payments.payment_record_cash(
            payable_type=data["payable_type"],
            payable_id=data["payable_id"],
            amount=data["amount"],
            method=data["method"],
            kind=data["kind"],
            note=data["note"],
            recorded_by=request.user,
            idempotency_key=idempotency_key(request),
        )
        return ApiResponse(io.PaymentOutput(payment).data, message="Payment recorded", status=201)


class PaymentLinkCreateView(IdempotentMixin, APIView):
    """Seed 003 ``create-link``: admin, ops manager, front desk, care coordinator."""

    permission_classes = [IsAuthenticated, require_perms("payments.add_paymentlink")]

    @extend_schema(
        tags=[TAG],
        summary="Create a payment link",
        parameters=[IDEMPOTENCY],
        request=io.PaymentLinkInput,
        responses={201: io.PaymentLinkOutput},
    )
    def post(self, request: Request) -> ApiResponse:
        data = _valid(io.PaymentLinkInput, request)
        link = links.payment_link_create(created_by=request.user, **data)
        return ApiResponse(io.PaymentLinkOutput(link).data, message="Payment link created", status=201)


class PaymentLinkStatusView(APIView):
    permission_classes = [IsAuthenticated, require_perms("payments.view_paymentlink")]

    @extend_schema(
        tags=[TAG], summary="A payment link's status, fresh from the gateway", responses=io.PaymentLinkOutput
    )
    def get(self, request: Request, link_id: str) -> ApiResponse:
        return ApiResponse(io.PaymentLinkOutput(links.payment_link_refresh(gateway_link_id=link_id)).data)


class ReconciliationListView(ListAPIView):
    permission_classes = [IsAuthenticated, require_perms("payments.view_reconciliationreport")]
    serializer_class = io.ReconciliationOutput
    queryset = ReconciliationReport.objects.order_by("-day")
    pagination_items_key = "reports"

    @extend_schema(tags=[TAG], summary="Reconciliation reports, newest day first")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)


class OfflineCheckoutView(APIView):
    """Embedded default only: play Razorpay Checkout for an order (pay or fail it), so the flow can be tried."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Offline gateway: simulate Checkout",
        request=io.OfflineCheckoutInput,
        responses=inline_serializer(
            "CheckoutResult",
            {
                "razorpay_order_id": serializers.CharField(),
                "razorpay_payment_id": serializers.CharField(),
                "razorpay_signature": serializers.CharField(),
                "status": serializers.CharField(),
            },
        ),
    )
    def post(self, request: Request) -> ApiResponse:
        data = _valid(io.OfflineCheckoutInput, request)
        result = payments.payment_simulate_checkout(
            user=request.user, order_id=data["order_id"], succeed=data["outcome"] == "success"
        )
        return ApiResponse(result, message="Checkout simulated: now call /payments/verify with these values")
