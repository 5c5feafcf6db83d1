"""Django admin for notifications: inbox entries, deliveries with their attempt log, device tokens."""

from django.contrib import admin

from notifications.models import Delivery, DeliveryAttempt, DeviceToken, Notification, NotificationPreference


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


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
