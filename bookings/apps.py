from django.apps import AppConfig


class BookingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bookings"
    verbose_name = "Bookings"

    def ready(self) -> None:
        from bookings import notifications, privacy, roles, runtime_settings, telegram_bot  # noqa: F401 (bot commands)
        from bookings.models import BOOKING_PAYABLE
        from bookings.payable import BookingPayable
        from payments import registry

        registry.register(BOOKING_PAYABLE, BookingPayable(), id_field="booking_id")
        from accounts import profile_sections
        from bookings.loyalty_selectors import bookings_count_of, points_of

        profile_sections.register("loyalty_points", points_of)  # seed 004's /users/profile
        profile_sections.register("total_bookings", bookings_count_of)
        notifications.register()
        privacy.register()
        roles.register()
        runtime_settings.register()
