"""A captured payment always reaches its booking: when the booking's callback fails, the booking still ends paid
and offered to a partner (through the worker's retry, or the sweep when that task was lost)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.models import Booking, BookingStatus
from bookings.payable import BookingPayable
from partners.models import AssignmentStatus, PartnerAssignment
from payments import tasks
from payments.gateways import get_gateway
from payments.models import Payment
from tests.conftest import client_for
from tests.partners import helpers as h
from tests.partners.test_checkout_dispatch import address, confirm, prepare, shopper  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking_callback_fails_once(monkeypatch):
    calls = {"n": 0}
    original = BookingPayable.on_payment_event

    def on_payment_event(self, event):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("the booking's callback failed (lock timeout, restart...)")
        original(self, event)

    monkeypatch.setattr(BookingPayable, "on_payment_event", on_payment_event)
    return calls


def book_online_and_pay(shopper, address):  # noqa: F811
    preview = prepare(shopper, address, h.service())
    response = confirm(shopper, preview, address, preview["available_time_slots"][0], method="online")
    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    paid = get_gateway().simulate_checkout(data["payment"]["razorpay_order_id"], succeed=True)
    paid.pop("status")
    verified = client_for(shopper).post("/api/v1/payments/verify", paid, format="json")
    assert verified.status_code == 200, verified.json()
    return Booking.objects.get(pk=data["booking"]["id"])


def test_a_failed_booking_callback_is_retried_and_the_booking_is_paid_and_offered(
    shopper,  # noqa: F811
    address,  # noqa: F811
    booking_callback_fails_once,
    celery_eager,
    django_capture_on_commit_callbacks,
):
    partner = h.partner()

    with django_capture_on_commit_callbacks(execute=True):
        booking = book_online_and_pay(shopper, address)

    assert booking_callback_fails_once["n"] == 2
    booking.refresh_from_db()
    assert (booking.payment_status, booking.status) == ("paid", BookingStatus.PARTNER_ASSIGNED)
    offer = PartnerAssignment.objects.get(booking=booking)
    assert (offer.partner, offer.status) == (partner, AssignmentStatus.ASSIGNED)


def test_a_booking_whose_retry_was_lost_is_paid_and_offered_by_the_sweep(
    shopper,  # noqa: F811
    address,  # noqa: F811
    booking_callback_fails_once,
    celery_eager,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    partner = h.partner()
    monkeypatch.setattr("payments.services.payable_sync.enqueue", lambda *args, **kwargs: None)  # the broker lost it
    with django_capture_on_commit_callbacks(execute=True):
        booking = book_online_and_pay(shopper, address)
    booking.refresh_from_db()
    assert (booking.payment_status, booking.status) == ("pending", BookingStatus.PENDING)  # the hand-off failed
    payment = Payment.objects.get(payable_id=str(booking.pk))
    assert payment.status == "success"
    Payment.objects.filter(pk=payment.pk).update(updated_at=timezone.now() - timedelta(minutes=3))

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_lagging_payables.apply().get() == 1

    booking.refresh_from_db()
    assert (booking.payment_status, booking.status) == ("paid", BookingStatus.PARTNER_ASSIGNED)
    assert PartnerAssignment.objects.get(booking=booking).partner == partner
    assert booking.events.filter(action="payment_success").count() == 1
