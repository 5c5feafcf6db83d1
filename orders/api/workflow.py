"""Seed 001 7.2-7.3: GET /orders/{order_id}/workflow-progress and
POST /orders/{order_id}/workflow/{service_id}/complete-step.

``orders.services.workflow`` holds the rules. Here:

* Progress: anyone who may see the order (its resident, its vendor, platform staff, the society's admins;
  else 404 ``ORDER_NOT_FOUND``). Every step carries every key of 7.2 (null where it does not apply):
  ``step_id`` is the order's own step (the id 7.3 takes), ``completed_by`` the vendor's id when the
  vendor completed it (else the user's id), ``notes`` null when empty, ``estimated_completion`` =
  ``started_at`` + the step's estimated minutes for the IN_PROGRESS step only. ``progress_percentage``
  = round(``current_step_order`` / ``total_steps`` * 100) as 7.2's examples compute it (4/5 → 80, 3/5 →
  60; the last step in progress is therefore 100), 100 once every step is completed. A fixed number of
  queries whatever the number of services and steps.
* Complete step: the order's vendor; body ``{step_id, photos (at most 10 URLs), notes, signature_url}``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer
from orders.models import Order, OrderService, OrderStep, StepStatus
from orders.services import workflow as service

RESIDENTS = "residents: society orders"
VENDORS = "vendors: society orders"
S, Int, Dt = serializers.CharField, serializers.IntegerField, serializers.DateTimeField
MAX_PHOTOS = 10
ERRORS = {403: ErrorResponseSerializer, 404: ErrorResponseSerializer, 422: ErrorResponseSerializer}


class SocietyOrderStepInput(serializers.Serializer):
    step_id = Int(min_value=1)
    photos = serializers.ListField(
        child=serializers.URLField(max_length=500), max_length=MAX_PHOTOS, required=False, default=list
    )
    notes = S(required=False, allow_blank=True, allow_null=True, max_length=2000)
    signature_url = serializers.URLField(required=False, allow_blank=True, allow_null=True, max_length=500)


class SocietyOrderProgressStep(serializers.Serializer):
    step_id = Int()
    step_name = S()
    step_order = Int()
    status = S()
    started_at = Dt(allow_null=True)
    completed_at = Dt(allow_null=True)
    duration_minutes = Int(allow_null=True)
    completed_by = S(allow_null=True)
    photos = serializers.ListField(child=S())
    notes = S(allow_null=True)
    estimated_completion = Dt(allow_null=True)


class SocietyOrderProgressService(serializers.Serializer):
    service_id = serializers.UUIDField()
    service_name = S()
    item_count = Int()
    current_step_order = Int()
    total_steps = Int()
    progress_percentage = Int()
    workflow_steps = SocietyOrderProgressStep(many=True)


class SocietyOrderProgressOutput(serializers.Serializer):
    order_id = serializers.UUIDField()
    order_number = S()
    status = S()
    services = SocietyOrderProgressService(many=True)


class SocietyOrderCompletedStep(serializers.Serializer):
    step_id = Int()
    step_name = S()
    completed_at = Dt()
    duration_minutes = Int(allow_null=True)


class SocietyOrderNextStep(serializers.Serializer):
    step_id = Int()
    step_name = S()
    step_order = Int()
    status = S()
    started_at = Dt()


class SocietyOrderStepCompletedOutput(serializers.Serializer):
    order_id = serializers.UUIDField()
    service_id = serializers.UUIDField()
    completed_step = SocietyOrderCompletedStep()
    next_step = SocietyOrderNextStep(allow_null=True)
    service_status = S()
    order_status = S()
    is_final_step = serializers.BooleanField()
    notification_sent = serializers.BooleanField()


def _when(value: Any) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _step(step: OrderStep, order: Order) -> dict[str, Any]:
    by = step.completed_by_id
    running = step.status == StepStatus.IN_PROGRESS and step.started_at is not None
    return {
        "step_id": step.pk,
        "step_name": step.step_name,
        "step_order": step.step_order,
        "status": step.status,
        "started_at": _when(step.started_at),
        "completed_at": _when(step.completed_at),
        "duration_minutes": service.duration_minutes(step),
        "completed_by": None if by is None else str(order.partner_id if by == order.partner.user_id else by),
        "photos": list(step.photos or []),
        "notes": step.notes or None,
        "estimated_completion": _when(step.started_at + timedelta(minutes=step.estimated_duration_minutes))
        if running and step.started_at
        else None,
    }


def _service(row: OrderService, order: Order, item_count: int) -> dict[str, Any]:
    steps = list(row.steps.all())
    return {
        "service_id": str(row.service_id),
        "service_name": row.service.name,
        "item_count": item_count,
        "current_step_order": row.current_step_order,
        "total_steps": row.total_steps,
        "progress_percentage": service.progress_percentage(row, steps),
        "workflow_steps": [_step(step, order) for step in steps],
    }


def progress_payload(order: Order) -> dict[str, Any]:
    counts: dict[Any, int] = {}
    for item in order.items.all():
        counts[item.service_id] = counts.get(item.service_id, 0) + item.quantity
    return {
        "order_id": str(order.pk),
        "order_number": order.order_number,
        "status": order.status,
        "services": [_service(row, order, counts.get(row.service_id, 0)) for row in order.services.all()],
    }


class SocietyOrderProgressView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[RESIDENTS],
        summary="Where each service of an order stands: its workflow steps, done and to do",  # seed 001 7.2
        responses={200: SocietyOrderProgressOutput, 404: ErrorResponseSerializer},
    )
    def get(self, request: AuthenticatedRequest, order_id: Any) -> ApiResponse:
        order = service.progress_for(user=request.user, order_id=order_id)
        return ApiResponse(progress_payload(order))


class SocietyOrderStepCompleteView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[VENDORS],
        summary="Complete the current workflow step of one service of an order",  # seed 001 7.3
        request=SocietyOrderStepInput,
        responses={200: SocietyOrderStepCompletedOutput, **ERRORS},
    )
    def post(self, request: AuthenticatedRequest, order_id: Any, service_id: Any) -> ApiResponse:
        data = SocietyOrderStepInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = service.step_complete(
            user=request.user, order_id=order_id, service_id=service_id, data=data.validated_data
        )
        return ApiResponse(result, message="Workflow step completed")
