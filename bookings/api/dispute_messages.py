"""Seed 002's dispute conversation: ``GET /disputes/{id}/messages`` and ``POST /disputes/{id}/send_message`` (also
``POST /disputes/{id}/messages``), JSON or multipart with an image or PDF attachment.

Rules are in ``bookings.services.dispute_messages``; camelCase names (``messageType``, ``recipientId``) are read as
snake_case.
"""

from __future__ import annotations

from typing import Any

from djangorestframework_camel_case.parser import CamelCaseJSONParser
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from bookings.api.disputes import MAX_PAGE_SIZE, STAFF_ERRORS, TAG, name_of, page_of
from bookings.models import DisputeMessage, DisputeMessageType
from bookings.services import dispute_messages
from core.api import CamelCaseInput, query, valid
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer


class MessageOutput(serializers.Serializer):
    id = serializers.UUIDField()
    sender_name = serializers.CharField(allow_null=True, help_text="Empty for the platform's own messages.")
    recipient_name = serializers.CharField(allow_null=True, help_text="Empty: written to everyone.")
    message_type = serializers.ChoiceField(choices=DisputeMessageType.choices)
    content = serializers.CharField()
    attachment = serializers.CharField(allow_null=True, help_text="The attachment's URL.")
    attachment_name = serializers.CharField()
    is_read = serializers.BooleanField(help_text="Read by the person it was written to (before this read).")
    created_at = serializers.DateTimeField()
    is_mine = serializers.BooleanField()

    class Meta:
        ref_name = "DisputeMessageRow"


class MessagePageOutput(serializers.Serializer):
    messages = MessageOutput(many=True)
    total_count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    has_more = serializers.BooleanField()


class MessageQuery(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, default=1)
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, default=50)


class MessageInput(CamelCaseInput):
    """A message, with an optional image or PDF attachment (camelCase names are read too)."""

    ALIASES = {"messageType": "message_type", "recipientId": "recipient_id"}

    content = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    message_type = serializers.ChoiceField(
        choices=DisputeMessageType.choices,
        default=DisputeMessageType.TEXT,
        help_text="text, image or file (system is the platform's own: 422).",
    )
    attachment = serializers.FileField(required=False, allow_null=True, default=None)
    recipient_id = serializers.UUIDField(required=False, allow_null=True, default=None)


class MessageSentOutput(serializers.Serializer):
    id = serializers.UUIDField()
    sender_name = serializers.CharField(allow_null=True)
    message_type = serializers.ChoiceField(choices=DisputeMessageType.choices)
    content = serializers.CharField()
    attachment = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "DisputeMessageSent"


def message_row(message: DisputeMessage, reader_id: Any) -> dict[str, Any]:
    return {
        "id": message.pk,
        "sender_name": name_of(message.sender) if message.sender_id else None,
        "recipient_name": name_of(message.recipient) if message.recipient_id else None,
        "message_type": message.message_type,
        "content": message.content,
        "attachment": message.attachment.url if message.attachment else None,
        "attachment_name": message.attachment_name,
        "is_read": message.is_read,
        "created_at": message.created_at,
        "is_mine": message.sender_id == reader_id,
    }


class DisputeMessagesView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [CamelCaseJSONParser, MultiPartParser]

    @extend_schema(
        tags=[TAG],
        summary="The dispute's messages, oldest first; the ones written to me become read",
        parameters=[MessageQuery],
        responses={200: MessagePageOutput, 404: ErrorResponseSerializer, 422: ErrorResponseSerializer},
    )
    def get(self, request: AuthenticatedRequest, dispute_id) -> ApiResponse:
        params = query(MessageQuery, request)
        rows = dispute_messages.messages_of(request.user, dispute_id)
        start, size = page_of(params)
        page = list(rows[start : start + size])
        total = rows.count()
        body = {
            "messages": MessageOutput([message_row(m, request.user.pk) for m in page], many=True).data,
            "total_count": total,
            "page": params["page"],
            "page_size": size,
            "has_more": start + len(page) < total,
        }
        dispute_messages.messages_mark_read(request.user, page)
        return ApiResponse(body)

    @extend_schema(
        tags=[TAG],
        summary="Write in the dispute (its customer, partner or mediator), with an optional image or PDF",
        request={"multipart/form-data": MessageInput, "application/json": MessageInput},
        responses={201: MessageSentOutput, **STAFF_ERRORS},
    )
    def post(self, request: AuthenticatedRequest, dispute_id) -> ApiResponse:
        data = valid(MessageInput, request)
        message = dispute_messages.message_send(user=request.user, dispute_id=dispute_id, **data)
        row = message_row(message, request.user.pk)
        return ApiResponse(MessageSentOutput(row).data, message="Message sent", status=201)


class DisputeSendView(DisputeMessagesView):
    """``POST /disputes/{id}/send_message``: the same as ``POST /disputes/{id}/messages``."""

    http_method_names = ["post", "options"]
