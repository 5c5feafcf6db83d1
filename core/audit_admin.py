"""The Django admin's side of the audit log (``core.audit``): every save, delete and action, with its diff."""

from __future__ import annotations

import functools

from django.contrib import admin

from core.audit import diff, record, recorded_so_far, resource_type_of, snapshot
from core.models import AuditLog


def _audited_action(func, name: str):
    """Wrap an admin action: each selected row that changed is recorded with its diff."""

    @functools.wraps(func)
    def run(modeladmin, request, queryset):
        model = queryset.model
        pks = list(queryset.values_list("pk", flat=True))
        before = {row.pk: snapshot(row) for row in model._base_manager.filter(pk__in=pks)}
        already = len(recorded_so_far())
        response = func(modeladmin, request, queryset)
        # Rows the action's own services recorded are not recorded twice.
        done = {entry.resource_id for entry in recorded_so_far()[already:]}
        for row in model._base_manager.filter(pk__in=pks):
            changes = diff(before.get(row.pk, {}), snapshot(row))
            if changes and str(row.pk) not in done:
                record(
                    action=name,
                    resource_type=resource_type_of(model),
                    resource_id=row.pk,
                    changes=changes,
                    request=request,
                    via=AuditLog.Via.ADMIN_SITE,
                )
        return response

    return run


class AuditedModelAdmin(admin.ModelAdmin):
    """Base for every ModelAdmin: adds, changes, deletes and actions land in the audit log with their diff."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        return {
            name: (func if name == "delete_selected" else _audited_action(func, name), action_name, description)
            for name, (func, action_name, description) in actions.items()
        }

    def save_model(self, request, obj, form, change):
        before = {}
        if change and obj.pk is not None:
            original = type(obj)._base_manager.filter(pk=obj.pk).first()
            before = snapshot(original) if original is not None else {}
        super().save_model(request, obj, form, change)
        after = snapshot(obj)
        record(
            action=f"{'update' if change else 'create'}_{resource_type_of(obj)}",
            resource_type=resource_type_of(obj),
            resource_id=obj.pk,
            changes=diff(before, after),
            request=request,
            via=AuditLog.Via.ADMIN_SITE,
        )

    def save_related(self, request, form, formsets, change):
        before = {}
        instance = form.instance
        m2m = [f for f in instance._meta.many_to_many if f.name in form.cleaned_data]
        if change:
            before = {f.name: sorted(str(pk) for pk in f.value_from_object(instance)) for f in m2m}
        super().save_related(request, form, formsets, change)
        after = {f.name: sorted(str(o.pk) for o in getattr(instance, f.name).all()) for f in m2m}
        changes = diff(before, after) if change else {}
        if changes:
            record(
                action=f"update_{resource_type_of(instance)}_relations",
                resource_type=resource_type_of(instance),
                resource_id=instance.pk,
                changes=changes,
                request=request,
                via=AuditLog.Via.ADMIN_SITE,
            )

    def delete_model(self, request, obj):
        before = snapshot(obj)
        pk = obj.pk
        super().delete_model(request, obj)
        record(
            action=f"delete_{resource_type_of(obj)}",
            resource_type=resource_type_of(obj),
            resource_id=pk,
            changes={key: {"old": old, "new": None} for key, old in before.items()},
            request=request,
            via=AuditLog.Via.ADMIN_SITE,
        )

    def delete_queryset(self, request, queryset):
        rows = [(obj.pk, snapshot(obj)) for obj in queryset]
        super().delete_queryset(request, queryset)
        for pk, before in rows:
            record(
                action=f"delete_{resource_type_of(queryset.model)}",
                resource_type=resource_type_of(queryset.model),
                resource_id=pk,
                changes={key: {"old": old, "new": None} for key, old in before.items()},
                request=request,
                via=AuditLog.Via.ADMIN_SITE,
            )
