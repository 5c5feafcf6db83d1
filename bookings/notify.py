"""What a booking's people are told, and when: the booking side of the notification catalogue.

``booking_transition`` calls :func:`on_transition`; checkout, payments and the
partners app call :func:`notify_booking` for the rest. Texts and channels live
in ``bookings.notifications`` (registered in ``notifications.catalogue``); this
module only picks the event and fills the context (booking number, a readable
time, the partner's name).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from bookings.models import Booking
from core.events import send_event_on_commit, user_group
from notifications import webhooks
from notifications.services import notify

# Timeline action of a booking transition -> the customer's event.
CUSTOMER_EVENTS = {
    "partner_offered": "partner_assigned",
    "partner_accepted": "booking_confirmed",
    "partner_on_the_way": "partner_on_the_way",
    "partner_arrived": "partner_arrived",
    "completed": "booking_completed",
    "cancelled": "booking_cancelled",
    "expired_unpaid": "booking_cancelled",
    "partner_assigned_by_staff": "booking_confirmed",  # staff assignments are binding (no accept step)
}

PAYMENT_EVENTS = {"success": "payment_succeeded", "failed": "payment_failed", "refunded": "refund_processed"}


def when(booking: Booking) -> str:
    return timezone.localtime(booking.scheduled_start).strftime("%a %d %b, %I:%M %p")


def context_of(booking: Booking, **extra: Any) -> dict[str, Any]:
    partner = extra.pop("partner_name", None) or "your partner"
    return {"booking_number": booking.booking_number, "when": when(booking), "partner_name": partner, **extra}


def notify_booking(event_type: str, booking: Booking, *, user=None, **extra: Any) -> None:
    """Tell ``user`` (the customer by default) about ``booking``; call inside the changing transaction."""
    notify(
        event_type,
        user=user or booking.user,
        context=context_of(booking, **extra),
        data={
            "booking_id": str(booking.pk),
            "booking_number": booking.booking_number,
            "action_url": f"/bookings/{booking.pk}",
        },
    )


def on_transition(booking: Booking, action: str, event_extra: dict | None) -> None:
    event_type = CUSTOMER_EVENTS.get(action)
    if event_type is None:
        return
    partner = (event_extra or {}).get("partner") or {}
    extra = {"partner_name": partner["name"]} if partner.get("name") else {}
    notify_booking(event_type, booking, **extra)


def webhook_data(booking: Booking, partner: dict | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "booking_id": str(booking.pk),
        "booking_number": booking.booking_number,
        "status": booking.status,
        "payment_method": booking.payment_method,
        "payment_status": booking.payment_status,
        "scheduled_start": booking.scheduled_start.isoformat(),
        "grand_total": f"{booking.grand_total:.2f}",
        "customer_id": str(booking.user_id),
        "source": booking.source,
    }
    if partner:
        data["partner"] = partner
    return data


# Timeline action -> seed 000's partner webhook events; status reached -> its booking events. A partner is
# "assigned" when the engine offers them the job and when staff assign them by hand (binding at once, so that
# booking also reaches booking.confirmed; there is no partner.accepted step).
WEBHOOK_ACTIONS = {
    "partner_offered": "partner.assigned",
    "partner_assigned_by_staff": "partner.assigned",
    "partner_accepted": "partner.accepted",
}
WEBHOOK_STATUSES = {
    "confirmed": "booking.confirmed",
    "cancelled": "booking.cancelled",
    "completed": "booking.completed",
}


def webhooks_on_transition(booking: Booking, old_status: str, action: str, event_extra: dict | None) -> None:
    """Seed 000's internal webhook events for one transition (``notifications.webhooks``)."""
    names = [WEBHOOK_ACTIONS.get(action)]
    if booking.status != old_status:
        names.append(WEBHOOK_STATUSES.get(booking.status))
    data = None
    for name in filter(None, names):
        data = data or webhook_data(booking, (event_extra or {}).get("partner"))
        webhooks.emit(name, data)


def status_changed_live(booking: Booking, old_status: str, new_status: str) -> None:
    """Seed 004's ``booking:status_changed`` on the customer's own channel (``ws/notifications/{user_id}/``)."""
    if old_status == new_status:
        return
    send_event_on_commit(
        user_group(booking.user_id),
        "booking:status_changed",
        {
            "booking_id": str(booking.pk),
            "booking_number": booking.booking_number,
            "old_status": old_status,
            "new_status": new_status,
            "updated_at": timezone.now().isoformat(),
        },
    )


def payment_changed_live(booking: Booking, *, payment_id: str, status: str, amount) -> None:
    """Seed 004's ``payment:status_changed`` on the customer's own channel."""
    send_event_on_commit(
        user_group(booking.user_id),
        "payment:status_changed",
        {"payment_id": payment_id, "booking_id": str(booking.pk), "status": status, "amount": f"{amount:.2f}"},
    )


def booking_notice_send(*, booking_id, event_type: str, actor) -> Booking:
    """Staff send a booking's confirmation or reminder again (seed 003); audited."""
    from django.db import transaction

    from core import audit
    from core.errors import DomainError, ErrorCode

    booking = Booking.objects.select_related("user").filter(pk=booking_id).first()
    if booking is None:
        raise DomainError("Booking not found.", code=ErrorCode.NOT_FOUND, field="booking_id", reason="not_found")
    with transaction.atomic():
        notify_booking(event_type, booking)
        audit.record(action=f"send_{event_type}", resource_type="booking", resource_id=booking.pk, actor=actor)
    return booking
