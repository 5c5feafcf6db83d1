"""The chat assistant over HTTP (issue #20, seed 002 "Chat"): ``POST /chat/query`` and ``GET /chat/context``.

Matching, answers and who may ask are in ``partners.assistant`` (why it lives in partners is said there). The
seed's request carries ``user_id`` and ``role`` and no authentication; here the caller must be signed in,
``user_id`` must be them (else ``403 FORBIDDEN`` naming ``user_id``) and ``role`` one they hold (else ``403
FORBIDDEN`` naming ``role``). A missing ``message`` is ``422 VALIDATION_ERROR`` naming it. ``userId`` is
accepted for ``user_id``.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.api import MissingIs422Input, query, valid
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer
from partners import assistant

TAG = "assistant"
ERRORS = {403: ErrorResponseSerializer, 422: ErrorResponseSerializer}
INTENT_NAMES = [intent.name for intent in assistant.INTENTS] + [assistant.HELP]


class ChatWhoInput(MissingIs422Input):
    """A missing field is 422 naming it (the issue asks for it), not the generic 400 of a missing field."""

    ALIASES = {"userId": "user_id"}

    user_id = serializers.UUIDField(help_text="Your own user id.")
    role = serializers.CharField(max_length=32, help_text="A role you hold: customer, partner, vendor, staff...")


class ChatQueryInput(ChatWhoInput):
    message = serializers.CharField(max_length=1000, help_text='What you ask, e.g. "Track my bookings".')


class ChatBookingOutput(serializers.Serializer):
    id = serializers.UUIDField()
    booking_number = serializers.CharField()
    services = serializers.ListField(child=serializers.CharField())
    status = serializers.CharField()
    status_label = serializers.CharField()
    scheduled_start = serializers.DateTimeField()
    free_cancellation_until = serializers.DateTimeField(required=False, help_text="Cancel help only.")

    class Meta:
        ref_name = "ChatBooking"


class ChatJobOutput(ChatBookingOutput):
    job_status = serializers.CharField(help_text="The partner's step: assigned (an offer), accepted, in_transit...")
    job_status_label = serializers.CharField()

    class Meta:
        ref_name = "ChatJob"


class ChatSignatureOutput(serializers.Serializer):
    id = serializers.UUIDField()
    booking_id = serializers.UUIDField()
    booking_number = serializers.CharField()
    services = serializers.ListField(child=serializers.CharField())
    requested_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()

    class Meta:
        ref_name = "ChatSignature"


class ChatDisputeOutput(serializers.Serializer):
    id = serializers.UUIDField()
    booking_number = serializers.CharField()
    title = serializers.CharField()
    dispute_type = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    created_at = serializers.DateTimeField()
    resolution_type = serializers.CharField(allow_blank=True)

    class Meta:
        ref_name = "ChatDispute"


class ChatEarningsOutput(serializers.Serializer):
    total_earnings = serializers.FloatField()
    pending = serializers.FloatField()
    paid = serializers.FloatField()
    on_hold = serializers.FloatField()

    class Meta:
        ref_name = "ChatEarnings"


class ChatDataOutput(serializers.Serializer):
    """The facts behind the answer; which keys are present depends on the intent."""

    bookings = ChatBookingOutput(many=True, required=False)
    jobs = ChatJobOutput(many=True, required=False)
    signatures = ChatSignatureOutput(many=True, required=False)
    disputes = ChatDisputeOutput(many=True, required=False)
    earnings = ChatEarningsOutput(required=False)
    bookings_by_status = serializers.DictField(child=serializers.IntegerField(), required=False)
    disputes_by_status = serializers.DictField(child=serializers.IntegerField(), required=False)
    suggested_actions = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        ref_name = "ChatData"


class ChatAnswerOutput(serializers.Serializer):
    response = serializers.CharField(help_text="The answer to show, with booking numbers, services and dates.")
    intent = serializers.ChoiceField(choices=INTENT_NAMES, help_text="What the question was taken to be.")
    data = ChatDataOutput()  # type: ignore[assignment]  # a field named like a Serializer attribute

    class Meta:
        ref_name = "ChatAnswer"


class ChatActivityOutput(serializers.Serializer):
    type = serializers.ChoiceField(choices=["booking", "job", "dispute"])
    id = serializers.UUIDField()
    booking_number = serializers.CharField()
    service = serializers.CharField()
    status = serializers.CharField()
    date = serializers.DateTimeField()

    class Meta:
        ref_name = "ChatActivity"


class ChatContextBodyOutput(serializers.Serializer):
    role = serializers.CharField()
    suggested_actions = serializers.ListField(child=serializers.CharField())
    recent_activities = ChatActivityOutput(many=True)

    class Meta:
        ref_name = "ChatContextBody"


class ChatContextOutput(serializers.Serializer):
    context = ChatContextBodyOutput()  # type: ignore[assignment]  # a field named like a Serializer attribute

    class Meta:
        ref_name = "ChatContext"


class ChatQueryView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Ask the assistant about my bookings, jobs, sign-offs, disputes or earnings",
        request=ChatQueryInput,
        responses={200: ChatAnswerOutput, **ERRORS},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        params = valid(ChatQueryInput, request)
        asker = assistant.asker_for(request.user, user_id=params["user_id"], role=params["role"])
        return ApiResponse(assistant.answer(asker, params["message"]))


class ChatContextView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="What the assistant suggests asking, and my latest activity",
        parameters=[OpenApiParameter("user_id", str, required=True), OpenApiParameter("role", str, required=True)],
        responses={200: ChatContextOutput, **ERRORS},
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        params = query(ChatWhoInput, request)
        asker = assistant.asker_for(request.user, user_id=params["user_id"], role=params["role"])
        return ApiResponse({"context": assistant.context(asker)})
