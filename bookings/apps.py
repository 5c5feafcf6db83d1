from django.apps import AppConfig


class BookingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bookings"
    verbose_name = "Bookings"

    def ready(self) -> None:
        from bookings import notifications, roles, runtime_settings
        from bookings.payable import BookingPayable
        from payments import registry

        registry.register("bookings.booking", BookingPayable())
        notifications.register()
        roles.register()
        runtime_settings.register()
