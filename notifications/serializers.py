"""Inbox and preference shapes (seed 004 notifications; snake_case answers, camelCase accepted)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from notifications import catalogue
from notifications.models import DELIVERY_CHANNELS, DevicePlatform, Notification


class NotificationOutput(serializers.ModelSerializer):
    type = serializers.CharField(source="event_type")

    class Meta:
        model = Notification
        fields = ["id", "type", "title", "message", "data", "is_read", "read_at", "created_at"]


class PreferencesInput(serializers.Serializer):
    """``{"<event type>": {"<channel>": bool}}``, or seed 004's ``{"<channel>": {"<category>": bool}}``."""

    def to_internal_value(self, data: Any) -> dict[str, dict[str, bool]]:
        if not isinstance(data, dict) or not data:
            raise serializers.ValidationError({"preferences": "Send an object of event types and channels."})
        data = data.get("preferences", data)
        if set(data) <= set(DELIVERY_CHANNELS):  # seed 004: channel first
            flipped: dict[str, dict[str, Any]] = {}
            for channel, events in data.items():
                if not isinstance(events, dict):
                    raise serializers.ValidationError({channel: "Expected an object of event types."})
                for event_type, enabled in events.items():
                    flipped.setdefault(event_type, {})[channel] = enabled
            data = flipped
        changes: dict[str, dict[str, bool]] = {}
        for raw_type, channels in data.items():
            event_type = catalogue.ALIASES.get(raw_type, raw_type)
            spec = catalogue.EVENTS.get(event_type)
            if spec is None or spec.transactional:
                known = ", ".join(sorted(k for k, e in catalogue.EVENTS.items() if not e.transactional))
                raise serializers.ValidationError({raw_type: f"Unknown event type. Known: {known}."})
            if not isinstance(channels, dict):
                raise serializers.ValidationError({raw_type: "Expected an object of channels."})
            for channel, enabled in channels.items():
                if channel not in DELIVERY_CHANNELS:
                    raise serializers.ValidationError({raw_type: f"Unknown channel {channel!r}."})
                if not isinstance(enabled, bool):
                    raise serializers.ValidationError({raw_type: f"{channel} must be true or false."})
                changes.setdefault(event_type, {})[channel] = enabled
        return changes


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
