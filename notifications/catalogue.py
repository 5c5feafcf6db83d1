"""The event catalogue: every notification the platform sends, who gets it, on which channels, in what words.

Domain code calls ``notifications.services.notify(event_type, user=..., context=...)``;
the catalogue turns the context into a title and a message (``str.format``
templates; a missing key is a bug and raises). ``channels`` are the defaults a
person may switch off per event type and channel (``NotificationPreference``);
the in-app inbox entry is always written. A transactional event (one-time
codes) ignores preferences: it goes out on the channel asked for.

Each app registers the events it sends with :func:`register_event` in its
``AppConfig.ready()``, from its own ``<app>/notifications.py``. This module
declares only the categories and what is generic to messaging (``promotion``
for broadcasts, ``otp`` for one-time codes, registered by
``NotificationsConfig.ready``), so it names no domain event.

Categories are seed 004's preference names (``bookingConfirmations``,
``reminders``, ``promotions``, ``messages``): a person may choose per
category and channel, and the choice covers every event whose ``category``
is that category, today's and any added later. An event's own choice wins
over its category's, which wins over the event's default ``channels``.

* ``booking_confirmations`` covers ``booking_confirmed``, ``reminders``
  ``appointment_reminder`` and ``promotions`` ``promotion``: the events these
  names already stood for, so earlier choices keep their meaning.
* ``messages`` (decision): messages a person sends another person (chat with
  a partner, a dispute thread, a support reply); the first is a resident's
  question about a society order's count (``society_order_count_questioned``).
  ``Category.channels`` is what the preferences answer shows for it while a
  person has not chosen (push only, as for a chat app).
"""

from __future__ import annotations

from dataclasses import dataclass

from notifications.models import Channel

CUSTOMER, PARTNER, STAFF = "customer", "partner", "staff"


@dataclass(frozen=True)
class Category:
    key: str
    description: str
    channels: tuple[str, ...] = ()  # shown as the default while no event belongs to the category


CATEGORIES: dict[str, Category] = {
    c.key: c
    for c in (
        Category("booking_confirmations", "A booking is confirmed."),
        Category("reminders", "Reminders before an appointment."),
        Category("promotions", "Offers and news."),
        Category("messages", "Messages from a partner, support or a dispute thread.", (Channel.PUSH,)),
    )
}


@dataclass(frozen=True)
class EventType:
    key: str
    recipients: tuple[str, ...]
    channels: tuple[str, ...]
    title: str
    message: str
    transactional: bool = False
    category: str = ""

    def render(self, context: dict) -> tuple[str, str]:
        return self.title.format(**context), self.message.format(**context)


EVENTS: dict[str, EventType] = {}
"""Every registered event type by key; filled by :func:`register_event` at app load."""


def register_event(*events: EventType) -> None:
    """Add event types to the catalogue; the app that sends them calls this in its ``AppConfig.ready()``.

    An event names a registered category or none, and a key is registered once.
    """
    for spec in events:
        if spec.category and spec.category not in CATEGORIES:
            raise ValueError(f"Event {spec.key!r} names a category that is not registered: {spec.category!r}")
        if spec.key in EVENTS:
            raise ValueError(f"Event {spec.key!r} is already registered.")
        EVENTS[spec.key] = spec


# What is generic to messaging, registered by notifications itself: the broadcast's promotion and the
# one-time code (core.messaging sends it for accounts). Every other event is its app's own.
GENERIC_EVENTS = (
    EventType(
        "promotion",
        (CUSTOMER,),
        (Channel.PUSH, Channel.EMAIL),
        "{title}",
        "{message}",
        category="promotions",
    ),
    EventType(
        "otp",
        (CUSTOMER, PARTNER, STAFF),
        (Channel.SMS,),
        "Verification code",
        "{code} is your verification code. It expires in {minutes} minutes. Do not share it with anyone.",
        transactional=True,
    ),
)


def event(key: str) -> EventType:
    return EVENTS[key]


def events_in(category: str) -> list[str]:
    """The event types a category's choice covers (none yet for ``messages``)."""
    return [key for key, spec in EVENTS.items() if spec.category == category and not spec.transactional]


def choosable(key: str) -> bool:
    """A name a person may set a preference for: a category, or an event type that is not transactional."""
    spec = EVENTS.get(key)
    return key in CATEGORIES or (spec is not None and not spec.transactional)
