"""What the gateway calls: Razorpay's webhook (public, verified by ``X-Razorpay-Signature`` over the raw
body), and for the embedded default only, a stand-in for Razorpay Checkout (``OfflineCheckoutView``,
routed by ``payments.urls`` only while the offline gateway is in use outside production)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.api import valid
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer
from payments import serializers as io
from payments.services import checkout, webhooks

TAG = "payments"


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


class OfflineCheckoutView(APIView):
    """Embedded default only: play Razorpay Checkout for an order (pay or fail it), so the flow can be tried."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Offline gateway: simulate Checkout",
        request=io.OfflineCheckoutInput,
        responses={
            200: inline_serializer(
                "CheckoutResult",
                {
                    "razorpay_order_id": serializers.CharField(),
                    "razorpay_payment_id": serializers.CharField(),
                    "razorpay_signature": serializers.CharField(),
                    "status": serializers.CharField(),
                },
            ),
            404: ErrorResponseSerializer,
        },
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(io.OfflineCheckoutInput, request)
        result = checkout.payment_simulate_checkout(
            user=request.user, order_id=data["order_id"], succeed=data["outcome"] == "success"
        )
        return ApiResponse(result, message="Checkout simulated: now call /payments/verify with these values")
