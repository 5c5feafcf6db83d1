from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AdminpanelConfig(AppConfig):
    default = True
    default_auto_field = "django.db.models.BigAutoField"
    name = "adminpanel"
    verbose_name = "Back office"

    def ready(self) -> None:
        from adminpanel import roles

        roles.register()


class PlatformAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with the platform's site (dashboard, audited model admins)."""

    default = False
    default_site = "adminpanel.sites.PlatformAdminSite"
