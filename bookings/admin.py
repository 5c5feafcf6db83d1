from django.contrib import admin

from bookings.models import ContactStatus, ContactSubmission, PromoCode, PromoCodeUsage


@admin.register(PromoCode)
class PromoCodeAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "discount_type",
        "discount_value",
        "used_count",
        "total_usage_limit",
        "is_active",
        "valid_from",
        "valid_until",
    )
    list_filter = ("is_active", "discount_type")
    search_fields = ("code", "description")
    readonly_fields = ("used_count", "created_at", "updated_at")


@admin.register(PromoCodeUsage)
class PromoCodeUsageAdmin(admin.ModelAdmin):
    list_display = ("promo_code", "user", "booking", "discount_amount", "created_at")
    list_select_related = ("promo_code", "user", "booking")
    search_fields = ("promo_code__code", "user__email", "booking__booking_number")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ContactSubmission)
class ContactSubmissionAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "subject", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("name", "email", "subject", "message")
    readonly_fields = ("name", "email", "phone", "subject", "message", "user", "created_at")
    actions = ["mark_resolved"]

    @admin.action(description="Mark the selected messages resolved")
    def mark_resolved(self, request, queryset) -> None:
        queryset.update(status=ContactStatus.RESOLVED)
