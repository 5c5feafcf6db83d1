"""The Django admin site staff use: the dashboard on the index page, and every model admin audited.

``register`` mixes :class:`core.audit_admin.AuditedModelAdmin` into any admin class
that does not have it (Django's own ``Group`` admin, simplejwt's token
admins), so no model can be changed in the admin without an audit entry.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.template.response import TemplateResponse

from core.audit_admin import AuditedModelAdmin

# The dashboard's revenue chart: the last three months, one bar a day (issue #22: a quarter at a glance).
DASHBOARD_CHART_DAYS = 90


class HttpsUrlsAdmin(admin.ModelAdmin):
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class PlatformAdminSite(admin.AdminSite):
    site_header = "Services platform back office"
    site_title = "Back office"
    index_title = "Dashboard"
    index_template = "admin/platform_index.html"

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        mixins = tuple(m for m in (AuditedModelAdmin, HttpsUrlsAdmin) if not issubclass(admin_class, m))
        if mixins:
            admin_class = type(admin_class.__name__, (*mixins, admin_class), {"__module__": admin_class.__module__})
        return super().register(model_or_iterable, admin_class, **options)

    def index(self, request, extra_context=None) -> TemplateResponse:
        from adminpanel.selectors import analytics, dashboard

        extra_context = dict(extra_context or {})
        if request.user.has_perm("adminpanel.view_dashboard"):
            extra_context["dashboard"] = dashboard.dashboard(viewer=request.user)
            extra_context["revenue_chart"] = analytics.revenue_chart(days=DASHBOARD_CHART_DAYS)
        return super().index(request, extra_context)
