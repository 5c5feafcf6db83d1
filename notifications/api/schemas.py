"""OpenAPI: the response shapes of the inbox, delivery history and webhook endpoints (``notifications.api``).

They describe what the views build, field for field; the nested outputs are the serializers that render them.
"""

from __future__ import annotations

from rest_framework import serializers

from core.schema import page_of
from notifications.models import DELIVERY_CHANNELS, DeliveryStatus, DevicePlatform
from notifications.serializers import NotificationOutput, WebhookEndpointOutput

# --- a person's inbox, preferences and devices --------------------------------------------------


NotificationsPage = page_of(
    "NotificationsPage", "notifications", NotificationOutput(many=True), unread_count=serializers.IntegerField()
)


class NotificationReadOutput(serializers.Serializer):
    notification = NotificationOutput()


class NotificationsReadAllOutput(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many were unread.")
    unread_count = serializers.IntegerField(help_text="Always 0.")


def _switches(help_text: str) -> serializers.DictField:
    return serializers.DictField(child=serializers.DictField(child=serializers.BooleanField()), help_text=help_text)


class PreferencesOutput(serializers.Serializer):
    preferences = _switches('By event type, then channel: {"booking_confirmed": {"sms": true, ...}}.')
    channels = _switches(
        "By channel ("  # seed 004's shape
        + ", ".join(DELIVERY_CHANNELS)
        + '), then category: {"email": {"reminders": true}}.'
    )


class DeviceOutput(serializers.Serializer):
    id = serializers.UUIDField()
    platform = serializers.CharField(help_text=" or ".join(DevicePlatform.values))
    is_active = serializers.BooleanField()


class DeviceRegisteredOutput(serializers.Serializer):
    device = DeviceOutput()


class DeviceRemovedOutput(serializers.Serializer):
    removed = serializers.IntegerField(help_text="How many of my devices with this token were switched off (0 or 1).")


# --- staff: delivery history and stats (seed 003) -----------------------------------------------


class DeliveryRowOutput(serializers.Serializer):
    id = serializers.UUIDField()
    user_id = serializers.UUIDField(allow_null=True)
    booking_id = serializers.CharField(allow_null=True)
    notification_type = serializers.CharField()
    channel = serializers.CharField()
    destination = serializers.CharField()
    status = serializers.CharField(help_text=" or ".join(DeliveryStatus.values))
    attempts = serializers.IntegerField()
    provider = serializers.CharField()
    provider_message_id = serializers.CharField()
    error = serializers.CharField()
    sent_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class DeliveryAttemptOutput(serializers.Serializer):
    number = serializers.IntegerField()
    status = serializers.CharField(help_text=" or ".join(DeliveryStatus.values))
    provider = serializers.CharField()
    provider_message_id = serializers.CharField()
    error = serializers.CharField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class DeliveryDetailRowOutput(DeliveryRowOutput):
    body = serializers.CharField()
    attempt_log = DeliveryAttemptOutput(many=True)


class DeliveryDetailOutput(serializers.Serializer):
    notification = DeliveryDetailRowOutput()


DeliveryHistoryPage = page_of("DeliveryHistoryPage", "history", DeliveryRowOutput(many=True))


class DeliveryStatsOutput(serializers.Serializer):
    total_sent = serializers.IntegerField()
    total_failed = serializers.IntegerField()
    total_pending = serializers.IntegerField()
    success_rate = serializers.FloatField(help_text="Percent of the finished deliveries that were sent.")
    by_type = serializers.DictField(child=serializers.IntegerField(), help_text="Deliveries by event type.")
    by_channel = serializers.DictField(child=serializers.IntegerField(), help_text="Deliveries by channel.")


# --- outbound webhook endpoints -----------------------------------------------------------------


WebhookEndpointsPage = page_of(
    "WebhookEndpointsPage",
    "endpoints",
    WebhookEndpointOutput(many=True),
    events=serializers.ListField(child=serializers.CharField(), help_text="Every event an endpoint can receive."),
)


class WebhookEndpointCreatedOutput(WebhookEndpointOutput):
    secret = serializers.CharField(help_text="The signing secret; shown only here.")

    class Meta(WebhookEndpointOutput.Meta):
        fields = [*WebhookEndpointOutput.Meta.fields, "secret"]


class WebhookEndpointDetailOutput(WebhookEndpointOutput):
    deliveries = serializers.DictField(child=serializers.IntegerField(), help_text="Deliveries by status.")

    class Meta(WebhookEndpointOutput.Meta):
        fields = [*WebhookEndpointOutput.Meta.fields, "deliveries"]


class WebhookEndpointDeletedOutput(serializers.Serializer):
    deleted = serializers.BooleanField(help_text="Always true.")


class WebhookSecretOutput(serializers.Serializer):
    secret = serializers.CharField()
