"""Staff payment endpoints (under ``/api/v1/payments``): refund (seed 004; finance and admins), record a
cash or manual payment, payment links (seed 003 ``create-link``, link status), reconciliation reports.
Each names the permission it needs (``docs/permissions.md``); creating ones need ``X-Idempotency-Key``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.api import valid
from core.idempotency import SCHEMA_PARAMETER, IdempotentMixin, idempotency_key
from core.permissions import require_perms
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer
from payments import serializers as io
from payments.models import ReconciliationReport
from payments.services import links, payments, refunds

TAG = "payments"
IDEMPOTENCY = SCHEMA_PARAMETER


# Seed 004 refund.
class RefundView(IdempotentMixin, APIView):
    """Finance staff and admins refund a payment: in full, in part, or only the deposit
    (``full | partial | deposit_only``)."""

    permission_classes = [IsAuthenticated, require_perms("payments.add_refund")]

    @extend_schema(
        tags=[TAG],
        summary="Refund a payment",
        parameters=[IDEMPOTENCY],
        request=io.RefundInput,
        responses={201: io.RefundOutput, 422: ErrorResponseSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(io.RefundInput, request)
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
    """Staff record a payment taken in cash or outside the gateway.
    Send ``X-Idempotency-Key``: a retry with the same key gets the first answer instead of acting twice."""

    permission_classes = [IsAuthenticated, require_perms("payments.add_payment")]

    @extend_schema(
        tags=[TAG],
        summary="Record a cash or manual payment",
        parameters=[IDEMPOTENCY],
        request=io.CashPaymentInput,
        responses={201: io.PaymentOutput},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(io.CashPaymentInput, request)
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


# Seed 003 ``create-link``.
class PaymentLinkCreateView(IdempotentMixin, APIView):
    """Staff (admin, operations manager, front desk, care coordinator) create a link the customer pays by."""

    permission_classes = [IsAuthenticated, require_perms("payments.add_paymentlink")]

    @extend_schema(
        tags=[TAG],
        summary="Create a payment link",
        parameters=[IDEMPOTENCY],
        request=io.PaymentLinkInput,
        responses={201: io.PaymentLinkOutput},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(io.PaymentLinkInput, request)
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
