"""Payment and dispatch outcomes, counted when the state machine's move commits: a capture and a failure, and
offers made, accepted, rejected, expired and sent to the manual queue."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from bookings.models import BOOKING_PAYABLE
from partners.models import PartnerAssignment
from partners.services import dispatch
from payments.gateways import get_gateway
from tests.conftest import client_for
from tests.factories import BookingFactory
from tests.metrics.helpers import moved, scrape
from tests.partners import helpers as h
from tests.payments.conftest import post_webhook, webhook_body

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("celery_eager")]

PAYMENTS = "platform_payments_total"
DISPATCH = "platform_dispatch_outcomes_total"


def order_for_online_booking():
    booking = BookingFactory(online=True, total="1180.00")
    customer = client_for(booking.user)
    response = customer.post(
        "/api/v1/payments/orders",
        {"payable_type": BOOKING_PAYABLE, "payable_id": str(booking.pk)},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 201, response.json()
    return customer, response.json()["data"]["order_id"]


def test_a_captured_payment_counts_as_captured():
    customer, order_id = order_for_online_booking()
    paid = get_gateway().simulate_checkout(order_id)
    paid.pop("status")
    before = scrape()
    assert customer.post("/api/v1/payments/verify", paid, format="json").status_code == 200
    after = scrape()
    assert moved(before, after, PAYMENTS, outcome="captured") == 1
    assert moved(before, after, PAYMENTS, outcome="failed") == 0


def test_a_failed_payment_counts_as_failed(api_client):
    _, order_id = order_for_online_booking()
    before = scrape()
    response = post_webhook(api_client, webhook_body("payment.failed", order_id=order_id, payment_id="pay_metrics1"))
    assert response.status_code == 200, response.content
    after = scrape()
    assert moved(before, after, PAYMENTS, outcome="failed") == 1
    assert moved(before, after, PAYMENTS, outcome="captured") == 0


def offer(partner):
    booking = h.booking()
    before = scrape()
    made = dispatch.dispatch_booking(booking.pk)
    assert made.partner == partner
    assert moved(before, scrape(), DISPATCH, outcome="offered") == 1
    return booking, made


def test_an_offer_made_and_accepted_moves_the_dispatch_counters():
    partner = h.partner(at=h.NEAR)
    booking, _ = offer(partner)
    before = scrape()
    response = client_for(partner.user).post(f"/api/v1/partner/bookings/{booking.pk}/accept")
    assert response.status_code == 200, response.content
    after = scrape()
    assert moved(before, after, DISPATCH, outcome="accepted") == 1
    assert moved(before, after, DISPATCH, outcome="rejected") == 0


def test_a_rejection_then_no_one_left_counts_the_rejection_and_the_manual_queue():
    partner = h.partner(at=h.NEAR)
    booking, _ = offer(partner)
    before = scrape()
    response = client_for(partner.user).post(
        f"/api/v1/partner/bookings/{booking.pk}/reject", {"reason": "too far"}, format="json"
    )
    assert response.status_code == 200, response.content
    after = scrape()
    assert moved(before, after, DISPATCH, outcome="rejected") == 1
    assert moved(before, after, DISPATCH, outcome="manual") == 1  # nobody else qualifies
    assert moved(before, after, DISPATCH, outcome="offered") == 0


def test_an_expired_offer_counts_as_expired_and_the_next_partner_is_offered():
    first = h.partner(at=h.NEAR, rating=5, rating_count=10)
    second = h.partner(at=h.NEAR)
    booking, made = offer(first)
    PartnerAssignment.objects.filter(pk=made.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    before = scrape()
    assert dispatch.offer_expire(made.pk) is True
    after = scrape()
    assert moved(before, after, DISPATCH, outcome="expired") == 1
    assert moved(before, after, DISPATCH, outcome="offered") == 1
    assert PartnerAssignment.objects.filter(booking=booking, partner=second).exists()


def test_a_booking_nobody_can_take_goes_to_the_manual_queue_once():
    booking = h.booking()
    before = scrape()
    assert dispatch.dispatch_booking(booking.pk) is None
    assert dispatch.dispatch_booking(booking.pk) is None  # already queued: nothing happens
    after = scrape()
    assert moved(before, after, DISPATCH, outcome="manual") == 1
    assert moved(before, after, DISPATCH, outcome="offered") == 0


def offer_then_fail(booking):
    with transaction.atomic():
        assert dispatch.dispatch_booking(booking.pk) is not None
        raise RuntimeError("the caller's transaction fails after the offer")


def test_a_move_that_is_rolled_back_is_not_counted():
    h.partner(at=h.NEAR)
    booking = h.booking()
    before = scrape()
    with pytest.raises(RuntimeError):
        offer_then_fail(booking)
    assert moved(before, scrape(), DISPATCH, outcome="offered") == 0
    assert not PartnerAssignment.objects.filter(booking=booking).exists()
