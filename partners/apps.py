from django.apps import AppConfig


class PartnersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partners"
    verbose_name = "Partners"

    def ready(self) -> None:
        from bookings import hooks
        from notifications.topics import Topic, register_topic
        from partners import ledger, live, notifications, receivers, roles, runtime_settings
        from partners.port import BookingPartners

        hooks.register(BookingPartners())
        from catalog import provider_details
        from partners.selectors.search import provider_service_detail

        provider_details.register(provider_service_detail)  # seed 004's GET /services/{id} of a provider's service
        ledger.register()
        receivers.connect()
        register_topic(Topic("availability", "specialist_id", live.availability_group, live.may_follow))
        roles.register()
        runtime_settings.register()
        notifications.register()
