"""Inbox and preference shapes (seed 004 notifications; snake_case answers, camelCase accepted)."""

from __future__ import annotations

from typing import Any

from djangorestframework_camel_case.util import underscoreize
from rest_framework import serializers

from notifications import catalogue
from notifications.models import DELIVERY_CHANNELS, Channel, DeliveryStatus, DevicePlatform, Notification


class NotificationOutput(serializers.ModelSerializer):
    type = serializers.CharField(source="event_type")

    class Meta:
        model = Notification
        fields = ["id", "type", "title", "message", "data", "is_read", "read_at", "created_at"]


# The channel-first shape is seed 004's; categories are ``catalogue.CATEGORIES``.
class PreferencesInput(serializers.Serializer):
    """Preference changes in either shape; answers ``{"<event type or category>": {"<channel>": bool}}``.

    * event type (or category) first: ``{"booking_confirmed": {"sms": false}}``;
    * channel first: ``{"email": {"bookingConfirmations": true}, "telegram": {...}}``, with categories or
      event types inside.

    Either may come wrapped in ``{"preferences": ...}``. A body whose top-level
    names include a channel is read channel first. An unknown name, channel or
    a value that is not a boolean is refused with the path in ``details.field``
    (``push.chats``).
    """

    def to_internal_value(self, data: Any) -> dict[str, dict[str, bool]]:
        if isinstance(data, dict) and set(data) == {"preferences"}:
            data = data["preferences"]
        if not isinstance(data, dict) or not data:
            raise serializers.ValidationError({"preferences": "Send an object of channels or event types."})
        if set(data) & set(DELIVERY_CHANNELS):
            return self._channel_first(data)
        return self._event_first(data)

    @staticmethod
    def _choices(outer: str, inner: Any) -> dict[str, Any]:
        if not isinstance(inner, dict):
            raise serializers.ValidationError({outer: "Expected an object of true/false values."})
        for name, enabled in inner.items():
            if not isinstance(enabled, bool):
                raise serializers.ValidationError({outer: {name: "Must be true or false."}})
        return inner

    def _channel_first(self, data: dict[str, Any]) -> dict[str, dict[str, bool]]:
        changes: dict[str, dict[str, bool]] = {}
        for channel, choices in data.items():
            if channel not in DELIVERY_CHANNELS:
                raise serializers.ValidationError({channel: f"Unknown channel. Known: {', '.join(DELIVERY_CHANNELS)}."})
            for name, enabled in self._choices(channel, choices).items():
                if not catalogue.choosable(name):
                    raise serializers.ValidationError({channel: {name: f"Unknown category or event type. {_KNOWN}"}})
                changes.setdefault(name, {})[channel] = enabled
        return changes

    def _event_first(self, data: dict[str, Any]) -> dict[str, dict[str, bool]]:
        changes: dict[str, dict[str, bool]] = {}
        for name, choices in data.items():
            if not catalogue.choosable(name):
                raise serializers.ValidationError({name: f"Unknown channel, category or event type. {_KNOWN}"})
            for channel, enabled in self._choices(name, choices).items():
                if channel not in DELIVERY_CHANNELS:
                    raise serializers.ValidationError(
                        {name: {channel: f"Unknown channel. Known: {', '.join(DELIVERY_CHANNELS)}."}}
                    )
                changes.setdefault(name, {})[channel] = enabled
        return changes


_KNOWN = "Known: {}.".format(
    ", ".join([*catalogue.CATEGORIES, *(k for k, e in catalogue.EVENTS.items() if not e.transactional)])
)


class DeviceInput(serializers.Serializer):
    token = serializers.CharField(max_length=512)
    platform = serializers.ChoiceField(choices=DevicePlatform.choices, default=DevicePlatform.ANDROID)


class DeviceRemoveInput(serializers.Serializer):
    token = serializers.CharField(max_length=512)


# --- outbound webhooks (staff) ----------------------------------------------------------------


class WebhookEndpointInput(serializers.Serializer):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(child=serializers.CharField(max_length=50), required=False, default=list)
    description = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(required=False)

    def validate_url(self, value: str) -> str:
        from django.conf import settings

        if not value.startswith("https://") and not settings.DEBUG and not settings.WEBHOOKS_ALLOW_HTTP:
            raise serializers.ValidationError("Use an https:// URL.")
        return value


class WebhookEndpointOutput(serializers.ModelSerializer):
    class Meta:
        from notifications.models import WebhookEndpoint

        model = WebhookEndpoint
        fields = ["id", "url", "description", "events", "is_active", "created_at", "updated_at"]


# --- staff: delivery history and stats (seed 003) ---

SEED_003_TYPES = {"appointment_confirmation": "booking_confirmed", "appointment_reminder": "appointment_reminder"}


class HistoryQuery(serializers.Serializer):
    user_id = serializers.UUIDField(required=False)
    patient_id = serializers.UUIDField(required=False, help_text="Another name for user_id")  # seed 003
    booking_id = serializers.UUIDField(required=False)
    appointment_id = serializers.UUIDField(required=False, help_text="Another name for booking_id")  # seed 003
    notification_type = serializers.CharField(required=False)
    event_type = serializers.CharField(required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    status = serializers.CharField(required=False)
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False)

    def to_internal_value(self, data):
        return super().to_internal_value(underscoreize(dict(data.items())))  # seed 003's camelCase query names

    def validate(self, attrs):
        raw_type = (attrs.pop("notification_type", None) or attrs.get("event_type") or "").lower()
        if raw_type:
            event_type = SEED_003_TYPES.get(raw_type, raw_type)
            if event_type not in catalogue.EVENTS:
                raise serializers.ValidationError({"notification_type": "Unknown notification type."})
            attrs["event_type"] = event_type
        if attrs.get("status"):
            attrs["status"] = attrs["status"].lower()
            if attrs["status"] not in DeliveryStatus.values:
                raise serializers.ValidationError({"status": "Use sent, failed or pending."})
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": "end_date is before start_date."})
        attrs["user_id"] = attrs.pop("patient_id", None) or attrs.get("user_id")
        attrs["booking_id"] = attrs.pop("appointment_id", None) or attrs.get("booking_id")
        return attrs
