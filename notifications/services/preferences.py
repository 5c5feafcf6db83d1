"""A person's notification choices (per event type and category, per channel) and their push devices."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from accounts.models import User
from notifications import catalogue
from notifications.models import DELIVERY_CHANNELS, DeviceToken, NotificationPreference


def preferences_of(user: User) -> dict[str, dict[str, dict[str, bool]]]:
    """The person's preferences, read both ways, with their choices or the catalogue's defaults.

    ``preferences``: every event type and channel, as it will be sent
    (``{"booking_confirmed": {"sms": true, ...}}``). ``channels``: seed 004's
    shape, every channel and category (``{"email": {"reminders": true, ...}}``);
    a category with events shows whether all of them go out on the channel,
    one without events (``messages``) shows the choice stored for it.
    """
    chosen = {
        (key, channel): enabled
        for key, channel, enabled in NotificationPreference.objects.filter(user=user).values_list(
            "event_type", "channel", "enabled"
        )
    }

    def resolve(key: str, spec: catalogue.EventType, channel: str) -> bool:
        default = chosen.get((spec.category, channel), channel in spec.channels)
        return chosen.get((key, channel), default)

    by_event: dict[str, dict[str, bool]] = {
        key: {channel: resolve(key, spec, channel) for channel in DELIVERY_CHANNELS}
        for key, spec in catalogue.EVENTS.items()
        if not spec.transactional
    }
    by_channel: dict[str, dict[str, bool]] = {}
    for channel in DELIVERY_CHANNELS:
        by_channel[channel] = {}
        for key, category in catalogue.CATEGORIES.items():
            members = catalogue.events_in(key)
            if members:
                by_channel[channel][key] = all(by_event[member][channel] for member in members)
            else:
                by_channel[channel][key] = chosen.get((key, channel), channel in category.channels)
    return {"preferences": by_event, "channels": by_channel}


def preferences_set(*, user: User, changes: dict[str, dict[str, bool]]) -> dict[str, dict[str, dict[str, bool]]]:
    """Store choices keyed by event type or category; a category's choice replaces its events' own on that channel.

    Categories are applied before event types, so a body that names both ends
    with the event's choice winning for that event.
    """
    categories = {key: channels for key, channels in changes.items() if key in catalogue.CATEGORIES}
    events = {key: channels for key, channels in changes.items() if key not in catalogue.CATEGORIES}
    given_way = Q()  # the category's events' own choices on the channels the category was just set for
    for key, channels in categories.items():
        given_way |= Q(event_type__in=catalogue.events_in(key), channel__in=list(channels))
    with transaction.atomic():
        if given_way:
            NotificationPreference.objects.filter(given_way, user=user).delete()
        rows = [
            NotificationPreference(user=user, event_type=key, channel=channel, enabled=enabled)
            for batch in (categories, events)
            for key, channels in batch.items()
            for channel, enabled in channels.items()
        ]
        NotificationPreference.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["user", "event_type", "channel"],
            update_fields=["enabled", "updated_at"],
        )
    return preferences_of(user)


def device_register(*, user: User, token: str, platform: str) -> tuple[DeviceToken, bool]:
    """Register (or move to this person, and switch back on) a phone's push token."""
    return DeviceToken.objects.update_or_create(
        token=token, defaults={"user": user, "platform": platform, "is_active": True}
    )


def device_remove(*, user: User, token: str) -> int:
    return DeviceToken.objects.filter(user=user, token=token).update(is_active=False)
