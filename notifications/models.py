"""Inbox, preferences, deliveries and device tokens (seed 000 table 20, seed 004 notifications).

* ``Notification``: one inbox entry for one person (customer, partner or staff).
* ``NotificationPreference``: a person's choice for one event type, or one category of event types
  (seed 004's ``reminders``...), on one channel; no row means the catalogue's default
  (``notifications.catalogue``, which also says which choice wins).
* ``Delivery``: one message on one channel (SMS, email, WhatsApp, push) and its state; each try is a
  ``DeliveryAttempt`` (pending → sent / failed, provider id, error), so nothing sent or lost is unseen.
* ``DeviceToken``: a phone's push token (FCM), registered by the app.
* ``WebhookEndpoint``: an integrator's URL that receives seed 000's internal events (``booking.created``...)
  as signed JSON POSTs; each event to each endpoint is a ``Delivery`` on the ``webhook`` channel.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.models import BaseModel


class Channel(models.TextChoices):
    IN_APP = "in_app", "In the app"
    SMS = "sms", "SMS"
    EMAIL = "email", "Email"
    WHATSAPP = "whatsapp", "WhatsApp"
    PUSH = "push", "Push"
    TELEGRAM = "telegram", "Telegram"
    WEBHOOK = "webhook", "Webhook"


# The channels a person chooses between (preferences); webhooks go to integrators' endpoints instead.
# A channel is chosen and stored even before it has a backend (``notifications.backends.channel_available``).
DELIVERY_CHANNELS = (Channel.SMS, Channel.EMAIL, Channel.WHATSAPP, Channel.PUSH, Channel.TELEGRAM)


class Notification(BaseModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event_type = models.CharField(max_length=50)
    title = models.CharField(max_length=255)
    message = models.TextField()
    data = models.JSONField(default=dict, blank=True, help_text="booking_id, action_url...")
    is_read = models.BooleanField(default=False)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("resend_confirmation", "Can send a booking confirmation again"),
            ("send_reminder", "Can send an appointment reminder by hand"),
            ("broadcast", "Can send a message to a segment of users"),
        ]
        indexes = [
            models.Index(fields=["user", "is_read"], name="notification_user_read"),
            models.Index(fields=["user", "-created_at"], name="notification_user_created"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.user_id}"


class NotificationPreference(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event_type = models.CharField(
        max_length=50, help_text="An event type (catalogue.EVENTS) or a category of them (catalogue.CATEGORIES)."
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    enabled = models.BooleanField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event_type", "channel"], name="preference_once_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.event_type}/{self.channel}={self.enabled}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired (too old to send)"


class WebhookEndpoint(BaseModel):
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=255, blank=True)
    events = models.JSONField(default=list, blank=True, help_text="Event names; empty means every event.")
    secret_encrypted = models.TextField(editable=False, help_text="The signing secret, encrypted (core.crypto).")
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.url

    @property
    def secret(self) -> str:
        from core import crypto

        return crypto.decrypt(self.secret_encrypted)

    def wants(self, event: str) -> bool:
        return self.is_active and (not self.events or event in self.events)


class Delivery(BaseModel):
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    event_type = models.CharField(max_length=50)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    destination = models.CharField(max_length=255, help_text="Phone, email address, device token or Telegram chat id.")
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    provider = models.CharField(max_length=64, blank=True)
    provider_message_id = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(fields=["status", "-created_at"], name="delivery_status_created"),
            models.Index(fields=["channel", "-created_at"], name="delivery_channel_created"),
            models.Index(fields=["user", "-created_at"], name="delivery_user_created"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.event_type} to {self.destination} ({self.status})"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices)
    provider = models.CharField(max_length=64, blank=True)
    provider_message_id = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [models.UniqueConstraint(fields=["delivery", "number"], name="attempt_number_once")]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number} {self.status}"


class DevicePlatform(models.TextChoices):
    ANDROID = "android", "Android"
    IOS = "ios", "iOS"
    WEB = "web", "Web"


class DeviceToken(BaseModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="device_tokens")
    token = models.CharField(max_length=512, unique=True)
    platform = models.CharField(max_length=16, choices=DevicePlatform.choices, default=DevicePlatform.ANDROID)
    is_active = models.BooleanField(default=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.platform} …{self.token[-8:]}"


class TelegramUpdate(models.Model):
    """One Telegram bot update as received (seed 004 TG2): ``update_id`` is unique, so a repeat has no effect."""

    update_id = models.BigIntegerField(unique=True)
    received_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=32, help_text="message, callback_query, or another update kind (kept as is).")
    payload = models.JSONField(default=dict)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-update_id"]

    def __str__(self) -> str:
        return f"Telegram update {self.update_id} ({self.kind})"
