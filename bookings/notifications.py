"""The outbound webhook events bookings emits (seed 000's internal events).

Registered in ``notifications.webhooks`` by ``BookingsConfig.ready``;
``bookings.notify`` and checkout emit them.
"""

from __future__ import annotations

from notifications import webhooks

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
    webhooks.register_events(*WEBHOOK_EVENTS)
