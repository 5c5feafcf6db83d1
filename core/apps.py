from django.apps import AppConfig
from django.core.signals import request_finished, request_started


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Audit log and settings"  # what staff find under it in the admin sidebar

    def ready(self) -> None:
        from core import (
            health,  # noqa: F401  (starts the uptime clock when the process sets Django up)
            schema,  # noqa: F401  (registers the internal token's OpenAPI extension)
            snapshot,
        )

        request_started.connect(snapshot.request_started, dispatch_uid="core-snapshot")
        request_finished.connect(snapshot.request_finished, dispatch_uid="core-snapshot")
