from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from notifications import catalogue, privacy, roles
        from notifications.models import WebhookEndpoint
        from notifications.webhooks import endpoints_changed

        roles.register()
        privacy.register()
        catalogue.register_event(*catalogue.GENERIC_EVENTS)

        post_save.connect(endpoints_changed, sender=WebhookEndpoint, dispatch_uid="notifications.webhooks.saved")
        post_delete.connect(endpoints_changed, sender=WebhookEndpoint, dispatch_uid="notifications.webhooks.deleted")
