"""Unpaid online bookings and appointment holds expire; money that arrives after a booking is closed goes back.

An appointment (issue #18) is created as a ``pending_payment`` hold on its provider's time with
``hold_expires_at``; the same scan moves an unpaid one past that time to ``expired``, which releases the
provider's time (``hooks.PartnerPort.booking_cancelled``) and closes its open payment orders.

An online booking is ``pending`` until its payment is captured. After
``unpaid_booking_expiry_minutes`` (a runtime setting, default 30) without a
capture, the periodic scan (``bookings.tasks.expire_unpaid_bookings``, every
minute) cancels it: ``cancelled_by: system``, no fee, its promo use released
(the customer and the code's total limit get it back) and its open payment
orders closed (``failed``, "expired").

Razorpay cannot cancel an order, so a customer still inside Checkout (or
approving a UPI collect request late) may pay after that. The booking adapter
(``bookings.payable``) records such a *late capture* on the timeline and
queues :func:`booking_refund_late_capture`, which refunds it in full through
the payments layer (the refund's ledger entries are the ones every refund
posts). The same scan refunds any late capture whose task was lost. A booking
the customer or staff cancelled before it was paid is treated the same way.

Locks are taken payments first, then the booking: the payments layer tells the
booking about a capture while holding the payment's lock, so the same order
here means an expiry racing a capture cannot deadlock.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from bookings import hooks
from bookings.models import (
    BOOKING_PAYABLE,
    ZERO,
    Booking,
    BookingEvent,
    BookingPaymentStatus,
    BookingStatus,
    CancelledBy,
    PaymentMode,
)
from bookings.services.lifecycle import booking_lock, booking_transition
from bookings.services.promos import promo_release
from core import system_settings
from core.errors import DomainError
from core.jobs import enqueue_on_commit
from core.types import Id
from payments.models import Payment, PaymentStatus, RefundStatus, RefundType
from payments.services.payments import lock_payments_of, payment_close_pending
from payments.services.refunds import refund_create

logger = logging.getLogger(__name__)

BATCH = 200
LATE_CAPTURE = "late_capture"
LATE_CAPTURE_LOOKBACK = timedelta(days=7)
UNPAID = (BookingPaymentStatus.PENDING, BookingPaymentStatus.FAILED)
LIVE_REFUNDS = (RefundStatus.PENDING, RefundStatus.PROCESSED)
# A booking that will not happen: money captured for it after that is a late capture, refunded in full.
CLOSED = (BookingStatus.CANCELLED, BookingStatus.EXPIRED, BookingStatus.REFUNDED)  # a failed refund is tried again


def expiry_cutoff() -> datetime:
    """Online bookings created before this and still unpaid are due to expire."""
    return timezone.now() - timedelta(minutes=system_settings.value("unpaid_booking_expiry_minutes"))


def unpaid_bookings_due(*, limit: int = BATCH) -> list[UUID]:
    return list(
        Booking.objects.filter(
            status=BookingStatus.PENDING,
            payment_method=PaymentMode.ONLINE,
            payment_status__in=UNPAID,
            created_at__lt=expiry_cutoff(),
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def booking_expire_unpaid(*, booking_id: Id) -> bool:
    """Cancel one online booking whose payment never came; returns whether it did (safe to run twice)."""
    minutes = system_settings.value("unpaid_booking_expiry_minutes")
    reason = f"Payment not received within {minutes} minutes."
    with transaction.atomic():
        lock_payments_of(payable_type=BOOKING_PAYABLE, payable_id=str(booking_id))
        booking = booking_lock(booking_id)
        if (
            booking.status != BookingStatus.PENDING
            or booking.payment_method != PaymentMode.ONLINE
            or booking.payment_status not in UNPAID
            or booking.created_at >= expiry_cutoff()
        ):
            return False
        booking_transition(
            booking,
            BookingStatus.CANCELLED,
            action="expired_unpaid",
            note=reason,
            cancelled_at=timezone.now(),
            cancelled_by=CancelledBy.SYSTEM,
            cancellation_reason=reason,
            cancellation_fee=ZERO,
            refund_amount=ZERO,
        )
        hooks.partners().booking_cancelled(booking_id=booking.pk, by=CancelledBy.SYSTEM)
        promo_release(booking=booking)
        payment_close_pending(
            payable_type=BOOKING_PAYABLE, payable_id=str(booking.pk), reason="Order expired: " + reason
        )
    return True


def holds_due(*, limit: int = BATCH) -> list[UUID]:
    """Unpaid appointment holds whose time is up."""
    return list(
        Booking.objects.filter(status=BookingStatus.PENDING_PAYMENT, hold_expires_at__lte=timezone.now())
        .order_by("hold_expires_at")
        .values_list("pk", flat=True)[:limit]
    )


def booking_expire_hold(*, booking_id: Id) -> bool:
    """Free the slot of an appointment hold that was not paid in time; returns whether it did (safe to run twice).

    Takes the payments' locks before the booking's, as a capture does: a capture that commits first has
    moved the booking out of ``pending_payment`` (nothing to do here); one that comes after finds the
    booking ``expired`` and is refunded as a late capture. Either way there is one outcome.
    """
    with transaction.atomic():
        lock_payments_of(payable_type=BOOKING_PAYABLE, payable_id=str(booking_id))
        booking = booking_lock(booking_id)
        if (
            booking.status != BookingStatus.PENDING_PAYMENT
            or booking.hold_expires_at is None
            or booking.hold_expires_at > timezone.now()
        ):
            return False
        reason = "Payment not received before the hold expired."
        booking_transition(
            booking,
            BookingStatus.EXPIRED,
            action="hold_expired",
            note=reason,
            cancelled_at=timezone.now(),
            cancelled_by=CancelledBy.SYSTEM,
            cancellation_reason=reason,
            cancellation_fee=ZERO,
            refund_amount=ZERO,
        )
        hooks.partners().booking_cancelled(booking_id=booking.pk, by=CancelledBy.SYSTEM)
        payment_close_pending(
            payable_type=BOOKING_PAYABLE, payable_id=str(booking.pk), reason="Order expired: " + reason
        )
    return True


def expire_unpaid_bookings() -> int:
    """The periodic scan: expire what is due (unpaid online bookings and appointment holds), then refund late
    captures whose refund task was lost."""
    expired = 0
    for booking_id in unpaid_bookings_due():
        try:
            expired += booking_expire_unpaid(booking_id=booking_id)
        except Exception:  # one bad row must not stop the scan; it is tried again next minute
            logger.exception("Could not expire unpaid booking %s", booking_id)
    for booking_id in holds_due():
        try:
            expired += booking_expire_hold(booking_id=booking_id)
        except Exception:
            logger.exception("Could not expire the appointment hold %s", booking_id)
    for late_booking_id, payment_id in late_captures_to_refund():
        try:
            booking_refund_late_capture(booking_id=late_booking_id, payment_id=payment_id)
        except Exception:
            logger.exception("Could not refund the late capture %s of booking %s", payment_id, late_booking_id)
    return expired


def late_captures_to_refund(*, limit: int = BATCH) -> list[tuple[str, str]]:
    """Late captures (recorded on a timeline in the last week) whose payment has no refund yet."""
    events = BookingEvent.objects.filter(
        action=LATE_CAPTURE, created_at__gte=timezone.now() - LATE_CAPTURE_LOOKBACK
    ).values_list("booking_id", "note")[:limit]
    pairs = {note: str(booking_id) for booking_id, note in events}
    unrefunded = (
        Payment.objects.filter(pk__in=list(pairs), status=PaymentStatus.SUCCESS)
        .exclude(refunds__status__in=LIVE_REFUNDS)
        .values_list("pk", flat=True)
    )
    return [(pairs[str(pk)], str(pk)) for pk in unrefunded]


def booking_record_late_capture(booking: Booking, *, payment_id: str) -> None:
    """The adapter heard a capture for a cancelled booking (inside its transaction): refund it after commit."""
    BookingEvent.objects.create(booking=booking, action=LATE_CAPTURE, note=payment_id)
    enqueue_on_commit("bookings.tasks.refund_late_capture", str(booking.pk), payment_id)


def booking_refund_late_capture(*, booking_id: Id, payment_id: Id) -> bool:
    """Refund in full a payment captured after its booking was cancelled; returns whether a refund was made."""
    booking = Booking.objects.filter(pk=booking_id).first()
    if booking is None or booking.status not in CLOSED:
        return False
    payment = Payment.objects.filter(pk=payment_id, payable_type=BOOKING_PAYABLE, payable_id=str(booking.pk)).first()
    if (
        payment is None
        or payment.status != PaymentStatus.SUCCESS
        or payment.refunds.filter(status__in=LIVE_REFUNDS).exists()
    ):
        return False
    try:
        refund_create(
            payment_pk=payment.pk,
            refund_type=RefundType.FULL,
            reason=f"Paid after {booking.booking_number} was cancelled",
        )
    except DomainError:  # another run reserved it first (nothing left to refund)
        return False
    return True
