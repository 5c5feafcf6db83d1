"""The one state-machine helper (core.statemachine), through the booking and payment machines that use it."""

import pytest
from django.db import transaction

from bookings.models import BOOKING_STATES, Booking, BookingStatus
from bookings.services.lifecycle import booking_transition
from core.errors import DomainError
from tests.bookings.factories import make_booking
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking():
    return make_booking(make_user())


@pytest.mark.django_db(transaction=True)  # no test-wide atomic block around this one
def test_a_move_outside_a_transaction_is_refused(booking):
    with pytest.raises(RuntimeError, match="inside a transaction"):
        BOOKING_STATES.move(booking, BookingStatus.CONFIRMED)


def test_an_illegal_move_is_a_422_naming_both_states_and_saves_nothing(booking):
    with transaction.atomic(), pytest.raises(DomainError) as caught:
        booking_transition(BOOKING_STATES.lock(booking.pk), BookingStatus.COMPLETED)

    error = caught.value
    assert (error.code.value, error.status) == ("INVALID_BOOKING_STATUS", 422)
    assert (error.reason, error.context) == ("illegal_transition", {"status": "pending", "requested": "completed"})
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.PENDING
    assert not booking.events.exists()


def test_a_move_saves_only_the_status_and_its_own_fields(booking):
    with transaction.atomic():
        locked = BOOKING_STATES.lock(booking.pk)
        Booking.objects.filter(pk=booking.pk).update(customer_notes="written meanwhile")  # a column the move must keep
        booking_transition(locked, BookingStatus.CONFIRMED, cancellation_reason="")

    saved = Booking.objects.get(pk=booking.pk)
    assert saved.status == BookingStatus.CONFIRMED
    assert saved.customer_notes == "written meanwhile"  # a full save() would have written the stale ""
    assert list(saved.events.values_list("old_status", "new_status")) == [("pending", "confirmed")]


def test_a_move_to_the_same_booking_status_is_a_recorded_step(booking):
    with transaction.atomic():
        changed = BOOKING_STATES.move(BOOKING_STATES.lock(booking.pk), BookingStatus.PENDING)

    assert changed is True
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.PENDING


def test_a_non_strict_illegal_move_is_ignored(booking):
    with transaction.atomic():
        changed = BOOKING_STATES.move(BOOKING_STATES.lock(booking.pk), BookingStatus.COMPLETED, strict=False)

    assert changed is False
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.PENDING


def test_a_repeated_payment_state_returns_early_unless_it_may_repeat():
    from payments.models import PAYMENT_STATES, PaymentStatus

    assert PAYMENT_STATES.allows(PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.PARTIALLY_REFUNDED)
    assert not PAYMENT_STATES.allows(PaymentStatus.SUCCESS, PaymentStatus.PENDING)
    assert not PAYMENT_STATES.allows(PaymentStatus.REFUNDED, PaymentStatus.SUCCESS)
