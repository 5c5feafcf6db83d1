"""The staff bookings list and a user's detail build their booking rows a page at a time (``booking_rows``): the
runtime settings the cancellation policy reads come once a page, not once a row, and the queries stay fixed."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from adminpanel.selectors.bookings import staff_bookings
from bookings.serializers import booking_row
from core import system_settings
from tests.adminpanel.helpers import paid_booking, query_counts, staff
from tests.conftest import client_for, make_user
from tests.factories import PartnerAssignmentFactory
from tests.partners import helpers as partners

pytestmark = pytest.mark.django_db


def _settings_reads(monkeypatch) -> list[int]:
    reads: list[int] = []
    stored = system_settings._stored
    monkeypatch.setattr(system_settings, "_stored", lambda: reads.append(1) or stored())
    return reads


def _customer_with(size: int):
    customer = make_user(Role.CUSTOMER)
    bookings = [
        paid_booking(customer, start=partners.next_weekday_at(8 + n, days_ahead=2 + n), status="confirmed")
        for n in range(size)
    ]
    PartnerAssignmentFactory(booking=bookings[0], accepted=True)
    return customer, bookings


def test_the_staff_bookings_list_reads_the_settings_once_a_page_and_shows_the_same_rows(monkeypatch):
    _, client = staff(Role.SUPER_ADMIN)
    _customer_with(6)
    system_settings.all_values()  # cached, as in the back office's query counts
    reads = _settings_reads(monkeypatch)

    one = query_counts(client, ["/api/v1/admin/bookings?limit=1"])
    one_reads = len(reads)
    reads.clear()
    six = query_counts(client, ["/api/v1/admin/bookings?limit=6"])

    assert len(reads) == one_reads == 1
    assert list(one.values()) == list(six.values())
    rows = client.get("/api/v1/admin/bookings?limit=6").json()["data"]["bookings"]
    listed = {str(booking.pk): booking for booking in staff_bookings({})}
    for row in rows:
        booking = listed[row["id"]]
        expected = {
            **booking_row(booking),
            "source": booking.source,
            "customer": {"id": str(booking.user_id), "name": booking.user.full_name, "phone": booking.user.phone},
            "created_at": booking.created_at.isoformat(),
        }
        assert row == expected
    assert sum(row["partner"] is not None for row in rows) == 1


def test_a_users_detail_reads_the_settings_once_for_its_recent_bookings(monkeypatch):
    _, client = staff(Role.SUPER_ADMIN)
    small, _ = _customer_with(1)
    large, _ = _customer_with(5)
    system_settings.all_values()
    reads = _settings_reads(monkeypatch)

    few = query_counts(client, [f"/api/v1/admin/users/{small.pk}"])
    few_reads = len(reads)
    reads.clear()
    many = query_counts(client, [f"/api/v1/admin/users/{large.pk}"])

    assert len(reads) == few_reads == 1
    assert list(few.values()) == list(many.values())
    assert len(client.get(f"/api/v1/admin/users/{large.pk}").json()["data"]["bookings"]) == 5


def test_the_customer_dashboard_reads_the_settings_once_for_its_recent_bookings(monkeypatch):
    customer, _ = _customer_with(5)
    client = client_for(customer)
    system_settings.all_values()
    reads = _settings_reads(monkeypatch)

    response = client.get("/api/v1/dashboard")

    assert response.status_code == 200, response.content
    assert len(response.json()["data"]["recent_bookings"]) == 5
    assert len(reads) == 1
