"""Coordinates as phones send them: binary doubles with more digits than a column keeps are rounded, not refused.

JavaScript and Kotlin serialise 22.5826 as 22.582600000000003; a partner app that
sends that must be able to report its location and be offered jobs. Out of range
stays a 422 naming the field (tests/partners/test_partner_api.py has the 95° case).
"""

from decimal import Decimal

import pytest

from bookings.models import Booking
from partners.models import AssignmentStatus, PartnerAssignment
from tests.accounts.helpers import assert_error
from tests.conftest import client_for
from tests.partners import helpers as h
from tests.partners.test_checkout_dispatch import address, confirm, prepare, shopper  # noqa: F401

pytestmark = pytest.mark.django_db

API = "/api/v1"
DOUBLE_LAT = 22.582600000000003
DOUBLE_LNG = 88.37500000000001


def test_a_partner_reports_a_gps_double_and_it_is_rounded_to_the_stored_precision():
    partner = h.partner(at=None)

    response = client_for(partner.user).patch(
        f"{API}/partner/availability", {"current_lat": DOUBLE_LAT, "current_lng": DOUBLE_LNG}, format="json"
    )

    assert response.status_code == 200, response.json()
    partner.refresh_from_db()
    assert (partner.current_lat, partner.current_lng) == (Decimal("22.58260000"), Decimal("88.37500000"))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"current_lat": 90.000000006, "current_lng": 88.0}, "current_lat"),
        ({"current_lat": 22.5, "current_lng": -180.5}, "current_lng"),
        ({"current_lat": 1e300, "current_lng": 88.0}, "current_lat"),
        ({"current_lat": "not a number", "current_lng": 88.0}, "current_lat"),
    ],
)
def test_a_coordinate_out_of_range_or_not_a_number_is_still_refused(body, field):
    partner = h.partner()

    response = client_for(partner.user).patch(f"{API}/partner/availability", body, format="json")

    assert_error(response, 422, "VALIDATION_ERROR", field)
    partner.refresh_from_db()
    assert partner.current_lat == h.NEAR[0]


def test_a_value_that_rounds_onto_the_pole_is_in_range():
    partner = h.partner()

    response = client_for(partner.user).patch(
        f"{API}/partner/availability", {"current_lat": 89.999999996, "current_lng": -179.999999999}, format="json"
    )

    assert response.status_code == 200, response.json()
    partner.refresh_from_db()
    assert (partner.current_lat, partner.current_lng) == (Decimal("90.00000000"), Decimal("-180.00000000"))


def test_an_address_saved_with_gps_doubles_is_rounded(shopper):  # noqa: F811
    body = {
        "name": "Home",
        "address_line1": "Sector V",
        "city": "Kolkata",
        "state": "West Bengal",
        "pincode": h.PINCODE,
        "lat": DOUBLE_LAT,
        "lng": DOUBLE_LNG,
    }

    response = client_for(shopper).post(f"{API}/users/addresses", body, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    saved = data.get("address", data)
    assert (saved["lat"], saved["lng"]) == (22.5826, 88.375)


def test_vendor_search_takes_gps_doubles(shopper):  # noqa: F811
    h.partner(pincodes=(h.PINCODE,))

    response = client_for(shopper).get(
        f"{API}/vendor-search", {"pincode": h.PINCODE, "lat": DOUBLE_LAT, "lng": DOUBLE_LNG}
    )

    assert response.status_code == 200, response.json()
    (vendor,) = response.json()["data"]["vendors"]
    assert vendor["distance_km"] is not None


def test_a_partner_who_reports_a_gps_double_is_offered_the_booking(
    shopper,  # noqa: F811
    address,  # noqa: F811
    celery_eager,
    django_capture_on_commit_callbacks,
):
    partner = h.partner(at=None)
    located = client_for(partner.user).patch(
        f"{API}/partner/availability", {"current_lat": DOUBLE_LAT, "current_lng": DOUBLE_LNG}, format="json"
    )
    assert located.status_code == 200, located.json()

    preview = prepare(shopper, address, h.service())
    assert preview["available_time_slots"], "a partner located by a GPS double opens slots"
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(shopper, preview, address, preview["available_time_slots"][0])

    assert response.status_code == 201, response.json()
    booking = Booking.objects.get(pk=response.json()["data"]["booking"]["id"])
    offer = PartnerAssignment.objects.get(booking=booking)
    assert (offer.partner, offer.status) == (partner, AssignmentStatus.ASSIGNED)
