"""Seed 002 ``PATCH /bookings/{id}`` ``{vendor_notes, status}`` (and the customer's ``customer_notes``).

Who may change what (decisions):

* The partner working the booking (``hooks.assigned_users``: accepted, on the way or arrived) writes
  ``vendor_notes``, shown to the customer in the booking outputs, while the booking is not closed (cancelled,
  refunded, expired or no-show: ``422 INVALID_BOOKING_STATUS`` naming ``vendor_notes``).
* The customer writes ``customer_notes`` on an open booking, exactly as ``PUT /bookings/{id}`` ``notes`` does
  (``specialist_bookings.booking_notes_update``), and may send ``status: cancelled`` on its own (no notes beside
  it): that is the customer's cancel (``lifecycle.booking_cancel``, the policy's fee and refund), as
  ``DELETE /bookings/{id}``.
* Someone who may read the booking but not write that field (the customer sending ``vendor_notes``, the partner
  sending ``customer_notes``, staff, the partner once the job is done) is ``403 FORBIDDEN`` naming the field;
  anyone else gets ``404 BOOKING_NOT_FOUND``, as for every read.
* ``status`` moves the booking only along the state machine and only through the services that own each move.
  The partner's job steps (on the way, arrived = ``in_progress``, completed with the earning and the cash)
  belong to the partners side (``PATCH /partner/bookings/{id}/status``, ``POST /partner/bookings/{id}/complete``)
  and bookings cannot call them; staff moves are ``/admin/bookings/{id}/status``. So here: the current status
  again changes nothing (a client echoing it back is answered 200), ``cancelled`` from the customer cancels,
  anything else is ``422 VALIDATION_ERROR`` naming ``status`` with where to send it (``context.use``).
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from bookings import hooks
from bookings.errors import BookingErrorCode
from bookings.models import Booking, BookingEvent, BookingStatus
from bookings.services import lifecycle
from bookings.services.specialist_bookings import booking_notes_update
from core.errors import DomainError, ErrorCode
from core.types import Id

CLOSED = frozenset({BookingStatus.CANCELLED, BookingStatus.REFUNDED, BookingStatus.EXPIRED, BookingStatus.NO_SHOW})


def _forbidden(field: str, message: str) -> DomainError:
    return DomainError(message, code=ErrorCode.FORBIDDEN, field=field, reason="not_yours_to_change")


def _status_elsewhere(booking: Booking, requested: str, *, partner: bool) -> DomainError:
    if partner:
        use = f"/api/v1/partner/bookings/{booking.pk}/status"
        message = "A partner moves the job with PATCH /partner/bookings/{id}/status (or POST .../complete)."
    else:
        use = f"/api/v1/bookings/{booking.pk}/cancel"
        message = "A customer can only cancel here (status cancelled); other moves are not theirs to make."
    return DomainError(
        message,
        code=ErrorCode.VALIDATION_ERROR,
        field="status",
        reason="not_here",
        context={"status": booking.status, "requested": requested, "use": use},
    )


def booking_patch(
    *,
    user: User,
    booking_id: Id,
    vendor_notes: str | None = None,
    customer_notes: str | None = None,
    status: str | None = None,
) -> Booking:
    """Apply the fields sent (``None``: not sent); returns the booking as it is afterwards."""
    cancel = False
    with transaction.atomic():
        booking = lifecycle.booking_lock(booking_id)
        is_customer = booking.user_id == user.pk
        is_partner = any(worker.pk == user.pk for worker in hooks.assigned_users(booking))
        if not is_customer and not is_partner:
            if not hooks.may_read(user, booking):
                raise DomainError("Booking not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="id")
            raise _forbidden(
                "vendor_notes"
                if vendor_notes is not None
                else "customer_notes"
                if customer_notes is not None
                else "status",
                "Only the booking's customer or the partner working it may change it here.",
            )
        if vendor_notes is not None and not is_partner:
            raise _forbidden("vendor_notes", "Only the partner working the booking writes its partner's notes.")
        if customer_notes is not None and not is_customer:
            raise _forbidden("customer_notes", "Only the customer writes the customer's notes.")
        if status is not None and status != booking.status:
            if not (is_customer and status == BookingStatus.CANCELLED):
                raise _status_elsewhere(booking, status, partner=not is_customer)
            if vendor_notes is not None or customer_notes is not None:
                raise DomainError(
                    "Cancel on its own: send status cancelled without notes.",
                    code=ErrorCode.VALIDATION_ERROR,
                    field="status",
                    reason="cancel_alone",
                )
            cancel = True
        if vendor_notes is not None:
            if booking.status in CLOSED:
                raise DomainError(
                    "A closed booking's notes can no longer change.",
                    code=BookingErrorCode.INVALID_BOOKING_STATUS,
                    field="vendor_notes",
                    reason="closed",
                    context={"status": booking.status},
                )
            booking.vendor_notes = vendor_notes
            booking.save(update_fields=["vendor_notes", "updated_at"])
            BookingEvent.objects.create(booking=booking, action="vendor_notes_updated", actor=user)
        if customer_notes is not None:
            booking_notes_update(user=user, booking_id=booking.pk, notes=customer_notes)
    if cancel:  # its own transaction: a refund may call the gateway after commit
        lifecycle.booking_cancel(user=user, booking_id=booking.pk, reason="")
    booking.refresh_from_db()
    return booking
