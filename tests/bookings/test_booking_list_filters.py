"""Seed 002's GET /bookings filters (issue #20): scheduled_date (one day) and pincode (the address it was booked at)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.accounts.helpers import assert_error
from tests.conftest import client_for
from tests.partners import helpers as h

pytestmark = pytest.mark.django_db


def test_scheduled_date_and_pincode_pick_the_bookings():
    first = h.booking(start=h.next_weekday_at(10), pincode="700091")
    customer = first.user
    other_day = h.booking(customer, start=h.next_weekday_at(10) + timedelta(days=1), pincode="700091")
    elsewhere = h.booking(customer, start=h.next_weekday_at(12), pincode="700019")
    client = client_for(customer)

    def ids(query: str) -> set[str]:
        response = client.get(f"/api/v1/bookings?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["data"]["bookings"]}

    day = first.booking_date.isoformat()
    assert ids(f"scheduled_date={day}") == {str(first.pk), str(elsewhere.pk)}
    assert ids(f"scheduledDate={day}&pincode=700091") == {str(first.pk)}
    assert ids("pincode=700091") == {str(first.pk), str(other_day.pk)}
    assert ids("pincode=700019") == {str(elsewhere.pk)}
    assert_error(client.get("/api/v1/bookings?pincode=7000"), 422, "VALIDATION_ERROR", "pincode")
    assert_error(client.get("/api/v1/bookings?scheduled_date=soon"), 422, "VALIDATION_ERROR", "scheduled_date")
