from django.apps import AppConfig


class SocietiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "societies"
    verbose_name = "Societies"

    def ready(self) -> None:
        from accounts import profile_sections
        from societies import notifications, privacy, roles, selectors

        roles.register()
        notifications.register()
        privacy.register()
        profile_sections.register("active_society", selectors.active_society_of)
