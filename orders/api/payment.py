"""Seed 001 section 8 through HTTP: mark payment received (8.1), payment status (8.2), dispute payment
(8.3), the V2 in-app payment (``POST /orders/{order_id}/pay``) and the society admins' review of payment
disputes (``/society-admin/order-disputes``, which the seed lacks).

The rules are in ``orders.services.payment`` and ``orders.services.disputes``; the payments side in
``orders.payable``. Here:

* Times are ISO 8601 in IST, money JSON numbers. ``next_steps.dispute_deadline`` is ``auto_close_at``.
* 8.2 has one typed shape whose keys depend on the status: after a payment ``payment_notes``,
  ``auto_close_at``, ``hours_until_auto_close`` and ``can_dispute``; before it ``message``.
* ``/pay`` needs ``X-Idempotency-Key`` as checkout does (a retry replays the first answer) and answers
  what Razorpay Checkout needs, the payments API's shape (``order_id`` there is the gateway's order, as
  Checkout wants it), plus ``society_order_id`` and ``order_number``.
* The disputes list is paginated as the societies lists are (seed 001's union of pagination keys); its
  query count does not grow with the number of disputes.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.api import query, valid
from core.idempotency import SCHEMA_PARAMETER as IDEMPOTENCY
from core.idempotency import IdempotentMixin, idempotency_key
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer
from orders.models import DisputeReason, DisputeResolution, DisputeStatus, OrderDispute
from orders.services import disputes, payment
from societies.api.common import actor_name, seed001_page
from societies.api.schemas import Seed001Pagination

RESIDENTS = "residents: society orders"
VENDORS = "vendors: society orders"
ADMINS = "society admins: society orders"
S, Int, F, Dt, B = (
    serializers.CharField,
    serializers.IntegerField,
    serializers.FloatField,
    serializers.DateTimeField,
    serializers.BooleanField,
)
ERRORS = {403: ErrorResponseSerializer, 404: ErrorResponseSerializer, 409: ErrorResponseSerializer}


def _iso(value: Any) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


# --- inputs ---------------------------------------------------------------------------------------


class SocietyOrderMarkPaymentInput(serializers.Serializer):
    payment_method = serializers.ChoiceField(choices=payment.MANUAL_METHODS)
    payment_notes = S(required=False, allow_blank=True, max_length=500, default="")
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, min_value=0, help_text="If sent, must be the final price."
    )


class SocietyOrderDisputeInput(serializers.Serializer):
    dispute_reason = serializers.ChoiceField(choices=DisputeReason.choices)
    dispute_details = S(required=False, allow_blank=True, max_length=2000, default="")


class SocietyOrderDisputeResolveInput(serializers.Serializer):
    resolution = serializers.ChoiceField(choices=DisputeResolution.choices)
    notes = S(required=False, allow_blank=True, max_length=2000, default="")


class SocietyOrderDisputesQuery(serializers.Serializer):
    society_id = Int(required=False, min_value=1)
    status = serializers.ChoiceField(choices=DisputeStatus.choices, required=False)


# --- outputs --------------------------------------------------------------------------------------


class SocietyOrderPaymentNextSteps(serializers.Serializer):
    message = S()
    can_be_disputed = B()
    dispute_deadline = Dt()


class SocietyOrderPaymentMarked(serializers.Serializer):
    order_id = serializers.UUIDField()
    order_number = S()
    status = S()
    payment_type = S()
    payment_method = S()
    payment_received_at = Dt()
    auto_close_at = Dt()
    grace_period_hours = Int()
    final_price = F()
    next_steps = SocietyOrderPaymentNextSteps()


class SocietyOrderPaymentStatus(serializers.Serializer):
    order_id = serializers.UUIDField()
    order_number = S()
    order_status = S()
    payment_type = S()
    payment_method = S(allow_null=True)
    payment_received_at = Dt(allow_null=True)
    final_price = F(allow_null=True, help_text="Null until the count is approved.")
    payment_notes = S(required=False, help_text="After a payment.")
    auto_close_at = Dt(required=False, allow_null=True, help_text="After a payment.")
    hours_until_auto_close = Int(
        required=False, allow_null=True, help_text="After a payment: whole hours (floor); null once frozen or closed."
    )
    can_dispute = B(required=False, help_text="After a payment.")
    message = S(required=False, help_text="Before a payment.")


class SocietyOrderDisputeNextSteps(serializers.Serializer):
    message = S()
    estimated_resolution_time = S()


class SocietyOrderDisputeRaised(serializers.Serializer):
    dispute_id = serializers.UUIDField()
    order_id = serializers.UUIDField()
    order_status = S()
    dispute_reason = S()
    dispute_raised_at = Dt()
    auto_close_frozen = B()
    next_steps = SocietyOrderDisputeNextSteps()


class SocietyOrderCheckout(serializers.Serializer):
    payment_id = serializers.UUIDField()
    gateway = S()
    order_id = S(help_text="The gateway's order id, as Razorpay Checkout takes it.")
    razorpay_order_id = S()
    amount = Int(help_text="In paise, as Razorpay Checkout wants it.")
    amount_display = S()
    currency = S()
    key = S()
    name = S()
    description = S()
    receipt = S()
    prefill = serializers.DictField(child=S())
    notes = serializers.DictField(child=S())
    society_order_id = serializers.UUIDField()
    order_number = S()


class SocietyOrderDisputeParty(serializers.Serializer):
    id = serializers.UUIDField()
    name = S()


class SocietyOrderDisputeRow(serializers.Serializer):
    dispute_id = serializers.UUIDField()
    status = S()
    dispute_reason = S()
    dispute_details = S()
    dispute_raised_at = Dt()
    order_id = serializers.UUIDField()
    order_number = S()
    order_status = S()
    society_id = Int()
    society_name = S()
    flat_number = S()
    resident = SocietyOrderDisputeParty()
    vendor = SocietyOrderDisputeParty()
    final_price = F(allow_null=True)
    payment_method = S(allow_null=True)
    payment_received_at = Dt(allow_null=True)
    resolution = S(allow_null=True)
    resolution_notes = S()
    resolved_at = Dt(allow_null=True)
    resolved_by = S(allow_null=True)


class SocietyOrderDisputesPage(serializers.Serializer):
    disputes = SocietyOrderDisputeRow(many=True)
    pagination = Seed001Pagination()


# --- payloads -------------------------------------------------------------------------------------


def marked_payload(order: Any) -> dict[str, Any]:
    return {
        "order_id": str(order.pk),
        "order_number": order.order_number,
        "status": order.status,
        "payment_type": order.payment_type,
        "payment_method": order.payment_method,
        "payment_received_at": _iso(order.payment_received_at),
        "auto_close_at": _iso(order.auto_close_at),
        "grace_period_hours": payment.GRACE_HOURS,
        "final_price": float(order.final_price),
        "next_steps": {
            "message": "Order will automatically close after 48 hours if no disputes are raised.",
            "can_be_disputed": True,
            "dispute_deadline": _iso(order.auto_close_at),
        },
    }


def dispute_row(d: OrderDispute) -> dict[str, Any]:
    order = d.order
    return {
        "dispute_id": str(d.pk),
        "status": d.status,
        "dispute_reason": d.reason,
        "dispute_details": d.details,
        "dispute_raised_at": _iso(d.raised_at),
        "order_id": str(order.pk),
        "order_number": order.order_number,
        "order_status": order.status,
        "society_id": order.society_id,
        "society_name": order.society.name,
        "flat_number": order.residence.unit.node_code,
        "resident": {"id": str(order.residence.user_id), "name": actor_name(order.residence.user)},
        "vendor": {"id": str(order.partner_id), "name": order.partner.business_name},
        "final_price": None if order.final_price is None else float(order.final_price),
        "payment_method": order.payment_method or None,
        "payment_received_at": _iso(order.payment_received_at),
        "resolution": d.resolution or None,
        "resolution_notes": d.resolution_notes,
        "resolved_at": _iso(d.resolved_at),
        "resolved_by": actor_name(d.resolved_by) if d.resolved_by else None,
    }


# --- views ----------------------------------------------------------------------------------------


class SocietyOrderMarkPaymentView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[VENDORS],
        summary="Mark an order's payment received (its vendor)",
        request=SocietyOrderMarkPaymentInput,
        responses={200: SocietyOrderPaymentMarked, **ERRORS},
    )
    def post(self, request: AuthenticatedRequest, order_id: Any) -> ApiResponse:
        data = valid(SocietyOrderMarkPaymentInput, request)
        order = payment.payment_mark_received(
            user=request.user,
            order_id=order_id,
            method=data["payment_method"],
            notes=data["payment_notes"],
            amount=data.get("amount"),
        )
        return ApiResponse(marked_payload(order), message="Payment confirmed. Order will auto-close in 48 hours.")


class SocietyOrderPaymentStatusView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[RESIDENTS],
        summary="An order's payment status",
        responses={200: SocietyOrderPaymentStatus, 404: ErrorResponseSerializer},
    )
    def get(self, request: AuthenticatedRequest, order_id: Any) -> ApiResponse:
        return ApiResponse(payment.payment_status(user=request.user, order_id=order_id))


class SocietyOrderDisputeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[RESIDENTS],
        summary="Dispute the payment the vendor marked (the order's resident)",
        request=SocietyOrderDisputeInput,
        responses={201: SocietyOrderDisputeRaised, **ERRORS},
    )
    def post(self, request: AuthenticatedRequest, order_id: Any) -> ApiResponse:
        data = valid(SocietyOrderDisputeInput, request)
        dispute = disputes.dispute_raise(
            user=request.user, order_id=order_id, reason=data["dispute_reason"], details=data["dispute_details"]
        )
        body = {
            "dispute_id": str(dispute.pk),
            "order_id": str(dispute.order_id),
            "order_status": dispute.order.status,
            "dispute_reason": dispute.reason,
            "dispute_raised_at": _iso(dispute.raised_at),
            "auto_close_frozen": True,
            "next_steps": {
                "message": "Society admin will contact both parties to resolve this dispute.",
                "estimated_resolution_time": "24-48 hours",
            },
        }
        return ApiResponse(body, message="Dispute raised successfully. Society admin will review.", status=201)


class SocietyOrderPayView(IdempotentMixin, APIView):
    """The resident pays a delivered order in the app, through the payment gateway's checkout.
    Send ``X-Idempotency-Key``: a retry with the same key gets the first answer instead of acting twice."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[RESIDENTS],
        summary="Pay a delivered order in the app (V2): a gateway order for Razorpay Checkout",
        request=None,
        parameters=[IDEMPOTENCY],
        responses={201: SocietyOrderCheckout, 422: ErrorResponseSerializer, **ERRORS},
    )
    def post(self, request: AuthenticatedRequest, order_id: Any) -> ApiResponse:
        checkout = payment.order_pay_online(
            user=request.user, order_id=order_id, idempotency_key=idempotency_key(request)
        )
        notes = checkout.data["notes"]
        body = {**checkout.data, "society_order_id": str(order_id), "order_number": notes.get("order_number", "")}
        return ApiResponse(body, message="Payment order created", status=201)


class SocietyOrderDisputesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[ADMINS],
        summary="Payment disputes of the societies I run",
        parameters=[
            OpenApiParameter("society_id", int),
            OpenApiParameter("status", str, enum=DisputeStatus.values),
            OpenApiParameter("page", int),
            OpenApiParameter("limit", int),
        ],
        responses={200: SocietyOrderDisputesPage, 403: ErrorResponseSerializer},
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        params = query(SocietyOrderDisputesQuery, request)
        rows = disputes.disputes_for(
            user=request.user, society_id=params.get("society_id"), dispute_status=params.get("status", "")
        )
        return ApiResponse(seed001_page(self, request, rows, dispute_row, "disputes"))


class SocietyOrderDisputeResolveView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[ADMINS],
        summary="Resolve a payment dispute (a society admin of the order's society)",
        request=SocietyOrderDisputeResolveInput,
        responses={200: SocietyOrderDisputeRow, 404: ErrorResponseSerializer, 422: ErrorResponseSerializer},
    )
    def post(self, request: AuthenticatedRequest, dispute_id: Any) -> ApiResponse:
        data = valid(SocietyOrderDisputeResolveInput, request)
        resolved = disputes.dispute_resolve(
            user=request.user, dispute_id=dispute_id, resolution=data["resolution"], notes=data["notes"]
        )
        row = disputes.with_rows().get(pk=resolved.pk)
        message = (
            "Dispute resolved: payment confirmed, order closed."
            if resolved.resolution == DisputeResolution.PAYMENT_CONFIRMED
            else "Dispute resolved: payment not received, order back to delivered."
        )
        return ApiResponse(dispute_row(row), message=message)
