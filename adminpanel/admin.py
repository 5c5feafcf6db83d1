"""Django admin for the back office: audit log (read-only for everyone), system settings, CSV export.

* The audit log can be searched, filtered and read; nobody, not even a
  super admin, can add, change or delete an entry here (the model and a
  PostgreSQL trigger refuse it too).
* System settings are edited on one form that calls
  ``core.system_settings.settings_update`` (validated, audited, cached);
  only a super admin holds ``core.change_systemsetting``.
* "Export selected as CSV" is a site-wide action, offered wherever the user
  may view the model.
"""

from __future__ import annotations

import csv
from datetime import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html

from core import system_settings
from core.errors import DomainError
from core.models import AuditLog, SystemSetting


@admin.action(description="Export selected as CSV", permissions=["view"])
def export_csv(modeladmin, request, queryset):
    """Every concrete field of the selected rows (secrets masked as in the audit log)."""
    from core.audit import snapshot

    model = queryset.model
    names = [f.name for f in model._meta.concrete_fields]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="{model._meta.model_name}-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(names)
    for row in queryset.iterator(chunk_size=500):
        values = snapshot(row)
        writer.writerow(["" if values.get(name) is None else values.get(name) for name in names])
    return response


admin.site.add_action(export_csv, "export_csv")


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "actor_label",
        "actor_role",
        "action",
        "resource_type",
        "resource_id",
        "via",
        "ip_address",
    )
    list_filter = ("via", "resource_type", "actor_role", ("created_at", admin.DateFieldListFilter))
    search_fields = ("action", "resource_type", "resource_id", "actor_email", "actor_name", "request_id")
    date_hierarchy = "created_at"
    list_select_related = ("actor",)
    readonly_fields = [f.name for f in AuditLog._meta.fields] + ["changes_table"]
    exclude = ("changes",)

    @admin.display(description="actor", ordering="actor_email")
    def actor_label(self, entry: AuditLog) -> str:
        return entry.actor_name or entry.actor_email or "system"

    @admin.display(description="changes")
    def changes_table(self, entry: AuditLog) -> str:
        rows = [
            (key, value.get("old"), value.get("new"))
            if isinstance(value, dict) and set(value) == {"old", "new"}
            else (key, "", value)
            for key, value in (entry.changes or {}).items()
        ]
        if not rows:
            return "-"
        cells = "".join(format_html("<tr><td>{}</td><td>{}</td><td>{}</td></tr>", *row) for row in rows)
        return format_html("<table><tr><th>field</th><th>before</th><th>after</th></tr>{}</table>", cells)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class SettingsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for row in system_settings.describe():
            definition = system_settings.DEFINITIONS[row["key"]]
            help_text = row["description"] + (" (deployment default)" if row["is_default"] else "")
            if definition.kind == "clock":
                field = forms.CharField(initial=row["value"], help_text=help_text, max_length=5)
            elif definition.kind == "int":
                field = forms.IntegerField(
                    initial=row["value"], help_text=help_text, min_value=row["minimum"], max_value=row["maximum"]
                )
            else:
                field = forms.DecimalField(
                    initial=row["value"],
                    help_text=help_text,
                    min_value=row["minimum"],
                    max_value=row["maximum"],
                    decimal_places=2,
                )
            self.fields[row["key"]] = field


@admin.register(SystemSetting)
class SystemSettingAdmin(admin.ModelAdmin):
    """One form for all settings instead of a row list: the rules span keys (opening before closing)."""

    list_display = ("key", "value", "updated_by", "updated_at")

    def get_urls(self):
        return [path("", self.admin_site.admin_view(self.settings_view), name="core_systemsetting_changelist")]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def settings_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        may_change = request.user.has_perm("core.change_systemsetting")
        form = SettingsForm(request.POST or None)
        if request.method == "POST":
            if not may_change:
                raise PermissionDenied
            if form.is_valid():
                current = system_settings.all_values()
                changes = {k: v for k, v in form.cleaned_data.items() if v != current[k]}
                if changes:
                    try:
                        system_settings.settings_update(actor=request.user, changes=changes)
                    except DomainError as exc:
                        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                    else:
                        self.message_user(request, f"Saved: {', '.join(sorted(changes))}.", messages.SUCCESS)
                        return redirect(request.path)
                else:
                    self.message_user(request, "Nothing changed.", messages.INFO)
                    return redirect(request.path)
        if not may_change:
            for field in form.fields.values():
                field.disabled = True
        context = {
            **self.admin_site.each_context(request),
            "title": "System settings",
            "form": form,
            "may_change": may_change,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "adminpanel/system_settings.html", context)
