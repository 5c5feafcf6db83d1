"""System settings, the audit log and caches (seed 000 settings and audit log; seed 002 edit history and
cache management)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from adminpanel import serializers as io
from adminpanel.api import system_schemas as out
from adminpanel.selectors import system
from adminpanel.services import caches
from core import system_settings
from core.api import page_params, paginate, query, valid
from core.permissions import require_perms, require_perms_by_method
from core.responses import ApiResponse

TAG_SYSTEM = "admin: settings, audit log, caches"


class SettingsView(APIView):
    permission_classes = [require_perms_by_method(read="core.view_systemsetting", write="core.change_systemsetting")]

    @extend_schema(tags=[TAG_SYSTEM], summary="System settings", responses=out.SettingsOutput)
    def get(self, request: Request) -> ApiResponse:
        values = {k: _plain(v) for k, v in system_settings.all_values().items()}
        return ApiResponse({**values, "settings": values, "definitions": _definitions()})

    @extend_schema(
        tags=[TAG_SYSTEM],
        summary="Change system settings (super admin)",
        request=io.SettingsInput,
        responses=out.SettingsUpdatedOutput,
    )
    def put(self, request: Request) -> ApiResponse:
        changes = valid(io.SettingsInput, request)
        values = system_settings.settings_update(actor=request.user, changes=changes)
        return ApiResponse({"settings": {k: _plain(v) for k, v in values.items()}}, message="Settings updated")

    patch = put


def _plain(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def _definitions() -> list[dict[str, Any]]:
    return [
        {**row, **{k: _plain(row[k]) for k in ("value", "minimum", "maximum")}} for row in system_settings.describe()
    ]


class AuditLogsView(APIView):
    permission_classes = [require_perms("core.view_auditlog")]

    @extend_schema(
        tags=[TAG_SYSTEM],
        summary="Audit log: who changed what, and when",  # seed 002 edit history too
        parameters=page_params(
            "admin_id",
            "user",
            "resource_type",
            "model",
            "resource_id",
            "action",
            "via",
            "date_from",
            "date_to",
            "start_date",
            "end_date",
        ),
        responses=out.AuditLogsPage,
    )
    def get(self, request: Request) -> ApiResponse:
        rows = system.audit_rows(query(io.AuditQuery, request))
        return ApiResponse(paginate(self, request, rows, io.audit_row, "logs"))


class CacheView(APIView):
    permission_classes = [require_perms("adminpanel.manage_cache")]

    @extend_schema(tags=[TAG_SYSTEM], summary="Cache statistics", responses=out.CacheStatsOutput)
    def get(self, request: Request) -> ApiResponse:
        return ApiResponse({"cache_stats": system.cache_stats(), "timestamp": timezone.now().isoformat()})

    @extend_schema(
        tags=[TAG_SYSTEM],
        summary="Clear a cache: all, catalog, slots or settings",
        request=io.CacheClearInput,
        responses=out.CacheClearOutput,
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(io.CacheClearInput, request)
        result = caches.cache_clear(cache_type=data["cache_type"], actor=request.user)
        return ApiResponse({"result": result}, message=f'Cache "{data["cache_type"]}" cleared successfully')
