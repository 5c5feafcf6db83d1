"""What the dispatch engine, staff assignment and the job flow share: money, locks and assignment rows.

The partner's share of a booking (``booking_amount``, ``earning_for``); the
locks every writer of a partner's busy time takes, in the fixed order booking,
partner, assignment (``lock_partner``, ``partner_assignment``), and the retry
when PostgreSQL picks a transaction as a deadlock victim (``deadlock_retry``);
and the assignment rows themselves: an offer or a job inserted only while the
partner's time is free (``create_assignment``, which the exclusion constraint
backs on PostgreSQL), the live one released when a booking moves, is
cancelled or is reassigned (``release_live``), and the booking's ``Dispatch``
row (``dispatch_of``). ``partners.services.dispatch``,
``partners.services.manual`` and ``partners.services.jobs`` build on these.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from accounts.models import User
from bookings.models import Booking
from bookings.notify import notify_booking
from bookings.services.lifecycle import booking_lock
from catalog.pricing import money
from core import system_settings
from core.errors import DomainError
from core.events import send_event_on_commit, user_group
from core.rows import insert_row
from core.statemachine import StateMachine
from core.types import Id
from partners.day_plan import booking_estimates
from partners.errors import PartnerErrorCode
from partners.matching import Candidate
from partners.models import (
    ASSIGNMENT_TRANSITIONS,
    BUSY_STATUSES,
    DISPATCH_TRANSITIONS,
    AssignmentStatus,
    Dispatch,
    DispatchStatus,
    Partner,
    PartnerAssignment,
)
from partners.services.figures import figures_job_assigned, figures_job_released

DEADLOCK_STATES = {"40P01", "40001"}  # deadlock detected, serialization failure


# Every assignment status write goes through this (offers answered or expiring, job steps, completion,
# withdrawal). A repeat is refused: a partner accepting twice is told so.
ASSIGNMENT_STATES = StateMachine(
    model=PartnerAssignment,
    transitions=ASSIGNMENT_TRANSITIONS,
    error_code=PartnerErrorCode.INVALID_ASSIGNMENT_STATUS,
    thing="assignment",
    refuse_repeats=True,
    error_field="status",
)

# Every dispatch status write goes through this. Searching, offered, assigned and manual may be entered again
# with new figures (the next offer, a new round, another queue reason); closed is final.
DISPATCH_STATES = StateMachine(
    model=Dispatch,
    transitions=DISPATCH_TRANSITIONS,
    error_code=PartnerErrorCode.INVALID_DISPATCH_STATUS,
    thing="dispatch",
    repeatable=frozenset(
        {DispatchStatus.SEARCHING, DispatchStatus.OFFERED, DispatchStatus.ASSIGNED, DispatchStatus.MANUAL}
    ),
)

P = ParamSpec("P")
R = TypeVar("R")


def booking_amount(booking: Booking) -> Decimal:
    """What the partner's share is taken from: the booking's total before tax."""
    return money(booking.grand_total - booking.tax)


def earning_for(booking: Booking) -> tuple[Decimal, Decimal]:
    percentage = Decimal("100") - system_settings.value("commission_percentage")
    return money(booking_amount(booking) * percentage / 100), percentage


def dispatch_of(booking: Booking) -> Dispatch:
    dispatch, _ = Dispatch.objects.get_or_create(
        booking=booking, defaults={"priority": booking.assignment_priority or 5}
    )
    return Dispatch.objects.select_for_update().get(pk=dispatch.pk)


def partner_summary(partner: Partner) -> dict[str, Any]:
    return {"id": str(partner.pk), "partner_code": partner.partner_code, "name": partner.name}


def offer_data(assignment: PartnerAssignment, booking: Booking) -> dict[str, Any]:
    return {
        "booking_id": str(booking.pk),
        "booking_number": booking.booking_number,
        "assignment_id": str(assignment.pk),
        "scheduled_start": booking.scheduled_start.isoformat(),
        "expires_at": assignment.expires_at.isoformat() if assignment.expires_at else None,
        "address": {k: booking.address_snapshot.get(k) for k in ("city", "pincode", "lat", "lng")},
        "partner_earning": str(assignment.partner_earning),
    }


def create_assignment(
    booking: Booking,
    dispatch: Dispatch | None,
    partner: Partner,
    *,
    candidate: Candidate | None,
    status: str,
    by: User | None = None,
    locked: bool = False,
    savepoint: bool = True,
    store_estimates: bool = True,
) -> PartnerAssignment | None:
    """Insert the offer (or job, or checkout's hold); ``None`` when the database says the partner's time is taken.
    ``dispatch`` is ``None`` for a hold made before the booking has one (round 1, attempt 1); ``locked``: this
    transaction already holds the partner's row lock (``lock_first_free_partner``); ``savepoint=False``: the caller runs
    this in a savepoint of its own and takes the exclusion constraint's ``IntegrityError`` itself. The booking's
    SC3 estimates are set on ``booking`` and stored, or only set (``store_estimates=False``: checkout confirm
    writes them with its booking number, ``bookings.hooks.HOLD_ESTIMATES``)."""
    earning, percentage = earning_for(booking)
    now = timezone.now()
    assignment = PartnerAssignment(
        booking=booking,
        partner=partner,
        status=status,
        dispatch_round=dispatch.round if dispatch else 1,
        attempt=dispatch.attempts + 1 if dispatch else 1,
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
    if not locked:
        lock_partner(partner.pk)
    if connection.vendor != "postgresql" and not _time_is_free(partner, assignment):
        return None  # PostgreSQL's exclusion constraint answers in the INSERT below: no read first
    try:
        with transaction.atomic(savepoint=savepoint):
            insert_row(assignment)  # save(), its statement written once (core.rows): checkout holds one each
    except IntegrityError:  # the exclusion constraint: another dispatch took this partner's time first
        if not savepoint:
            raise
        return None
    estimates = booking_estimates(booking, partner)  # seed 002 SC3: duration, buffers, travel to it
    if store_estimates:
        Booking.objects.filter(pk=booking.pk).update(**estimates)
    for name, value in estimates.items():
        setattr(booking, name, value)
    if status == AssignmentStatus.ACCEPTED:  # staff gave the job; an offer is not a job until accepted
        figures_job_assigned(partner_id=partner.pk)
    return assignment


def lock_partner(partner_id: Id) -> None:
    """Hold the partner's row until commit: the one lock every writer of their busy time takes."""
    list(Partner.objects.select_for_update().filter(pk=partner_id).values_list("pk", flat=True))


def lock_first_free_partner(partner_ids: Sequence[Id]) -> Id | None:
    """Lock the row of the first of ``partner_ids`` (in that order) that no other transaction holds and answer
    its id; ``None`` when every one is held (or gone). One statement on PostgreSQL (``SKIP LOCKED`` in the
    given order, stopping at the first row taken), however many are held: checkout's holds use it so that
    concurrent confirms spread over partners instead of queueing on the best, without one try per partner."""
    if not partner_ids:
        return None
    if connection.vendor != "postgresql":  # SQLite has no row locks: its single writer serialises
        found = set(Partner.objects.filter(pk__in=partner_ids).values_list("pk", flat=True))
        return next((pk for pk in partner_ids if pk in found), None)
    with connection.cursor() as cursor:
        cursor.execute(_FIRST_FREE, [[str(pk) for pk in partner_ids]])
        row = cursor.fetchone()
    return row[0] if row else None


_FIRST_FREE = (
    "SELECT p.id FROM partners_partner p JOIN unnest(%s::uuid[]) WITH ORDINALITY AS o(id, n) ON p.id = o.id"
    " ORDER BY o.n LIMIT 1 FOR UPDATE OF p SKIP LOCKED"
)


def _time_is_free(partner: Partner, assignment: PartnerAssignment) -> bool:
    """The Python check, all the embedded SQLite default has (PostgreSQL has the exclusion constraint of migration
    ``partners.0002``/``0010``: the same busy statuses and the same overlap, checked by the insert itself)."""
    return not PartnerAssignment.objects.filter(
        partner=partner,
        status__in=BUSY_STATUSES,
        busy_from__lt=assignment.busy_until,
        busy_until__gt=assignment.busy_from,
    ).exists()


def deadlock_retry(function: Callable[P, R]) -> Callable[P, R]:
    """Run the whole transaction again when PostgreSQL chose it as a deadlock victim (a few times, with jitter)."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(4):
            try:
                return function(*args, **kwargs)
            except OperationalError as exc:
                if getattr(exc.__cause__, "sqlstate", None) not in DEADLOCK_STATES or attempt == 3:
                    raise
                time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))  # noqa: S311 - jitter, not a secret
        raise AssertionError("unreachable: the last attempt re-raises")  # pragma: no cover

    return wrapper


def partner_assignment(partner: Partner, booking_id: Id, *, lock: bool = True) -> tuple[Booking, PartnerAssignment]:
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


def release_live(booking: Booking, reason: str) -> PartnerAssignment | None:
    """Cancel the booking's offer or accepted job (rescheduled, cancelled, reassigned by staff)."""
    live = (
        PartnerAssignment.objects.select_for_update(of=("self",))
        .select_related("partner")
        .filter(booking=booking, status__in=BUSY_STATUSES)
        .first()
    )
    if live is None:
        return None
    if live.status not in (AssignmentStatus.HELD, AssignmentStatus.ASSIGNED, AssignmentStatus.ACCEPTED):
        raise DomainError(
            "The partner is already on the way; this job can no longer be moved.",
            code=PartnerErrorCode.INVALID_ASSIGNMENT_STATUS,
            context={"status": live.status},
        )
    taken = live.status == AssignmentStatus.ACCEPTED
    ASSIGNMENT_STATES.move(
        live, AssignmentStatus.CANCELLED, changes={"cancelled_at": timezone.now(), "rejection_reason": reason}
    )
    if taken:  # a withdrawn offer was never a job, nor an answer
        figures_job_released(partner_id=live.partner_id, reason=reason)
    if live.status == AssignmentStatus.HELD:  # kept at checkout, never offered: the partner never knew of it
        return live
    send_event_on_commit(
        user_group(live.partner.user_id),
        "booking:cancelled",
        {"booking_id": str(booking.pk), "assignment_id": str(live.pk), "reason": reason},
    )
    if reason == "booking cancelled":
        notify_booking("booking_cancelled", booking, user=live.partner.user)
    return live
