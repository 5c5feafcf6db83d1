from django.apps import AppConfig


class OrdersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "orders"
    verbose_name = "Society orders"

    def ready(self) -> None:
        from orders import hooks, notifications, payable, privacy, roles
        from societies.hooks import register_rate_card_lookup

        register_rate_card_lookup(hooks.vendors_with_rate_card, hooks.live_vendor_ids)
        notifications.register()
        privacy.register()
        roles.register()
        payable.register()  # orders.order as a payable, and the ledger account of vendor-collected payments
