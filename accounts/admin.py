"""Django admin for accounts. Roles are groups, so the admin honours them through permissions.

OTP rows are read-only and never show their code (only its hash is stored).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import models

from accounts.models import Address, OtpVerification, PatientProfile, User
from accounts.services.blocking import user_set_active
from core.errors import DomainError


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "phone", "full_name")


class UserEditForm(UserChangeForm):
    photo_url = forms.URLField(max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = User
        fields = "__all__"


class AddressInline(admin.TabularInline):
    model = Address
    extra = 0
    fields = ("name", "address_line1", "city", "pincode", "is_default")
    show_change_link = True


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("-created_at",)
    date_hierarchy = "created_at"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("email", "phone", "full_name", "roles", "is_active", "is_staff", "created_at")
    list_filter = ("is_active", "is_staff", "is_superuser", "is_phone_verified", "is_email_verified", "groups")
    search_fields = ("email", "phone", "username", "full_name", "telegram_id")
    readonly_fields = ("id", "created_at", "updated_at", "last_login", "google_sub", "facebook_id", "telegram_id")
    inlines = [AddressInline]
    fieldsets = (
        (None, {"fields": ("id", "email", "phone", "username", "password")}),
        ("Profile", {"fields": ("full_name", "photo", "photo_url", "is_email_verified", "is_phone_verified")}),
        ("Sign-in providers", {"fields": ("google_sub", "facebook_id", "telegram_id")}),
        ("Roles and permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "created_at", "updated_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "phone", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )

    actions = ["block", "unblock"]
    ROLE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_readonly_fields(self, request, obj=None):
        """Only a super admin gives roles and permissions (and so makes staff)."""
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else [*fields, *self.ROLE_FIELDS]

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_staff_member and not request.user.is_superuser:
            return False  # only a super admin changes staff accounts
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def _set_active(self, request, queryset, is_active: bool) -> None:
        changed, refused = 0, []
        for person in queryset:
            try:
                user_set_active(user_id=person.pk, is_active=is_active, reason="Django admin", actor=request.user)
                changed += 1
            except DomainError as exc:
                refused.append(f"{person}: {exc.message}")
        if changed:
            self.message_user(
                request, f"{changed} account(s) {'unblocked' if is_active else 'blocked'}.", messages.SUCCESS
            )
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description="Block the selected users (signed out at once)", permissions=["change"])
    def block(self, request, queryset) -> None:
        self._set_active(request, queryset, False)

    @admin.action(description="Unblock the selected users", permissions=["change"])
    def unblock(self, request, queryset) -> None:
        self._set_active(request, queryset, True)

    @admin.display(description="roles")
    def roles(self, user: User) -> str:
        return ", ".join(sorted(user.role_names))


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "city", "pincode", "is_default", "created_at")
    list_filter = ("is_default", "state", "city")
    search_fields = ("name", "address_line1", "city", "pincode", "user__email", "user__phone")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    readonly_fields = ("id", "created_at", "updated_at")


@admin.register(OtpVerification)
class OtpVerificationAdmin(admin.ModelAdmin):
    list_display = ("destination", "purpose", "channel", "attempts", "sent_count", "expires_at", "verified_at")
    list_filter = ("purpose", "channel")
    search_fields = ("destination",)
    date_hierarchy = "created_at"
    exclude = ("code_hash",)
    readonly_fields = [f.name for f in OtpVerification._meta.fields if f.name != "code_hash"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PatientProfile)
class PatientProfileAdmin(admin.ModelAdmin):
    """Seed 003's patient details beside the account (``accounts.*_patientprofile``)."""

    list_display = ("user", "gender", "blood_group", "date_of_birth", "emergency_contact_name", "created_at")
    list_filter = ("gender", "blood_group")
    search_fields = ("user__full_name", "user__phone", "user__email", "emergency_contact_phone")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("id", "created_at", "updated_at")
