"""Django admin for notifications: inbox entries, deliveries with their attempt log, device tokens, webhooks,
and the Telegram bot's updates (read-only: what arrived, when it was answered)."""

from django import forms
from django.contrib import admin, messages

from notifications.models import (
    Delivery,
    DeliveryAttempt,
    DeviceToken,
    Notification,
    NotificationPreference,
    TelegramUpdate,
    WebhookEndpoint,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TelegramUpdate)
class TelegramUpdateAdmin(ReadOnly):
    list_display = ("update_id", "kind", "received_at", "processed_at")
    list_filter = ("kind", ("processed_at", admin.EmptyFieldListFilter))
    search_fields = ("update_id",)
    date_hierarchy = "received_at"
    readonly_fields = ("update_id", "kind", "payload", "received_at", "processed_at")


@admin.register(Notification)
class NotificationAdmin(ReadOnly):
    list_display = ("created_at", "user", "event_type", "title", "is_read")
    list_filter = ("event_type", "is_read")
    search_fields = ("user__email", "user__phone", "title", "message")
    date_hierarchy = "created_at"
    list_select_related = ("user",)


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ("number", "status", "provider", "provider_message_id", "error", "started_at", "finished_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    list_display = ("created_at", "channel", "event_type", "destination", "status", "attempts", "provider")
    list_filter = ("status", "channel", "event_type")
    search_fields = ("destination", "provider_message_id", "user__email")
    date_hierarchy = "created_at"
    inlines = [AttemptInline]


@admin.register(DeviceToken)
class DeviceTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "platform", "is_active", "last_used_at", "created_at")
    list_filter = ("platform", "is_active")
    search_fields = ("user__email", "user__phone")
    readonly_fields = ("token", "created_at", "updated_at")
    list_select_related = ("user",)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnly):
    list_display = ("user", "event_type", "channel", "enabled", "updated_at")
    list_filter = ("channel", "event_type", "enabled")
    search_fields = ("user__email", "user__phone")


class WebhookEndpointForm(forms.ModelForm):
    # Declared: a form class's own fields are built before the admin's https default can apply.
    url = forms.URLField(max_length=500, assume_scheme="https")

    class Meta:
        model = WebhookEndpoint
        fields = ("url", "description", "events", "is_active")

    def clean_events(self):
        from core.errors import DomainError
        from notifications.webhooks import check_events

        try:
            return check_events(self.cleaned_data.get("events") or [])
        except DomainError as exc:
            raise forms.ValidationError(str(exc)) from exc


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """Integrators' endpoints. A new one gets a signing secret, shown once in the message after saving."""

    list_display = ("url", "events", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("url", "description")
    fields = ("url", "description", "events", "is_active")
    form = WebhookEndpointForm

    def save_model(self, request, obj, form, change) -> None:
        from notifications.webhooks import secret_set_new

        if not change:
            secret = secret_set_new(obj)
            obj.created_by = request.user
            messages.warning(request, f"Signing secret for {obj.url}: {secret} (shown once; keep it).")
        super().save_model(request, obj, form, change)
