"""Seed 000's partner object on a customer's booking: ``phone`` and ``status`` beside our ``phone_number`` and
``assignment_status`` (clients use both)."""

import pytest

from tests.conftest import client_for
from tests.partners import helpers as h
from tests.partners.test_checkout_dispatch import address, confirm, prepare, shopper  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_partner_object_has_the_seeds_phone_and_status_keys(
    shopper,  # noqa: F811
    address,  # noqa: F811
    celery_eager,
    django_capture_on_commit_callbacks,
):
    partner = h.partner()
    preview = prepare(shopper, address, h.service())
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = confirm(shopper, preview, address, preview["available_time_slots"][0])
    booking_id = confirmed.json()["data"]["booking"]["id"]

    offered = client_for(shopper).get(f"/api/v1/bookings/{booking_id}").json()["data"]["partner"]
    accepted = client_for(partner.user).post(f"/api/v1/partner/bookings/{booking_id}/accept")
    assert accepted.status_code == 200, accepted.json()
    detail = client_for(shopper).get(f"/api/v1/bookings/{booking_id}").json()["data"]["partner"]
    listed = client_for(shopper).get("/api/v1/bookings").json()["data"]["bookings"][0]["partner"]

    assert (offered["status"], offered["phone"], offered["phone_number"]) == ("assigned", None, None)
    for row in (detail, listed):
        assert (row["status"], row["assignment_status"]) == ("accepted", "accepted")
        assert row["phone"] == row["phone_number"] == partner.user.phone
