"""Django admin for partners: profiles (verify / deactivate) with their time off, centres and their managers,
availability, applications, offers and jobs (read-only history, with the score's parts), dispatch queue,
earnings and payouts (process / fail actions).

Issue #18: a centre lists its managers inline (``StaffCentre``); providers' time off has its own list
(changing it changes free slots); medical notes are append-only, so the admin only shows them (no add, change
or delete, even for a superuser; ``partners.view_medicalnote`` to read).

Money, aggregates and KYC are read-only here: KYC is shown masked, and
every change of state goes through the services, as the API's does.
"""

from django.contrib import admin, messages
from django.db.models import QuerySet

from core.admin_display import money
from core.errors import DomainError
from partners.models import (
    Centre,
    Dispatch,
    MedicalNote,
    OnboardingStatus,
    Partner,
    PartnerApplication,
    PartnerAssignment,
    PartnerAvailability,
    PartnerEarning,
    PartnerPayout,
    PartnerTimeOff,
    StaffCentre,
)
from partners.services import payouts, profiles
from partners.slots import slots_changed


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AvailabilityInline(admin.TabularInline):
    model = PartnerAvailability
    extra = 0
    fields = ("day_of_week", "start_time", "end_time", "is_active", "primary_pincode", "service_area_pincodes")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class TimeOffInline(admin.TabularInline):
    model = PartnerTimeOff
    extra = 0
    fields = ("starts_at", "ends_at", "weekly_until", "reason")


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = (
        "partner_code",
        "name",
        "onboarding_status",
        "is_active",
        "is_available",
        "rating",
        "completed_bookings",
        "cancellation_rate",
        "acceptance_rate",
        money("pending_payout"),
    )
    list_filter = ("kind", "onboarding_status", "is_active", "is_available", "categories")
    search_fields = ("partner_code", "business_name", "user__full_name", "user__phone", "user__email")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    filter_horizontal = ("categories", "centres")
    inlines = [AvailabilityInline, TimeOffInline]
    actions = ["verify", "deactivate"]
    readonly_fields = (
        "partner_code",
        "aadhar_masked",
        "pan_masked",
        "bank_account_masked",
        "rating",
        "rating_count",
        "total_bookings",
        "completed_bookings",
        "cancelled_bookings",
        "cancellation_rate",
        "offers_accepted",
        "offers_rejected",
        "offers_expired",
        "acceptance_rate",
        "total_earnings",
        "pending_payout",
        "last_seen_at",
        "verified_at",
        "verified_by",
        "created_at",
        "updated_at",
    )
    exclude = (
        "aadhar_encrypted",
        "aadhar_hash",
        "aadhar_last4",
        "pan_encrypted",
        "pan_last4",
        "bank_account_encrypted",
        "bank_account_last4",
        "bank_account_length",
        "rating_total",
    )

    @admin.display(description="Name")
    def name(self, partner: Partner) -> str:
        return partner.user.full_name

    @admin.action(description="Verify the selected partners", permissions=["change"])
    def verify(self, request, queryset: QuerySet[Partner]) -> None:
        for partner in queryset:
            profiles.partner_verify(partner_id=partner.pk, status=OnboardingStatus.VERIFIED, by=request.user)
        self.message_user(request, f"{queryset.count()} partner(s) verified.")

    @admin.action(description="Deactivate the selected partners (no new jobs)", permissions=["change"])
    def deactivate(self, request, queryset: QuerySet[Partner]) -> None:
        count = queryset.update(is_active=False)
        slots_changed()
        self.message_user(request, f"{count} partner(s) deactivated.")


class StaffCentreInline(admin.TabularInline):
    model = StaffCentre
    extra = 0
    fields = ("user", "created_at")
    readonly_fields = ("created_at",)
    raw_id_fields = ("user",)
    verbose_name = "centre manager"
    verbose_name_plural = "centre managers (their scope)"


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "phone", "email", "timezone", "is_active")
    list_filter = ("city", "is_active")
    search_fields = ("name", "city", "address", "phone", "email")
    readonly_fields = ("created_at", "updated_at")
    inlines = [StaffCentreInline]


@admin.register(PartnerTimeOff)
class PartnerTimeOffAdmin(admin.ModelAdmin):
    list_display = ("partner", "starts_at", "ends_at", "weekly_until", "reason")
    list_filter = ("partner__kind",)
    search_fields = ("partner__partner_code", "partner__user__full_name", "reason")
    list_select_related = ("partner__user",)
    raw_id_fields = ("partner",)
    date_hierarchy = "starts_at"

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        slots_changed()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        slots_changed()


@admin.register(MedicalNote)
class MedicalNoteAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "patient", "author", "booking")
    search_fields = ("patient__full_name", "patient__phone", "author__full_name", "booking__booking_number")
    list_select_related = ("patient", "author", "booking")
    date_hierarchy = "created_at"
    fields = ("patient", "author", "booking", "note", "created_at")
    readonly_fields = fields


@admin.register(StaffCentre)
class StaffCentreAdmin(admin.ModelAdmin):
    list_display = ("user", "centre", "created_at")
    list_filter = ("centre",)
    search_fields = ("user__email", "user__full_name", "user__phone", "centre__name")
    list_select_related = ("user", "centre")
    raw_id_fields = ("user",)


@admin.register(PartnerApplication)
class PartnerApplicationAdmin(admin.ModelAdmin):
    list_display = ("full_name", "application_type", "primary_service_category", "status", "submitted_at")
    date_hierarchy = "created_at"
    list_filter = ("status", "application_type")
    search_fields = ("full_name", "partner__partner_code", "partner__user__phone")
    readonly_fields = ("partner", "status", "submitted_at", "reviewed_at", "reviewed_by", "created_at")
    actions = ["approve", "reject"]

    def _review(self, request, queryset, decision: str) -> None:
        done = 0
        for application in queryset:
            try:
                profiles.application_review(application_id=application.pk, decision=decision, by=request.user)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{application}: {exc.message}", level=messages.WARNING)
        self.message_user(request, f"{done} application(s) {decision}d.")

    @admin.action(description="Approve the selected submitted applications", permissions=["change"])
    def approve(self, request, queryset) -> None:
        self._review(request, queryset, "approve")

    @admin.action(description="Reject the selected submitted applications", permissions=["change"])
    def reject(self, request, queryset) -> None:
        self._review(request, queryset, "reject")


@admin.register(PartnerAssignment)
class PartnerAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("booking", "partner", "status", "attempt", "dispatch_round", "score", "assigned_at", "expires_at")
    list_filter = ("status", "forced")
    search_fields = ("booking__booking_number", "partner__partner_code", "partner__user__full_name")
    list_select_related = ("booking", "partner__user")
    date_hierarchy = "assigned_at"


@admin.register(Dispatch)
class DispatchAdmin(ReadOnlyAdmin):
    list_display = ("booking", "status", "priority", "round", "attempts", "reason", "queued_at")
    list_filter = ("status", "reason")
    search_fields = ("booking__booking_number",)
    list_select_related = ("booking",)
    date_hierarchy = "created_at"


@admin.register(PartnerEarning)
class PartnerEarningAdmin(ReadOnlyAdmin):
    list_display = (
        "booking",
        "partner",
        money("booking_amount"),
        money("partner_earning", "earning"),
        money("platform_commission", "commission"),
        money("cash_collected"),
        "status",
        "payout",
        "created_at",
    )
    list_filter = ("status",)
    search_fields = ("booking__booking_number", "partner__partner_code", "partner__user__full_name")
    list_select_related = ("booking", "partner__user", "payout")
    date_hierarchy = "created_at"


@admin.register(PartnerPayout)
class PartnerPayoutAdmin(admin.ModelAdmin):
    list_display = (
        "payout_number",
        "partner",
        money("total_amount", "total"),
        money("commission_deduction", "commission"),
        money("net_amount", "net"),
        "status",
        "payment_method",
        "created_at",
        "processed_at",
    )
    list_filter = ("status", "payment_method")
    search_fields = (
        "payout_number",
        "partner__partner_code",
        "partner__user__full_name",
        "bank_transaction_id",
        "upi_transaction_id",
    )
    list_select_related = ("partner__user",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "partner",
        "payout_number",
        "total_amount",
        "commission_deduction",
        "net_amount",
        "status",
        "processed_at",
        "processed_by",
        "created_by",
        "failure_reason",
        "created_at",
    )
    actions = ["process", "fail"]

    def has_add_permission(self, request) -> bool:
        return False  # payouts are created from pending earnings (the API), not typed in

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _each(self, request, queryset, action, verb: str) -> None:
        done = 0
        for payout in queryset:
            try:
                action(payout)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{payout}: {exc.message}", level=messages.WARNING)
        self.message_user(request, f"{done} payout(s) {verb}.")

    @admin.action(description="Mark the selected payouts paid (completed)", permissions=["change"])
    def process(self, request, queryset) -> None:
        self._each(request, queryset, lambda p: payouts.payout_process(payout_id=p.pk, by=request.user), "completed")

    @admin.action(description="Mark the selected payouts failed (earnings pending again)", permissions=["change"])
    def fail(self, request, queryset) -> None:
        self._each(
            request,
            queryset,
            lambda p: payouts.payout_fail(payout_id=p.pk, reason="Marked failed in the admin", by=request.user),
            "failed",
        )
