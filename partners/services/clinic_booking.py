"""Seed 003's appointment desk: staff and front-desk bookings, patient bookings, staff status changes (issue #18).

Every booking goes through ``partners.services.appointments.appointment_create`` (one transaction, the
provider's accepted assignment, the exclusion constraint), with seed 003's ``SLOT_UNAVAILABLE`` on a
taken slot. Readings chosen where the seed is silent:

* **Time**: ``appointmentDate`` + ``appointmentTime`` are the provider's local wall time (their IANA
  zone). A wall time that does not exist in that zone (the hour a daylight-saving change skips) is never
  a free slot: ``409 SLOT_UNAVAILABLE``. A repeated wall time is its first occurrence.
* **Fee** (AP1): ``consultationFee`` may be left out; when sent it must equal the provider's service
  price (``422 INVALID_PAYMENT_AMOUNT`` on ``consultationFee``).
* **Staff bookings** (``POST /appointments``, ``POST /booking/front-desk``) are ``online`` by default: an
  unpaid hold until the payment link expires (``APPOINTMENT_LINK_HOLD_HOURS``, never past the start) and
  a payment link for the whole fee (``payments.services.links``), sent to the patient over WhatsApp and
  SMS (rule AP6, ``bookings.notify.send_payment_link``). If the payments app refuses or the
  gateway fails, the booking stays and the answer has no link, with the reason in the message (staff send
  a link later with ``POST /payments/create-link``). ``CASH`` books it confirmed at once (pay at the centre).
  The source is ``front_desk`` for front-desk staff and the front-desk endpoint, ``admin`` otherwise.
* **Centre managers** book only at a centre they run (an online booking needs one too, so that they can
  see it afterwards); any other centre is ``404``.
* **Front desk by phone**: the phone is normalised to E.164 (Indian numbers without a code); one account
  per phone, even under concurrent requests (``get_or_create`` in a savepoint; the unique phone decides,
  the loser re-reads). A new account is a customer with the given name and no password (they sign in by
  OTP); an existing account keeps its name (filled in only when empty). A blocked account is refused (422).
* **Patient bookings** (``POST /booking/create``) are an online hold (``appointment_hold_minutes``) and a
  gateway order for the full fee; if the order cannot be made the hold stays and the patient pays with
  ``POST /payments/create-order`` before it expires.
* **Staff status changes** (``PUT /appointments/{id}``): CONFIRMED only when paid (``paid`` or
  ``deposit_paid``) or a cash booking (an unpaid online hold is confirmed by its payment, not by staff);
  NO_SHOW only from CONFIRMED and only from ``start + APPOINTMENT_NO_SHOW_GRACE_MINUTES`` (else ``422
  INVALID_BOOKING_STATUS``, reason ``too_early``); COMPLETED through ``partners.services.appointment_steps``;
  CANCELLED through ``bookings.services.lifecycle.booking_cancel`` as admin (the policy keeps the deposit
  after the deadline). A new time and a new status in one request are applied in one transaction, and only
  CONFIRMED may go with a new time. Staff may move an appointment while the policy lets admins
  (``bookings.policy``: any open status).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services.roles import user_add_role
from accounts.validators import normalize_phone
from bookings import policy
from bookings.errors import BookingErrorCode
from bookings.models import (
    BOOKING_PAYABLE,
    Booking,
    BookingPaymentStatus,
    BookingSource,
    BookingStatus,
    CancelledBy,
    PaymentMode,
)
from bookings.notify import send_payment_link
from bookings.services.lifecycle import booking_cancel, booking_lock, booking_transition
from catalog.pricing import ZERO
from core.errors import DomainError, ErrorCode
from core.types import Id
from partners.models import Partner, StaffCentre
from partners.selectors import agenda
from partners.selectors.appointments import scope_of
from partners.services.appointments import AppointmentRequest, appointment_create, appointment_move, bookable_provider
from payments.models import PaymentKind
from payments.services.links import payment_link_create
from payments.services.payments import Checkout, payment_create_order

FEE_FIELD = "consultationFee"
PAID = (BookingPaymentStatus.PAID, BookingPaymentStatus.DEPOSIT_PAID)


@dataclass(frozen=True)
class Slot:
    """What a seed 003 booking asks for: provider, where, when (provider-local), how, at what fee."""

    provider_id: Id
    day: date
    at: time
    session_type: str
    centre_id: Id | None = None
    address_id: Id | None = None
    fee: Decimal | None = None
    notes: str = ""


@dataclass(frozen=True)
class StaffBooked:
    booking: Booking
    payment_link: str | None
    link_problem: str = ""  # why there is no link, when online


@dataclass(frozen=True)
class PatientBooked:
    booking: Booking
    checkout: Checkout | None
    order_problem: str = ""


def start_of(provider: Partner, day: date, at: time) -> datetime:
    """The aware instant of the provider-local ``day`` ``at``; a skipped wall time is no slot (409)."""
    zone = agenda.zone_of(provider)
    start = datetime.combine(day, at.replace(tzinfo=None), tzinfo=zone)
    if start.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != start.replace(tzinfo=None):
        raise DomainError(
            "That time does not exist on that day in the provider's time zone.",
            code=BookingErrorCode.SLOT_UNAVAILABLE,
            field="appointment_time",
            reason="nonexistent_local_time",
        )
    return start


def _request(provider: Partner, slot: Slot, *, source: str, payment_method: str, link_hold: bool) -> AppointmentRequest:
    return AppointmentRequest(
        provider_id=provider.pk,
        start=start_of(provider, slot.day, slot.at),
        session_type=slot.session_type,
        centre_id=slot.centre_id,
        address_id=slot.address_id,
        client_amount=slot.fee,
        client_amount_field=FEE_FIELD,
        notes=slot.notes,
        source=source,
        payment_method=payment_method,
        link_hold=link_hold,
        conflict_code=BookingErrorCode.SLOT_UNAVAILABLE,
    )


def _check_centre_scope(actor: User, centre_id: Id | None) -> None:
    scope = scope_of(actor)
    if scope is None or scope.centre_manager is None:
        return
    if centre_id is None or not StaffCentre.objects.filter(user=actor, centre_id=centre_id).exists():
        raise DomainError("Centre not found.", code=ErrorCode.NOT_FOUND, field="centre_id")


def staff_source(actor: User) -> str:
    return BookingSource.FRONT_DESK if actor.has_role(Role.FRONT_DESK) else BookingSource.ADMIN


def appointment_book_for(
    *, actor: User, customer: User, slot: Slot, payment_mode: str = PaymentMode.ONLINE, source: str
) -> StaffBooked:
    """Staff book ``slot`` for ``customer``: an online hold with a payment link, or confirmed for cash."""
    _check_centre_scope(actor, slot.centre_id)
    provider = bookable_provider(slot.provider_id)
    online = payment_mode == PaymentMode.ONLINE
    request = _request(provider, slot, source=source, payment_method=payment_mode, link_hold=online)
    booking = appointment_create(customer=customer, request=request, actor=actor)
    if not online:
        return StaffBooked(booking=booking, payment_link=None)
    try:
        link = payment_link_create(
            created_by=actor,
            payable_type=BOOKING_PAYABLE,
            payable_id=str(booking.pk),
            kind=PaymentKind.FULL,
            customer_name=customer.full_name,
            customer_phone=customer.phone or "",
            customer_email=customer.email or "",
        )
    except DomainError as exc:  # GatewayError is one: the booking stays, the link can be sent later
        return StaffBooked(booking=booking, payment_link=None, link_problem=exc.message)
    with transaction.atomic():  # rule AP6: the link goes to the patient over WhatsApp and SMS, on commit
        send_payment_link(booking, link.short_url, amount=link.payment.amount, expires_at=link.expires_at)
    return StaffBooked(booking=booking, payment_link=link.short_url)


def patient_for_phone(*, phone: str, name: str) -> User:
    """The one account of ``phone`` (E.164), created as a customer named ``name`` when there is none."""
    try:
        e164 = normalize_phone(phone)
    except ValidationError as exc:
        raise DomainError(
            "Enter a valid phone number.", code=ErrorCode.VALIDATION_ERROR, field="patient_phone"
        ) from exc
    if e164 is None:
        raise DomainError("Enter the patient's phone number.", code=ErrorCode.VALIDATION_ERROR, field="patient_phone")
    try:
        with transaction.atomic():
            user, created = User.objects.get_or_create(
                phone=e164, defaults={"full_name": name.strip(), "password": make_password(None)}
            )
            if created:
                user_add_role(user=user, role=Role.CUSTOMER)
    except IntegrityError:  # a concurrent request created it a moment ago: the unique phone decided
        user = User.objects.get(phone=e164)
    if not user.is_active:
        raise DomainError(
            "This patient's account is blocked.",
            code=ErrorCode.VALIDATION_ERROR,
            field="patient_phone",
            reason="account_blocked",
        )
    if not user.full_name and name.strip():
        User.objects.filter(pk=user.pk, full_name="").update(full_name=name.strip())
        user.full_name = name.strip()
    return user


def front_desk_book(
    *, actor: User, phone: str, name: str, slot: Slot, payment_mode: str = PaymentMode.ONLINE
) -> StaffBooked:
    """Seed 003 "Book for Patient (Front Desk)": find or create the patient by phone, then book."""
    _check_centre_scope(actor, slot.centre_id)
    customer = patient_for_phone(phone=phone, name=name)
    return appointment_book_for(
        actor=actor, customer=customer, slot=slot, payment_mode=payment_mode, source=BookingSource.FRONT_DESK
    )


def patient_book(*, customer: User, slot: Slot, idempotency_key: str | None = None) -> PatientBooked:
    """Seed 003 ``POST /booking/create``: an online hold, then a gateway order for the full fee."""
    provider = bookable_provider(slot.provider_id)
    request = _request(provider, slot, source=BookingSource.APP, payment_method=PaymentMode.ONLINE, link_hold=False)
    booking = appointment_create(customer=customer, request=request)
    try:
        checkout = payment_create_order(
            user=customer,
            payable_type=BOOKING_PAYABLE,
            payable_id=str(booking.pk),
            kind=PaymentKind.FULL,
            idempotency_key=idempotency_key or None,
        )
    except DomainError as exc:  # the hold stays until it expires; the patient can pay it another way
        return PatientBooked(booking=booking, checkout=None, order_problem=exc.message)
    return PatientBooked(booking=booking, checkout=checkout)


def _confirm(booking: Booking, actor: User) -> None:
    if booking.status == BookingStatus.CONFIRMED:
        return
    if booking.payment_method != PaymentMode.CASH and booking.payment_status not in PAID:
        raise DomainError(
            "An unpaid online appointment is confirmed by its payment.",
            code=BookingErrorCode.INVALID_BOOKING_STATUS,
            field="status",
            reason="not_paid",
            context={"status": booking.status, "payment_status": booking.payment_status},
        )
    booking_transition(booking, BookingStatus.CONFIRMED, actor=actor, action="confirmed", hold_expires_at=None)


def _no_show(booking: Booking, actor: User, now: datetime) -> None:
    may_from = booking.scheduled_start + timedelta(minutes=settings.APPOINTMENT_NO_SHOW_GRACE_MINUTES)
    if booking.status != BookingStatus.CONFIRMED:
        raise DomainError(
            "Only a confirmed appointment can be marked a no-show.",
            code=BookingErrorCode.INVALID_BOOKING_STATUS,
            field="status",
            reason="not_confirmed",
            context={"status": booking.status},
        )
    if now < may_from:
        raise DomainError(
            f"A no-show can be recorded from {may_from.isoformat()}.",
            code=BookingErrorCode.INVALID_BOOKING_STATUS,
            field="status",
            reason="too_early",
            context={"no_show_from": may_from.isoformat()},
        )
    booking_transition(booking, BookingStatus.NO_SHOW, actor=actor, action="no_show")


def appointment_no_show(*, actor: User, booking_id: Id) -> Booking:
    """Record that the patient did not come (staff or the clinician; who may is the caller's check)."""
    with transaction.atomic():
        booking = booking_lock(booking_id)
        _no_show(booking, actor, timezone.now())
    return booking


def _move(actor: User, booking_id: Id, day: date, at: time, reason: str) -> None:
    current = Booking.objects.select_related("requested_partner").get(pk=booking_id)
    provider = current.requested_partner
    if provider is None:
        raise DomainError("Appointment not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="id")
    if not policy.terms(current, now=timezone.now(), captured=ZERO, by=CancelledBy.ADMIN).can_reschedule:
        raise DomainError(
            "This appointment can no longer be moved.",
            code=BookingErrorCode.INVALID_BOOKING_STATUS,
            field="appointment_date",
            reason="closed",
            context={"status": current.status},
        )
    try:
        appointment_move(
            booking_id=booking_id,
            start=start_of(provider, day, at),
            actor=actor,
            reason=reason,
            conflict_code=BookingErrorCode.SLOT_UNAVAILABLE,
        )
    except DomainError as exc:  # seed 003 names the time it asked for, not seed 004's new_scheduled_at
        if exc.field == "new_scheduled_at":
            exc.field = "appointment_time"
        raise


def appointment_update(
    *,
    actor: User,
    booking_id: Id,
    day: date | None = None,
    at: time | None = None,
    status: str | None = None,
    reason: str = "",
) -> Booking:
    """Staff ``PUT /appointments/{id}``: move it (``day`` and ``at``) and/or change its ``status`` (a
    booking status: confirmed, completed, no_show or cancelled)."""
    if (day is None) != (at is None):
        raise DomainError(
            "Send both appointmentDate and appointmentTime to move an appointment.",
            code=ErrorCode.VALIDATION_ERROR,
            field="appointment_time" if at is None else "appointment_date",
        )
    moving = day is not None and at is not None
    if moving and status not in (None, BookingStatus.CONFIRMED):
        raise DomainError(
            "Move the appointment and change its status in two requests.",
            code=ErrorCode.VALIDATION_ERROR,
            field="status",
            reason="move_with_closing_status",
        )
    if status == BookingStatus.CANCELLED:
        booking_cancel(user=actor, booking_id=booking_id, reason=reason, by=CancelledBy.ADMIN)
    elif status == BookingStatus.COMPLETED:
        from partners.services import appointment_steps  # issue #18 helper C: completion, notes, deliverables

        appointment_steps.appointment_complete(actor=actor, booking_id=booking_id, completion_notes="", deliverables=[])
    else:
        with transaction.atomic():
            if day is not None and at is not None:
                _move(actor, booking_id, day, at, reason)
            if status in (BookingStatus.CONFIRMED, BookingStatus.NO_SHOW):
                booking = booking_lock(booking_id)
                if status == BookingStatus.CONFIRMED:
                    _confirm(booking, actor)
                else:
                    _no_show(booking, actor, timezone.now())
            elif status is not None:
                raise DomainError(
                    "Staff set CONFIRMED, COMPLETED, NO_SHOW or CANCELLED.",
                    code=ErrorCode.VALIDATION_ERROR,
                    field="status",
                    reason="not_a_staff_status",
                )
    return Booking.objects.get(pk=booking_id)
