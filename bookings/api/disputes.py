"""Seed 002's disputes: ``GET /disputes``, ``POST /disputes/create_dispute`` (also ``POST /disputes``),
``GET /disputes/{id}``, ``POST /disputes/{id}/resolve``, and staff's ``assign``, ``escalate`` and ``close``
(the messages are in ``bookings.api.dispute_messages``).

Rules are in ``bookings.services.disputes`` and ``bookings.services.dispute_messages``; lists in
``bookings.dispute_selectors``. Requests take camelCase names too (``bookingId``, ``disputeType``,
``resolutionAmount``...). Seed 002 sends the resolution type inside ``evidence`` (``evidence.resolution_type``);
``resolution_type`` at the top level is read first.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from bookings import dispute_selectors
from bookings.models import (
    Dispute,
    DisputeResolution,
    DisputeSeverity,
    DisputeStatus,
    DisputeType,
)
from bookings.services import dispute_resolution, disputes
from core.api import CamelCaseInput, query, valid
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer

TAG = "disputes"
ERRORS = {404: ErrorResponseSerializer, 409: ErrorResponseSerializer, 422: ErrorResponseSerializer}
STAFF_ERRORS = {403: ErrorResponseSerializer, **ERRORS}
MAX_PAGE_SIZE = 100


def name_of(user: Any) -> str | None:
    return (user.full_name or None) if user is not None else None


class DisputeRowOutput(serializers.Serializer):
    id = serializers.UUIDField()
    booking = serializers.UUIDField(source="booking_id")
    booking_number = serializers.CharField(source="booking.booking_number")
    title = serializers.CharField()
    dispute_type = serializers.ChoiceField(choices=DisputeType.choices)
    severity = serializers.ChoiceField(choices=DisputeSeverity.choices)
    status = serializers.ChoiceField(choices=DisputeStatus.choices)
    customer_name = serializers.SerializerMethodField()
    vendor_name = serializers.SerializerMethodField()
    assigned_mediator_name = serializers.SerializerMethodField()
    messages_count = serializers.IntegerField(help_text="Messages people wrote (the platform's own not counted).")
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "DisputeRow"

    def get_customer_name(self, dispute: Dispute) -> str | None:
        return name_of(dispute.customer)

    def get_vendor_name(self, dispute: Dispute) -> str | None:
        return dispute.vendor.name if dispute.vendor is not None else None

    def get_assigned_mediator_name(self, dispute: Dispute) -> str | None:
        return name_of(dispute.assigned_mediator)


class DisputeOutput(DisputeRowOutput):
    description = serializers.CharField()
    evidence = serializers.JSONField()
    escalated_at = serializers.DateTimeField(allow_null=True)
    resolution_type = serializers.CharField(help_text="full_refund, partial_refund, revisit or no_action; empty.")
    resolution_notes = serializers.CharField()
    resolution_amount = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    refund_id = serializers.UUIDField(allow_null=True)
    resolved_by_name = serializers.SerializerMethodField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "Dispute"

    def get_resolved_by_name(self, dispute: Dispute) -> str | None:
        return name_of(dispute.resolved_by)


class DisputeListOutput(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    results = DisputeRowOutput(many=True)


class DisputeListQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=DisputeStatus.choices, required=False)
    dispute_type = serializers.ChoiceField(choices=DisputeType.choices, required=False)
    page = serializers.IntegerField(min_value=1, default=1)
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, default=20)


class DisputeCreateInput(CamelCaseInput):
    """A dispute about one of my completed bookings (camelCase names are read too)."""

    ALIASES = {"bookingId": "booking_id", "disputeType": "dispute_type"}

    booking_id = serializers.UUIDField()
    dispute_type = serializers.ChoiceField(choices=DisputeType.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000)
    severity = serializers.ChoiceField(choices=DisputeSeverity.choices, default=DisputeSeverity.MEDIUM)
    evidence = serializers.DictField(required=False, default=dict)


class DisputeCreatedOutput(serializers.Serializer):
    id = serializers.UUIDField()
    booking = serializers.UUIDField(source="booking_id")
    dispute_type = serializers.ChoiceField(choices=DisputeType.choices)
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=DisputeStatus.choices)
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "DisputeCreated"


def page_of(params: dict[str, Any]) -> tuple[int, int]:
    size = params["page_size"]
    return (params["page"] - 1) * size, size


class DisputesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Disputes I opened or am part of, newest first (staff: all)",
        operation_id="disputes_list",
        parameters=[DisputeListQuery],
        responses={200: DisputeListOutput, 422: ErrorResponseSerializer},
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        params = query(DisputeListQuery, request)
        rows = dispute_selectors.disputes_for(
            request.user, status=params.get("status"), dispute_type=params.get("dispute_type")
        )
        start, size = page_of(params)
        page = list(rows[start : start + size])
        body = {
            "count": rows.count(),
            "page": params["page"],
            "page_size": size,
            "results": DisputeRowOutput(page, many=True).data,
        }
        return ApiResponse(body)

    @extend_schema(
        tags=[TAG],
        summary="Open a dispute on my completed booking (up to 7 days after the job)",
        request=DisputeCreateInput,
        responses={201: DisputeCreatedOutput, **ERRORS},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(DisputeCreateInput, request)
        dispute = disputes.dispute_open(user=request.user, **data)
        return ApiResponse(DisputeCreatedOutput(dispute).data, message="Dispute opened", status=201)


class DisputeCreateView(DisputesView):
    """``POST /disputes/create_dispute``: the same as ``POST /disputes``."""

    http_method_names = ["post", "options"]


class DisputeDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="One dispute", responses={200: DisputeOutput, 404: ErrorResponseSerializer})
    def get(self, request: AuthenticatedRequest, dispute_id) -> ApiResponse:
        return ApiResponse(DisputeOutput(dispute_selectors.dispute_of(request.user, dispute_id)).data)


class ResolveInput(CamelCaseInput):
    """How the dispute ends; the type may also come as evidence.resolution_type (camelCase names are read too)."""

    ALIASES = {
        "resolutionNotes": "resolution_notes",
        "resolutionAmount": "resolution_amount",
        "resolutionType": "resolution_type",
    }

    resolution_type = serializers.ChoiceField(choices=DisputeResolution.choices, required=False)
    resolution_notes = serializers.CharField(max_length=5000)
    resolution_amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    evidence = serializers.DictField(required=False, default=dict, help_text="May carry resolution_type.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs.get("resolution_type") or attrs.get("evidence", {}).get("resolution_type")
        if kind not in DisputeResolution.values:
            raise serializers.ValidationError(
                {"resolution_type": "Choose full_refund, partial_refund, revisit or no_action."}
            )
        attrs["resolution_type"] = kind
        attrs.pop("evidence", None)
        return attrs


class ResolvedOutput(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=DisputeStatus.choices)
    resolution_type = serializers.ChoiceField(choices=DisputeResolution.choices)
    resolution_notes = serializers.CharField()
    resolution_amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    resolved_at = serializers.DateTimeField()
    refund_ids = serializers.ListField(child=serializers.UUIDField())
    refund_status = serializers.CharField(allow_null=True, help_text="processed, pending or failed; null: none.")
    earning = serializers.JSONField(help_text="How the refund was shared with the partner's earning.")


class DisputeResolveView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Resolve: full or partial refund, revisit or no action (an ops manager or an admin)",
        request=ResolveInput,
        responses={200: ResolvedOutput, **STAFF_ERRORS},
    )
    def post(self, request: AuthenticatedRequest, dispute_id) -> ApiResponse:
        data = valid(ResolveInput, request)
        done = dispute_resolution.dispute_resolve(actor=request.user, dispute_id=dispute_id, **data)
        dispute = done.dispute
        body = {
            "id": dispute.pk,
            "status": dispute.status,
            "resolution_type": dispute.resolution_type,
            "resolution_notes": dispute.resolution_notes,
            "resolution_amount": dispute.resolution_amount,
            "resolved_at": dispute.resolved_at,
            "refund_ids": [refund.pk for refund in done.refunds],
            "refund_status": done.refunds[0].status if done.refunds else None,
            "earning": done.earning,
        }
        return ApiResponse(ResolvedOutput(body).data, message="Dispute resolved")


class DisputeAssignInput(CamelCaseInput):
    """Who mediates: the person named, or me when empty (camelCase names are read too)."""

    ALIASES = {"mediatorId": "mediator_id"}

    mediator_id = serializers.UUIDField(required=False, allow_null=True, default=None)


class EscalateInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class _StaffStep(APIView):
    permission_classes = [IsAuthenticated]

    def answer(self, request: AuthenticatedRequest, dispute: Dispute, message: str) -> ApiResponse:
        return ApiResponse(DisputeOutput(dispute_selectors.dispute_of(request.user, dispute.pk)).data, message=message)


class DisputeAssignView(_StaffStep):
    @extend_schema(
        tags=[TAG],
        summary="Take the dispute up as its mediator (me, or the person named)",
        request=DisputeAssignInput,
        responses={200: DisputeOutput, **STAFF_ERRORS},
    )
    def post(self, request: AuthenticatedRequest, dispute_id) -> ApiResponse:
        data = valid(DisputeAssignInput, request)
        dispute = disputes.dispute_assign(actor=request.user, dispute_id=dispute_id, **data)
        return self.answer(request, dispute, "Mediator assigned")


class DisputeEscalateView(_StaffStep):
    @extend_schema(
        tags=[TAG],
        summary="Escalate the dispute (its severity goes up one step)",
        request=EscalateInput,
        responses={200: DisputeOutput, **STAFF_ERRORS},
    )
    def post(self, request: AuthenticatedRequest, dispute_id) -> ApiResponse:
        data = valid(EscalateInput, request)
        dispute = disputes.dispute_escalate(actor=request.user, dispute_id=dispute_id, **data)
        return self.answer(request, dispute, "Dispute escalated")


class DisputeCloseView(_StaffStep):
    @extend_schema(
        tags=[TAG],
        summary="Close a resolved dispute",
        request=None,
        responses={200: DisputeOutput, **STAFF_ERRORS},
    )
    def post(self, request: AuthenticatedRequest, dispute_id) -> ApiResponse:
        dispute = dispute_resolution.dispute_close(actor=request.user, dispute_id=dispute_id)
        return self.answer(request, dispute, "Dispute closed")
