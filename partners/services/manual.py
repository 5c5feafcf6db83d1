"""Staff assignment: staff put a partner on a booking by hand (seed 000 "Assign Partner Manually").

A booking in the manual queue (or any pending, offered or confirmed booking)
is given to the partner staff chose, binding at once (``accepted``): staff
agree the job with the partner before assigning it. The live offer or job of
another partner is released first; the same partner again starts a new
dispatch round. Without ``force`` the partner must qualify as the dispatch
engine would (``partners.matching.candidates``); with ``force`` their
categories, area, hours and rating are not checked, but their time still is:
the database forbids two overlapping jobs for anyone. Locks follow
``partners.services.dispatch`` (booking, then partner, then assignment), and
the change is audited as ``assign_partner`` (``partners.services.auditing``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import User
from bookings.models import Booking, BookingStatus
from bookings.services.lifecycle import booking_lock, booking_transition
from core.errors import DomainError
from core.events import send_event_on_commit, user_group
from core.types import Id
from partners.errors import PartnerErrorCode
from partners.matching import candidates, job_for
from partners.models import BUSY_STATUSES, AssignmentStatus, DispatchStatus, Partner, PartnerAssignment
from partners.services.auditing import staff_change
from partners.services.common import (
    DISPATCH_STATES,
    create_assignment,
    deadlock_retry,
    dispatch_of,
    offer_data,
    partner_summary,
    release_live,
)


@deadlock_retry
def assign_manually(
    *, booking_id: Id, partner_id: Id, by: User, force: bool = False
) -> tuple[Booking, PartnerAssignment]:
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
        trail: dict[str, Any] = {}
        with staff_change(booking, action="assign_partner", actor=by, extra=trail):
            booking, assignment = _assign(booking, partner, by=by, force=force, trail=trail)
    return booking, assignment


def _assign(
    booking: Booking, partner: Partner, *, by: User, force: bool, trail: dict[str, Any]
) -> tuple[Booking, PartnerAssignment]:
    """The locked booking given to ``partner``; ``trail`` gets the partner before and after for the audit log."""
    before = (
        PartnerAssignment.objects.select_related("partner").filter(booking=booking, status__in=BUSY_STATUSES).first()
    )
    trail["partner"] = {"old": _assigned_summary(before) if before is not None else None}
    released = release_live(booking, "reassigned by staff")
    dispatch = dispatch_of(booking)
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
    assignment = create_assignment(
        booking, dispatch, partner, candidate=candidate, status=AssignmentStatus.ACCEPTED, by=by
    )
    if assignment is None:
        raise DomainError(
            "This partner already has a job at that time.",
            code=PartnerErrorCode.PARTNER_BUSY,
            field="partner_id",
            reason="overlap",
        )
    DISPATCH_STATES.move(
        dispatch,
        DispatchStatus.ASSIGNED,
        changes={"round": dispatch.round, "attempts": dispatch.attempts + 1, "reason": ""},
    )
    if booking.status == BookingStatus.CONFIRMED:
        booking_transition(booking, BookingStatus.PENDING, actor=by, action="partner_released")
    booking_transition(
        booking,
        BookingStatus.CONFIRMED,
        actor=by,
        action="partner_assigned_by_staff",
        note=partner.partner_code + (" (forced)" if force else ""),
        event_extra={"assignment_status": AssignmentStatus.ACCEPTED, "partner": partner_summary(partner)},
    )
    send_event_on_commit(user_group(partner.user_id), "booking:new", offer_data(assignment, booking))
    trail["partner"]["new"] = _assigned_summary(assignment)
    trail["forced"] = force
    return booking, assignment


def _assigned_summary(assignment: PartnerAssignment) -> dict[str, Any]:
    return {
        "id": str(assignment.partner_id),
        "partner_code": assignment.partner.partner_code,
        "assignment_id": str(assignment.pk),
        "assignment_status": assignment.status,
    }
