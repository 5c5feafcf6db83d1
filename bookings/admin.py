from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from bookings.models import (
    BOOKING_PAYABLE,
    Booking,
    BookingEvent,
    BookingPhoto,
    BookingService,
    BookingSignature,
    ContactStatus,
    ContactSubmission,
    DiscountType,
    LoyaltyAccount,
    LoyaltyTransaction,
    PromoCode,
    PromoCodeUsage,
    Review,
)
from bookings.services.loyalty import loyalty_adjust
from bookings.services.reviews import review_set_hidden
from core.admin_display import money, rupees
from core.errors import DomainError
from payments.models import Payment


@admin.register(PromoCode)
class PromoCodeAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "discount_type",
        "discount",
        "used_count",
        "total_usage_limit",
        "is_active",
        "valid_from",
        "valid_until",
    )
    list_filter = ("is_active", "discount_type")
    search_fields = ("code", "description")
    readonly_fields = ("used_count", "created_at", "updated_at")

    @admin.display(description="discount", ordering="discount_value")
    def discount(self, promo: PromoCode) -> str:
        if promo.discount_type == DiscountType.PERCENTAGE:
            return f"{promo.discount_value.normalize():f}%"
        return rupees(promo.discount_value)


@admin.register(PromoCodeUsage)
class PromoCodeUsageAdmin(admin.ModelAdmin):
    list_display = ("promo_code", "user", "booking", money("discount_amount", "discount"), "created_at")
    list_filter = ("promo_code__discount_type", "promo_code")
    date_hierarchy = "created_at"
    list_select_related = ("promo_code", "user", "booking")
    search_fields = ("promo_code__code", "user__email", "user__phone", "user__full_name", "booking__booking_number")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ContactSubmission)
class ContactSubmissionAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "subject", "status", "created_at")
    date_hierarchy = "created_at"
    list_filter = ("status",)
    search_fields = ("name", "email", "phone", "subject", "message")
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
        money("grand_total", "total"),
        "source",
        "session_type",
        "requested_partner",
        "centre",
    )
    list_filter = (KindFilter, "session_type", "status", "payment_status", "payment_method", "source", "booking_date")
    search_fields = (
        "booking_number",
        "user__email",
        "user__phone",
        "user__full_name",
        "contact_name",
        "contact_phone",
        "meeting_link",
    )
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
    list_select_related = ("booking", "customer", "partner__user")
    search_fields = (
        "booking__booking_number",
        "customer__email",
        "customer__phone",
        "customer__full_name",
        "partner__partner_code",
        "partner__user__full_name",
        "comment",
    )
    date_hierarchy = "created_at"
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


@admin.register(BookingPhoto)
class PhotoAdmin(admin.ModelAdmin):
    """The partner's photos of a job (seed 002), read only: they are added and deleted through the API, which
    keeps the rules (who, when, never after the sign-off) and removes the stored files."""

    list_display = ("preview", "booking", "image_type", "description", "uploaded_by", "size_bytes", "created_at")
    list_filter = ("image_type",)
    list_select_related = ("booking", "uploaded_by")
    search_fields = ("booking__booking_number",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "booking",
        "image_type",
        "image",
        "thumbnail",
        "width",
        "height",
        "size_bytes",
        "content_type",
        "description",
        "uploaded_by",
    )

    @admin.display(description="photo")
    def preview(self, photo: BookingPhoto) -> str:
        shown = photo.thumbnail or photo.image
        if not shown:
            return "-"
        return format_html('<img src="{}" alt="{}" style="height:48px">', shown.url, photo.image_type)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(BookingSignature)
class BookingSignatureAdmin(admin.ModelAdmin):
    """The customers' sign-offs (seed 002), read only: requested, signed and refused through the API (the rules
    and the hash live in ``bookings.services.signatures``); the expiry scan expires the unanswered ones."""

    list_display = ("booking", "status", "requested_at", "expires_at", "signed_at", "satisfaction_rating")
    list_filter = ("status",)
    list_select_related = ("booking",)
    search_fields = ("booking__booking_number",)
    date_hierarchy = "requested_at"
    readonly_fields = (
        "booking",
        "status",
        "requested_by",
        "requested_at",
        "expires_at",
        "signed_by",
        "signed_at",
        "satisfaction_rating",
        "satisfaction_comments",
        "signature_image",
        "signature_hash",
    )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class LoyaltyTransactionInline(admin.TabularInline):
    """The account's append-only log: read only."""

    model = LoyaltyTransaction
    fields = ("created_at", "kind", "points", "reason", "booking", "actor", "idempotency_key")
    readonly_fields = fields
    ordering = ("-created_at",)
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class LoyaltyAdjustForm(forms.ModelForm):
    adjust_points = forms.IntegerField(
        required=False, help_text="Points to add (positive) or take back (negative); logged with you and the reason."
    )
    adjust_reason = forms.CharField(required=False, max_length=255)

    class Meta:
        model = LoyaltyAccount
        fields: list[str] = []

    def clean(self):
        data = super().clean()
        if data.get("adjust_points") and not (data.get("adjust_reason") or "").strip():
            self.add_error("adjust_reason", "An adjustment needs a reason.")
        return data


@admin.register(LoyaltyAccount)
class LoyaltyAccountAdmin(admin.ModelAdmin):
    """Seed 004's loyalty accounts: counters and log read only; a manual adjustment goes through
    ``loyalty_adjust`` (one ``adjusted`` row with the staff member and the reason)."""

    form = LoyaltyAdjustForm
    list_display = ("user", "balance", "reserved", "total_earned", "total_spent", "tier", "updated_at")
    list_filter = ("tier",)
    search_fields = ("user__email", "user__phone", "user__full_name")
    readonly_fields = ("user", "balance", "reserved", "total_earned", "total_spent", "tier", "created_at")
    fields = (*readonly_fields, "adjust_points", "adjust_reason")
    inlines = (LoyaltyTransactionInline,)

    def has_add_permission(self, request) -> bool:
        return False  # an account is made on the customer's first points

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        points = form.cleaned_data.get("adjust_points")
        if not points:
            return  # nothing else on the account is editable
        try:
            loyalty_adjust(
                user_id=obj.user_id, points=points, reason=form.cleaned_data["adjust_reason"], actor=request.user
            )
        except DomainError as error:
            self.message_user(request, str(error), level=messages.ERROR)


from bookings import admin_disputes  # noqa: E402, F401  (disputes: their own module, registered on import)
