"""Seed 002's ``PATCH /bookings/{id}`` ``{vendor_notes, status}`` (issue #20): the partner working the booking writes
its notes, the customer theirs (or cancels), status moves only where its service is; strangers get 404."""

from __future__ import annotations

import uuid

import pytest

from accounts.roles import Role
from bookings.models import Booking, BookingEvent, BookingStatus
from partners.services import dispatch, jobs
from tests.accounts.helpers import assert_error
from tests.conftest import client_for, make_user
from tests.partners import helpers as h

pytestmark = pytest.mark.django_db


def url(booking) -> str:
    return f"/api/v1/bookings/{booking.pk}"


@pytest.fixture
def job():
    """A cash booking accepted by its partner: (booking, partner)."""
    partner = h.partner()
    booking = h.booking(start=h.next_weekday_at(10))
    dispatch.dispatch_booking(booking.pk)
    dispatch.offer_accept(partner=partner, booking_id=booking.pk)
    booking.refresh_from_db()
    return booking, partner


def patch(user, booking, body):
    return client_for(user).patch(url(booking), body, format="json")


def test_the_partner_writes_vendor_notes_and_the_customer_reads_them(job):
    booking, partner = job

    response = patch(partner.user, booking, {"vendor_notes": "Will arrive 10 minutes early", "status": booking.status})

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["vendor_notes"] == "Will arrive 10 minutes early"
    assert (data["id"], data["status"]) == (str(booking.pk), booking.status)
    assert Booking.objects.get(pk=booking.pk).vendor_notes == "Will arrive 10 minutes early"
    assert BookingEvent.objects.filter(booking=booking, action="vendor_notes_updated").count() == 1
    customer = client_for(booking.user)
    assert customer.get(url(booking)).json()["data"]["vendor_notes"] == "Will arrive 10 minutes early"
    rows = customer.get("/api/v1/bookings").json()["data"]["bookings"]
    assert rows[0]["vendor_notes"] == "Will arrive 10 minutes early"


def test_the_customer_writes_their_notes(job):
    booking, _ = job

    response = patch(booking.user, booking, {"customerNotes": "Gate code 1234"})

    assert response.status_code == 200, response.content
    assert response.json()["data"]["customer_notes"] == "Gate code 1234"


def test_the_customer_may_not_write_vendor_notes_nor_the_partner_customer_notes(job):
    booking, partner = job

    assert_error(patch(booking.user, booking, {"vendor_notes": "x"}), 403, "FORBIDDEN", "vendor_notes")
    assert_error(patch(partner.user, booking, {"customer_notes": "x"}), 403, "FORBIDDEN", "customer_notes")
    booking.refresh_from_db()
    assert (booking.vendor_notes, booking.customer_notes) == ("", "")


def test_staff_who_read_it_are_403_and_strangers_404(job):
    booking, _ = job
    support = make_user(Role.SUPPORT)
    other_partner = h.partner()

    assert_error(patch(support, booking, {"vendor_notes": "x"}), 403, "FORBIDDEN", "vendor_notes")
    assert_error(patch(make_user(), booking, {"vendor_notes": "x"}), 404, "BOOKING_NOT_FOUND")
    assert_error(patch(other_partner.user, booking, {"vendor_notes": "x"}), 404, "BOOKING_NOT_FOUND")
    assert_error(
        client_for(booking.user).patch(f"/api/v1/bookings/{uuid.uuid4()}", {"customer_notes": "x"}, format="json"),
        404,
        "BOOKING_NOT_FOUND",
    )


def test_a_partner_moving_the_status_is_sent_to_the_job_steps(job):
    booking, partner = job

    error = assert_error(patch(partner.user, booking, {"status": "in_progress"}), 422, "VALIDATION_ERROR", "status")

    assert error["details"]["context"]["use"].endswith(f"/partner/bookings/{booking.pk}/status")
    booking.refresh_from_db()
    assert booking.status != BookingStatus.IN_PROGRESS
    jobs.job_advance(partner=partner, booking_id=booking.pk, status="in_transit")
    jobs.job_advance(partner=partner, booking_id=booking.pk, status="arrived")
    echoed = patch(partner.user, booking, {"vendor_notes": "Started", "status": "in_progress"})
    assert echoed.status_code == 200, echoed.content  # the seed's body once the job is under way
    assert echoed.json()["data"]["status"] == BookingStatus.IN_PROGRESS


def test_the_customer_cancels_with_status_cancelled_alone(job):
    booking, _ = job

    mixed = patch(booking.user, booking, {"status": "cancelled", "customer_notes": "bye"})
    assert_error(mixed, 422, "VALIDATION_ERROR", "status")
    assert_error(patch(booking.user, booking, {"status": "completed"}), 422, "VALIDATION_ERROR", "status")

    response = patch(booking.user, booking, {"status": "cancelled"})

    assert response.status_code == 200, response.content
    assert response.json()["data"]["status"] == BookingStatus.CANCELLED
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "flying"}, "status"),
        ({"vendor_notes": "x" * 2001}, "vendor_notes"),
        ({"customer_notes": "x" * 2001}, "customer_notes"),
    ],
)
def test_bad_input_is_422_naming_the_field(job, body, field):
    booking, partner = job

    assert_error(patch(partner.user, booking, body), 422, "VALIDATION_ERROR", field)


def test_an_empty_body_is_400_naming_vendor_notes(job):
    booking, partner = job

    assert_error(patch(partner.user, booking, {}), 400, "INVALID_REQUEST", "vendor_notes")  # required, as everywhere


def test_a_closed_booking_keeps_its_notes(job):
    booking, partner = job
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)
    jobs_done = patch(partner.user, booking, {"vendor_notes": "late note"})

    assert_error(jobs_done, 422, "INVALID_BOOKING_STATUS", "vendor_notes")


def test_anonymous_is_401(api_client, job):
    booking, _ = job
    assert api_client.patch(url(booking), {"vendor_notes": "x"}, format="json").status_code == 401
