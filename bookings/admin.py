from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from bookings.models import (
    BOOKING_PAYABLE,
    Booking,
    BookingEvent,
    BookingService,
    ContactStatus,
    ContactSubmission,
    PromoCode,
    PromoCodeUsage,
    Review,
)
from bookings.services.reviews import review_set_hidden
from payments.models import Payment


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
    date_hierarchy = "created_at"
    list_filter = ("status",)
    search_fields = ("name", "email", "subject", "message")
    readonly_fields = ("name", "email", "phone", "subject", "message", "user", "created_at")
    actions = ["mark_resolved"]

    @admin.action(description="Mark the selected messages resolved")
    def mark_resolved(self, request, queryset) -> None:
        queryset.update(status=ContactStatus.RESOLVED)


class BookingServiceInline(admin.TabularInline):
    model = BookingService
    extra = 0
    can_delete = False
    fields = ("name", "quantity", "unit_price", "duration_minutes")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class BookingEventInline(admin.TabularInline):
    model = BookingEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "action", "old_status", "new_status", "actor", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class KindFilter(admin.SimpleListFilter):
    """Issue #18: an appointment (the customer chose the provider) or a dispatched booking."""

    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return (("appointment", "Appointment (chosen provider)"), ("dispatched", "Dispatched"))

    def queryset(self, request, queryset):
        if self.value() == "appointment":
            return queryset.filter(requested_partner__isnull=False)
        if self.value() == "dispatched":
            return queryset.filter(requested_partner__isnull=True)
        return queryset


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = (
        "booking_number",
        "user",
        "booking_date",
        "booking_time",
        "status",
        "payment_method",
        "payment_status",
        "grand_total",
        "source",
        "session_type",
        "requested_partner",
        "centre",
    )
    list_filter = (KindFilter, "session_type", "status", "payment_status", "payment_method", "source", "booking_date")
    search_fields = ("booking_number", "user__email", "user__phone", "contact_phone", "meeting_link")
    list_select_related = ("user", "requested_partner__user", "centre")
    date_hierarchy = "booking_date"
    readonly_fields = [
        f.name for f in Booking._meta.fields if f.name not in ("assignment_priority", "auto_assignment_enabled")
    ]
    inlines = [BookingServiceInline, BookingEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "payments"]

    @admin.display(description="payments")
    def payments(self, booking: Booking) -> str:
        """The booking's payments (generic rows of the payments layer, linked by payable id)."""
        rows = Payment.objects.filter(payable_type=BOOKING_PAYABLE, payable_id=str(booking.pk)).order_by("created_at")
        return (
            format_html_join(
                mark_safe("<br>"),
                '<a href="{}">{}</a>: {} {} ({})',
                (
                    (reverse("admin:payments_payment_change", args=[p.pk]), p.receipt, p.amount, p.currency, p.status)
                    for p in rows
                ),
            )
            or "-"
        )


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Moderation: staff with ``bookings.change_review`` hide a review (out of the public list and the partner's
    average) or restore it. Ratings and text are the author's, so they are read-only here."""

    list_display = ("booking", "customer", "partner", "rating", "is_hidden", "created_at", "edited_at")
    list_filter = ("is_hidden", "rating")
    list_select_related = ("booking", "customer", "partner")
    search_fields = ("booking__booking_number", "customer__email", "comment")
    readonly_fields = ("booking", "customer", "partner", "rating", "comment", "tags", "is_hidden", "edited_at")
    actions = ("hide_reviews", "restore_reviews")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Hide the selected reviews", permissions=["change"])
    def hide_reviews(self, request, queryset) -> None:
        for pk in queryset.values_list("pk", flat=True):
            review_set_hidden(review_id=pk, hidden=True, actor=request.user)

    @admin.action(description="Restore the selected reviews", permissions=["change"])
    def restore_reviews(self, request, queryset) -> None:
        for pk in queryset.values_list("pk", flat=True):
            review_set_hidden(review_id=pk, hidden=False, actor=request.user)
