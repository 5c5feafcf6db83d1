"""OpenAPI: the response shapes of the settings, audit log and cache endpoints (``adminpanel.api.system``).

They describe what ``core.system_settings``, ``adminpanel.serializers.audit_row`` and
``adminpanel.selectors.system`` build, field for field.
"""

from __future__ import annotations

from rest_framework import serializers

from adminpanel.api.schemas import CacheHealthOutput
from core.schema import page_of

# --- settings, audit log, caches -------------------------------------------------------------


def _setting_value(**kwargs) -> serializers.JSONField:
    return serializers.JSONField(help_text="A number, string or boolean, as the setting's definition says.", **kwargs)


class SettingDefinitionOutput(serializers.Serializer):
    key = serializers.CharField()
    value = _setting_value()
    description = serializers.CharField()
    unit = serializers.CharField()
    minimum = _setting_value(allow_null=True)
    maximum = _setting_value(allow_null=True)
    is_default = serializers.BooleanField()


class SettingsUpdatedOutput(serializers.Serializer):
    settings = serializers.DictField(
        child=_setting_value(), help_text="Every setting by key (core.system_settings.DEFINITIONS)."
    )


# Seed 000 reads every setting at the top level of data.
class SettingsOutput(SettingsUpdatedOutput):
    """The platform settings. Every setting is also sent at the top level of data, beside "settings" (the
    same values)."""

    definitions = SettingDefinitionOutput(many=True)


class AuditAdminOutput(serializers.Serializer):
    id = serializers.UUIDField(allow_null=True)
    name = serializers.CharField()
    email = serializers.CharField()
    role = serializers.CharField()


class AuditDiffOutput(serializers.Serializer):
    field = serializers.CharField()
    old_value = serializers.JSONField(allow_null=True)
    new_value = serializers.JSONField(allow_null=True)
    change_type = serializers.ChoiceField(choices=["added", "removed", "modified"])


class AuditRowOutput(serializers.Serializer):
    id = serializers.UUIDField()
    admin = AuditAdminOutput()
    action = serializers.CharField()
    resource_type = serializers.CharField()
    resource_id = serializers.CharField()
    changes = serializers.DictField(
        child=serializers.JSONField(), help_text="What the action recorded; a field's change is {old, new}."
    )
    old_values = serializers.DictField(child=serializers.JSONField())
    new_values = serializers.DictField(child=serializers.JSONField())
    diff = AuditDiffOutput(many=True)
    via = serializers.CharField()
    ip_address = serializers.CharField(allow_null=True)
    user_agent = serializers.CharField()
    request_id = serializers.CharField()
    created_at = serializers.DateTimeField()


AuditLogsPage = page_of("AuditLogsPage", "logs", AuditRowOutput(many=True))


class CacheStatsRowOutput(serializers.Serializer):
    name = serializers.CharField()
    backend = serializers.CharField()
    timeout = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=["healthy", "unhealthy"])
    redis_version = serializers.CharField(required=False)
    used_memory = serializers.CharField(required=False)
    connected_clients = serializers.IntegerField(required=False)
    keyspace_hits = serializers.IntegerField(required=False)
    keyspace_misses = serializers.IntegerField(required=False)
    hit_rate_percentage = serializers.FloatField(required=False)
    total_keys = serializers.IntegerField(required=False)
    error = serializers.CharField(required=False, help_text="When unhealthy.")


class CacheStatsMapOutput(serializers.Serializer):  # one entry per ``settings.CACHES`` (only ``default`` today)
    """How each cache is doing, and the health of them all (``overall_health``)."""

    default = CacheStatsRowOutput()
    overall_health = CacheHealthOutput()


class CacheStatsOutput(serializers.Serializer):
    cache_stats = CacheStatsMapOutput()
    timestamp = serializers.DateTimeField()


class CacheClearResultOutput(serializers.Serializer):
    cleared = serializers.ListField(child=serializers.CharField())
    errors = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]  # a field named like a Field attribute (the metaclass moves it)


class CacheClearOutput(serializers.Serializer):
    result = CacheClearResultOutput()
