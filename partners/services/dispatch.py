"""The dispatch engine: offer a booking to the best partner, one at a time, until one accepts.

Flow (seed 000 "Partner Notification Flow", issue #6):

0. Checkout confirm already holds the best eligible partner's time
   (``partners.services.holds``, issue #23): the booking's ``held`` assignment.
   Dispatch turns that hold into the first offer (the same row, so the time
   stays covered); a booking without one is offered as below.
1. A booking that needs a partner (cash confirmed, or online paid) gets a
   ``Dispatch`` row and an offer to the best candidate
   (``partners.matching.candidates``): a ``PartnerAssignment`` in
   ``assigned`` with ``expires_at`` = now + ``PARTNER_ASSIGNMENT_TIMEOUT_MINUTES``;
   the booking becomes ``partner_assigned``; the partner is sent ``booking:new``.
2. The partner accepts (the booking becomes ``confirmed``) or rejects; an
   offer not answered in time expires (a Celery countdown, and the
   ``sweep_dispatch`` periodic task for a countdown that was lost; tasks are
   queued by name through ``core.jobs``, so services never import tasks). A
   rejected or expired offer returns the booking to ``pending`` and offers it
   to the next best partner, never the same partner twice in one round.
3. After ``PARTNER_ASSIGNMENT_MAX_ATTEMPTS`` offers, or when nobody
   qualifies, the booking goes to the manual queue and staff who may assign
   partners are told by email (and a ``staff.dispatch`` event; the inbox and
   other channels come with the notifications app).

Locks are taken booking, then partner, then assignment: accept, reject,
expiry and reschedule serialise on the booking row, and everything that
writes a partner's busy time (an offer, an accept, a job step) holds the
partner's row, so two transactions never wait on each other's uncommitted
rows in the exclusion constraint. An offer holds the partner's time: on
PostgreSQL the exclusion constraint refuses a second overlapping offer or job
(the candidate query already skips busy partners; the constraint is the
guarantee), and the engine then tries the next candidate. A dispatch that
PostgreSQL picks as a deadlock victim (two dispatches reaching for the same
two partners in opposite order) is retried. Rescheduling starts a new round that
asks the same partner first. Staff may assign by hand
(``partners.services.manual``); the locks, the partner's share and the
assignment rows both use are in ``partners.services.common``.

Each answer to an offer and each job taken or released moves the partner's
figures (``partners.services.figures``): an offer counts towards the
acceptance rate, never as a job.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from bookings.models import Booking, BookingEvent, BookingStatus
from bookings.notify import notify_booking
from bookings.services.lifecycle import booking_lock, booking_transition
from core import system_settings
from core.errors import DomainError
from core.events import STAFF_DISPATCH_GROUP, send_event_on_commit, user_group
from core.jobs import enqueue
from core.messaging import send_email_on_commit
from core.types import Id
from partners.errors import PartnerErrorCode
from partners.matching import Candidate, candidates, job_for
from partners.models import (
    BUSY_STATUSES,
    AssignmentStatus,
    Dispatch,
    DispatchStatus,
    Partner,
    PartnerAssignment,
)
from partners.services.common import (
    ASSIGNMENT_STATES,
    DISPATCH_STATES,
    create_assignment,
    deadlock_retry,
    dispatch_of,
    lock_partner,
    offer_data,
    partner_assignment,
    partner_summary,
    release_live,
)
from partners.services.figures import RESCHEDULED, figures_offer_answered

logger = logging.getLogger(__name__)


NEEDS_PARTNER = {BookingStatus.PENDING}


def _needs_dispatch(booking: Booking) -> bool:
    if booking.status not in NEEDS_PARTNER:
        return False
    return booking.payment_method == "cash" or booking.payment_status == "paid"


def _to_manual(booking: Booking, dispatch: Dispatch, reason: str) -> None:
    DISPATCH_STATES.move(dispatch, DispatchStatus.MANUAL, changes={"reason": reason, "queued_at": timezone.now()})
    BookingEvent.objects.create(booking=booking, action="assignment_queued", note=reason)
    logger.warning("booking %s needs manual assignment: %s", booking.booking_number, reason)
    for person in dispatch_staff():
        notify_booking("booking_needs_partner", booking, user=person, reason=reason.replace("_", " "))
    for email in dispatch_staff_emails():
        send_email_on_commit(
            event_type="booking_needs_partner",
            to=email,
            subject=f"Assign a partner by hand: {booking.booking_number}",
            body=(
                f"Booking {booking.booking_number} on {timezone.localtime(booking.scheduled_start):%d %b %Y %H:%M} "
                f"found no partner ({reason.replace('_', ' ')}). It is in the manual queue; assign a partner with "
                f"POST /api/v1/admin/bookings/{booking.pk}/assign-partner or in the Django admin."
            ),
        )
    send_event_on_commit(
        STAFF_DISPATCH_GROUP,
        "assignment_queued",
        {"booking_id": str(booking.pk), "booking_number": booking.booking_number, "reason": reason},
    )


def dispatch_staff() -> QuerySet[User]:
    """Who is told when a booking needs a partner by hand: active staff who may assign partners."""
    may_assign = Q(groups__permissions__content_type__app_label="partners") & Q(
        groups__permissions__codename="add_partnerassignment"
    )
    return User.objects.filter(may_assign | Q(is_superuser=True), is_active=True).distinct()


def dispatch_staff_emails() -> list[str]:
    rows = dispatch_staff().filter(email__isnull=False).exclude(email="")
    return sorted({email for email in rows.values_list("email", flat=True) if email})


def _offer_next(booking: Booking, dispatch: Dispatch) -> PartnerAssignment | None:
    """Offer the locked, pending booking to the best partner not yet asked this round."""
    if dispatch.attempts >= settings.PARTNER_ASSIGNMENT_MAX_ATTEMPTS:
        _to_manual(booking, dispatch, "max_attempts")
        return None
    job = job_for(booking)
    asked = set(
        PartnerAssignment.objects.filter(booking=booking, dispatch_round=dispatch.round).values_list(
            "partner_id", flat=True
        )
    )
    ranked: list[Candidate] = []
    if dispatch.preferred_partner_id and dispatch.preferred_partner_id not in asked:
        ranked = candidates(job, only_partner_ids=[dispatch.preferred_partner_id], limit=1)
    ranked += candidates(job, exclude_partner_ids=asked | {dispatch.preferred_partner_id} - {None}, limit=5)
    for candidate in ranked:
        assignment = create_assignment(
            booking, dispatch, candidate.partner, candidate=candidate, status=AssignmentStatus.ASSIGNED
        )
        if assignment is None:
            continue
        return _offered(booking, dispatch, assignment, candidate.partner)
    _to_manual(booking, dispatch, "no_eligible_partner" if not ranked else "all_candidates_busy")
    return None


def _offered(
    booking: Booking, dispatch: Dispatch, assignment: PartnerAssignment, partner: Partner
) -> PartnerAssignment:
    """The offer is out: the dispatch, the booking's status, the partner told, the expiry countdown."""
    DISPATCH_STATES.move(dispatch, DispatchStatus.OFFERED, changes={"attempts": dispatch.attempts + 1})
    booking_transition(
        booking,
        BookingStatus.PARTNER_ASSIGNED,
        action="partner_offered",
        note=partner.partner_code,
        event_extra={"assignment_status": AssignmentStatus.ASSIGNED, "partner": partner_summary(partner)},
    )
    send_event_on_commit(user_group(partner.user_id), "booking:new", offer_data(assignment, booking))
    notify_booking(
        "job_offered", booking, user=partner.user, minutes=system_settings.value("partner_assignment_timeout")
    )
    _schedule_expiry(assignment)
    return assignment


def _offer_held(booking: Booking, dispatch: Dispatch, held: PartnerAssignment) -> PartnerAssignment:
    """Checkout's hold becomes the first offer (issue #23): the same row, so the partner's time stays covered."""
    lock_partner(held.partner_id)
    held = PartnerAssignment.objects.select_for_update().select_related("partner__user").get(pk=held.pk)
    now = timezone.now()
    ASSIGNMENT_STATES.move(
        held,
        AssignmentStatus.ASSIGNED,
        changes={
            "assigned_at": now,
            "expires_at": now + timedelta(minutes=system_settings.value("partner_assignment_timeout")),
            "dispatch_round": dispatch.round,
            "attempt": dispatch.attempts + 1,
        },
    )
    return _offered(booking, dispatch, held, held.partner)


def _schedule_expiry(assignment: PartnerAssignment) -> None:
    delay = system_settings.value("partner_assignment_timeout") * 60 + 1
    transaction.on_commit(lambda: _send_quietly("partners.tasks.expire_offer", str(assignment.pk), delay))


def _send_quietly(task_name: str, assignment_id: str, countdown: int) -> None:
    try:
        enqueue(task_name, assignment_id, countdown=countdown)
    except Exception:  # the broker is down: the periodic sweep expires the offer instead
        logger.exception("could not schedule the expiry of offer %s", assignment_id)


@deadlock_retry
def dispatch_booking(booking_id: Id, *, force: bool = False) -> PartnerAssignment | None:
    """Offer the booking if it needs a partner and has no live offer. Safe to call again (idempotent).

    ``force`` starts a new round even when the booking is in the manual queue.
    """
    with transaction.atomic():
        booking = booking_lock(booking_id)
        live = PartnerAssignment.objects.filter(booking=booking, status__in=BUSY_STATUSES).first()
        if live is not None and live.status != AssignmentStatus.HELD:
            return live
        queued = Dispatch.objects.filter(booking=booking, status=DispatchStatus.MANUAL).exists()
        if not force and (not _needs_dispatch(booking) or queued):
            return None  # nothing to do (and no queue row for a booking that needs no partner)
        if booking.status not in NEEDS_PARTNER:
            raise DomainError(
                f"A {booking.status} booking cannot be assigned.",
                code=PartnerErrorCode.BOOKING_NOT_ASSIGNABLE,
                context={"status": booking.status},
            )
        dispatch = dispatch_of(booking)
        new_round = force and dispatch.status == DispatchStatus.MANUAL
        fresh = {"round": dispatch.round + 1, "attempts": 0} if new_round else {}
        DISPATCH_STATES.move(dispatch, DispatchStatus.SEARCHING, changes={**fresh, "reason": ""})
        if live is not None:  # held at checkout: that partner is asked first
            return _offer_held(booking, dispatch, live)
        return _offer_next(booking, dispatch)


def dispatch_now(booking_id: Id, *, force: bool = False) -> PartnerAssignment:
    """Seed 000's internal auto-assign: the live offer, or why there is none (queued, or no partner needed)."""
    assignment = dispatch_booking(booking_id, force=force)
    if assignment is not None:
        return assignment
    if Dispatch.objects.filter(booking_id=booking_id, status=DispatchStatus.MANUAL).exists():
        raise DomainError(
            "No partner could be offered this booking; it is in the manual queue.",
            code=PartnerErrorCode.NO_PARTNER_AVAILABLE,
            reason="queued",
        )
    raise DomainError(  # nothing was tried: not pending, or online and not paid yet
        "This booking does not need a partner now (not pending, or not paid yet).",
        code=PartnerErrorCode.BOOKING_NOT_ASSIGNABLE,
        reason="not_needed",
    )


def request_dispatch(booking_id: Id) -> None:
    """After the current transaction commits, dispatch in the worker (the periodic sweep catches a lost call)."""

    def send() -> None:
        try:
            enqueue("partners.tasks.dispatch_booking_task", str(booking_id))
        except Exception:  # the broker is down: the sweep dispatches it
            logger.exception("could not queue the dispatch of booking %s", booking_id)

    transaction.on_commit(send)


def _moved_on(assignment: PartnerAssignment) -> DomainError:
    return DomainError(
        "This offer is no longer open.",
        code=PartnerErrorCode.OFFER_EXPIRED,
        reason=assignment.status,
        context={"status": assignment.status},
    )


def _check_open(assignment: PartnerAssignment, doing: str) -> None:
    """An offer can be answered only while it is open: 409 once it has moved on, 422 once it is a job."""
    if assignment.status == AssignmentStatus.ASSIGNED:
        return
    if assignment.status in (AssignmentStatus.REJECTED, AssignmentStatus.EXPIRED, AssignmentStatus.CANCELLED):
        raise _moved_on(assignment)
    raise DomainError(
        f"An {assignment.status} job cannot be {doing}.",
        code=PartnerErrorCode.INVALID_ASSIGNMENT_STATUS,
        context={"status": assignment.status},
    )


@deadlock_retry
def offer_accept(*, partner: Partner, booking_id: Id) -> tuple[Booking, PartnerAssignment]:
    with transaction.atomic():
        booking, assignment = partner_assignment(partner, booking_id)
        _check_open(assignment, "accepted again")
        if assignment.expires_at and assignment.expires_at <= timezone.now():
            raise _moved_on(assignment)
        ASSIGNMENT_STATES.move(assignment, AssignmentStatus.ACCEPTED, changes={"accepted_at": timezone.now()})
        figures_offer_answered(partner_id=partner.pk, answer=AssignmentStatus.ACCEPTED)
        DISPATCH_STATES.move(dispatch_of(booking), DispatchStatus.ASSIGNED)
        booking_transition(
            booking,
            BookingStatus.CONFIRMED,
            actor=partner.user,
            action="partner_accepted",
            note=partner.partner_code,
            event_extra={"assignment_status": AssignmentStatus.ACCEPTED, "partner": partner_summary(partner)},
        )
    return booking, assignment


def _decline(
    booking: Booking, assignment: PartnerAssignment, status: str, reason: str, actor: User | None = None
) -> None:
    """Close an open offer (rejected or expired) and offer the booking to the next partner."""
    ASSIGNMENT_STATES.move(assignment, status, changes={"rejected_at": timezone.now(), "rejection_reason": reason})
    figures_offer_answered(partner_id=assignment.partner_id, answer=status)  # an offer, not a job: no job figure
    booking_transition(
        booking,
        BookingStatus.PENDING,
        actor=actor,
        action=f"offer_{status}",
        note=reason,
        event_extra={"assignment_status": status},
    )
    dispatch = dispatch_of(booking)
    _offer_next(booking, dispatch)


@deadlock_retry
def offer_reject(*, partner: Partner, booking_id: Id, reason: str = "") -> tuple[Booking, PartnerAssignment]:
    with transaction.atomic():
        booking, assignment = partner_assignment(partner, booking_id)
        _check_open(assignment, "rejected")
        _decline(booking, assignment, AssignmentStatus.REJECTED, reason or "rejected", actor=partner.user)
    return booking, assignment


@deadlock_retry
def offer_expire(assignment_id: Id) -> bool:
    """Expire the offer if it is still open and its time is up (the countdown and the sweep call this)."""
    assignment = PartnerAssignment.objects.filter(pk=assignment_id).only("booking_id").first()
    if assignment is None:
        return False
    with transaction.atomic():
        booking = booking_lock(assignment.booking_id)
        assignment = PartnerAssignment.objects.select_for_update().get(pk=assignment_id)
        if assignment.status != AssignmentStatus.ASSIGNED or (
            assignment.expires_at is None or assignment.expires_at > timezone.now()
        ):
            return False
        notify_booking("offer_expired", booking, user=User.objects.get(partner_profile__pk=assignment.partner_id))
        _decline(booking, assignment, AssignmentStatus.EXPIRED, "no answer in time")
    return True


def on_rescheduled(booking_id: Id) -> None:
    """The booking moved (and is ``pending`` again): a new round that asks the same partner first."""
    booking = booking_lock(booking_id)
    released = release_live(booking, RESCHEDULED)
    dispatch = dispatch_of(booking)
    again: dict[str, Any] = {"round": dispatch.round + 1, "attempts": 0}
    if released is not None:
        again["preferred_partner_id"] = released.partner_id
    DISPATCH_STATES.move(dispatch, DispatchStatus.SEARCHING, changes=again)
    if _needs_dispatch(booking):
        request_dispatch(booking.pk)


def on_cancelled(booking_id: Id) -> None:
    booking = Booking.objects.get(pk=booking_id)
    release_live(booking, "booking cancelled")
    dispatch = Dispatch.objects.select_for_update().filter(booking=booking).first()
    if dispatch is not None:
        DISPATCH_STATES.move(dispatch, DispatchStatus.CLOSED)


def sweep(now: datetime | None = None) -> dict[str, int]:
    """The periodic safety net: expire offers whose countdown was lost; dispatch bookings nobody picked up."""
    now = now or timezone.now()
    expired = 0
    for assignment_id in PartnerAssignment.objects.filter(
        status=AssignmentStatus.ASSIGNED, expires_at__lte=now
    ).values_list("pk", flat=True)[:500]:
        expired += offer_expire(assignment_id)
    stale = now - timedelta(minutes=1)
    waiting = Booking.objects.filter(
        status=BookingStatus.PENDING, scheduled_start__gt=now, created_at__lte=stale, requested_partner__isnull=True
    )
    waiting = waiting.exclude(dispatch__status__in=[DispatchStatus.MANUAL, DispatchStatus.CLOSED])
    waiting = waiting.filter(Q(payment_method="cash") | Q(payment_status="paid"))
    dispatched = 0
    for booking_id in waiting.values_list("pk", flat=True)[:200]:
        dispatched += dispatch_booking(booking_id) is not None
    return {"expired": expired, "dispatched": dispatched}
