"""GET /bookings reads its page and the total in one query (issue #21) and the policy's settings once per page."""

from __future__ import annotations

import pytest

from bookings.models import BookingStatus
from bookings.selectors import booking_of
from bookings.serializers import booking_row
from core import system_settings
from tests.bookings.factories import make_booking
from tests.conftest import client_for, make_user
from tests.factories import BookingFactory, PartnerAssignmentFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def _page(client, query: str) -> tuple[list[str], dict]:
    response = client.get(f"/api/v1/bookings?{query}")
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    return [row["id"] for row in data["bookings"]], data["pagination"]


def test_the_total_is_the_same_on_every_page_past_the_end_and_with_a_filter():
    customer = make_user()
    bookings = [make_booking(customer) for _ in range(5)]
    bookings[0].status = BookingStatus.CANCELLED
    bookings[0].save(update_fields=["status"])
    make_booking(make_user())  # another customer's is never counted
    client = client_for(customer)

    first, first_pages = _page(client, "limit=2")
    second, _ = _page(client, "limit=2&page=2")
    third, third_pages = _page(client, "limit=2&page=3")
    past, past_pages = _page(client, "limit=2&page=9")
    cancelled, cancelled_pages = _page(client, "status=cancelled&limit=2&page=2")

    assert len(first) == len(second) == 2
    assert len(third) == 1
    assert set(first + second + third) == {str(b.pk) for b in bookings}
    assert first_pages == {"page": 1, "limit": 2, "total": 5, "total_pages": 3}
    assert third_pages["total"] == 5
    assert past == []
    assert past_pages == {"page": 9, "limit": 2, "total": 5, "total_pages": 3}
    assert cancelled == []
    assert cancelled_pages["total"] == 1
    assert _page(client_for(make_user()), "limit=2") == ([], {"page": 1, "limit": 2, "total": 0, "total_pages": 0})


def test_the_runtime_settings_are_read_once_per_page_not_per_row(monkeypatch):
    customer = make_user()
    for _ in range(6):
        make_booking(customer)
    client = client_for(customer)
    reads: list[int] = []
    stored = system_settings._stored
    monkeypatch.setattr(system_settings, "_stored", lambda: reads.append(1) or stored())

    _page(client, "limit=1")
    one = len(reads)
    reads.clear()
    _page(client, "limit=6")

    assert len(reads) == one


def test_a_listed_row_is_the_row_built_from_the_booking_with_its_services_and_partner():
    customer = make_user()
    services = [ServiceFactory(), ServiceFactory(), ServiceFactory()]
    with_partner = BookingFactory(user=customer, services=services)
    PartnerAssignmentFactory(booking=with_partner, accepted=True)
    plain = BookingFactory(user=customer, services=services[:1])
    client = client_for(customer)

    listed = {row["id"]: row for row in client.get("/api/v1/bookings").json()["data"]["bookings"]}

    for booking in (with_partner, plain):
        expected = booking_row(booking_of(customer, booking.pk))
        assert listed[str(booking.pk)] == expected
    assert [s["name"] for s in listed[str(with_partner.pk)]["services"]] == [s.name for s in services]
    assert listed[str(with_partner.pk)]["partner"]["assignment_status"] == "accepted"
