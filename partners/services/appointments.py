"""Appointments: a booking with a provider the customer chose (issue #18; seeds 003 and 004; DESIGN.md section 8).

An appointment is a ``bookings.Booking`` with ``requested_partner`` set. It is
never dispatched: :func:`appointment_create` writes the booking, its one line
(the provider's own service) and the provider's **accepted** assignment in one
transaction, under the provider's row lock, after checking that the start is
one of the provider's free slots (``partners.selectors.agenda``). On PostgreSQL the
exclusion constraint on a provider's busy time (``partners/migrations/0002``)
makes a double booking impossible even if that check were skipped; the
embedded SQLite default relies on the row lock and the check under its single
writer. A lost race is ``409`` with the caller's code (``SLOT_UNAVAILABLE`` for
seed 003, ``BOOKING_CONFLICT`` for seed 004) and writes nothing.

Status, by how it is paid:

* online (the default): ``pending_payment``, a hold on the slot until
  ``hold_expires_at`` (``appointment_hold_minutes``; a front-desk booking sent
  a payment link holds until the link's expiry, ``APPOINTMENT_LINK_HOLD_HOURS``,
  but never past the start). Capturing the price or the provider's deposit
  makes it ``confirmed``, or ``pending`` for a specialist, who confirms it
  (``bookings.payable``); the periodic scan expires an unpaid hold
  (``bookings.services.expiry``);
* cash (front desk, paid at the centre): ``confirmed`` (``pending`` for a
  specialist) at once; the payment is recorded when it is completed.

Money: the price is the provider's service price (``product_cost``), tax
included (consultations are GST-exempt healthcare; seed 004 quotes a final
price), never a client's figure: a client ``consultationFee``/``totalAmount``
that differs is ``422 INVALID_PAYMENT_AMOUNT``. The deposit is the provider's
fixed ``deposit_amount``.

Session types (rule AP2): ``online`` needs nothing else and gets a meeting link
(``partners.meetings``); ``in_person`` needs an active centre where the
provider works; ``at_home`` needs one of the customer's addresses, and the
provider's busy time then includes the travel buffer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Address, User
from bookings.errors import BookingErrorCode
from bookings.models import (
    Booking,
    BookingEvent,
    BookingService,
    BookingSource,
    BookingStatus,
    PaymentMode,
    SessionType,
)
from bookings.services.checkout import address_snapshot_of
from bookings.services.lifecycle import booking_lock, booking_transition
from bookings.services.numbers import next_booking_number
from catalog.models import Service
from catalog.pricing import ZERO, money
from core import system_settings
from core.errors import DomainError, ErrorCode
from core.types import Id
from partners.errors import PartnerErrorCode
from partners.models import (
    AssignmentStatus,
    Centre,
    OnboardingStatus,
    Partner,
    PartnerAssignment,
    PartnerKind,
)
from partners.selectors import agenda
from partners.services import meetings
from partners.services.common import earning_for, lock_partner
from partners.services.figures import figures_job_assigned
from payments.errors import PaymentErrorCode

PROVIDER_KINDS = (PartnerKind.CLINICIAN, PartnerKind.SPECIALIST)


@dataclass(frozen=True)
class AppointmentRequest:
    """What a customer (or staff for them) asks for. ``start`` is an aware instant."""

    provider_id: Id
    start: datetime
    session_type: str = SessionType.ONLINE
    service_id: Id | None = None
    centre_id: Id | None = None
    address_id: Id | None = None
    duration_minutes: int | None = None
    client_amount: Decimal | None = None
    client_amount_field: str = "consultation_fee"
    notes: str = ""
    source: str = BookingSource.APP
    payment_method: str = PaymentMode.ONLINE
    link_hold: bool = False  # a payment link goes out: hold until it expires
    conflict_code: BookingErrorCode = BookingErrorCode.SLOT_UNAVAILABLE


def bookable_provider(provider_id: Id) -> Partner:
    provider = (
        Partner.objects.select_related("user", "primary_centre")
        .filter(pk=provider_id, kind__in=PROVIDER_KINDS, is_active=True, onboarding_status=OnboardingStatus.VERIFIED)
        .first()
    )
    if provider is None:
        raise DomainError("Provider not found.", code=PartnerErrorCode.PARTNER_NOT_FOUND, field="provider_id")
    return provider


def service_of(provider: Partner, service_id: Id | None) -> Service:
    """The provider's own active service: the one named, or their first (a clinician's consultation)."""
    services = Service.objects.filter(partner=provider, is_active=True).select_related("category")
    service = services.filter(pk=service_id).first() if service_id else services.order_by("display_order").first()
    if service is None:
        raise DomainError("This provider offers no such service.", code=ErrorCode.VALIDATION_ERROR, field="service_id")
    return service


def _centre(provider: Partner, centre_id: Id | None, session_type: str) -> Centre | None:
    if centre_id is None:
        if session_type == SessionType.IN_PERSON:
            raise DomainError(
                "An in-person session needs a centre.", code=ErrorCode.VALIDATION_ERROR, field="centre_id"
            )
        return None
    centre = Centre.objects.filter(pk=centre_id, is_active=True).first()
    works_there = centre is not None and (
        provider.primary_centre_id == centre.pk or provider.centres.filter(pk=centre.pk).exists()
    )
    if centre is None or not works_there:
        raise DomainError(
            "This provider takes no appointments at that centre.",
            code=ErrorCode.VALIDATION_ERROR,
            field="centre_id",
            reason="not_at_centre",
        )
    return centre


def _address(customer: User, request: AppointmentRequest) -> Address | None:
    if request.session_type != SessionType.AT_HOME:
        return None
    address = Address.objects.filter(pk=request.address_id, user=customer).first() if request.address_id else None
    if address is None:
        raise DomainError(
            "A visit at home needs one of your addresses.", code=ErrorCode.VALIDATION_ERROR, field="address_id"
        )
    return address


def _check_amount(service: Service, request: AppointmentRequest) -> None:
    if request.client_amount is not None and money(request.client_amount) != money(service.product_cost):
        raise DomainError(
            f"The fee is {service.product_cost}; it comes from the provider's service.",
            code=PaymentErrorCode.INVALID_PAYMENT_AMOUNT,
            field=request.client_amount_field,
            reason="amount_mismatch",
            context={"expected_amount": str(service.product_cost)},
        )


def _duration(service: Service, request: AppointmentRequest) -> int:
    if request.duration_minutes is not None and request.duration_minutes != service.duration_minutes:
        raise DomainError(
            f"This service takes {service.duration_minutes} minutes.",
            code=ErrorCode.VALIDATION_ERROR,
            field="duration",
            reason="duration_mismatch",
            context={"expected_minutes": service.duration_minutes},
        )
    return service.duration_minutes


def taken(code: BookingErrorCode, field: str = "start") -> DomainError:
    return DomainError(
        "That time is not free with this provider. Please choose one of the free slots.",
        code=code,
        field=field,
        reason="slot_taken",
    )


def busy_until(start: datetime, minutes: int, session_type: str) -> datetime:
    travel = settings.PARTNER_TRAVEL_BUFFER_MINUTES if session_type == SessionType.AT_HOME else 0
    return start + timedelta(minutes=minutes + travel)


def hold_expiry(request: AppointmentRequest, now: datetime) -> datetime | None:
    if request.payment_method != PaymentMode.ONLINE:
        return None
    if request.link_hold:
        return min(now + timedelta(hours=settings.APPOINTMENT_LINK_HOLD_HOURS), request.start)
    return now + timedelta(minutes=system_settings.value("appointment_hold_minutes"))


def appointment_create(*, customer: User, request: AppointmentRequest, actor: User | None = None) -> Booking:
    """Book ``request`` for ``customer`` (``actor``: the staff member booking for them, if any)."""
    provider = bookable_provider(request.provider_id)
    service = service_of(provider, request.service_id)
    _check_amount(service, request)
    minutes = _duration(service, request)
    centre = _centre(provider, request.centre_id, request.session_type)
    address = _address(customer, request)
    if not agenda.is_free(provider, request.start, duration_minutes=minutes):
        raise taken(request.conflict_code)
    now = timezone.now()
    zone = agenda.zone_of(provider)
    local = request.start.astimezone(zone)
    hold = hold_expiry(request, now)
    if hold is not None:
        status = BookingStatus.PENDING_PAYMENT
    else:
        status = BookingStatus.PENDING if provider.kind == PartnerKind.SPECIALIST else BookingStatus.CONFIRMED
    price = money(service.product_cost)
    with transaction.atomic():
        lock_partner(provider.pk)
        if not agenda.is_free(provider, request.start, duration_minutes=minutes, now=now):
            raise taken(request.conflict_code)  # someone else took it while we were checking
        booking = Booking.objects.create(
            booking_number=next_booking_number(day=local.date()),
            user=customer,
            address=address,
            address_snapshot=address_snapshot_of(address) if address else {},
            booking_date=local.date(),
            booking_time=local.time().replace(tzinfo=None),
            scheduled_start=request.start,
            scheduled_end=request.start + timedelta(minutes=minutes),
            status=status,
            source=request.source,
            auto_assignment_enabled=False,
            payment_method=request.payment_method,
            total_price=price,
            tax=ZERO,
            grand_total=price,
            cancellation_policy_accepted=True,
            customer_notes=request.notes,
            contact_name=customer.full_name,
            contact_phone=customer.phone or "",
            contact_email=customer.email or "",
            requested_partner=provider,
            centre=centre,
            session_type=request.session_type,
            provider_confirms=provider.kind == PartnerKind.SPECIALIST,
            hold_expires_at=hold,
            deposit_amount=provider.deposit_amount,
        )
        BookingService.objects.create(
            booking=booking,
            service=service,
            name=service.name,
            unit_price=price,
            market_price=service.market_price,
            duration_minutes=minutes,
        )
        BookingEvent.objects.create(
            booking=booking, new_status=status, action="created", actor=actor or customer, note=request.source
        )
        earning, percentage = earning_for(booking)
        assignment = PartnerAssignment(
            booking=booking,
            partner=provider,
            status=AssignmentStatus.ACCEPTED,
            busy_from=request.start,
            busy_until=busy_until(request.start, minutes, request.session_type),
            accepted_at=now,
            partner_earning=earning,
            commission_percentage=percentage,
            assigned_by=actor,
        )
        try:
            with transaction.atomic():
                assignment.save()
        except IntegrityError as exc:  # PostgreSQL's exclusion constraint: the provider's time is taken
            raise taken(request.conflict_code) from exc
        figures_job_assigned(partner_id=provider.pk)
        meetings.appointment_announce(booking)  # the meeting link when online, then the customer's notice
    return booking


def live_assignment(booking: Booking) -> PartnerAssignment:
    assignment = (
        PartnerAssignment.objects.select_for_update().filter(booking=booking, status=AssignmentStatus.ACCEPTED).first()
    )
    if assignment is None:
        raise DomainError(
            "This appointment has no provider's time held.",
            code=BookingErrorCode.INVALID_BOOKING_STATUS,
            context={"status": booking.status},
        )
    return assignment


def appointment_move(
    *,
    booking_id: Id,
    start: datetime,
    actor: User | None,
    reason: str = "",
    conflict_code: BookingErrorCode = BookingErrorCode.SLOT_UNAVAILABLE,
) -> Booking:
    """Move an appointment to another free slot of its provider (its own time does not count as busy).

    The booking keeps its status; the accepted assignment's busy time moves with it, so the exclusion
    constraint checks the new time as it checked the first. The reason is kept on the timeline. Who may
    move it, and until when (``bookings.policy``), is the caller's check.
    """
    with transaction.atomic():
        booking = booking_lock(booking_id)
        if booking.requested_partner_id is None:
            raise DomainError("Booking not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="id")
        provider = Partner.objects.get(pk=booking.requested_partner_id)
        lock_partner(provider.pk)
        minutes = int((booking.scheduled_end - booking.scheduled_start).total_seconds() // 60)
        if not agenda.is_free(provider, start, duration_minutes=minutes, exclude_booking_id=booking.pk):
            raise taken(conflict_code, field="new_scheduled_at")
        assignment = live_assignment(booking)
        old_start = booking.scheduled_start
        local = start.astimezone(agenda.zone_of(provider))
        assignment.busy_from = start
        assignment.busy_until = busy_until(start, minutes, booking.session_type)
        try:
            with transaction.atomic():
                assignment.save(update_fields=["busy_from", "busy_until", "updated_at"])
        except IntegrityError as exc:
            raise taken(conflict_code, field="new_scheduled_at") from exc
        booking_transition(
            booking,
            booking.status,
            actor=actor,
            action="rescheduled",
            note=f"from {old_start.isoformat()}" + (f": {reason}" if reason else ""),
            event_extra={"old_scheduled_at": old_start.isoformat(), "reason": reason},
            booking_date=local.date(),
            booking_time=local.time().replace(tzinfo=None),
            scheduled_start=start,
            scheduled_end=start + timedelta(minutes=minutes),
            reminder_sent_at=None,
        )
        meetings.event_follow_on_commit(booking.pk)  # a calendar event moves with it
    return booking
