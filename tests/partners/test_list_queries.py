"""Endpoints of partners that the other files do not count, each measured at two sizes: the internal queue, a
partner's earnings and payouts, the staff's partner page with its jobs and earnings, and the seed 002 vendor reads."""

from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from partners.services import dispatch, jobs, payouts
from partners.services.availability import availability_set_day
from tests.adminpanel.helpers import query_counts
from tests.conftest import client_for, make_user
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


# --- the staff's partner page, the partner's payouts and the seed 002 vendor reads, at two sizes -----------------


def test_a_partners_detail_jobs_and_earnings_for_staff_cost_the_same_for_1_or_5_jobs():
    partner = h.partner()
    staff = client_for(make_user(Role.ADMIN))
    paths = [
        f"/api/v1/admin/partners/{partner.pk}",  # the partner with user and categories, then the earnings totals
        f"/api/v1/admin/partners/{partner.pk}/bookings",  # the partner, then one page of jobs with their bookings
        f"/api/v1/admin/partners/{partner.pk}/earnings",  # the partner, then one page of earnings and the totals
    ]
    _earn(partner, 8)
    few = query_counts(staff, paths)
    for hour in (10, 12, 14, 16):
        _earn(partner, hour)
    partner.categories.add(h.category("WAXING"), h.category("MASSAGE"))  # as staff would

    many = query_counts(staff, paths)

    assert many == few
    assert len(staff.get(paths[1]).json()["data"]["bookings"]) == 5
    assert len(staff.get(paths[2]).json()["data"]["earnings"]) == 5
    detail = staff.get(paths[0]).json()["data"]
    assert detail["bookings"]["completed"] == 5
    assert len(detail["partner"]["service_categories"]) == 3


def test_a_partners_payouts_cost_the_same_for_1_or_4_payouts():
    partner = h.partner()
    client = client_for(partner.user)

    def pay(*hours):
        for hour in hours:
            _earn(partner, hour)
            payouts.payout_create(partner_id=partner.pk)  # one payout per earning

    pay(8)
    few = query_counts(client, ["/api/v1/partner/payouts"])
    pay(10, 12, 14)

    many = query_counts(client, ["/api/v1/partner/payouts"])

    assert many == few
    assert client.get("/api/v1/partner/payouts").json()["data"]["pagination"]["total"] == 4


def _apply(category_name: str) -> None:
    applicant = client_for(make_user(Role.CUSTOMER))
    body = {
        "full_name": "Asha Applicant",
        "primary_service_category": category_name,
        "service_categories": [category_name],
        "documents": {"aadhar": "https://x.test/a.pdf"},
    }
    response = applicant.post("/api/v1/vendor-applications", body, format="json")
    assert response.status_code == 201, response.json()


def test_vendor_applications_cost_the_same_for_1_or_5_applications():
    name = h.category("FACIAL").name
    manager = client_for(make_user(Role.ONBOARD_MANAGER))
    _apply(name)
    few = query_counts(manager, ["/api/v1/vendor-applications"])
    for _ in range(4):
        _apply(name)

    many = query_counts(manager, ["/api/v1/vendor-applications"])

    assert many == few
    assert manager.get("/api/v1/vendor-applications").json()["data"]["count"] == 5


def test_vendor_search_costs_the_same_for_1_or_5_partners_for_staff_and_customers():
    service = h.service()
    staff = client_for(make_user(Role.ADMIN))  # sees contact details
    customer = client_for(make_user(Role.CUSTOMER))
    near = f"lat={h.HOME[0]}&lng={h.HOME[1]}"
    paths = [
        f"/api/v1/vendor-search?pincode={h.PINCODE}",
        f"/api/v1/vendor-search?pincode={h.PINCODE}&service_id={service.pk}&{near}",
    ]
    h.partner(pincodes=[h.PINCODE])
    few = {who: query_counts(client, paths) for who, client in (("staff", staff), ("customer", customer))}
    for _ in range(4):
        h.partner(pincodes=[h.PINCODE], categories=("FACIAL", "WAXING"))

    many = {who: query_counts(client, paths) for who, client in (("staff", staff), ("customer", customer))}

    assert many == few
    assert staff.get(paths[1]).json()["data"]["total_vendors"] == 5


def test_a_partners_availability_costs_the_same_for_1_or_7_days():
    partner = h.partner(days=[1])
    client = client_for(partner.user)
    few = query_counts(client, ["/api/v1/vendor-availability"])
    for day in range(2, 8):
        availability_set_day(
            partner=partner,
            data={
                "day_of_week": day,
                "start_time": time(9),
                "end_time": time(18),
                "service_area_pincodes": [h.PINCODE],
            },
        )

    many = query_counts(client, ["/api/v1/vendor-availability"])

    assert many == few
    assert client.get("/api/v1/vendor-availability").json()["data"]["count"] == 7
