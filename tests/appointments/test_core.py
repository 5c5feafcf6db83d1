"""The appointment core (issue #18): create holds the provider's time, payment confirms, expiry frees, policy."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings import policy
from bookings.errors import BookingErrorCode
from bookings.models import BookingStatus, CancelledBy, PaymentMode, SessionType
from bookings.services.expiry import booking_expire_hold, expire_unpaid_bookings
from core.errors import DomainError
from partners.models import AssignmentStatus, PartnerAssignment
from partners.selectors import agenda
from partners.services.appointments import AppointmentRequest, appointment_create, appointment_move
from tests.appointments import builders

pytestmark = pytest.mark.django_db


def book(provider, start, **fields):
    return appointment_create(
        customer=fields.pop("customer", None) or builders.patient(),
        request=AppointmentRequest(provider_id=provider.pk, start=start, **fields),
    )


def test_an_online_appointment_is_an_unpaid_hold_on_its_providers_time():
    doctor = builders.clinician()
    start = builders.slot(doctor)
    booking = book(doctor, start)

    assert booking.status == BookingStatus.PENDING_PAYMENT
    assert booking.hold_expires_at > timezone.now()
    assert booking.grand_total == Decimal("800.00")
    assert booking.tax == 0
    held = PartnerAssignment.objects.get(booking=booking)
    assert (held.status, held.busy_from, held.busy_until) == (
        AssignmentStatus.ACCEPTED,
        start,
        start + timedelta(minutes=30),
    )
    free = agenda.free_slots_of([doctor], first_day=start.date(), last_day=start.date())[doctor.pk]
    assert start not in free
    assert start + timedelta(minutes=30) in free


def test_a_taken_slot_is_refused_with_the_callers_code():
    doctor = builders.clinician()
    start = builders.slot(doctor)
    book(doctor, start)
    with pytest.raises(DomainError) as raised:
        book(doctor, start, conflict_code=BookingErrorCode.BOOKING_CONFLICT)
    assert raised.value.code == BookingErrorCode.BOOKING_CONFLICT


def test_an_expired_hold_frees_the_slot():
    doctor = builders.clinician()
    start = builders.slot(doctor)
    booking = book(doctor, start)
    type(booking).objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))

    assert expire_unpaid_bookings() == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.EXPIRED
    assert PartnerAssignment.objects.get(booking=booking).status == AssignmentStatus.CANCELLED
    assert booking_expire_hold(booking_id=booking.pk) is False
    assert book(doctor, start).status == BookingStatus.PENDING_PAYMENT


def test_a_cash_specialist_booking_waits_for_the_specialist_and_the_policy_keeps_the_deposit_late():
    expert = builders.specialist()
    start = builders.slot(expert, days=3)
    booking = book(expert, start, payment_method=PaymentMode.CASH, session_type=SessionType.ONLINE)
    assert booking.status == BookingStatus.PENDING
    assert booking.deposit_amount == Decimal("200.00")

    early = policy.terms(booking, now=timezone.now(), captured=Decimal("200.00"))
    assert (early.can_cancel, early.refund, early.deadline) == (True, Decimal("200.00"), start - timedelta(hours=24))
    late = start - timedelta(hours=2)
    assert policy.terms(booking, now=late, captured=Decimal("200.00")).reason == "past_deadline"
    staff = policy.terms(booking, now=late, captured=Decimal("1500.00"), by=CancelledBy.ADMIN)
    assert (staff.fee, staff.refund) == (Decimal("200.00"), Decimal("1300.00"))


def test_a_move_keeps_its_own_time_and_moves_the_held_range():
    doctor = builders.clinician()
    start = builders.slot(doctor)
    booking = book(doctor, start)
    with pytest.raises(DomainError) as raised:  # off the provider's 30-minute grid
        appointment_move(booking_id=booking.pk, start=start + timedelta(minutes=15), actor=None)
    assert raised.value.code == BookingErrorCode.SLOT_UNAVAILABLE

    moved = appointment_move(booking_id=booking.pk, start=start + timedelta(minutes=30), actor=None, reason="late")
    held = PartnerAssignment.objects.get(booking=booking)
    assert moved.scheduled_start == held.busy_from == start + timedelta(minutes=30)
    assert moved.events.filter(action="rescheduled", note__endswith="late").exists()
    assert start in agenda.free_slots_of([doctor], first_day=start.date(), last_day=start.date())[doctor.pk]


def test_a_captured_deposit_makes_a_specialists_hold_pending_and_a_clinicians_full_payment_confirms(
    django_capture_on_commit_callbacks,
):
    from payments.models import PaymentKind
    from payments.services.payments import payment_record_cash

    expert = builders.specialist()
    held = book(expert, builders.slot(expert, days=2))
    staff = builders.patient()
    with django_capture_on_commit_callbacks(execute=True):
        payment_record_cash(
            payable_type="bookings.booking",
            payable_id=str(held.pk),
            amount=Decimal("200.00"),
            recorded_by=staff,
            kind=PaymentKind.DEPOSIT,
        )
    held.refresh_from_db()
    assert held.status == BookingStatus.PENDING
    assert held.payment_status == "deposit_paid"
    assert held.hold_expires_at is None

    doctor = builders.clinician()
    consult = book(doctor, builders.slot(doctor))
    with django_capture_on_commit_callbacks(execute=True):
        payment_record_cash(
            payable_type="bookings.booking", payable_id=str(consult.pk), amount=Decimal("800.00"), recorded_by=staff
        )
    consult.refresh_from_db()
    assert (consult.status, consult.payment_status) == (BookingStatus.CONFIRMED, "paid")


def test_the_dispatch_sweep_leaves_appointments_alone():
    from partners.models import Dispatch
    from partners.services.dispatch import sweep

    expert = builders.specialist()
    booking = book(expert, builders.slot(expert, days=2), payment_method=PaymentMode.CASH)
    type(booking).objects.filter(pk=booking.pk).update(created_at=timezone.now() - timedelta(hours=1))

    assert sweep()["dispatched"] == 0
    assert not Dispatch.objects.filter(booking=booking).exists()


def test_a_visit_at_home_needs_the_customers_address_and_holds_the_travel_buffer_too(settings):
    from accounts.models import Address

    doctor = builders.clinician()
    customer = builders.patient()
    start = builders.slot(doctor, days=2)
    with pytest.raises(DomainError) as raised:
        book(doctor, start, customer=customer, session_type=SessionType.AT_HOME)
    assert (raised.value.code, raised.value.field) == ("VALIDATION_ERROR", "address_id")
    theirs = Address.objects.create(
        user=builders.patient(), name="Home", address_line1="1 Park St", city="Kolkata", state="WB", pincode="700091"
    )
    with pytest.raises(DomainError):  # someone else's address is no address of yours
        book(doctor, start, customer=customer, session_type=SessionType.AT_HOME, address_id=theirs.pk)

    home = Address.objects.create(
        user=customer, name="Home", address_line1="9 Lake Rd", city="Kolkata", state="WB", pincode="700029"
    )
    booking = book(doctor, start, customer=customer, session_type=SessionType.AT_HOME, address_id=home.pk)

    held = PartnerAssignment.objects.get(booking=booking)
    assert held.busy_until == start + timedelta(minutes=30 + settings.PARTNER_TRAVEL_BUFFER_MINUTES)
    assert booking.address_snapshot["pincode"] == "700029"
    assert booking.session_type == SessionType.AT_HOME
