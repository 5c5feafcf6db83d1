"""Issue #23: checkout confirm holds a partner's time in its transaction, so a confirmed slot is a served slot.

Through HTTP: the second customer for the last free partner gets 409 ``SLOT_UNAVAILABLE`` with the slots left and
nothing written (booking, promo use, payment order); the preview survives for another time; prepare stops offering
a fully held slot and offers it again once the hold is released (cancel, unpaid expiry); the hold is the partner's
first offer (the same row) and a reject moves the job on; a hold is invisible to the partner and to the customer's
booking; a reschedule of a booking waiting for its payment holds the new time. The race (real threads on
PostgreSQL) is in ``test_confirm_holds_race``.
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from bookings.models import Booking, BookingStatus, PromoCodeUsage
from bookings.services.expiry import booking_expire_unpaid
from core import ratelimit
from partners.models import AssignmentStatus, Dispatch, PartnerAssignment
from payments.models import Payment
from tests.accounts.helpers import assert_error
from tests.bookings.factories import make_promo
from tests.conftest import client_for, make_user
from tests.partners import helpers as h
from tests.partners.test_checkout_dispatch import confirm, day_after_tomorrow, home_of, prepare

pytestmark = pytest.mark.django_db


def customer_with_address():
    user = make_user()
    return user, home_of(user)


def book(user, address, slot="10:00 AM", method="cash", promo=None):
    preview = prepare_with(user, address, promo)
    response = confirm(user, preview, address, slot, method=method)
    return preview, response


def prepare_with(user, address, promo=None):
    if promo is None:
        return prepare(user, address, h.service())
    body = {
        "service_ids": [str(h.service().pk)],
        "booking_date": day_after_tomorrow().isoformat(),
        "address_id": str(address.pk),
        "promo_code": promo,
    }
    response = client_for(user).post("/api/v1/checkout/prepare", body, format="json")
    assert response.status_code == 200, response.json()
    return response.json()["data"]


def booking_of(response) -> Booking:
    assert response.status_code == 201, response.json()
    return Booking.objects.get(pk=response.json()["data"]["booking"]["id"])


def test_the_second_customer_for_the_last_partner_gets_409_and_nothing_is_written():
    partner = h.partner(start=time(10), end=time(14))  # 60 minutes plus the 30-minute travel buffer
    make_promo(code="FIRST50")
    first, first_address = customer_with_address()
    second, second_address = customer_with_address()
    late_preview = prepare_with(second, second_address, promo="FIRST50")
    assert "10:00 AM" in late_preview["available_time_slots"]  # both saw 10:00 free

    won = booking_of(book(first, first_address)[1])
    held = PartnerAssignment.objects.get(booking=won)
    assert (held.partner, held.status) == (partner, AssignmentStatus.HELD)

    lost = confirm(second, late_preview, second_address, "10:00 AM", method="online")

    error = assert_error(lost, 409, "SLOT_UNAVAILABLE", "booking_time")
    # Confirm checks the day's grid only; the hold is what finds nobody free (and rolls everything back).
    assert error["details"]["reason"] == "no_partner_free"
    other_slots = error["details"]["context"]["available_time_slots"]
    assert "10:00 AM" not in other_slots
    assert "11:30 AM" in other_slots
    assert not Booking.objects.filter(user=second).exists()
    assert not PromoCodeUsage.objects.filter(user=second).exists()
    assert not Payment.objects.filter(user=second).exists()
    # The preview was put back: the same one books another time.
    body = {
        "preview_id": late_preview["preview_id"],
        "payment_method": "online",
        "address_id": str(second_address.pk),
        "booking_date": late_preview["booking_date"],
        "booking_time": "11:30 AM",
        "cancellation_policy_accepted": True,
    }
    again = client_for(second).post("/api/v1/checkout/confirm", body, format="json", HTTP_X_IDEMPOTENCY_KEY="another")
    assert booking_of(again).booking_time == time(11, 30)
    assert PromoCodeUsage.objects.filter(user=second).count() == 1
    assert Payment.objects.filter(user=second).count() == 1
    # The hourly booking limit counts bookings: the refused confirm was given back.
    assert ratelimit.peek("booking-create", str(second.pk), limit=10).count == 1


def test_prepare_stops_offering_a_fully_held_slot_and_offers_it_again_once_the_booking_is_cancelled():
    h.partner(start=time(10), end=time(12))
    first, first_address = customer_with_address()
    second, second_address = customer_with_address()
    assert prepare(second, second_address, h.service())["available_time_slots"] == ["10:00 AM", "10:30 AM", "11:00 AM"]

    won = booking_of(book(first, first_address)[1])

    assert prepare(second, second_address, h.service())["available_time_slots"] == []  # travel buffer to 11:30
    with TestCase.captureOnCommitCallbacks(execute=True):
        cancelled = client_for(first).post(f"/api/v1/bookings/{won.pk}/cancel", {"reason": "plans"}, format="json")
    assert cancelled.status_code == 200, cancelled.content
    assert PartnerAssignment.objects.get(booking=won).status == AssignmentStatus.CANCELLED
    assert prepare(second, second_address, h.service())["available_time_slots"] == ["10:00 AM", "10:30 AM", "11:00 AM"]
    assert booking_of(book(second, second_address)[1]).booking_time == time(10)


def test_an_unpaid_online_booking_keeps_its_hold_until_it_expires_then_the_slot_is_bookable_again(settings):
    h.partner(start=time(10), end=time(12))
    first, first_address = customer_with_address()
    second, second_address = customer_with_address()
    unpaid = booking_of(book(first, first_address, method="online")[1])
    assert PartnerAssignment.objects.get(booking=unpaid).status == AssignmentStatus.HELD

    assert_error(book(second, second_address)[1], 409, "SLOT_UNAVAILABLE")  # 10:00 is held
    Booking.objects.filter(pk=unpaid.pk).update(created_at=timezone.now() - timedelta(hours=1))
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert booking_expire_unpaid(booking_id=unpaid.pk)

    assert PartnerAssignment.objects.get(booking=unpaid).status == AssignmentStatus.CANCELLED
    assert booking_of(book(second, second_address)[1]).booking_time == time(10)


def test_the_hold_becomes_the_first_offer_and_a_reject_moves_the_job_to_the_next_partner(celery_eager):
    near = h.partner(at=h.NEAR)
    other = h.partner(at=h.MID)
    user, address = customer_with_address()
    with TestCase.captureOnCommitCallbacks(execute=True):
        booking = booking_of(book(user, address)[1])
    held = PartnerAssignment.objects.get(booking=booking)
    assert (held.partner, held.status) == (near, AssignmentStatus.ASSIGNED)  # the nearest was held, then asked
    assert held.expires_at is not None
    assert list(booking.events.values_list("action", flat=True)[:3]) == ["created", "assignment_requested",
                                                                           "partner_held"]  # fmt: skip

    with TestCase.captureOnCommitCallbacks(execute=True):
        rejected = client_for(near.user).post(f"/api/v1/partner/bookings/{booking.pk}/reject", {}, format="json")
    assert rejected.status_code == 200, rejected.content

    held.refresh_from_db()
    assert held.status == AssignmentStatus.REJECTED
    offer = PartnerAssignment.objects.get(booking=booking, status=AssignmentStatus.ASSIGNED)
    assert offer.partner == other
    assert Dispatch.objects.get(booking=booking).attempts == 2


def test_a_hold_is_seen_by_neither_the_partner_nor_the_customers_booking():
    partner = h.partner()
    user, address = customer_with_address()
    booking = booking_of(book(user, address, method="online")[1])
    assert PartnerAssignment.objects.get(booking=booking).status == AssignmentStatus.HELD

    assert client_for(user).get(f"/api/v1/bookings/{booking.pk}").json()["data"]["partner"] is None
    partner_client = client_for(partner.user)
    assert partner_client.get("/api/v1/partner/bookings").json()["data"]["bookings"] == []
    dashboard = partner_client.get("/api/v1/partner/dashboard").json()["data"]
    assert dashboard["stats"]["today_bookings"] == 0
    assert dashboard["upcoming_bookings"] == []
    assert partner_client.get(f"/api/v1/bookings/{booking.pk}").status_code == 404


def test_rescheduling_a_booking_that_waits_for_its_payment_holds_the_new_time():
    partner = h.partner(start=time(10), end=time(16))
    user, address = customer_with_address()
    booking = booking_of(book(user, address, method="online")[1])
    first = PartnerAssignment.objects.get(booking=booking)

    with TestCase.captureOnCommitCallbacks(execute=True):
        moved = client_for(user).post(
            f"/api/v1/bookings/{booking.pk}/reschedule",
            {"new_date": booking.booking_date.isoformat(), "new_time": "02:00 PM"},
            format="json",
        )

    assert moved.status_code == 200, moved.content
    first.refresh_from_db()
    assert first.status == AssignmentStatus.CANCELLED
    again = PartnerAssignment.objects.get(booking=booking, status=AssignmentStatus.HELD)
    assert again.partner == partner
    assert timezone.localtime(again.busy_from).time() == time(14)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING
