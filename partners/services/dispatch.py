"""The dispatch engine: offer a booking to the best partner, one at a time, until one accepts.

Flow (seed 000 "Partner Notification Flow", issue #6):

1. A booking that needs a partner (cash confirmed, or online paid) gets a
   ``Dispatch`` row and an offer to the best candidate
   (``partners.matching.candidates``): a ``PartnerAssignment`` in
   ``assigned`` with ``expires_at`` = now + ``PARTNER_ASSIGNMENT_TIMEOUT_MINUTES``;
   the booking becomes ``partner_assigned``; the partner is sent ``booking:new``.
2. The partner accepts (the booking becomes ``confirmed``) or rejects; an
   offer not answered in time expires (a Celery countdown, and the
   ``sweep_dispatch`` periodic task for a countdown that was lost). A
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
asks the same partner first. Staff may assign by hand; with ``force`` the
partner's categories, area, hours and rating are not checked, but their time
still is: the database forbids two overlapping jobs for anyone.
Staff assignments are binding (``accepted``): staff agree the job with the
partner before assigning it.

Each answer to an offer and each job taken or released moves the partner's
figures (``partners.services.figures``): an offer counts towards the
acceptance rate, never as a job.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from bookings.models import Booking, BookingEvent, BookingStatus
from bookings.notify import notify_booking
from bookings.services.lifecycle import booking_lock, booking_transition
from catalog.pricing import money
from core import system_settings
from core.errors import DomainError
from core.events import STAFF_DISPATCH_GROUP, send_event_on_commit, user_group
from core.messaging import send_email_on_commit
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
from partners.services.auditing import staff_change
from partners.services.figures import (
    RESCHEDULED,
    figures_job_assigned,
    figures_job_released,
    figures_offer_answered,
)

logger = logging.getLogger(__name__)

NEEDS_PARTNER = {BookingStatus.PENDING}
DEADLOCK_STATES = {"40P01", "40001"}  # deadlock detected, serialization failure


def booking_amount(booking: Booking) -> Decimal:
    """What the partner's share is taken from: the booking's total before tax."""
    return money(booking.grand_total - booking.tax)


def earning_for(booking: Booking) -> tuple[Decimal, Decimal]:
    percentage = Decimal("100") - system_settings.value("commission_percentage")
    return money(booking_amount(booking) * percentage / 100), percentage


def _needs_dispatch(booking: Booking) -> bool:
    if booking.status not in NEEDS_PARTNER:
        return False
    return booking.payment_method == "cash" or booking.payment_status == "paid"


def _dispatch_of(booking: Booking) -> Dispatch:
    dispatch, _ = Dispatch.objects.get_or_create(
        booking=booking, defaults={"priority": booking.assignment_priority or 5}
    )
    return Dispatch.objects.select_for_update().get(pk=dispatch.pk)


def _partner_summary(partner: Partner) -> dict:
    return {"id": str(partner.pk), "partner_code": partner.partner_code, "name": partner.name}


def _offer_data(assignment: PartnerAssignment, booking: Booking) -> dict:
    return {
        "booking_id": str(booking.pk),
        "booking_number": booking.booking_number,
        "assignment_id": str(assignment.pk),
        "scheduled_start": booking.scheduled_start.isoformat(),
        "expires_at": assignment.expires_at.isoformat() if assignment.expires_at else None,
        "address": {k: booking.address_snapshot.get(k) for k in ("city", "pincode", "lat", "lng")},
        "partner_earning": str(assignment.partner_earning),
    }


def _create_assignment(
    booking: Booking, dispatch: Dispatch, partner: Partner, *, candidate: Candidate | None, status: str, by=None
) -> PartnerAssignment | None:
    """Insert the offer; ``None`` when the database says the partner's time is taken."""
    earning, percentage = earning_for(booking)
    now = timezone.now()
    assignment = PartnerAssignment(
        booking=booking,
        partner=partner,
        status=status,
        dispatch_round=dispatch.round,
        attempt=dispatch.attempts + 1,
        busy_from=booking.scheduled_start,
        busy_until=booking.scheduled_end + timedelta(minutes=settings.PARTNER_TRAVEL_BUFFER_MINUTES),
        expires_at=now + timedelta(minutes=system_settings.value("partner_assignment_timeout"))
        if status == AssignmentStatus.ASSIGNED
        else None,
        accepted_at=now if status == AssignmentStatus.ACCEPTED else None,
        partner_earning=earning,
        commission_percentage=percentage,
        score=Decimal(str(candidate.score)) if candidate else None,
        score_parts=candidate.parts if candidate else {},
        assigned_by=by,
        forced=by is not None and candidate is None,
    )
    lock_partner(partner.pk)
    if not _time_is_free(partner, assignment):
        return None
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError:  # the exclusion constraint: another dispatch took this partner's time first
        return None
    if status == AssignmentStatus.ACCEPTED:  # staff gave the job; an offer is not a job until accepted
        figures_job_assigned(partner_id=partner.pk)
    return assignment


def lock_partner(partner_id) -> None:
    """Hold the partner's row until commit: the one lock every writer of their busy time takes."""
    list(Partner.objects.select_for_update().filter(pk=partner_id).values_list("pk", flat=True))


def _time_is_free(partner: Partner, assignment: PartnerAssignment) -> bool:
    """The Python check (all the embedded SQLite default has); PostgreSQL's constraint backs it."""
    return not PartnerAssignment.objects.filter(
        partner=partner,
        status__in=BUSY_STATUSES,
        busy_from__lt=assignment.busy_until,
        busy_until__gt=assignment.busy_from,
    ).exists()


def _to_manual(booking: Booking, dispatch: Dispatch, reason: str) -> None:
    dispatch.status, dispatch.reason, dispatch.queued_at = DispatchStatus.MANUAL, reason, timezone.now()
    dispatch.save(update_fields=["status", "reason", "queued_at", "updated_at"])
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


def dispatch_staff():
    """Who is told when a booking needs a partner by hand: active staff who may assign partners."""
    may_assign = Q(groups__permissions__content_type__app_label="partners") & Q(
        groups__permissions__codename="add_partnerassignment"
    )
    return User.objects.filter(may_assign | Q(is_superuser=True), is_active=True).distinct()


def dispatch_staff_emails() -> list[str]:
    rows = dispatch_staff().filter(email__isnull=False).exclude(email="")
    return sorted(set(rows.values_list("email", flat=True)))


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
        assignment = _create_assignment(
            booking, dispatch, candidate.partner, candidate=candidate, status=AssignmentStatus.ASSIGNED
        )
        if assignment is None:
            continue
        dispatch.attempts += 1
        dispatch.status = DispatchStatus.OFFERED
        dispatch.save(update_fields=["attempts", "status", "updated_at"])
        booking_transition(
            booking,
            BookingStatus.PARTNER_ASSIGNED,
            action="partner_offered",
            note=candidate.partner.partner_code,
            event_extra={
                "assignment_status": AssignmentStatus.ASSIGNED,
                "partner": _partner_summary(candidate.partner),
            },
        )
        send_event_on_commit(user_group(candidate.partner.user_id), "booking:new", _offer_data(assignment, booking))
        notify_booking(
            "job_offered",
            booking,
            user=candidate.partner.user,
            minutes=system_settings.value("partner_assignment_timeout"),
        )
        _schedule_expiry(assignment)
        return assignment
    _to_manual(booking, dispatch, "no_eligible_partner" if not ranked else "all_candidates_busy")
    return None


def _schedule_expiry(assignment: PartnerAssignment) -> None:
    from partners.tasks import expire_offer

    delay = system_settings.value("partner_assignment_timeout") * 60 + 1
    transaction.on_commit(lambda: _send_quietly(expire_offer, str(assignment.pk), delay))


def _send_quietly(task, assignment_id: str, countdown: int) -> None:
    try:
        task.apply_async((assignment_id,), countdown=countdown)
    except Exception:  # the broker is down: the periodic sweep expires the offer instead
        logger.exception("could not schedule the expiry of offer %s", assignment_id)


def deadlock_retry(function):
    """Run the whole transaction again when PostgreSQL chose it as a deadlock victim (a few times, with jitter)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        for attempt in range(4):
            try:
                return function(*args, **kwargs)
            except OperationalError as exc:
                if getattr(exc.__cause__, "sqlstate", None) not in DEADLOCK_STATES or attempt == 3:
                    raise
                time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))  # noqa: S311 - jitter, not a secret
        return None  # pragma: no cover

    return wrapper


@deadlock_retry
def dispatch_booking(booking_id, *, force: bool = False) -> PartnerAssignment | None:
    """Offer the booking if it needs a partner and has no live offer. Safe to call again (idempotent).

    ``force`` starts a new round even when the booking is in the manual queue.
    """
    with transaction.atomic():
        booking = booking_lock(booking_id)
        live = PartnerAssignment.objects.filter(booking=booking, status__in=BUSY_STATUSES).first()
        if live is not None:
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
        dispatch = _dispatch_of(booking)
        if force and dispatch.status == DispatchStatus.MANUAL:
            dispatch.round, dispatch.attempts = dispatch.round + 1, 0
        dispatch.status, dispatch.reason = DispatchStatus.SEARCHING, ""
        dispatch.save(update_fields=["round", "attempts", "status", "reason", "updated_at"])
        return _offer_next(booking, dispatch)


def dispatch_now(booking_id, *, force: bool = False) -> PartnerAssignment:
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


def request_dispatch(booking_id) -> None:
    """After the current transaction commits, dispatch in the worker (the periodic sweep catches a lost call)."""
    from partners.tasks import dispatch_booking_task

    def send() -> None:
        try:
            dispatch_booking_task.delay(str(booking_id))
        except Exception:  # the broker is down: the sweep dispatches it
            logger.exception("could not queue the dispatch of booking %s", booking_id)

    transaction.on_commit(send)


def _partner_assignment(partner: Partner, booking_id, *, lock: bool = True) -> tuple[Booking, PartnerAssignment]:
    """The partner's latest assignment on the booking, booking then assignment locked; another's is "not found"."""
    assignment = (
        PartnerAssignment.objects.filter(booking_id=booking_id, partner=partner).order_by("-assigned_at").first()
    )
    if assignment is None:
        raise DomainError(
            "Booking not found.", code=PartnerErrorCode.ASSIGNMENT_NOT_FOUND, field="id", reason="not_assigned_to_you"
        )
    booking = booking_lock(booking_id)
    lock_partner(partner.pk)
    assignment = PartnerAssignment.objects.select_for_update().get(pk=assignment.pk)
    return booking, assignment


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
def offer_accept(*, partner: Partner, booking_id) -> tuple[Booking, PartnerAssignment]:
    with transaction.atomic():
        booking, assignment = _partner_assignment(partner, booking_id)
        _check_open(assignment, "accepted again")
        if assignment.expires_at and assignment.expires_at <= timezone.now():
            raise _moved_on(assignment)
        assignment.status, assignment.accepted_at = AssignmentStatus.ACCEPTED, timezone.now()
        assignment.save(update_fields=["status", "accepted_at", "updated_at"])
        figures_offer_answered(partner_id=partner.pk, answer=AssignmentStatus.ACCEPTED)
        Dispatch.objects.filter(booking=booking).update(status=DispatchStatus.ASSIGNED, updated_at=timezone.now())
        booking_transition(
            booking,
            BookingStatus.CONFIRMED,
            actor=partner.user,
            action="partner_accepted",
            note=partner.partner_code,
            event_extra={"assignment_status": AssignmentStatus.ACCEPTED, "partner": _partner_summary(partner)},
        )
    return booking, assignment


def _decline(booking: Booking, assignment: PartnerAssignment, status: str, reason: str, actor=None) -> None:
    """Close an open offer (rejected or expired) and offer the booking to the next partner."""
    now = timezone.now()
    assignment.status, assignment.rejected_at, assignment.rejection_reason = status, now, reason
    assignment.save(update_fields=["status", "rejected_at", "rejection_reason", "updated_at"])
    figures_offer_answered(partner_id=assignment.partner_id, answer=status)  # an offer, not a job: no job figure
    booking_transition(
        booking,
        BookingStatus.PENDING,
        actor=actor,
        action=f"offer_{status}",
        note=reason,
        event_extra={"assignment_status": status},
    )
    dispatch = _dispatch_of(booking)
    _offer_next(booking, dispatch)


@deadlock_retry
def offer_reject(*, partner: Partner, booking_id, reason: str = "") -> tuple[Booking, PartnerAssignment]:
    with transaction.atomic():
        booking, assignment = _partner_assignment(partner, booking_id)
        _check_open(assignment, "rejected")
        _decline(booking, assignment, AssignmentStatus.REJECTED, reason or "rejected", actor=partner.user)
    return booking, assignment


@deadlock_retry
def offer_expire(assignment_id) -> bool:
    """Expire the offer if it is still open and its time is up (the countdown and the sweep call this)."""
    assignment = PartnerAssignment.objects.filter(pk=assignment_id).only("booking_id").first()
    if assignment is None:
        return False
    with transaction.atomic():
        booking = booking_lock(assignment.booking_id)
        assignment = PartnerAssignment.objects.select_for_update().get(pk=assignment_id)
        if assignment.status != AssignmentStatus.ASSIGNED or assignment.expires_at > timezone.now():
            return False
        notify_booking("offer_expired", booking, user=User.objects.get(partner_profile__pk=assignment.partner_id))
        _decline(booking, assignment, AssignmentStatus.EXPIRED, "no answer in time")
    return True


def _release_live(booking: Booking, reason: str) -> PartnerAssignment | None:
    """Cancel the booking's offer or accepted job (rescheduled, cancelled, reassigned by staff)."""
    live = (
        PartnerAssignment.objects.select_for_update(of=("self",))
        .select_related("partner")
        .filter(booking=booking, status__in=BUSY_STATUSES)
        .first()
    )
    if live is None:
        return None
    if live.status not in (AssignmentStatus.ASSIGNED, AssignmentStatus.ACCEPTED):
        raise DomainError(
            "The partner is already on the way; this job can no longer be moved.",
            code=PartnerErrorCode.INVALID_ASSIGNMENT_STATUS,
            context={"status": live.status},
        )
    taken = live.status == AssignmentStatus.ACCEPTED
    live.status, live.cancelled_at, live.rejection_reason = AssignmentStatus.CANCELLED, timezone.now(), reason
    live.save(update_fields=["status", "cancelled_at", "rejection_reason", "updated_at"])
    if taken:  # a withdrawn offer was never a job, nor an answer
        figures_job_released(partner_id=live.partner_id, reason=reason)
    send_event_on_commit(
        user_group(live.partner.user_id),
        "booking:cancelled",
        {"booking_id": str(booking.pk), "assignment_id": str(live.pk), "reason": reason},
    )
    if reason == "booking cancelled":
        notify_booking("booking_cancelled", booking, user=live.partner.user)
    return live


def on_rescheduled(booking_id) -> None:
    """The booking moved (and is ``pending`` again): a new round that asks the same partner first."""
    booking = booking_lock(booking_id)
    released = _release_live(booking, RESCHEDULED)
    dispatch = _dispatch_of(booking)
    dispatch.round, dispatch.attempts, dispatch.status = dispatch.round + 1, 0, DispatchStatus.SEARCHING
    if released is not None:
        dispatch.preferred_partner_id = released.partner_id
    dispatch.save(update_fields=["round", "attempts", "status", "preferred_partner", "updated_at"])
    if _needs_dispatch(booking):
        request_dispatch(booking.pk)


def on_cancelled(booking_id) -> None:
    booking = Booking.objects.get(pk=booking_id)
    _release_live(booking, "booking cancelled")
    Dispatch.objects.filter(booking=booking).update(status=DispatchStatus.CLOSED, updated_at=timezone.now())


@deadlock_retry
def assign_manually(*, booking_id, partner_id, by, force: bool = False) -> tuple[Booking, PartnerAssignment]:
    """Staff put a partner on the booking (seed 000 "Assign Partner Manually"); binding at once.

    Audited as ``assign_partner`` on the booking: its status, and the partner
    (and their assignment) before and after. The outbound webhooks follow the
    ``partner_assigned_by_staff`` transition (``bookings.notify``:
    ``partner.assigned``, and ``booking.confirmed`` when the status changes).
    """
    with transaction.atomic():
        booking = booking_lock(booking_id)
        if booking.status not in (BookingStatus.PENDING, BookingStatus.PARTNER_ASSIGNED, BookingStatus.CONFIRMED):
            raise DomainError(
                f"A {booking.status} booking cannot be assigned.",
                code=PartnerErrorCode.BOOKING_NOT_ASSIGNABLE,
                context={"status": booking.status},
            )
        partner = Partner.objects.select_related("user").filter(pk=partner_id).first()
        if partner is None:
            raise DomainError("Partner not found.", code=PartnerErrorCode.PARTNER_NOT_FOUND, field="partner_id")
        trail: dict = {}
        with staff_change(booking, action="assign_partner", actor=by, extra=trail):
            booking, assignment = _assign(booking, partner, by=by, force=force, trail=trail)
    return booking, assignment


def _assign(booking: Booking, partner: Partner, *, by, force: bool, trail: dict) -> tuple[Booking, PartnerAssignment]:
    """The locked booking given to ``partner``; ``trail`` gets the partner before and after for the audit log."""
    before = (
        PartnerAssignment.objects.select_related("partner").filter(booking=booking, status__in=BUSY_STATUSES).first()
    )
    trail["partner"] = {"old": _assigned_summary(before) if before is not None else None}
    released = _release_live(booking, "reassigned by staff")
    dispatch = _dispatch_of(booking)
    if released is not None and released.partner_id == partner.pk:
        dispatch.round += 1  # the same partner again: a new round, so the once-per-round rule holds
    candidate = None
    if not force:
        found = candidates(job_for(booking), only_partner_ids=[partner.pk], limit=1)
        if not found:
            raise DomainError(
                "This partner cannot take the job (category, area, hours, rating or time). "
                "Send force=true to assign anyway.",
                code=PartnerErrorCode.NO_PARTNER_AVAILABLE,
                field="partner_id",
                reason="not_eligible",
            )
        candidate = found[0]
    assignment = _create_assignment(
        booking, dispatch, partner, candidate=candidate, status=AssignmentStatus.ACCEPTED, by=by
    )
    if assignment is None:
        raise DomainError(
            "This partner already has a job at that time.",
            code=PartnerErrorCode.PARTNER_BUSY,
            field="partner_id",
            reason="overlap",
        )
    dispatch.attempts += 1
    dispatch.status, dispatch.reason = DispatchStatus.ASSIGNED, ""
    dispatch.save(update_fields=["round", "attempts", "status", "reason", "updated_at"])
    if booking.status == BookingStatus.CONFIRMED:
        booking_transition(booking, BookingStatus.PENDING, actor=by, action="partner_released")
    booking_transition(
        booking,
        BookingStatus.CONFIRMED,
        actor=by,
        action="partner_assigned_by_staff",
        note=partner.partner_code + (" (forced)" if force else ""),
        event_extra={"assignment_status": AssignmentStatus.ACCEPTED, "partner": _partner_summary(partner)},
    )
    send_event_on_commit(user_group(partner.user_id), "booking:new", _offer_data(assignment, booking))
    trail["partner"]["new"] = _assigned_summary(assignment)
    trail["forced"] = force
    return booking, assignment


def _assigned_summary(assignment: PartnerAssignment) -> dict:
    return {
        "id": str(assignment.partner_id),
        "partner_code": assignment.partner.partner_code,
        "assignment_id": str(assignment.pk),
        "assignment_status": assignment.status,
    }


def sweep(now=None) -> dict[str, int]:
    """The periodic safety net: expire offers whose countdown was lost; dispatch bookings nobody picked up."""
    now = now or timezone.now()
    expired = 0
    for assignment_id in PartnerAssignment.objects.filter(
        status=AssignmentStatus.ASSIGNED, expires_at__lte=now
    ).values_list("pk", flat=True)[:500]:
        expired += offer_expire(assignment_id)
    stale = now - timedelta(minutes=1)
    waiting = Booking.objects.filter(status=BookingStatus.PENDING, scheduled_start__gt=now, created_at__lte=stale)
    waiting = waiting.exclude(dispatch__status__in=[DispatchStatus.MANUAL, DispatchStatus.CLOSED])
    waiting = waiting.filter(Q(payment_method="cash") | Q(payment_status="paid"))
    dispatched = 0
    for booking_id in waiting.values_list("pk", flat=True)[:200]:
        dispatched += dispatch_booking(booking_id) is not None
    return {"expired": expired, "dispatched": dispatched}
