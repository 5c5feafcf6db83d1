from django.apps import AppConfig


class CatalogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from catalog import (
            cache,  # noqa: F401  (connects the invalidation receivers)
            roles,
            runtime_settings,
        )

        roles.register()
        runtime_settings.register()
