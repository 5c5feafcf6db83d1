"""Seed 004's loyalty points: ``GET /loyalty/points``, ``POST /loyalty/redeem``, ``GET /loyalty/history``.

Rules are in ``bookings.services.loyalty`` (1 point = ₹0.10); reads in ``bookings.loyalty_selectors``. Requests
take the seed's camelCase (``bookingId``, ``rewardType``) or snake_case; answers are snake_case (DESIGN section 2).
``points`` must be a whole number above zero (0, negative or 1.5 → 422 naming ``points``). The only reward type is
``discount`` (points off a booking's unpaid amount). Seed 004's ``loyaltyPointsUsed`` on
``/payments/process-full-payment`` does the same through the payable's ``apply_loyalty_points`` (payments does not
know bookings), as the total the booking should hold.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from bookings import loyalty_selectors
from bookings.models import LoyaltyKind, LoyaltyTier, LoyaltyTransaction
from bookings.services import loyalty
from core.api import CamelCaseInput, page_params, paginate, valid
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer, page_of

TAG = "loyalty"


class LoyaltyRedeemInput(CamelCaseInput):
    """Points to spend on one of my bookings; camelCase names (``bookingId``, ``rewardType``) are accepted."""

    ALIASES = {"bookingId": "booking_id", "rewardType": "reward_type"}

    points = serializers.IntegerField(min_value=1, help_text="Whole points to spend (1 point = ₹0.10).")
    reward_type = serializers.ChoiceField(choices=["discount"], default="discount")
    booking_id = serializers.UUIDField()


class LoyaltyActivityOutput(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=LoyaltyKind.choices)
    points = serializers.IntegerField(help_text="Signed change of the spendable balance (redeemed: the spend).")
    reason = serializers.CharField()
    booking_id = serializers.UUIDField(allow_null=True)
    booking_number = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()


class LoyaltyPointsOutput(serializers.Serializer):
    current_balance = serializers.IntegerField()
    reserved = serializers.IntegerField(help_text="Points held for a payment not yet captured.")
    total_earned = serializers.IntegerField()
    total_spent = serializers.IntegerField()
    tier = serializers.ChoiceField(choices=LoyaltyTier.choices)
    next_tier = serializers.ChoiceField(choices=LoyaltyTier.choices, allow_null=True)
    next_tier_points = serializers.IntegerField(help_text="Points still to earn for the next tier (0 at gold).")
    next_tier_benefits = serializers.ListField(child=serializers.CharField())
    point_value = serializers.DecimalField(max_digits=4, decimal_places=2, coerce_to_string=False)
    recent_activity = LoyaltyActivityOutput(many=True)


class LoyaltyRedeemOutput(serializers.Serializer):
    points_redeemed = serializers.IntegerField()
    discount = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=False)
    booking_id = serializers.UUIDField()
    amount_due = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=False)
    current_balance = serializers.IntegerField()
    reserved = serializers.IntegerField()


LoyaltyHistoryPage = page_of("LoyaltyHistoryPage", "transactions", LoyaltyActivityOutput(many=True))


def _row(row: LoyaltyTransaction) -> dict:
    booking = row.booking
    return {
        "id": row.id,
        "kind": row.kind,
        "points": row.points,
        "reason": row.reason,
        "booking_id": booking.pk if booking else None,
        "booking_number": booking.booking_number if booking else None,
        "created_at": row.created_at,
    }


class LoyaltyPointsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="My points, tier and recent activity", responses=LoyaltyPointsOutput)
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        data = loyalty_selectors.loyalty_summary(user_id=request.user.pk)
        data["recent_activity"] = [_row(row) for row in data["recent_activity"]]
        data["point_value"] = loyalty.POINT_VALUE
        return ApiResponse(LoyaltyPointsOutput(data).data)


class LoyaltyRedeemView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Spend points as a discount on my booking's unpaid amount",
        request=LoyaltyRedeemInput,
        responses={200: LoyaltyRedeemOutput, 404: ErrorResponseSerializer, 422: ErrorResponseSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(LoyaltyRedeemInput, request)
        done = loyalty.loyalty_redeem(user=request.user, booking_id=data["booking_id"], points=data["points"])
        answer = {
            "points_redeemed": done.points,
            "discount": done.discount,
            "booking_id": done.booking.pk,
            "amount_due": done.amount_due,
            "current_balance": done.account.balance,
            "reserved": done.account.reserved,
        }
        return ApiResponse(LoyaltyRedeemOutput(answer).data, message="Points redeemed")


class LoyaltyHistoryView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG], summary="My points log, newest first", parameters=page_params(),
        responses=LoyaltyHistoryPage,
    )  # fmt: skip
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        rows = loyalty_selectors.loyalty_history(user_id=request.user.pk)
        return ApiResponse(paginate(self, request, rows, _row, "transactions"))
