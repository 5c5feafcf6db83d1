"""Django admin for societies: each society with its tree, roster import from a CSV file, residences and
vendor access with approve/reject actions, service areas and society admins.

Every write goes through the same services as the API (``societies.services``), so the rules (roster
checked whole, decisions only from pending, notifications, the audit log) hold here too. A rejection made
here records the reason "Rejected in the back office"; a reason of the admin's own is given through the API.
A society admin sees only the rows of the societies they run (``ScopedToSocieties``), as in the API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from core.errors import DomainError
from societies import selectors
from societies.models import (
    HierarchyNode,
    Residence,
    RosterEntry,
    ServiceArea,
    Society,
    SocietyAdminScope,
    VendorAccess,
)
from societies.scope import scoped_societies
from societies.services import residents, setup, vendors

BACK_OFFICE_REASON = "Rejected in the back office"


class ScopedToSocieties(admin.ModelAdmin):
    """Rows of the societies the signed-in society admin runs; platform staff see every society's."""

    society_path = "society"

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        scope = scoped_societies(request.user)
        return rows if scope is None else rows.filter(**{f"{self.society_path}__in": scope})


class RosterUploadForm(forms.Form):
    file = forms.FileField(help_text="CSV with the header phone,unit_node_id,suggested_name,is_primary,notes")


def _tree_html(node: dict) -> str:
    children = format_html_join("", "{}", ((_tree_html(child),) for child in node["children"]))
    return format_html(
        "<li><b>{}</b> {} <small>#{} {}</small><ul>{}</ul></li>",
        node["node_name"],
        node["node_type"],
        node["node_id"],
        node["node_code"],
        children,
    )


@admin.register(Society)
class SocietyAdmin(ScopedToSocieties):
    society_path = "pk"
    list_display = ("name", "society_type", "city", "pincode", "status", "has_subscription")
    list_filter = ("society_type", "status", "has_subscription", "city")
    search_fields = ("name", "address", "pincode")
    readonly_fields = ("tree", "created_at", "updated_at")
    change_form_template = "admin/societies/society_change_form.html"

    @admin.display(description="Hierarchy")
    def tree(self, society: Society) -> str:
        if society.pk is None:
            return "Saved societies show their tree here."
        root = selectors.hierarchy(society, include_inactive=True)
        return format_html("<ul>{}</ul>", _tree_html(root)) if root else "-"

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = setup.society_create(data=form.cleaned_data, by=request.user)  # with its root node
        obj.pk = created.pk

    def get_urls(self):
        return [
            path(
                "<int:society_id>/import-roster/",
                self.admin_site.admin_view(self.import_roster),
                name="societies_society_import_roster",
            ),
            *super().get_urls(),
        ]

    def import_roster(self, request, society_id: int):
        society = get_object_or_404(Society, pk=society_id)
        if not request.user.has_perm("societies.add_rosterentry"):
            messages.error(request, "You may not import rosters.")
            return HttpResponseRedirect(reverse("admin:societies_society_change", args=[society.pk]))
        form = RosterUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            text = form.cleaned_data["file"].read().decode("utf-8-sig", errors="replace")
            try:
                result = setup.roster_import(society_id=society.pk, rows=setup.rows_from_csv(text), by=request.user)
            except DomainError as exc:
                messages.error(request, f"Nothing was imported. {exc.message}")
            else:
                messages.success(request, f"Roster imported: {result['added']} added, {result['updated']} updated.")
                return HttpResponseRedirect(reverse("admin:societies_society_change", args=[society.pk]))
        context = {**self.admin_site.each_context(request), "form": form, "society": society, "title": "Import roster"}
        return TemplateResponse(request, "admin/societies/import_roster.html", context)


@admin.register(HierarchyNode)
class HierarchyNodeAdmin(ScopedToSocieties):
    list_display = ("node_name", "node_type", "node_code", "society", "level_depth", "path", "is_active")
    list_filter = ("node_type", "is_active", "society")
    search_fields = ("node_name", "node_code", "path")
    list_select_related = ("society",)
    readonly_fields = ("society", "parent", "level_depth", "path", "created_at")

    def has_add_permission(self, request) -> bool:
        return False  # nodes are added under a parent through the API (the path needs the new id)


@admin.register(RosterEntry)
class RosterEntryAdmin(ScopedToSocieties):
    list_display = ("phone", "society", "unit", "suggested_name", "is_primary")
    list_filter = ("society", "is_primary")
    search_fields = ("phone", "suggested_name", "unit__node_code")
    list_select_related = ("society", "unit")
    raw_id_fields = ("unit",)


class DecisionActions(ScopedToSocieties):
    """Approve/reject actions: each selected row through its service; one that is not pending is reported.

    A subclass names its rows (``noun``) and defines ``decide(row, action, by)``, which calls the service.
    """

    noun = "row(s)"
    decide: Callable[[Any, str, Any], None]

    def decide_all(self, request, queryset, action: str) -> None:
        done = 0
        for row in queryset.select_related("society"):
            try:
                self.decide(row, action, request.user)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{row}: {exc.message}", level=messages.WARNING)
        self.message_user(request, f"{done} {self.noun} {'approved' if action == 'APPROVE' else 'rejected'}.")


@admin.register(Residence)
class ResidenceAdmin(DecisionActions):
    list_display = ("user", "society", "unit", "verification_status", "is_primary", "is_active", "created_at")
    list_filter = ("verification_status", "society", "is_active")
    search_fields = ("user__phone", "user__full_name", "unit__node_code")
    list_select_related = ("user", "society", "unit")
    readonly_fields = (
        "user",
        "society",
        "unit",
        "verification_status",
        "verified_at",
        "approved_by",
        "rejected_at",
        "rejected_by",
        "is_primary",
        "is_active",
        "created_at",
    )
    actions = ["approve", "reject"]

    noun = "residence(s)"

    def decide(self, residence: Residence, action: str, by) -> None:
        residents.residence_decide(
            society=residence.society,
            residence_id=residence.pk,
            action=action,
            reason=BACK_OFFICE_REASON if action == "REJECT" else "",
            by=by,
        )

    @admin.action(description="Approve the selected pending residents", permissions=["change"])
    def approve(self, request, queryset) -> None:
        self.decide_all(request, queryset, "APPROVE")

    @admin.action(description="Reject the selected pending residents", permissions=["change"])
    def reject(self, request, queryset) -> None:
        self.decide_all(request, queryset, "REJECT")


@admin.register(VendorAccess)
class VendorAccessAdmin(DecisionActions):
    list_display = ("partner", "society", "approval_status", "requested_at", "approved_at")
    list_filter = ("approval_status", "society")
    search_fields = ("partner__business_name", "partner__partner_code", "partner__user__phone")
    list_select_related = ("partner__user", "society")
    readonly_fields = (
        "partner",
        "society",
        "approval_status",
        "requested_at",
        "approved_at",
        "approved_by",
        "rejected_at",
        "rejected_by",
    )
    actions = ["approve", "reject"]

    noun = "request(s)"

    def decide(self, access: VendorAccess, action: str, by) -> None:
        vendors.access_decide(
            society=access.society,
            vendor_id=access.partner_id,
            action=action,
            reason=BACK_OFFICE_REASON if action == "REJECT" else "",
            by=by,
        )

    @admin.action(description="Approve the selected vendors for their society", permissions=["change"])
    def approve(self, request, queryset) -> None:
        self.decide_all(request, queryset, "APPROVE")

    @admin.action(description="Reject the selected vendors for their society", permissions=["change"])
    def reject(self, request, queryset) -> None:
        self.decide_all(request, queryset, "REJECT")


@admin.register(ServiceArea)
class ServiceAreaAdmin(ScopedToSocieties):
    list_display = ("partner", "society", "assignment_type", "node", "is_active", "created_at")
    list_filter = ("assignment_type", "society")
    search_fields = ("partner__business_name", "partner__partner_code", "society__name", "node__node_code")
    list_select_related = ("partner__user", "society", "node")
    raw_id_fields = ("partner", "node")


@admin.register(SocietyAdminScope)
class SocietyAdminScopeAdmin(ScopedToSocieties):
    list_display = ("user", "society", "created_at")
    list_filter = ("society",)
    search_fields = ("user__email", "user__full_name", "user__phone", "society__name")
    raw_id_fields = ("user",)
