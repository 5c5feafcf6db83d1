"""Checkout holds capacity (issue #23): a confirmed slot is a served slot.

Checkout confirm calls :func:`booking_hold` inside its transaction, after the booking and its services are
written (``bookings.hooks.PartnerPort.hold_capacity``). It keeps the best eligible partner's time for the job,
travel buffer included, as a ``held`` ``PartnerAssignment``: the row the PostgreSQL exclusion constraint covers,
exactly as an offer, a job or an appointment holds its partner. Candidates come best first from
``partners.matching.candidates`` (the same rules and score as dispatch); each is tried under the partner's row
lock (``create_assignment``), and when a batch is all taken by concurrent confirms the next batch is asked, so
the answer is "nobody" only when no eligible partner is free. Then confirm answers ``409 SLOT_UNAVAILABLE`` and
its transaction (booking, promo use) rolls back; no payment order is made. (A deployment that turns
``SLOTS_REQUIRE_PARTNER`` off sells every slot in business hours: the hold is then taken when a partner is free
and the booking stands without one, for staff to assign.)

A hold is invisible to the partner (no offer, no notification, not in their lists) and to the customer's
booking output (no partner yet). It ends in one of three ways:

* dispatch turns it into the first offer (``partners.services.dispatch``): at once for cash, once the payment
  is captured for online; a reject or timeout then moves the job on as before;
* the booking is cancelled, or an unpaid online booking expires (``bookings.services.expiry``): released
  (``release_live``, ``cancelled``), and the slot is bookable again;
* the booking is rescheduled: released, and the new time is held again while the booking waits for its payment
  (:func:`booking_hold_again`, best effort: the reschedule itself already checked the new slot is offered).

Every hold taken or released moves the slots version (``partners.receivers``), so prepare stops offering a
fully held slot, and offers it again once released.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from bookings.hooks import SlotRequest
from bookings.models import Booking, BookingEvent, BookingPaymentStatus, BookingStatus, PaymentMode
from core.types import Id
from partners.matching import Candidate, Job, candidates, job_for
from partners.models import BUSY_STATUSES, AssignmentStatus, Dispatch, PartnerAssignment
from partners.services.common import create_assignment, lock_first_free_partner

BATCH = 5
# The plan is longer than a batch: concurrent confirms (a server runs about as many at once as it has
# connections) often want the same best partners, and each skips the rows the others hold; a plan they all
# exhaust sends one to wait for another's whole transaction.
PLAN = 16


def hold_plan(request: SlotRequest, *, start: datetime, end: datetime) -> list[Candidate]:
    """The best partners for the job, read before the confirm transaction so its locks are held briefly."""
    job = Job(
        category_ids=request.category_ids,
        tiers=request.tiers,
        start=start,
        end=end,
        lat=request.lat,
        lng=request.lng,
        pincode=request.pincode,
    )
    return candidates(job, limit=PLAN, with_users=False, lean=True)  # a hold tells nobody: no users


def booking_hold(
    booking: Booking, *, plan: Iterable[Candidate] = (), fresh: bool = False, events: list[BookingEvent] | None = None
) -> PartnerAssignment | None:
    """Hold the best eligible free partner's time for the (just created) booking; ``None``: nobody is free.

    First the ``plan``'s partners whose row no other confirm holds (``SKIP LOCKED``: concurrent confirms spread
    over the partners instead of queueing behind the best one), then those it skipped (waiting for their lock),
    then fresh rankings of whoever was not tried, until nobody is left. ``fresh``: the booking was made in this
    transaction (checkout confirm), so it has no dispatch yet, and checkout stores the estimates the hold sets on
    it (``bookings.hooks.HOLD_ESTIMATES``) with its booking number, one ``UPDATE`` for both. ``events``: the
    booking's timeline rows the caller writes next (checkout confirm's, one ``INSERT``); the ``partner_held`` row
    joins them instead of being written on its own."""
    dispatch = None if fresh else Dispatch.objects.filter(booking=booking).first()
    tried: set[Any] = set()

    def hold(candidate: Candidate, *, locked: bool) -> PartnerAssignment:
        """Their hold; ``_Taken`` when their time is taken. Run in the attempt's savepoint (see below)."""
        tried.add(candidate.partner.pk)
        held = create_assignment(
            booking, dispatch, candidate.partner, candidate=candidate, status=AssignmentStatus.HELD,
            locked=locked, savepoint=False, store_estimates=not fresh,
        )  # fmt: skip
        if held is None:
            raise _Taken
        return held

    skipped: list[Candidate] = []
    remaining = list(plan)

    def first_free() -> Candidate | None:
        """The best of the plan's ``remaining`` whose row no other confirm holds, now locked by this one (one
        statement); those before it are held by other confirms and ``skipped``, for later."""
        nonlocal remaining
        pk = lock_first_free_partner([c.partner.pk for c in remaining])
        at = next((i for i, c in enumerate(remaining) if c.partner.pk == pk), len(remaining))
        skipped.extend(remaining[:at])
        chosen, remaining = (remaining[at] if at < len(remaining) else None), remaining[at + 1 :]
        return chosen

    def attempt(candidate: Candidate | None = None) -> PartnerAssignment | None:
        """``candidate``'s hold (waiting for their row), or the first free one's of the plan (no waiting).

        In a savepoint rolled back when the partner's time is taken: their row lock goes with it, so a confirm
        never waits for one partner while holding another's row, and two confirms cannot deadlock."""
        try:
            with transaction.atomic():
                chosen = candidate if candidate is not None else first_free()
                held = hold(chosen, locked=candidate is None) if chosen is not None else None
        except (_Taken, IntegrityError):
            return None
        if held is not None:
            event = BookingEvent(booking=booking, action="partner_held", note=held.partner.partner_code)
            if events is None:
                event.save()
            else:
                events.append(event)
        return held

    while remaining:
        if held := attempt():
            return held
    for candidate in skipped:  # held by other confirms when tried: now wait for each in turn
        if held := attempt(candidate):
            return held
    job = job_for(booking)
    while ranked := candidates(job, exclude_partner_ids=tried, limit=BATCH):
        for candidate in ranked:
            if held := attempt(candidate):
                return held
    return None


class _Taken(Exception):
    """The partner's time was taken: roll the attempt's savepoint back (and with it their row lock)."""


def booking_hold_again(booking_id: Id) -> PartnerAssignment | None:
    """After a reschedule: a booking still waiting for its online payment holds its new time (best effort)."""
    booking = Booking.objects.get(pk=booking_id)
    waiting = (
        booking.status == BookingStatus.PENDING
        and booking.payment_method == PaymentMode.ONLINE
        and booking.payment_status != BookingPaymentStatus.PAID
        and booking.requested_partner_id is None
    )
    if not waiting or PartnerAssignment.objects.filter(booking=booking, status__in=BUSY_STATUSES).exists():
        return None
    return booking_hold(booking)
