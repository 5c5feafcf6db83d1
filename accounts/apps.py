from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs) -> None:
    from accounts.services.roles import roles_sync

    roles_sync()


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Groups follow the permission matrix (accounts.roles) after every migrate, so a new
        # app's permissions reach the roles that the matrix gives them.
        post_migrate.connect(_sync_roles, dispatch_uid="accounts.sync_roles")
        from accounts import (
            privacy,
            runtime_settings,
            schema,  # noqa: F401  (registers the OpenAPI auth extension)
        )

        runtime_settings.register()
        privacy.register()  # first in core.privacy: the profile leads the download
