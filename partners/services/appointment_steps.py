"""The provider's steps on an appointment (seed 004 ``/bookings/{id}/confirm`` and ``/complete``; rule BK6).

**Confirm** (:func:`appointment_confirm`): a specialist's paid booking waits in ``pending``
(``Booking.provider_confirms``) until the specialist confirms it. Only the provider the customer chose may
confirm (anyone else: ``404 BOOKING_NOT_FOUND``, as for a booking they cannot see), and only from ``pending``
(an unpaid hold, or a booking already confirmed, is ``422 INVALID_BOOKING_STATUS``). The meeting link and
the preparation notes are stored on the booking (a link sent empty keeps the one already there), and the
customer is told through the notification catalogue's ``appointment_confirmed`` (with the link; sent here,
not by ``bookings.notify`` on the transition, to report its channels). The answer names the channels
a delivery was actually queued on, as ``customer_<channel>`` (seed 004's ``customer_email``...): the
customer's preferences and contact details decide them, so none may be queued.

**Complete** (:func:`appointment_complete`): the provider, or staff holding ``bookings.change_booking``,
completes a ``confirmed`` appointment once its start has passed (before it: ``422 INVALID_BOOKING_STATUS``,
reason ``not_started``). The accepted assignment becomes completed and the provider's earning is recorded
with the ledger posting of a dispatched job (``partners.services.jobs.record_earning``: the customer's
whole price leaves ``customer_funds`` for ``partner_payable``, ``platform_commission`` and ``tax_payable``).
A dispatched job must be paid in full first; an appointment may be completed with only its deposit paid
(``deposit_paid``), since seed 004 takes the balance after the session (``process-full-payment``):
until then ``customer_funds`` holds what the customer still owes. An online appointment with nothing paid
is ``422 BOOKING_UNPAID``. A cash appointment (front desk) is recorded as paid in cash through the payments
layer, by whoever completes it.

Each confirmation also moves the provider's ``response_minutes`` (seed 004's ``responseTime`` in search): the
minutes since the booking became ``pending`` (paid), weighed one fifth against the running value, in one ``F()``
update so concurrent confirmations of one provider lose nothing.

Locks: the booking, then the provider, then the assignment (the order every job step takes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from accounts.models import User
from bookings.errors import BookingErrorCode
from bookings.models import BOOKING_PAYABLE, Booking, BookingEvent, BookingPaymentStatus, BookingStatus, PaymentMode
from bookings.notify import context_of
from bookings.services.lifecycle import booking_lock, booking_transition
from catalog.pricing import ZERO
from core.errors import DomainError
from core.types import Id
from notifications.models import Delivery
from notifications.services import notify
from partners.errors import PartnerErrorCode
from partners.models import AssignmentStatus, Partner, PartnerEarning
from partners.services.appointments import live_assignment
from partners.services.common import ASSIGNMENT_STATES, lock_partner, partner_summary
from partners.services.jobs import record_earning
from payments.services.payments import payment_record_cash

SETTLED = (BookingPaymentStatus.PAID, BookingPaymentStatus.DEPOSIT_PAID)


@dataclass(frozen=True)
class Confirmation:
    booking: Booking
    notifications_sent: list[str]


def _not_found() -> DomainError:
    return DomainError("Booking not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="id", reason="not_found")


def _provider_of(user: User) -> Partner | None:
    return Partner.objects.select_related("user").filter(user=user).first()


def _wrong_status(booking: Booking, wanted: str, reason: str) -> DomainError:
    return DomainError(
        f"A {booking.status} appointment cannot become {wanted}.",
        code=BookingErrorCode.INVALID_BOOKING_STATUS,
        reason=reason,
        context={"status": booking.status, "requested": wanted},
    )


def appointment_confirm(
    *, provider_user: User, booking_id: Id, meeting_link: str = "", preparation_notes: str = ""
) -> Confirmation:
    """The chosen provider confirms a paid (``pending``) appointment; returns it and the channels queued."""
    provider = _provider_of(provider_user)
    with transaction.atomic():
        booking = booking_lock(booking_id)
        if provider is None or booking.requested_partner_id != provider.pk:
            raise _not_found()
        if booking.status != BookingStatus.PENDING:
            raise _wrong_status(booking, BookingStatus.CONFIRMED, "not_pending")
        fields = {"preparation_notes": preparation_notes}
        if meeting_link:
            fields["meeting_link"] = meeting_link
        booking_transition(
            booking,
            BookingStatus.CONFIRMED,
            actor=provider_user,
            action="provider_confirmed",
            event_extra={"partner": partner_summary(provider)},
            **fields,
        )
        _record_response(provider, booking)
        notification = notify(
            "appointment_confirmed",
            user=booking.user,
            context=context_of(booking),
            data={
                "booking_id": str(booking.pk),
                "booking_number": booking.booking_number,
                "action_url": f"/bookings/{booking.pk}",
                "meeting_link": booking.meeting_link,
            },
        )
        channels = sorted(set(Delivery.objects.filter(notification=notification).values_list("channel", flat=True)))
    return Confirmation(booking=booking, notifications_sent=[f"customer_{channel}" for channel in channels])


def _record_response(provider: Partner, booking: Booking) -> None:
    waiting_since = (
        BookingEvent.objects.filter(booking=booking, new_status=BookingStatus.PENDING)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    ) or booking.created_at
    minutes = max(0, int((timezone.now() - waiting_since).total_seconds() // 60))
    Partner.objects.filter(pk=provider.pk).update(
        response_minutes=Case(
            When(response_minutes__isnull=True, then=Value(minutes)),
            default=(F("response_minutes") * 4 + minutes) / 5,
        )
    )


def appointment_complete(
    *, actor: User, booking_id: Id, completion_notes: str = "", deliverables: Iterable[str] = ()
) -> tuple[Booking, PartnerEarning]:
    """The provider (or staff) completes a confirmed appointment after its start: earning and ledger."""
    with transaction.atomic():
        booking = booking_lock(booking_id)
        if booking.requested_partner_id is None:
            raise _not_found()
        provider = Partner.objects.select_related("user").get(pk=booking.requested_partner_id)
        if provider.user_id != actor.pk and not actor.has_perm("bookings.change_booking"):
            raise _not_found()
        if booking.status != BookingStatus.CONFIRMED:
            raise _wrong_status(booking, BookingStatus.COMPLETED, "not_confirmed")
        now = timezone.now()
        if now < booking.scheduled_start:
            raise DomainError(
                "An appointment is completed after it has started.",
                code=BookingErrorCode.INVALID_BOOKING_STATUS,
                reason="not_started",
                context={"status": booking.status, "scheduled_at": booking.scheduled_start.isoformat()},
            )
        if booking.payment_method == PaymentMode.ONLINE and booking.payment_status not in SETTLED:
            raise DomainError(
                "This online appointment is not paid; its deposit (or price) comes first.",
                code=PartnerErrorCode.BOOKING_UNPAID,
                reason="unpaid",
                context={"payment_status": booking.payment_status},
            )
        lock_partner(provider.pk)
        assignment = live_assignment(booking)
        ASSIGNMENT_STATES.move(assignment, AssignmentStatus.COMPLETED, changes={"service_completed_at": now})
        cash = ZERO
        if booking.payment_method == PaymentMode.CASH and booking.payment_status not in SETTLED:
            payment_record_cash(
                payable_type=BOOKING_PAYABLE,
                payable_id=str(booking.pk),
                amount=booking.grand_total,
                recorded_by=actor,
                note=f"Collected for {provider.partner_code}",
            )
            cash = booking.grand_total
        earning = record_earning(booking, assignment, provider, cash)
        booking_transition(
            booking,
            BookingStatus.COMPLETED,
            actor=actor,
            action="completed",
            note=completion_notes,
            event_extra={"assignment_status": AssignmentStatus.COMPLETED, "partner": partner_summary(provider)},
            completion_notes=completion_notes,
            deliverables=list(deliverables),
        )
    return booking, earning
