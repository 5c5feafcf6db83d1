"""The event catalogue: every notification the platform sends, who gets it, on which channels, in what words.

Domain code calls ``notifications.services.notify(event_type, user=..., context=...)``;
the catalogue turns the context into a title and a message (``str.format``
templates; a missing key is a bug and raises). ``channels`` are the defaults a
person may switch off per event type and channel (``NotificationPreference``);
the in-app inbox entry is always written. A transactional event (one-time
codes) ignores preferences: it goes out on the channel asked for.

Categories are seed 004's preference names (``bookingConfirmations``,
``reminders``, ``promotions``, ``messages``): a person may choose per
category and channel, and the choice covers every event whose ``category``
is that category, today's and any added later. An event's own choice wins
over its category's, which wins over the event's default ``channels``.

* ``booking_confirmations`` covers ``booking_confirmed``, ``reminders``
  ``appointment_reminder`` and ``promotions`` ``promotion``: the events these
  names already stood for, so earlier choices keep their meaning.
* ``messages`` (decision): messages a person sends another person (chat with
  a partner, a dispute thread, a support reply). No such event is sent yet,
  so the category has no event; it is registered so that a person's choice is
  stored and answered now, and honoured by the first event that declares
  ``category="messages"``. Until then ``Category.channels`` is what the
  preferences answer shows for it (push only, as for a chat app).
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


_PUSH_SMS = (Channel.PUSH, Channel.SMS)
_PUSH_EMAIL = (Channel.PUSH, Channel.EMAIL)

EVENTS: dict[str, EventType] = {
    e.key: e
    for e in (
        EventType(
            "booking_created",
            (CUSTOMER,),
            _PUSH_EMAIL,
            "Booking received",
            "Your booking {booking_number} for {when} is received. We are finding a partner.",
        ),
        EventType(
            "partner_assigned",
            (CUSTOMER,),
            (Channel.PUSH,),
            "Partner found",
            "{partner_name} has been offered your booking {booking_number}.",
        ),
        EventType(
            "booking_confirmed",
            (CUSTOMER,),
            (Channel.PUSH, Channel.SMS, Channel.WHATSAPP),
            "Booking confirmed",
            "Your booking {booking_number} is confirmed for {when} with {partner_name}.",
            category="booking_confirmations",
        ),
        EventType(
            "partner_on_the_way",
            (CUSTOMER,),
            _PUSH_SMS,
            "Partner on the way",
            "{partner_name} is on the way for booking {booking_number}.",
        ),
        EventType(
            "partner_arrived",
            (CUSTOMER,),
            (Channel.PUSH,),
            "Partner arrived",
            "{partner_name} has arrived for booking {booking_number}.",
        ),
        EventType(
            "booking_completed",
            (CUSTOMER,),
            _PUSH_EMAIL,
            "Service completed",
            "Booking {booking_number} is complete. Please rate your experience.",
        ),
        EventType(
            "booking_cancelled",
            (CUSTOMER, PARTNER),
            (Channel.PUSH, Channel.SMS, Channel.EMAIL),
            "Booking cancelled",
            "Booking {booking_number} for {when} has been cancelled.",
        ),
        EventType(
            "payment_succeeded",
            (CUSTOMER,),
            _PUSH_EMAIL,
            "Payment received",
            "We received ₹{amount} for booking {booking_number}.",
        ),
        EventType(
            "payment_failed",
            (CUSTOMER,),
            _PUSH_SMS,
            "Payment failed",
            "Your payment of ₹{amount} for booking {booking_number} failed. You can try again from the app.",
        ),
        EventType(
            "refund_processed",
            (CUSTOMER,),
            _PUSH_EMAIL,
            "Refund processed",
            "₹{amount} for booking {booking_number} is on its way back to you.",
        ),
        EventType(
            "payout_processed",
            (PARTNER,),
            (Channel.PUSH, Channel.SMS),
            "Payout sent",
            "Payout {payout_number} of ₹{amount} has been sent.",
        ),
        EventType(
            "appointment_reminder",
            (CUSTOMER, PARTNER),
            (Channel.PUSH, Channel.SMS, Channel.WHATSAPP),
            "Reminder",
            "Reminder: booking {booking_number} is at {when}.",
            category="reminders",
        ),
        EventType(
            "job_offered",
            (PARTNER,),
            (Channel.PUSH, Channel.SMS),
            "New job",
            "New job {booking_number} for {when}. Accept within {minutes} minutes.",
        ),
        EventType(
            "offer_expired",
            (PARTNER,),
            (Channel.PUSH,),
            "Offer expired",
            "The offer for booking {booking_number} expired and went to another partner.",
        ),
        EventType(
            "bonus_alert",
            (PARTNER,),
            (Channel.PUSH,),
            "Your bonus points",
            "You have {points} bonus points from {jobs} completed jobs ({tier} tier). Keep it up!",
        ),
        EventType(
            "booking_needs_partner",
            (STAFF,),
            (Channel.PUSH,),  # staff are emailed by the dispatch engine itself
            "Assign a partner",
            "Booking {booking_number} for {when} found no partner ({reason}); assign one by hand.",
        ),
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
}


_UNKNOWN = {e.category for e in EVENTS.values() if e.category} - set(CATEGORIES)
if _UNKNOWN:
    raise ValueError(f"Events name categories that are not registered: {sorted(_UNKNOWN)}")


def event(key: str) -> EventType:
    return EVENTS[key]


def events_in(category: str) -> list[str]:
    """The event types a category's choice covers (none yet for ``messages``)."""
    return [key for key, spec in EVENTS.items() if spec.category == category and not spec.transactional]


def choosable(key: str) -> bool:
    """A name a person may set a preference for: a category, or an event type that is not transactional."""
    spec = EVENTS.get(key)
    return key in CATEGORIES or (spec is not None and not spec.transactional)
