"""SC3 (issue #20, seed 002): once checkout holds a partner's time, the booking keeps its scheduling estimates."""

from __future__ import annotations

import pytest

from bookings.models import Booking
from partners import travel
from partners.models import PartnerAvailability
from tests.conftest import make_user
from tests.partners import helpers as h
from tests.partners.test_checkout_dispatch import confirm, home_of, prepare

pytestmark = pytest.mark.django_db


def book(slot: str) -> Booking:
    user = make_user()
    address = home_of(user)
    response = confirm(user, prepare(user, address, h.service()), address, slot)
    assert response.status_code == 201, response.json()
    return Booking.objects.get(pk=response.json()["data"]["booking"]["id"])


def test_the_hold_stores_duration_buffers_and_travel():
    partner = h.partner()  # waits at NEAR, no base pincode: travel counts from there
    PartnerAvailability.objects.filter(partner=partner).update(preferred_buffer_minutes=20)
    first = book("10:00 AM")
    where = travel.centroid(h.PINCODE)
    assert where is not None
    from_base = travel.trip_minutes(travel.distance_km((float(h.NEAR[0]), float(h.NEAR[1])), where), 10)
    assert (
        first.estimated_duration_minutes,
        first.buffer_before_minutes,
        first.buffer_after_minutes,
        first.travel_time_to_minutes,
    ) == (60, 20, 20, from_base)
    assert from_base > 0
    second = book("12:00 PM")  # after the first job, at the same pincode: no travel
    assert (second.estimated_duration_minutes, second.buffer_before_minutes, second.travel_time_to_minutes) == (
        60,
        20,
        0,
    )


def test_an_unknown_place_leaves_travel_empty():
    partner = h.partner(at=None, pincodes=(h.PINCODE,))  # no location and no base pincode
    PartnerAvailability.objects.filter(partner=partner).update(preferred_buffer_minutes=5)
    booking = book("10:00 AM")
    assert (booking.buffer_before_minutes, booking.travel_time_to_minutes) == (5, None)
