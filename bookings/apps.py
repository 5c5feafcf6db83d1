from django.apps import AppConfig


class BookingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bookings"
    verbose_name = "Bookings"

    def ready(self) -> None:
        from bookings import notifications, roles, runtime_settings, telegram_bot  # noqa: F401 (bot commands)
        from bookings.models import BOOKING_PAYABLE
        from bookings.payable import BookingPayable
        from payments import registry

        registry.register(BOOKING_PAYABLE, BookingPayable(), id_field="booking_id")
        notifications.register()
        roles.register()
        runtime_settings.register()
