"""The notifications bookings sends: event types, recipients, default channels and texts, and the
outbound webhook events it emits (seed 000's internal events).

Registered in ``notifications.catalogue`` and ``notifications.webhooks`` by
``BookingsConfig.ready``; ``bookings.notify`` picks the event and fills the
context (booking number, a readable time, the partner's name).
"""

from __future__ import annotations

from notifications import catalogue, webhooks
from notifications.catalogue import CUSTOMER, PARTNER, STAFF, EventType
from notifications.models import Channel

_PUSH_SMS = (Channel.PUSH, Channel.SMS)
_PUSH_EMAIL = (Channel.PUSH, Channel.EMAIL)

EVENTS = (
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
        "appointment_reminder",
        (CUSTOMER, PARTNER),
        (Channel.PUSH, Channel.SMS, Channel.WHATSAPP),
        "Reminder",
        "Reminder: booking {booking_number} is at {when}.",
        category="reminders",
    ),
    # Appointments with a chosen provider (issue #18, seeds 003 and 004); bookings.notify.APPOINTMENT_EVENTS.
    EventType(
        "appointment_booked",
        (CUSTOMER,),
        (Channel.PUSH, Channel.SMS, Channel.WHATSAPP, Channel.EMAIL),
        "Appointment booked",
        "Your appointment {booking_number} with {provider_name} is booked for {when}.{meeting_note}{payment_note}",
    ),
    EventType(
        "appointment_confirmed",
        (CUSTOMER,),
        (Channel.PUSH, Channel.SMS, Channel.WHATSAPP, Channel.EMAIL),
        "Appointment confirmed",
        "Your appointment {booking_number} with {provider_name} is confirmed for {when}.{meeting_note}",
        category="booking_confirmations",
    ),
    EventType(
        "appointment_cancelled",
        (CUSTOMER,),
        (Channel.PUSH, Channel.SMS, Channel.EMAIL),
        "Appointment cancelled",
        "Your appointment {booking_number} with {provider_name} for {when} has been cancelled.{reason_note}",
    ),
    EventType(
        "appointment_rescheduled",
        (CUSTOMER,),
        (Channel.PUSH, Channel.SMS, Channel.WHATSAPP),
        "Appointment moved",
        "Your appointment {booking_number} with {provider_name} is now at {when}.{meeting_note}",
    ),
    EventType(
        "payment_link",
        (CUSTOMER,),
        (Channel.WHATSAPP, Channel.SMS),
        "Payment link",
        "Pay ₹{amount} for {booking_number} ({when}) here: {url}{expiry_note}",
        transactional=True,  # asked for by staff for this booking: not a notice a person switches off
    ),
    # Sign-off (issue #20, seed 002 S6 and S8): bookings.services.signatures.
    EventType(
        "signature_request",
        (CUSTOMER,),
        (Channel.PUSH, Channel.SMS),
        "Please sign off your service",
        "Signature requested for {service_name} (booking {booking_number}). Please sign by {expires}.",
    ),
    EventType(
        "signatures_expired",
        (STAFF,),
        (Channel.PUSH,),
        "Sign-offs expired",
        "{count} sign-off request(s) expired unsigned: {booking_numbers}.",
    ),
    # Disputes (issue #20, seed 002 D6): bookings.services.disputes and dispute_messages.
    EventType(
        "dispute_opened",
        (STAFF,),
        (Channel.PUSH, Channel.EMAIL),
        "New dispute",
        "A dispute was opened on booking {booking_number} ({type}): {title}.",
    ),
    EventType(
        "dispute_update",
        (CUSTOMER, PARTNER),
        (Channel.PUSH, Channel.EMAIL),
        "Dispute {status}",
        "The dispute on booking {booking_number} ({title}): {what}.",
    ),
    EventType(
        "dispute_message",
        (CUSTOMER, PARTNER, STAFF),
        (Channel.PUSH,),
        "New message in a dispute",
        "{sender} wrote in the dispute on booking {booking_number}.",
    ),
)


# Emitted from bookings.notify and checkout; partner.* too, since a partner's offer and acceptance are booking
# transitions.
WEBHOOK_EVENTS = (
    "booking.created",
    "booking.confirmed",
    "booking.cancelled",
    "partner.assigned",
    "partner.accepted",
    "booking.completed",
)


def register() -> None:
    catalogue.register_event(*EVENTS)
    webhooks.register_events(*WEBHOOK_EVENTS)
