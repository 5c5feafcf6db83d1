from django.apps import AppConfig


class OrdersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "orders"
    verbose_name = "Society orders"

    def ready(self) -> None:
        from orders import hooks, notifications, roles
        from societies.hooks import register_rate_card_lookup

        register_rate_card_lookup(hooks.vendors_with_rate_card)
        notifications.register()
        roles.register()
