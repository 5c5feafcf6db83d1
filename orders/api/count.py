"""Seed 001 6.3-6.4 and cancellation: POST /orders/{order_id}/update-count (the vendor's count),
POST /orders/{order_id}/approve-count (the resident's APPROVE or QUESTION) and POST /orders/{order_id}/cancel.

The rules are in ``orders.services.count`` and ``orders.services.cancel``. Here:

* update-count answers 6.3's shape. ``notification_sent`` is whether the resident was asked (a count that
  changes nothing is approved at once: then the message is "Count matches the order. Order proceeding",
  ``status`` is PICKED_UP and ``approval_deadline``/``auto_approve_in`` are null).
* approve-count answers 6.4's shape for APPROVE. For QUESTION (no example in the seed) the message is
  "Question sent to the vendor" and ``data`` carries ``{order_id, status, action, question, questioned_at,
  auto_approval_paused: true}``; the APPROVE-only keys are absent. ``message`` is required for QUESTION
  (checked by the service after the caller, so a vendor gets its 403 first).
* cancel answers ``{order_id, order_number, status, cancelled_at, cancelled_by (RESIDENT|VENDOR),
  cancellation_reason}``.
* Money is a JSON number; times are local ISO 8601.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.api import valid
from core.responses import ApiResponse
from orders.models import CountStatus, CountUpdate, Order
from orders.services import cancel, count

RESIDENTS = "residents: society orders"
VENDORS = "vendors: society orders"
S, Int, F, Dt = serializers.CharField, serializers.IntegerField, serializers.FloatField, serializers.DateTimeField
MAX_LINES = 100
ACTIONS = (count.APPROVE, count.QUESTION)


def _when(value: Any) -> str | None:
    return None if value is None else timezone.localtime(value).isoformat()


# --- update-count ---------------------------------------------------------------------------------


class SocietyOrderCountLineInput(serializers.Serializer):
    service_id = serializers.UUIDField()
    rate_card_item_id = Int(min_value=1)
    item_name = S(required=False, allow_blank=True, max_length=120, help_text="Informative; the card's name is kept.")
    quantity = Int(min_value=0, max_value=1000, help_text="The new quantity of this line; 0 removes it.")


class SocietyOrderCountInput(serializers.Serializer):
    actual_items = SocietyOrderCountLineInput(many=True, help_text="Only the lines that changed.")
    vendor_notes = S(required=False, allow_blank=True, max_length=1000, default="")

    def validate_actual_items(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(value) > MAX_LINES:
            raise serializers.ValidationError(f"At most {MAX_LINES} lines per count.")
        return value


class SocietyOrderCountFigures(serializers.Serializer):
    total_items = Int()
    total_amount = F()


class SocietyOrderCountDifference(serializers.Serializer):
    items = Int()
    amount = F()


class SocietyOrderCountComparison(serializers.Serializer):
    original = SocietyOrderCountFigures()
    updated = SocietyOrderCountFigures()
    difference = SocietyOrderCountDifference()


class SocietyOrderCountUpdated(serializers.Serializer):
    order_id = serializers.UUIDField()
    status = S()
    count_comparison = SocietyOrderCountComparison()
    approval_deadline = Dt(allow_null=True, help_text="Null when the count changed nothing (approved at once).")
    auto_approve_in = S(allow_null=True)
    notification_sent = serializers.BooleanField()


def updated_payload(made: CountUpdate) -> dict[str, Any]:
    waiting = made.status == CountStatus.PENDING
    return {
        "order_id": str(made.order_id),
        "status": made.order.status,
        "count_comparison": count.comparison(made),
        "approval_deadline": _when(made.approval_deadline) if waiting else None,
        "auto_approve_in": count.AUTO_APPROVE_IN if waiting else None,
        "notification_sent": waiting,
    }


class SocietyOrderUpdateCountView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[VENDORS],
        summary="Update the count of an order (only the changed lines)",
        request=SocietyOrderCountInput,
        responses=SocietyOrderCountUpdated,
    )
    def post(self, request: AuthenticatedRequest, order_id: Any) -> ApiResponse:
        data = valid(SocietyOrderCountInput, request)
        made = count.count_update(user=request.user, order_id=order_id, data=data)
        if made.status == CountStatus.PENDING:
            message = "Count updated. Awaiting resident approval"
        else:
            message = "Count matches the order. Order proceeding"
        return ApiResponse(updated_payload(made), message=message)


# --- approve-count --------------------------------------------------------------------------------


class SocietyOrderCountAnswerInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTIONS)
    message = S(required=False, allow_blank=True, max_length=1000, default="", help_text="Required for QUESTION.")


class SocietyOrderCountAnswer(serializers.Serializer):
    order_id = serializers.UUIDField()
    status = S()
    action = serializers.ChoiceField(choices=ACTIONS)
    final_price = F(required=False, help_text="APPROVE only.")
    actual_item_count = Int(required=False, help_text="APPROVE only.")
    count_approved_at = Dt(required=False, help_text="APPROVE only.")
    question = S(required=False, help_text="QUESTION only.")
    questioned_at = Dt(required=False, help_text="QUESTION only.")
    auto_approval_paused = serializers.BooleanField(required=False, help_text="QUESTION only: always true.")


def answer_payload(order: Order, action: str) -> dict[str, Any]:
    data: dict[str, Any] = {"order_id": str(order.pk), "status": order.status, "action": action}
    if action == count.APPROVE:
        data |= {
            "final_price": float(order.final_price or 0),
            "actual_item_count": order.actual_item_count,
            "count_approved_at": _when(order.count_approved_at),
        }
        return data
    asked = count.question_of(order)
    data |= {
        "question": asked.question if asked else "",
        "questioned_at": _when(asked.questioned_at) if asked else None,
        "auto_approval_paused": True,
    }
    return data


class SocietyOrderApproveCountView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[RESIDENTS],
        summary="Approve or question the vendor's count",
        request=SocietyOrderCountAnswerInput,
        responses=SocietyOrderCountAnswer,
    )
    def post(self, request: AuthenticatedRequest, order_id: Any) -> ApiResponse:
        data = valid(SocietyOrderCountAnswerInput, request)
        order = count.count_answer(user=request.user, order_id=order_id, action=data["action"], message=data["message"])
        if data["action"] == count.APPROVE:
            return ApiResponse(answer_payload(order, count.APPROVE), message="Count approved. Order proceeding")
        return ApiResponse(answer_payload(order, count.QUESTION), message="Question sent to the vendor")


# --- cancel ---------------------------------------------------------------------------------------


class SocietyOrderCancelInput(serializers.Serializer):
    reason = S(required=False, allow_blank=True, max_length=500, default="", help_text="Required for the vendor.")


class SocietyOrderCancelled(serializers.Serializer):
    order_id = serializers.UUIDField()
    order_number = S()
    status = S()
    cancelled_at = Dt()
    cancelled_by = serializers.ChoiceField(choices=("RESIDENT", "VENDOR"))
    cancellation_reason = S()


class SocietyOrderCancelView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[RESIDENTS, VENDORS],
        summary="Cancel an order before pickup (resident, or vendor with a reason)",
        request=SocietyOrderCancelInput,
        responses=SocietyOrderCancelled,
    )
    def post(self, request: AuthenticatedRequest, order_id: Any) -> ApiResponse:
        data = valid(SocietyOrderCancelInput, request)
        order = cancel.order_cancel(user=request.user, order_id=order_id, reason=data["reason"])
        by_resident = order.cancelled_by_id == order.residence.user_id
        return ApiResponse(
            {
                "order_id": str(order.pk),
                "order_number": order.order_number,
                "status": order.status,
                "cancelled_at": _when(order.cancelled_at),
                "cancelled_by": "RESIDENT" if by_resident else "VENDOR",
                "cancellation_reason": order.cancellation_reason,
            },
            message="Order cancelled",
        )
