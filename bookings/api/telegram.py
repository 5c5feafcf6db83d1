"""``POST /telegram/webhook``: Telegram's bot updates (seed 004 "Telegram Bot Integration"; notes TG1-TG4).

* Off (503 SERVICE_UNAVAILABLE) without ``TELEGRAM_BOT_TOKEN``, and without
  ``TELEGRAM_WEBHOOK_SECRET`` (reading: a webhook nobody can authenticate is
  not served).
* ``X-Telegram-Bot-Api-Secret-Token`` missing -> 401 UNAUTHORIZED, different
  from the secret -> 403 FORBIDDEN (constant-time compare), before the body is
  read.
* The update is stored by its unique ``update_id`` (``notifications.telegram``)
  and answered 200 ``{"ok": true}`` at once; ``bookings.tasks.process_telegram_update``
  answers it after the commit. A repeat is answered the same and does nothing.
  A body with no integer ``update_id`` is 400 (Telegram never sends one).
* The body is parsed as plain JSON, not through the camelCase parser: Telegram's
  keys are stored exactly as sent.
"""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import DomainError, ErrorCode
from core.schema import ErrorResponseSerializer
from notifications.telegram import update_receive

SECRET_HEADER = "HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN"


class TelegramAckSerializer(serializers.Serializer):
    ok = serializers.BooleanField()


def check_webhook_secret(request: Request) -> None:
    if not (settings.TELEGRAM_BOT_TOKEN and settings.TELEGRAM_WEBHOOK_SECRET):
        raise DomainError("The Telegram bot is not configured on this server.", code=ErrorCode.SERVICE_UNAVAILABLE)
    given = request.META.get(SECRET_HEADER)
    if not given:
        raise DomainError("The Telegram secret token is missing.", code=ErrorCode.UNAUTHORIZED, reason="no_secret")
    if not hmac.compare_digest(given.encode(), settings.TELEGRAM_WEBHOOK_SECRET.encode()):
        raise DomainError("The Telegram secret token is wrong.", code=ErrorCode.FORBIDDEN, reason="bad_secret")


def queue_update(update_pk: int) -> None:
    from bookings.tasks import process_telegram_update

    process_telegram_update.delay(update_pk)


class TelegramWebhookView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]

    @extend_schema(
        tags=["Telegram"],
        summary="Telegram bot webhook: Telegram sends the bot's updates here (set with setWebhook's secret_token)",
        request=inline_serializer("TelegramUpdateInput", {"update_id": serializers.IntegerField()}),
        responses={
            200: TelegramAckSerializer,
            401: OpenApiResponse(ErrorResponseSerializer, description="No secret token"),
            403: OpenApiResponse(ErrorResponseSerializer, description="Wrong secret token"),
            503: OpenApiResponse(ErrorResponseSerializer, description="The bot is not configured"),
        },
    )
    def post(self, request: Request) -> Response:
        check_webhook_secret(request)
        payload: Any = request.data
        if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
            raise DomainError("update_id is required.", code=ErrorCode.INVALID_REQUEST, field="update_id")
        update = update_receive(payload=payload)
        if update is not None:
            pk = update.pk
            transaction.on_commit(lambda: queue_update(pk))
        return Response({"ok": True})
