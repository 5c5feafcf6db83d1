"""Seed 002's disputes (issue #20): opened by the customer, mediated by staff, resolved with or without a refund.

Rules (notes 2.1 "D"):

* D1: the booking's customer opens one (anyone else: 404 ``BOOKING_NOT_FOUND``) once the booking is ``completed``
  and within ``DISPUTE_WINDOW_DAYS`` (7) of its completion (422 ``DISPUTE_NOT_ALLOWED``, reason ``not_completed``
  or ``window_closed``). Refusing the sign-off opens one of type ``signature_refusal`` whatever the window
  (:func:`dispute_open_for_refusal`, called by ``bookings.services.signatures``).
* D2: one active (open, in progress or escalated) dispute per booking: 409 ``DISPUTE_EXISTS`` naming it, backed by
  the partial unique constraint. A resolved or closed one does not stop a new one inside the window.
* D4: opening holds the partner's earning on the booking (hold reason ``dispute``, which outranks a pending
  sign-off's); the resolution releases it after reducing it. Payouts and ``release`` skip held earnings.
* Transitions (``bookings.models.DISPUTE_TRANSITIONS``, 422 ``INVALID_DISPUTE_STATUS`` for any other, a repeat
  included): staff holding ``bookings.change_dispute`` assign a mediator (open or escalated → in progress; the
  first staff message does it too, ``bookings.services.dispute_messages``), escalate (raises the severity one
  step), resolve and close. A resolved dispute closes by hand or by the daily scan after ``DISPUTE_CLOSE_DAYS``.
* D5: resolution types: ``full_refund`` (what the booking's payments still hold), ``partial_refund`` (an amount
  above 0 and at most that: 422 ``REFUND_EXCEEDS_REFUNDABLE`` naming ``resolution_amount`` above it),
  ``revisit`` and ``no_action`` (no amount: 422 naming it when one is given). A refund goes through
  ``payments.services.refunds.refund_create`` (newest payment first when there are several), and the partner's
  earning is reduced by their part (``hooks.PartnerPort.earning_share_refund``; the split is in
  ``partners.services.earning_disputes``), then released. A gateway that refuses the refund leaves the refund
  ``failed`` for staff to retry in the admin; the resolution stands (as a cancellation's refund does).
* D6: every transition writes an audit entry, a ``system`` message in the conversation and a line on the
  booking's timeline, and tells the customer and the partner (inbox event ``dispute_update``; ops hear of a new
  dispute through ``dispute_opened``).

Locks: the booking, then the dispute, then (through the port) the partner and the earning; the refund is made
once the resolution is committed (``refund_create`` locks the payment). Two resolutions of one dispute serialise
on the dispute row; the second finds it resolved and gets 422, so one refund is made.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from bookings import hooks
from bookings.errors import BookingErrorCode
from bookings.models import (
    DISPUTE_STATES,
    Booking,
    BookingEvent,
    BookingSignature,
    BookingStatus,
    Dispute,
    DisputeMessage,
    DisputeMessageType,
    DisputeSeverity,
    DisputeStatus,
    DisputeType,
)
from bookings.models.disputes import ACTIVE_DISPUTE_STATUSES
from bookings.selectors import ops_staff
from bookings.services.lifecycle import booking_lock
from core import audit
from core.errors import DomainError, ErrorCode
from core.types import Id
from notifications.services import notify

DISPUTE_HOLD = "dispute"  # the earning's hold reason while a dispute is active
CLOSE_BATCH = 500
_SEVERITY_UP = {
    DisputeSeverity.LOW: DisputeSeverity.MEDIUM,
    DisputeSeverity.MEDIUM: DisputeSeverity.HIGH,
    DisputeSeverity.HIGH: DisputeSeverity.CRITICAL,
    DisputeSeverity.CRITICAL: DisputeSeverity.CRITICAL,
}


def completed_at(booking: Booking) -> datetime | None:
    """When the booking became ``completed`` (its timeline), ``None`` if it never did."""
    return (
        BookingEvent.objects.filter(booking=booking, new_status=BookingStatus.COMPLETED)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def may_read(user: User, dispute: Dispute) -> bool:
    """The customer, the partner on it, its mediator, or staff who may view disputes."""
    if user.pk in (dispute.customer_id, dispute.assigned_mediator_id):
        return True
    if dispute.vendor is not None and dispute.vendor.user_id == user.pk:
        return True
    return user.has_perm("bookings.view_dispute")


def dispute_lock(user: User, dispute_id: Id, *, manage: bool = False) -> Dispute:
    """The dispute, locked after its booking; 404 for who may not read it, 403 for a reader who may not manage."""
    found = Dispute.objects.select_related("vendor").filter(pk=dispute_id).first()
    if found is None or not may_read(user, found):
        raise DomainError("Dispute not found.", code=BookingErrorCode.DISPUTE_NOT_FOUND, field="id")
    if manage and not user.has_perm("bookings.change_dispute"):
        raise DomainError(
            "Only an ops manager or an admin can do this.", code=ErrorCode.FORBIDDEN, reason="not_a_manager"
        )
    booking_lock(found.booking_id)
    return Dispute.objects.select_for_update(of=("self",)).select_related("vendor", "booking").get(pk=dispute_id)


def _check_can_open(user: User, booking: Booking, *, now: datetime) -> None:
    if booking.user_id != user.pk:
        raise DomainError("Booking not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="booking_id")
    if booking.status != BookingStatus.COMPLETED:
        raise DomainError(
            "A dispute can be opened once the job is completed.",
            code=BookingErrorCode.DISPUTE_NOT_ALLOWED,
            field="booking_id",
            reason="not_completed",
            context={"status": booking.status},
        )
    done = completed_at(booking) or booking.scheduled_end
    closes = done + timedelta(days=settings.DISPUTE_WINDOW_DAYS)
    if now > closes:
        raise DomainError(
            f"Disputes can be opened up to {settings.DISPUTE_WINDOW_DAYS} days after the job.",
            code=BookingErrorCode.DISPUTE_NOT_ALLOWED,
            field="booking_id",
            reason="window_closed",
            context={"closed_at": closes.isoformat()},
        )


def _active(booking: Booking) -> Dispute | None:
    return Dispute.objects.filter(booking=booking, status__in=ACTIVE_DISPUTE_STATUSES).first()


def _exists(dispute: Dispute | None) -> DomainError:
    context = {"dispute_id": str(dispute.pk)} if dispute is not None else {}
    return DomainError(
        "This booking already has an open dispute.", code=BookingErrorCode.DISPUTE_EXISTS, context=context
    )


def dispute_open(
    *,
    user: User,
    booking_id: Id,
    dispute_type: str,
    title: str,
    description: str,
    evidence: dict[str, Any] | None = None,
    severity: str = DisputeSeverity.MEDIUM,
    signature: BookingSignature | None = None,
) -> Dispute:
    """D1, D2, D4, D6: the customer opens a dispute on their completed booking."""
    with transaction.atomic():
        booking = booking_lock(booking_id)
        if signature is None:
            _check_can_open(user, booking, now=timezone.now())
        existing = _active(booking)
        if existing is not None:
            raise _exists(existing)
        worker = hooks.partners().worker_of(booking)
        try:
            with transaction.atomic():
                dispute = Dispute.objects.create(
                    booking=booking,
                    customer=booking.user,
                    vendor_id=worker[0] if worker else None,
                    signature=signature,
                    dispute_type=dispute_type,
                    severity=severity,
                    title=title,
                    description=description,
                    evidence=evidence or {},
                )
        except IntegrityError:  # the partial unique constraint: a dispute opened at the same moment
            raise _exists(None) from None
        hooks.partners().earning_hold(booking_id=booking.pk, reason=DISPUTE_HOLD)
        system_message(dispute, f"Dispute opened by {_name(user, 'the customer')}: {title}")
        BookingEvent.objects.create(booking=booking, action="dispute_opened", actor=user, note=title)
        audit.record_created(dispute, action="open_dispute", actor=user)
        _tell_parties(dispute, worker[1] if worker else None, "opened")
        for person in ops_staff():
            notify(
                "dispute_opened",
                user=person,
                context={"booking_number": booking.booking_number, "title": title, "type": dispute.dispute_type},
                data={"dispute_id": str(dispute.pk), "action_url": f"/admin/bookings/dispute/{dispute.pk}/change/"},
            )
    return dispute


def dispute_open_for_refusal(*, user: User, signature: BookingSignature, reason: str) -> Dispute:
    """S9: a refused sign-off opens a ``signature_refusal`` dispute (or joins the one already open)."""
    booking = signature.booking
    existing = _active(booking)
    if existing is not None:
        system_message(existing, f"The customer refused to sign off: {reason or 'no reason given'}")
        return existing
    return dispute_open(
        user=user,
        booking_id=booking.pk,
        dispute_type=DisputeType.SIGNATURE_REFUSAL,
        title="Sign-off refused",
        description=reason or "The customer refused to sign the job off.",
        evidence={"signature_id": str(signature.pk)},
        signature=signature,
    )


def _name(user: User, fallback: str) -> str:
    """How a message names a person: their name, never their email or phone."""
    return user.full_name or fallback


def system_message(dispute: Dispute, content: str) -> DisputeMessage:
    return DisputeMessage.objects.create(
        dispute=dispute, message_type=DisputeMessageType.SYSTEM, content=content, is_read=True
    )


def _vendor_user(dispute: Dispute) -> User | None:
    if dispute.vendor_id is None:
        return None
    return User.objects.filter(partner_profile__pk=dispute.vendor_id).first()


def _tell_parties(dispute: Dispute, vendor_user: User | None, what: str) -> None:
    """D6: the customer and the partner hear of each step (inbox, push)."""
    booking = dispute.booking
    for person in [dispute.customer, vendor_user]:
        if person is None:
            continue
        notify(
            "dispute_update",
            user=person,
            context={
                "booking_number": booking.booking_number,
                "title": dispute.title,
                "what": what,
                "status": dispute.get_status_display(),
            },
            data={"dispute_id": str(dispute.pk), "status": dispute.status, "action_url": f"/disputes/{dispute.pk}"},
        )


def move(dispute: Dispute, new: str, *, actor: User, changes: dict[str, Any] | None = None, what: str) -> None:
    old = dispute.status
    DISPUTE_STATES.move(dispute, new, changes=changes)
    BookingEvent.objects.create(booking_id=dispute.booking_id, action=f"dispute_{new}", actor=actor)
    audit.record(
        action=f"dispute_{new}",
        resource_type="dispute",
        resource_id=dispute.pk,
        actor=actor,
        changes={"status": {"old": old, "new": new}, **{k: audit.jsonable(v) for k, v in (changes or {}).items()}},
    )
    system_message(dispute, f"{what} by {_name(actor, 'staff')}.")
    _tell_parties(dispute, _vendor_user(dispute), what.lower())


def take_up(dispute: Dispute, *, mediator: User, actor: User) -> None:
    """Open or escalated → in progress with ``mediator`` (the caller holds the lock)."""
    move(
        dispute,
        DisputeStatus.IN_PROGRESS,
        actor=actor,
        changes={"assigned_mediator": mediator},
        what=f"Taken up by mediator {_name(mediator, 'staff')}",
    )


def dispute_assign(*, actor: User, dispute_id: Id, mediator_id: Id | None = None) -> Dispute:
    """A staff member takes the dispute up as its mediator (themself, or another who may mediate)."""
    with transaction.atomic():
        dispute = dispute_lock(actor, dispute_id, manage=True)
        mediator = actor
        if mediator_id is not None:
            found = User.objects.filter(pk=mediator_id, is_active=True).first()
            if found is None or not found.has_perm("bookings.add_disputemessage"):
                raise DomainError(
                    "That person cannot mediate disputes.",
                    code=ErrorCode.VALIDATION_ERROR,
                    field="mediator_id",
                    reason="not_a_mediator",
                )
            mediator = found
        if dispute.status == DisputeStatus.IN_PROGRESS:  # a new mediator for a dispute already taken up
            dispute.assigned_mediator = mediator
            dispute.save(update_fields=["assigned_mediator", "updated_at"])
            system_message(dispute, f"Mediator changed to {_name(mediator, 'staff')} by {_name(actor, 'staff')}.")
        else:
            take_up(dispute, mediator=mediator, actor=actor)
    return dispute


def dispute_escalate(*, actor: User, dispute_id: Id, reason: str = "") -> Dispute:
    with transaction.atomic():
        dispute = dispute_lock(actor, dispute_id, manage=True)
        move(
            dispute,
            DisputeStatus.ESCALATED,
            actor=actor,
            changes={"escalated_at": timezone.now(), "severity": _SEVERITY_UP[DisputeSeverity(dispute.severity)]},
            what="Escalated" + (f" ({reason})" if reason else ""),
        )
    return dispute
