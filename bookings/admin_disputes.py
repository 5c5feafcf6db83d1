"""Disputes in the Django admin (issue #20, seed 002): the list staff work from, the conversation, and a resolve form.

Every field of a dispute is read only here: its steps go through ``bookings.services.disputes`` and
``dispute_resolution`` (locks, refund, earning, audit, notices). The change form adds "resolve as" (full or partial
refund, revisit, no action) with the amount and notes, and a message to write in the conversation; saving calls
the services as the signed-in staff member (``change_dispute`` to resolve, ``add_disputemessage`` to write). Two
list actions: take the selected disputes up as their mediator, and close the resolved ones.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.utils.html import format_html

from bookings.models import Dispute, DisputeMessage, DisputeResolution, DisputeStatus
from bookings.models.disputes import ACTIVE_DISPUTE_STATUSES
from bookings.services import dispute_messages, dispute_resolution, disputes
from core.admin_display import money
from core.errors import DomainError


class DisputeMessageInline(admin.TabularInline):
    """The conversation, read only (written through the form below or the API)."""

    model = DisputeMessage
    fields = ("created_at", "sender", "recipient", "message_type", "content", "attachment_link", "is_read")
    readonly_fields = fields
    ordering = ("created_at",)
    extra = 0
    can_delete = False

    @admin.display(description="attachment")
    def attachment_link(self, message: DisputeMessage) -> str:
        if not message.attachment:
            return "-"
        return format_html('<a href="{}">{}</a>', message.attachment.url, message.attachment_name or "file")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class DisputeForm(forms.ModelForm):
    resolve_as = forms.ChoiceField(
        choices=[("", "---"), *DisputeResolution.choices], required=False, help_text="Resolve the dispute now."
    )
    refund_amount = forms.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, help_text="For a partial refund (₹)."
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Resolution notes")
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="Written to everyone in the dispute."
    )

    class Meta:
        model = Dispute
        fields: list[str] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("resolve_as") and not (data.get("notes") or "").strip():
            self.add_error("notes", "A resolution needs notes.")
        return data


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    form = DisputeForm
    list_display = (
        "title",
        "booking",
        "dispute_type",
        "severity",
        "status",
        "vendor",
        "assigned_mediator",
        money("resolution_amount", "refund"),
        "created_at",
    )
    list_filter = ("status", "dispute_type", "severity")
    list_select_related = ("booking", "vendor__user", "assigned_mediator")
    search_fields = ("title", "booking__booking_number", "customer__email", "customer__full_name")
    date_hierarchy = "created_at"
    readonly_fields = (
        "booking",
        "customer",
        "vendor",
        "signature",
        "dispute_type",
        "severity",
        "status",
        "title",
        "description",
        "evidence",
        "assigned_mediator",
        "escalated_at",
        "resolution_type",
        "resolution_notes",
        "resolution_amount",
        "refund",
        "resolved_by",
        "resolved_at",
        "closed_at",
        "created_at",
    )
    fields = (*readonly_fields, "resolve_as", "refund_amount", "notes", "message")
    inlines = (DisputeMessageInline,)
    actions = ("take_up", "close_resolved")

    def has_add_permission(self, request) -> bool:
        return False  # the customer opens a dispute (or refuses a sign-off)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("bookings.change_dispute") or request.user.has_perm("bookings.add_disputemessage")

    def save_model(self, request, obj: Dispute, form: DisputeForm, change: bool) -> None:
        data = form.cleaned_data
        try:
            if (data.get("message") or "").strip():
                dispute_messages.message_send(user=request.user, dispute_id=obj.pk, content=data["message"])
            if data.get("resolve_as"):
                dispute_resolution.dispute_resolve(
                    actor=request.user,
                    dispute_id=obj.pk,
                    resolution_type=data["resolve_as"],
                    resolution_notes=data["notes"],
                    resolution_amount=data.get("refund_amount"),
                )
        except DomainError as error:
            self.message_user(request, str(error), level=messages.ERROR)

    @admin.action(description="Take up as their mediator", permissions=["change"])
    def take_up(self, request, queryset: QuerySet[Dispute]) -> None:
        done = 0
        for dispute in queryset.filter(status__in=ACTIVE_DISPUTE_STATUSES):
            try:
                disputes.dispute_assign(actor=request.user, dispute_id=dispute.pk)
                done += 1
            except DomainError as error:
                self.message_user(request, f"{dispute}: {error}", level=messages.ERROR)
        self.message_user(request, f"{done} dispute(s) taken up.")

    @admin.action(description="Close the resolved ones", permissions=["change"])
    def close_resolved(self, request, queryset: QuerySet[Dispute]) -> None:
        done = 0
        for dispute in queryset.filter(status=DisputeStatus.RESOLVED):
            try:
                dispute_resolution.dispute_close(actor=request.user, dispute_id=dispute.pk)
                done += 1
            except DomainError as error:
                self.message_user(request, f"{dispute}: {error}", level=messages.ERROR)
        self.message_user(request, f"{done} dispute(s) closed.")
