"""What a booking's people are told, and when: the booking side of the notification catalogue.

``booking_transition`` calls :func:`on_transition`; checkout, payments and the
partners app call :func:`notify_booking` for the rest. Texts and channels live
in ``bookings.notifications`` (registered in ``notifications.catalogue``); this
module only picks the event and fills the context (booking number, a readable
time, the partner's name).

Appointments (a booking with ``requested_partner``, issue #18) have their own
events, so that they never get a dispatched booking's texts about "finding a
partner" (:data:`APPOINTMENT_EVENTS`, per timeline action):

* ``appointment_booked`` when it is created (``partners.services.meetings.appointment_announce``
  calls :func:`appointment_booked`): the time in the provider's zone, the
  provider's name, the meeting link when online and, for an unpaid hold, what to
  pay and by when (the deposit when the provider takes one, else the price);
* ``appointment_confirmed`` on ``hold_paid`` when the payment confirms it (not
  when a specialist still has to confirm: the payment notice says it was
  received), on staff's ``confirmed`` and on ``appointment_confirmed``, with the
  link. The specialist's own confirm (``provider_confirmed``,
  ``partners.services.appointment_steps``) sends its notice itself, to report
  the channels it used, so it is not mapped here (it would go twice);
* ``appointment_cancelled`` on ``cancelled`` and ``hold_expired`` (saying the
  slot was released because the payment did not come);
* ``appointment_rescheduled`` on ``rescheduled``, with the new time;
* ``payment_link`` (rule AP6): :func:`send_payment_link` sends a payment link
  over WhatsApp and SMS.

Every context carries ``meeting_note`` (" Join online: <link>." for an online
appointment with a link, else empty) and the notification's data its
``meeting_link``. The reminder's text is shared with callers that fill only
``booking_number`` and ``when``, so :func:`reminder_context` puts the link after
the time ("... is at Tue 01 Dec, 10:00 AM IST. Join online: <link>.") for the
scan and a staff resend (seed 003 V3).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from bookings.models import Booking, BookingStatus, SessionType
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

# Timeline action of an appointment's transition -> the customer's event (replaces CUSTOMER_EVENTS for them).
APPOINTMENT_EVENTS = {
    "hold_paid": "appointment_confirmed",
    "appointment_confirmed": "appointment_confirmed",
    "confirmed": "appointment_confirmed",  # staff confirm a cash or paid appointment (partners.services.clinic_booking)
    "cancelled": "appointment_cancelled",
    "hold_expired": "appointment_cancelled",
    "rescheduled": "appointment_rescheduled",
    "completed": "booking_completed",
}

PAYMENT_EVENTS = {"success": "payment_succeeded", "failed": "payment_failed", "refunded": "refund_processed"}


def _zone(booking: Booking) -> ZoneInfo | None:
    """An appointment's times read in its provider's zone (the centre's clinicians share it); else the platform's."""
    provider = booking.requested_partner if booking.requested_partner_id else None
    return ZoneInfo(provider.timezone) if provider is not None and provider.timezone else None


def _at(moment: datetime, zone: ZoneInfo | None) -> str:
    if zone is None:
        return timezone.localtime(moment).strftime("%a %d %b, %I:%M %p")
    return moment.astimezone(zone).strftime("%a %d %b, %I:%M %p %Z")


def when(booking: Booking) -> str:
    return _at(booking.scheduled_start, _zone(booking))


def meeting_note(booking: Booking) -> str:
    if booking.session_type == SessionType.ONLINE and booking.meeting_link:
        return f" Join online: {booking.meeting_link}."
    return ""


def provider_name(booking: Booking) -> str:
    provider = booking.requested_partner if booking.requested_partner_id else None
    if provider is None:
        return "your partner"
    return provider.business_name or provider.user.full_name or "your provider"


def context_of(booking: Booking, **extra: Any) -> dict[str, Any]:
    partner = extra.pop("partner_name", None) or provider_name(booking)
    return {
        "booking_number": booking.booking_number,
        "when": when(booking),
        "partner_name": partner,
        "provider_name": partner,
        "meeting_note": meeting_note(booking),
        **extra,
    }


def reminder_context(booking: Booking) -> dict[str, Any]:
    """The reminder's ``when``, followed by the meeting link of an online appointment."""
    note = meeting_note(booking)
    return {"when": f"{when(booking)}.{note[:-1]}"} if note else {}


def payment_note(booking: Booking) -> str:
    """What an unpaid hold asks for: the provider's deposit when there is one, else the price, and by when."""
    if booking.status != BookingStatus.PENDING_PAYMENT:
        return ""
    due = booking.deposit_amount if booking.deposit_amount else booking.grand_total
    what = "the deposit of " if booking.deposit_amount else ""
    by = f" by {_at(booking.hold_expires_at, _zone(booking))}" if booking.hold_expires_at else ""
    return f" Please pay {what}₹{due:.2f}{by} to keep this time."


def appointment_booked(booking: Booking) -> None:
    """The customer's notice of a new appointment (inside the creating transaction)."""
    notify_booking("appointment_booked", booking, payment_note=payment_note(booking))


def send_payment_link(
    booking: Booking, url: str, *, amount: Decimal | None = None, expires_at: datetime | None = None
) -> None:
    """Rule AP6: the payment link goes to the customer over WhatsApp and SMS (``payment_link``; call inside the
    transaction that made the link). ``amount`` defaults to the booking's total."""
    expiry = f" It expires {_at(expires_at, _zone(booking))}." if expires_at else ""
    notify_booking(
        "payment_link",
        booking,
        url=url,
        amount=f"{(amount if amount is not None else booking.grand_total):.2f}",
        expiry_note=expiry,
    )


def notify_booking(
    event_type: str, booking: Booking, *, user=None, to: list[tuple[str, str]] | None = None, **extra: Any
) -> None:
    """Tell ``user`` (the customer by default) about ``booking``; call inside the changing transaction. ``to``:
    ``notifications.services.inbox.recipients``, read earlier (see ``notify``)."""
    notify(
        event_type,
        to=to,
        user=user or booking.user,
        context=context_of(booking, **extra),
        data={
            "booking_id": str(booking.pk),
            "booking_number": booking.booking_number,
            "action_url": f"/bookings/{booking.pk}",
            **({"meeting_link": booking.meeting_link} if meeting_note(booking) else {}),
        },
    )


def on_transition(booking: Booking, action: str, event_extra: dict | None) -> None:
    if booking.is_appointment:
        on_appointment_transition(booking, action)
        return
    event_type = CUSTOMER_EVENTS.get(action)
    if event_type is None:
        return
    partner = (event_extra or {}).get("partner") or {}
    extra = {"partner_name": partner["name"]} if partner.get("name") else {}
    notify_booking(event_type, booking, **extra)


def on_appointment_transition(booking: Booking, action: str) -> None:
    event_type = APPOINTMENT_EVENTS.get(action)
    if event_type is None:
        return
    if action == "hold_paid" and booking.status != BookingStatus.CONFIRMED:
        return  # paid, but a specialist still confirms: the payment notice said it was received
    extra: dict[str, Any] = {}
    if event_type == "appointment_cancelled":
        extra["reason_note"] = (
            " The payment did not arrive in time, so the time was released." if action == "hold_expired" else ""
        )
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
    if booking.is_appointment and event_type == "booking_confirmed":
        event_type = "appointment_confirmed"  # an appointment's own text (its provider, its meeting link)
    extra = reminder_context(booking) if event_type == "appointment_reminder" else {}
    with transaction.atomic():
        notify_booking(event_type, booking, **extra)
        audit.record(action=f"send_{event_type}", resource_type="booking", resource_id=booking.pk, actor=actor)
    return booking
