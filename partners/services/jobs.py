"""The job flow after acceptance, completion with the partner's earning, and ratings.

Assignment steps drive the booking (issue #6):

============  ======================  ==================================
assignment    booking                 note
============  ======================  ==================================
accepted      confirmed               (``dispatch.offer_accept``)
in_transit    in_progress             the partner is on the way: from now
                                      the customer can no longer cancel or
                                      reschedule (seed 004: "before the
                                      partner is on the way")
arrived       in_progress (kept)      service starts; the timeline and the
                                      event still record the step
completed     completed               earning, ledger, cash becomes paid
============  ======================  ==================================

Any other move is ``422 INVALID_ASSIGNMENT_STATUS``; completing before
arriving is one of them. Staff may complete an in-progress job for its
partner (:func:`job_complete_by_staff`), with the same consequences. Nobody
completes an online booking that is not paid (``422 BOOKING_UNPAID``): a job
staff forced onto a partner before the payment would otherwise pay the partner
for money never received.

Completion: the partner's share is ``PARTNER_COMMISSION_PERCENTAGE`` of the
booking before tax; the platform keeps the rest and the tax. A cash booking
is recorded as paid in cash through the payments layer (collected by the
partner), and the earning notes the cash the partner holds, which a payout
settles (``payouts``). One ledger posting moves the customer's money from
``customer_funds`` to ``partner_payable``, ``platform_commission`` and
``tax_payable``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Case, DecimalField, F, Q, Value, When
from django.db.models.functions import Round
from django.utils import timezone

from accounts.models import User
from bookings.errors import BookingErrorCode
from bookings.models import (
    BOOKING_PAYABLE,
    BOOKING_TRANSITIONS,
    Booking,
    BookingPaymentStatus,
    BookingStatus,
    PaymentMode,
)
from bookings.services.lifecycle import booking_lock, booking_transition
from catalog.pricing import ZERO, money
from core.errors import DomainError, ErrorCode
from core.expressions import real_ratio
from core.types import Id
from partners.errors import PartnerErrorCode
from partners.models import (
    AssignmentStatus,
    Partner,
    PartnerAssignment,
    PartnerEarning,
)
from partners.services.common import (
    ASSIGNMENT_STATES,
    booking_amount,
    lock_partner,
    partner_assignment,
    partner_summary,
)
from partners.slots import slots_changed
from payments.services.ledger import ledger_post
from payments.services.payments import payment_record_cash

STEP_TO_BOOKING: dict[str, tuple[BookingStatus, str]] = {
    AssignmentStatus.IN_TRANSIT: (BookingStatus.IN_PROGRESS, "partner_on_the_way"),
    AssignmentStatus.ARRIVED: (BookingStatus.IN_PROGRESS, "partner_arrived"),
}


def _illegal(assignment: PartnerAssignment, wanted: str, reason: str = "illegal_transition") -> DomainError:
    return DomainError(
        f"An assignment that is {assignment.status} cannot become {wanted}.",
        code=PartnerErrorCode.INVALID_ASSIGNMENT_STATUS,
        field="status",
        reason=reason,
        context={"status": assignment.status, "requested": wanted},
    )


def job_advance(
    *, partner: Partner, booking_id: Id, status: str, estimated_arrival: datetime | None = None
) -> tuple[Booking, PartnerAssignment]:
    """``in_transit`` or ``arrived`` (seed 000 ``PATCH /partner/bookings/:id/status``)."""
    if status not in STEP_TO_BOOKING:
        raise DomainError(
            'status must be "in_transit" or "arrived" (use /complete to finish the job).',
            code=ErrorCode.VALIDATION_ERROR,
            field="status",
            reason="invalid_choice",
        )
    with transaction.atomic():
        booking, assignment = partner_assignment(partner, booking_id)
        now = timezone.now()
        if status == AssignmentStatus.IN_TRANSIT:
            step = {"in_transit_at": now, "estimated_arrival": estimated_arrival}
        else:
            step = {"actual_arrival": now, "service_started_at": now}
        ASSIGNMENT_STATES.move(assignment, status, changes=step)
        booking_status, action = STEP_TO_BOOKING[status]
        booking_transition(
            booking,
            booking_status,
            actor=partner.user,
            action=action,
            event_extra={
                "assignment_status": status,
                "partner": partner_summary(partner),
                "estimated_arrival": estimated_arrival.isoformat() if estimated_arrival else None,
            },
        )
    return booking, assignment


def job_complete(
    *, partner: Partner, booking_id: Id, completed_at: datetime | None = None
) -> tuple[Booking, PartnerEarning]:
    with transaction.atomic():
        booking, assignment = partner_assignment(partner, booking_id)
        if assignment.status != AssignmentStatus.ARRIVED:
            reason = (
                "not_arrived"
                if assignment.status in (AssignmentStatus.ACCEPTED, AssignmentStatus.IN_TRANSIT)
                else ("illegal_transition")
            )
            raise _illegal(assignment, AssignmentStatus.COMPLETED, reason)
        now = timezone.now()
        finished = completed_at or now
        if finished > now + timedelta(minutes=5) or (
            assignment.actual_arrival is not None and finished < assignment.actual_arrival
        ):
            raise DomainError(
                "service_completed_at must be between the arrival and now.",
                code=ErrorCode.VALIDATION_ERROR,
                field="service_completed_at",
                reason="out_of_range",
            )
        earning = _complete(booking, assignment, partner, finished=finished, actor=partner.user, action="completed")
    return booking, earning


def job_complete_by_staff(*, booking_id: Id, actor: User, note: str = "") -> tuple[Booking, PartnerEarning]:
    """Staff mark a job done for its partner (``PATCH /admin/bookings/{id}/status`` ``completed``).

    The booking must be in progress with a partner working it (on the way or
    arrived); everything a partner's completion does follows: cash collected,
    earning, ledger, counters. Call inside the caller's transaction.
    """
    booking = booking_lock(booking_id)
    if BookingStatus.COMPLETED not in BOOKING_TRANSITIONS[booking.status]:
        raise DomainError(
            f"A {booking.status} booking cannot become completed.",
            code=BookingErrorCode.INVALID_BOOKING_STATUS,
            reason="illegal_transition",
            context={"status": booking.status, "requested": BookingStatus.COMPLETED},
        )
    working = [AssignmentStatus.ACCEPTED, AssignmentStatus.IN_TRANSIT, AssignmentStatus.ARRIVED]
    found = PartnerAssignment.objects.filter(booking_id=booking.pk, status__in=working).order_by("-assigned_at").first()
    if found is None:
        raise DomainError(
            "No partner is working this booking; assign one before completing it.",
            code=BookingErrorCode.INVALID_BOOKING_STATUS,
            reason="no_partner",
            context={"status": booking.status},
        )
    lock_partner(found.partner_id)  # booking, partner, assignment: the order every job step locks in
    assignment = PartnerAssignment.objects.select_for_update().select_related("partner").get(pk=found.pk)
    earning = _complete(
        booking,
        assignment,
        assignment.partner,
        finished=timezone.now(),
        actor=actor,
        action="completed_by_staff",
        note=note,
    )
    return booking, earning


def _complete(
    booking: Booking,
    assignment: PartnerAssignment,
    partner: Partner,
    *,
    finished: datetime,
    actor: User,
    action: str,
    note: str = "",
) -> PartnerEarning:
    """The job is done: cash collected, the earning and its ledger posting, the booking completed."""
    if booking.payment_method == PaymentMode.ONLINE and booking.payment_status != BookingPaymentStatus.PAID:
        raise DomainError(
            "This online booking is not paid; collect the payment (a payment link) before completing it.",
            code=PartnerErrorCode.BOOKING_UNPAID,
            reason="unpaid",
            context={"payment_status": booking.payment_status},
        )
    ASSIGNMENT_STATES.move(assignment, AssignmentStatus.COMPLETED, changes={"service_completed_at": finished})
    cash = ZERO
    if booking.payment_method == PaymentMode.CASH and booking.payment_status != BookingPaymentStatus.PAID:
        payment_record_cash(
            payable_type=BOOKING_PAYABLE,
            payable_id=str(booking.pk),
            amount=booking.grand_total,
            recorded_by=partner.user,
            note=f"Collected by {partner.partner_code}",
        )
        cash = booking.grand_total
        booking.refresh_from_db()
    earning = _record_earning(booking, assignment, partner, cash, finished=finished)
    booking_transition(
        booking,
        BookingStatus.COMPLETED,
        actor=actor,
        action=action,
        note=note,
        event_extra={"assignment_status": AssignmentStatus.COMPLETED, "partner": partner_summary(partner)},
    )
    return earning


def _record_earning(
    booking: Booking,
    assignment: PartnerAssignment,
    partner: Partner,
    cash: Decimal,
    *,
    finished: datetime | None = None,
) -> PartnerEarning:
    """The earning, payable from ``release_date``: the completion's local day + ``EARNING_RELEASE_DAYS`` (seed 002 E;
    0 by default, payable at once); payouts skip it before then (``payouts.payout_create``). ``finished``: now
    unless given."""
    amount = booking_amount(booking)
    percentage = assignment.commission_percentage
    share = money(amount * percentage / 100)
    commission = amount - share
    earning = PartnerEarning.objects.create(
        partner=partner,
        booking=booking,
        assignment=assignment,
        booking_amount=amount,
        commission_percentage=percentage,
        partner_earning=share,
        platform_commission=commission,
        tax=booking.tax,
        cash_collected=cash,
        release_date=timezone.localdate(finished or timezone.now()) + timedelta(days=settings.EARNING_RELEASE_DAYS),
    )
    ledger_post(
        lines=[
            ("customer_funds", booking.grand_total),
            ("partner_payable", -share),
            ("platform_commission", -commission),
            ("tax_payable", -booking.tax),
        ],
        memo=f"Completed {booking.booking_number}: partner {partner.partner_code}",
        reference=(BOOKING_PAYABLE, str(booking.pk)),
    )
    Partner.objects.filter(pk=partner.pk).update(
        completed_bookings=F("completed_bookings") + 1,
        total_earnings=F("total_earnings") + share,
        pending_payout=F("pending_payout") + earning.payout_value,
        updated_at=timezone.now(),
    )
    return earning


def partner_rating_change(*, partner_id: Id, old_rating: int | None, new_rating: int | None) -> None:
    """A review of the partner was written (old None), edited or removed (new None): one ``UPDATE`` with
    ``F()`` moves the total and the count by the difference and recomputes the average from the new values in
    the same statement, so concurrent reviews never lose one (0.00 once no review is left)."""
    delta = (new_rating or 0) - (old_rating or 0)
    count_delta = (new_rating is not None) - (old_rating is not None)
    if delta == 0 and count_delta == 0:
        return
    total, count = F("rating_total") + Value(delta), F("rating_count") + Value(count_delta)
    average = Round(real_ratio(total, count), 2, output_field=DecimalField(max_digits=3, decimal_places=2))
    Partner.objects.filter(pk=partner_id).update(
        rating_total=total,
        rating_count=count,
        rating=Case(When(Q(rating_count__lte=-count_delta), then=Value(ZERO)), default=average),
        updated_at=timezone.now(),
    )
    slots_changed()  # the minimum rating decides who qualifies


# The earning and its ledger posting, for an appointment's completion (partners.services.appointment_steps).
record_earning = _record_earning
