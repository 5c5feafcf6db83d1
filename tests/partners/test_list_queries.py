"""List endpoints of partners that the other files do not count: the internal queue and a partner's earnings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.services import dispatch, jobs
from tests.conftest import client_for
from tests.partners import helpers as h

pytestmark = pytest.mark.django_db


def queries(client, path, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, **headers)
    assert response.status_code == 200, response.json()
    return len(ctx.captured_queries), response.json()["data"]


def test_the_assignment_queue_costs_the_same_for_2_or_8_bookings(settings, api_client):
    settings.INTERNAL_API_TOKEN = "svc-token"
    auth = {"HTTP_AUTHORIZATION": "Bearer svc-token"}
    for hour in range(2):
        dispatch.dispatch_booking(h.booking(start=h.next_weekday_at(9 + hour)).pk)  # nobody: manual queue
    few, data = queries(api_client, "/api/v1/internal/assignments/queue", **auth)
    assert len(data["pending_assignments"]) == 2
    for hour in range(6):
        dispatch.dispatch_booking(h.booking(start=h.next_weekday_at(12 + hour)).pk)
    many, data = queries(api_client, "/api/v1/internal/assignments/queue", **auth)
    assert len(data["pending_assignments"]) == 8
    assert data["pending_assignments"][0]["service_categories"] == ["Facial"]
    assert many == few


def _earn(partner, hour):
    booking = h.booking(start=h.next_weekday_at(hour), method="online", paid=True)
    dispatch.dispatch_booking(booking.pk)
    dispatch.offer_accept(partner=partner, booking_id=booking.pk)
    jobs.job_advance(partner=partner, booking_id=booking.pk, status="in_transit")
    jobs.job_advance(partner=partner, booking_id=booking.pk, status="arrived")
    jobs.job_complete(partner=partner, booking_id=booking.pk)


def test_a_partners_earnings_cost_the_same_for_2_or_6_rows():
    partner = h.partner()
    client = client_for(partner.user)
    for hour in (8, 10):
        _earn(partner, hour)
    few, data = queries(client, "/api/v1/partner/earnings")
    assert len(data["earnings"]) == 2
    for hour in (12, 14, 16, 18):
        _earn(partner, hour)
    many, data = queries(client, "/api/v1/partner/earnings")
    assert len(data["earnings"]) == 6
    assert data["total_earnings"] == 4200.0
    assert many == few
