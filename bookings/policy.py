"""One cancellation and reschedule policy for every kind of booking (DESIGN.md section 8, issue #18).

Two policies, chosen by the booking, answer the same questions:

* **Dispatched services** (seed 000): cancelling is free within
  ``free_cancellation_minutes`` of making the booking; after that
  ``cancellation_fee_percentage`` of the total is kept. The customer may
  cancel or reschedule until the partner is on the way (``in_progress``).
  The deadline reported is the end of the free window.
* **Appointments** with a chosen provider (seed 004 "free until 24 hours
  before"; seed 003 uses the same): the deadline is the start minus
  ``appointment_cancel_notice_hours``, in absolute time (a daylight-saving
  change between now and then moves no deadline). Before it the customer
  cancels or reschedules freely and everything captured is refunded; after
  it the customer may do neither (``422 CANCELLATION_NOT_ALLOWED``). Staff
  may still cancel after it: the deposit is kept and the rest refunded
  (PY4), unless they set the refund themselves. A cancellation by the
  provider refunds everything, whenever it happens.

:func:`terms` is pure: it reads the booking, the captured amount and the
clock, and touches no other row; ``bookings.services.lifecycle`` applies it
under the booking's lock and the list serializers read ``can_cancel`` and
``deadline`` from it (``canCancel``, ``cancellationDeadline``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from bookings.models import Booking, BookingStatus, CancelledBy
from catalog.pricing import ZERO, money
from core import system_settings

# Statuses from which a booking can still be cancelled or moved (by someone).
OPEN = frozenset(
    {
        BookingStatus.PENDING_PAYMENT,
        BookingStatus.PENDING,
        BookingStatus.PARTNER_ASSIGNED,
        BookingStatus.CONFIRMED,
    }
)
DISPATCHED = "free_window_then_fee"
APPOINTMENT = "free_until_notice_then_deposit"


@dataclass(frozen=True)
class Terms:
    """What cancelling the booking now would mean, for ``by``."""

    policy: str
    can_cancel: bool  # may ``by`` cancel now
    can_reschedule: bool  # may ``by`` move it now
    deadline: datetime | None  # the last moment cancelling is free (None once the booking is closed)
    fee: Decimal  # what the platform keeps of what was captured
    refund: Decimal  # what goes back of what was captured
    reason: str  # why ``can_cancel`` is false: "" | "closed" | "past_deadline"


def _setting(key: str, settings: Mapping[str, Any] | None) -> Any:
    return system_settings.value(key) if settings is None else settings[key]


def deadline_of(booking: Booking, *, settings: Mapping[str, Any] | None = None) -> datetime:
    """``settings``: the runtime settings read once (``system_settings.all_values()``) for a list of bookings."""
    if booking.is_appointment:
        return booking.scheduled_start - timedelta(hours=_setting("appointment_cancel_notice_hours", settings))
    return booking.created_at + timedelta(minutes=_setting("free_cancellation_minutes", settings))


def terms(
    booking: Booking,
    *,
    now: datetime,
    captured: Decimal,
    by: str = CancelledBy.CUSTOMER,
    settings: Mapping[str, Any] | None = None,
) -> Terms:
    """The policy's answer for ``booking`` at ``now`` when ``captured`` has been paid and not refunded
    (``settings``: the runtime settings already read, for a list; else each is read as needed)."""
    policy = APPOINTMENT if booking.is_appointment else DISPATCHED
    deadline = deadline_of(booking, settings=settings)
    if booking.status not in OPEN:
        return Terms(policy, False, False, None, ZERO, ZERO, "closed")
    in_time = now <= deadline if booking.is_appointment else True
    if booking.is_appointment:
        if by == CancelledBy.CUSTOMER and not in_time:
            return Terms(policy, False, False, deadline, ZERO, ZERO, "past_deadline")
        if in_time or by == CancelledBy.PARTNER:
            return Terms(policy, True, True, deadline, ZERO, money(captured), "")
        kept = min(money(booking.deposit_amount or ZERO), money(captured))
        return Terms(policy, True, True, deadline, kept, money(captured - kept), "")
    if now <= deadline or by == CancelledBy.PARTNER:
        return Terms(policy, True, True, deadline, ZERO, money(captured), "")
    fee = min(money(booking.grand_total * _setting("cancellation_fee_percentage", settings) / 100), captured)
    return Terms(policy, True, True, deadline, money(fee), money(captured - fee), "")
