from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Audit log and settings"  # what staff find under it in the admin sidebar

    def ready(self) -> None:
        from core import (
            health,  # noqa: F401  (starts the uptime clock when the process sets Django up)
            schema,  # noqa: F401  (registers the internal token's OpenAPI extension)
        )
