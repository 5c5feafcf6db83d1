"""Checkout offers only slots a partner can take; a confirmed cash booking or a paid online one reaches a partner."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from accounts.services.addresses import address_create
from bookings.models import Booking, BookingStatus
from partners.models import AssignmentStatus, Dispatch, PartnerAssignment
from partners.services.dispatch import request_dispatch
from payments.gateways import get_gateway
from tests.conftest import client_for, make_user
from tests.partners import helpers as h

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper(db):
    return make_user(full_name="Sia Shopper")


def home_of(user):
    """``user``'s address at HOME (Salt Lake), where the partners of these tests work."""
    return address_create(
        user=user,
        data={
            "name": "Home",
            "address_line1": "Sector V",
            "city": "Kolkata",
            "state": "West Bengal",
            "pincode": h.PINCODE,
            "lat": float(h.HOME[0]),
            "lng": float(h.HOME[1]),
        },
    )


@pytest.fixture
def address(shopper):
    return home_of(shopper)


def day_after_tomorrow():
    return timezone.localdate() + timedelta(days=2)


def prepare(shopper, address, service, day=None):
    body = {
        "service_ids": [str(service.pk)],
        "booking_date": (day or day_after_tomorrow()).isoformat(),
        "address_id": str(address.pk),
    }
    response = client_for(shopper).post("/api/v1/checkout/prepare", body, format="json")
    assert response.status_code == 200, response.json()
    return response.json()["data"]


def confirm(shopper, preview, address, slot, method="cash"):
    body = {
        "preview_id": preview["preview_id"],
        "payment_method": method,
        "address_id": str(address.pk),
        "booking_date": preview["booking_date"],
        "booking_time": slot,
        "cancellation_policy_accepted": True,
    }
    return client_for(shopper).post(
        "/api/v1/checkout/confirm", body, format="json", HTTP_X_IDEMPOTENCY_KEY=f"key-{preview['preview_id']}"
    )


def test_without_a_partner_no_slot_is_offered(shopper, address):
    assert prepare(shopper, address, h.service())["available_time_slots"] == []


def test_only_slots_inside_a_partners_hours_are_offered(shopper, address):
    h.partner(start=time(10), end=time(12))  # a 60-minute service fits at 10:00, 10:30 and 11:00
    assert prepare(shopper, address, h.service())["available_time_slots"] == ["10:00 AM", "10:30 AM", "11:00 AM"]


def test_a_partner_out_of_reach_or_of_another_category_offers_nothing(shopper, address):
    h.partner(at=h.FAR)
    h.partner(categories=("WAXING",))
    assert prepare(shopper, address, h.service())["available_time_slots"] == []


def test_a_slot_taken_by_the_only_partners_job_is_not_offered(shopper, address):
    from partners.services import dispatch

    h.partner(start=time(10), end=time(14))
    taken = h.booking(start=h.next_weekday_at(10))  # 10:00-11:00, then 30 minutes of travel
    dispatch.dispatch_booking(taken.pk)
    # the job's own day, not the clock's day after tomorrow (which midnight may have moved since)
    assert prepare(shopper, address, h.service(), day=taken.booking_date)["available_time_slots"] == [
        "11:30 AM",
        "12:00 PM",
        "12:30 PM",
        "01:00 PM",
    ]


def test_a_confirmed_cash_booking_is_offered_to_a_partner_after_commit(
    shopper, address, celery_eager, django_capture_on_commit_callbacks
):
    partner = h.partner()
    service = h.service()
    preview = prepare(shopper, address, service)
    with django_capture_on_commit_callbacks() as callbacks:  # kept, not run: the transaction has not committed
        response = confirm(shopper, preview, address, preview["available_time_slots"][0])
    assert response.status_code == 201, response.json()
    booking = Booking.objects.get(pk=response.json()["data"]["booking"]["id"])
    held = PartnerAssignment.objects.get(booking=booking)  # issue #23: the partner's time is held, not offered
    assert (held.partner, held.status, held.expires_at) == (partner, AssignmentStatus.HELD, None)
    assert client_for(shopper).get(f"/api/v1/bookings/{booking.pk}").json()["data"]["partner"] is None

    dispatching = []
    for callback in callbacks:  # commit: each on-commit callback runs (Celery eager runs a queued task at once)
        before = PartnerAssignment.objects.get(booking=booking).status
        callback()
        if PartnerAssignment.objects.get(booking=booking).status != before:
            dispatching.append(callback)
    assert len(dispatching) == 1  # one callback, and only after commit, queues the dispatch that makes the offer
    offer = PartnerAssignment.objects.get(booking=booking)
    assert (offer.pk, offer.partner, offer.status) == (held.pk, partner, AssignmentStatus.ASSIGNED)  # the hold
    assert offer.expires_at is not None
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PARTNER_ASSIGNED
    detail = client_for(shopper).get(f"/api/v1/bookings/{booking.pk}").json()["data"]
    assert detail["partner"]["partner_code"] == partner.partner_code
    assert detail["partner"]["phone_number"] is None  # shared once the partner accepts


def test_confirm_refuses_a_slot_no_partner_can_take_any_more(shopper, address):
    from partners.services import dispatch

    h.partner(start=time(10), end=time(12))
    preview = prepare(shopper, address, h.service())
    day = date.fromisoformat(preview["booking_date"])  # the preview's day, whatever the clock says now
    start = datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone())
    dispatch.dispatch_booking(h.booking(start=start).pk)  # someone else takes the partner first
    response = confirm(shopper, preview, address, "10:00 AM")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "SLOT_UNAVAILABLE"


def test_an_online_booking_is_dispatched_when_its_payment_is_captured(
    shopper, address, celery_eager, django_capture_on_commit_callbacks
):
    partner = h.partner()
    preview = prepare(shopper, address, h.service())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # committed, with what it queued run
        response = confirm(shopper, preview, address, preview["available_time_slots"][0], method="online")
    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    booking = Booking.objects.get(pk=data["booking"]["id"])
    # not before it is paid: no dispatch was queued, nothing offered the job; the partner's time is held (#23)
    assert [c for c in callbacks if c.__qualname__.startswith(request_dispatch.__name__)] == []
    held = PartnerAssignment.objects.get(booking=booking)
    assert (held.partner, held.status) == (partner, AssignmentStatus.HELD)
    assert not Dispatch.objects.filter(booking=booking).exists()
    booking.refresh_from_db()
    assert (booking.status, booking.payment_status) == (BookingStatus.PENDING, "pending")
    order_id = data["payment"]["razorpay_order_id"]
    paid = get_gateway().simulate_checkout(order_id, succeed=True)
    paid.pop("status")
    with django_capture_on_commit_callbacks(execute=True):
        verified = client_for(shopper).post("/api/v1/payments/verify", paid, format="json")
    assert verified.status_code == 200, verified.json()
    offer = PartnerAssignment.objects.get(booking=booking)
    assert (offer.pk, offer.partner, offer.status) == (held.pk, partner, AssignmentStatus.ASSIGNED)
    booking.refresh_from_db()
    assert (booking.payment_status, booking.status) == ("paid", BookingStatus.PARTNER_ASSIGNED)


def test_before_an_address_is_chosen_any_qualified_partner_opens_slots(shopper):
    h.partner(at=h.FAR, start=time(10), end=time(11))
    body = {"service_ids": [str(h.service().pk)], "booking_date": day_after_tomorrow().isoformat()}
    preview = client_for(shopper).post("/api/v1/checkout/prepare", body, format="json").json()["data"]
    assert preview["available_time_slots"] == ["10:00 AM"]
