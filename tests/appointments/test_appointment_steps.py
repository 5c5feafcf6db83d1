"""The provider's steps as services (partners.services.appointment_steps): confirm, complete with the earning
and its ledger posting, a cash appointment; and the race of a hold expiring while its deposit is captured."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from bookings import hooks
from bookings.errors import BookingErrorCode
from bookings.models import BOOKING_PAYABLE, Booking, BookingPaymentStatus, BookingStatus, PaymentMode
from bookings.services.expiry import booking_expire_hold
from bookings.services.specialist_bookings import specialist_book
from core import system_settings
from core.errors import DomainError
from partners.errors import PartnerErrorCode
from partners.models import AssignmentStatus, PartnerAssignment, PartnerEarning
from partners.services.appointment_steps import appointment_complete, appointment_confirm
from partners.services.appointments import AppointmentRequest, appointment_create
from payments.gateways import get_gateway
from payments.models import Payment, PaymentGatewayName, PaymentKind, PaymentStatus
from payments.services.checkout import payment_verify
from payments.services.ledger import ledger_balance
from tests.accounts.test_concurrency import run_together
from tests.appointments import builders


def started(booking: Booking) -> None:
    past = timezone.now() - timedelta(minutes=1)
    Booking.objects.filter(pk=booking.pk).update(scheduled_start=past, scheduled_end=past + timedelta(hours=1))


def paid_deposit(expert):
    """A POST /bookings-style hold whose deposit order is captured (what runs on commit runs here)."""
    customer = builders.patient()
    result = specialist_book(
        customer=customer,
        specialist_id=expert.pk,
        service_id=builders.service_of(expert).pk,
        start=builders.slot(expert, days=2),
        duration_minutes=60,
    )
    order_id = result.payment_intent["order_id"]
    paid = get_gateway().simulate_checkout(order_id)
    with TestCase.captureOnCommitCallbacks(execute=True):
        payment_verify(
            user=customer,
            order_id=order_id,
            payment_id=paid["razorpay_payment_id"],
            signature=paid["razorpay_signature"],
        )
    result.booking.refresh_from_db()
    return result.booking


@pytest.mark.django_db
def test_complete_with_the_deposit_paid_records_the_earning_with_the_jobs_ledger_posting():
    expert = builders.specialist()
    booking = paid_deposit(expert)
    assert booking.payment_status == BookingPaymentStatus.DEPOSIT_PAID
    appointment_confirm(provider_user=expert.user, booking_id=booking.pk, meeting_link="https://meet.example.com/x")
    started(booking)
    funds_before = ledger_balance("customer_funds")

    done, earning = appointment_complete(
        actor=expert.user, booking_id=booking.pk, completion_notes="Done", deliverables=("Roadmap",)
    )

    share = 100 - system_settings.value("commission_percentage")
    assert done.status == BookingStatus.COMPLETED
    assert earning.booking_amount == Decimal("1500.00")
    assert earning.partner_earning == (Decimal("1500.00") * share / 100).quantize(Decimal("0.01"))
    assert earning.platform_commission == Decimal("1500.00") - earning.partner_earning
    assert earning.cash_collected == 0
    assert PartnerAssignment.objects.get(booking=booking).status == AssignmentStatus.COMPLETED
    # The whole price leaves customer_funds (the 1300 balance is owed until process-full-payment pays it).
    assert ledger_balance("customer_funds") - funds_before == Decimal("1500.00")
    expert.refresh_from_db()
    assert expert.completed_bookings == 1
    with pytest.raises(DomainError) as again:
        appointment_complete(actor=expert.user, booking_id=booking.pk)
    assert again.value.code == BookingErrorCode.INVALID_BOOKING_STATUS
    assert PartnerEarning.objects.filter(booking=booking).count() == 1


@pytest.mark.django_db
def test_a_cash_appointment_is_recorded_as_paid_in_cash_when_completed():
    expert = builders.specialist()
    booking = appointment_create(
        customer=builders.patient(),
        request=AppointmentRequest(
            provider_id=expert.pk, start=builders.slot(expert, days=2), payment_method=PaymentMode.CASH
        ),
    )
    appointment_confirm(provider_user=expert.user, booking_id=booking.pk)
    started(booking)

    _, earning = appointment_complete(actor=expert.user, booking_id=booking.pk)

    cash = Payment.objects.get(payable_type=BOOKING_PAYABLE, payable_id=str(booking.pk))
    assert (cash.gateway, cash.kind, cash.status, cash.amount) == (
        PaymentGatewayName.CASH,
        PaymentKind.FULL,
        PaymentStatus.SUCCESS,
        Decimal("1500.00"),
    )
    assert earning.cash_collected == Decimal("1500.00")


@pytest.mark.django_db
def test_an_unpaid_online_appointment_cannot_be_completed_nor_confirmed():
    expert = builders.specialist()
    booking = hooks.partners().appointment_book(
        customer=builders.patient(),
        provider_id=expert.pk,
        service_id=None,
        start=builders.slot(expert, days=2),
        duration_minutes=None,
        notes="",
    )
    with pytest.raises(DomainError) as not_pending:
        appointment_confirm(provider_user=expert.user, booking_id=booking.pk)
    assert not_pending.value.code == BookingErrorCode.INVALID_BOOKING_STATUS
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CONFIRMED)  # forced by hand, still unpaid
    started(booking)

    with pytest.raises(DomainError) as unpaid:
        appointment_complete(actor=expert.user, booking_id=booking.pk)

    assert unpaid.value.code == PartnerErrorCode.BOOKING_UNPAID
    assert PartnerAssignment.objects.get(booking=booking).status == AssignmentStatus.ACCEPTED


@pytest.mark.django_db(transaction=True)
def test_a_hold_expiring_while_its_deposit_is_captured_has_one_outcome_and_no_orphan_payment(celery_eager):
    assert connection.vendor == "postgresql"
    expert = builders.specialist()
    outcomes = []
    for hour in (9, 11, 13, 15):
        customer = builders.patient()
        result = specialist_book(
            customer=customer,
            specialist_id=expert.pk,
            service_id=builders.service_of(expert).pk,
            start=builders.slot(expert, days=2, hour=hour),
            duration_minutes=60,
        )
        booking = result.booking
        order_id = result.payment_intent["order_id"]
        paid = get_gateway().simulate_checkout(order_id)
        Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))

        def race(index, customer=customer, order_id=order_id, paid=paid, booking=booking):
            if index == 0:
                return payment_verify(
                    user=customer,
                    order_id=order_id,
                    payment_id=paid["razorpay_payment_id"],
                    signature=paid["razorpay_signature"],
                ).status
            return booking_expire_hold(booking_id=booking.pk)

        _, expired = run_together(2, race)

        booking.refresh_from_db()
        payment = Payment.objects.get(gateway_order_id=order_id)
        if expired:
            # expired, then every payment refunded: the booking ends ``refunded`` (bookings.payable)
            assert booking.status in (BookingStatus.EXPIRED, BookingStatus.REFUNDED)
            assert payment.status == PaymentStatus.REFUNDED  # the late capture went back in full
            assert PartnerAssignment.objects.get(booking=booking).status == AssignmentStatus.CANCELLED
        else:
            assert (booking.status, booking.payment_status) == (
                BookingStatus.PENDING,
                BookingPaymentStatus.DEPOSIT_PAID,
            )
            assert booking.hold_expires_at is None
            assert payment.status == PaymentStatus.SUCCESS
            assert not payment.refunds.exists()
            assert PartnerAssignment.objects.get(booking=booking).status == AssignmentStatus.ACCEPTED
        outcomes.append(booking.status)
    assert set(outcomes) <= {BookingStatus.EXPIRED, BookingStatus.REFUNDED, BookingStatus.PENDING}


@pytest.mark.django_db
def test_a_capture_that_lands_first_keeps_the_booking_and_the_late_expiry_does_nothing():
    expert = builders.specialist()
    booking = paid_deposit(expert)
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))

    assert booking_expire_hold(booking_id=booking.pk) is False
    booking.refresh_from_db()
    assert (booking.status, booking.payment_status) == (BookingStatus.PENDING, BookingPaymentStatus.DEPOSIT_PAID)
