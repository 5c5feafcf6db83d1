"""What partners and customers see of each other (issue 14 item 7): a partner sees the customer only while the job is
theirs, their list leaves out offers they never took, and the vendor search keeps partners' contact details for
staff."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from bookings.models import Booking
from bookings.services.lifecycle import booking_cancel
from partners.models import AssignmentStatus, PartnerAssignment
from partners.services import dispatch
from tests.conftest import client_for, make_user
from tests.partners import helpers as h

pytestmark = pytest.mark.django_db

API = "/api/v1"
STREET = "14 Lake Road, Flat 3B"
NOTES = "Gate code 4471, ask for Mrs Sen"
AREA = {"city": "Kolkata", "state": "West Bengal", "pincode": h.PINCODE}


def ok(response, status: int = 200):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["success"] is True, body
    return body["data"]


def home_booking(customer=None, hour: int = 10, days_ahead: int = 2) -> Booking:
    """A booking with a full address and notes, as checkout writes them."""
    booking = h.booking(customer, start=h.next_weekday_at(hour, days_ahead=days_ahead))
    snapshot = {
        **booking.address_snapshot,
        "id": "5b0f6a44-8f55-4c1c-9b43-2f3f0a9a1d11",
        "name": "Home",
        "address_line1": STREET,
        "address_line2": "Near the park",
        "state": "West Bengal",
    }
    Booking.objects.filter(pk=booking.pk).update(address_snapshot=snapshot, customer_notes=NOTES)
    booking.refresh_from_db()
    return booking


def offer_to(partner, booking) -> PartnerAssignment:
    offer = dispatch.dispatch_booking(booking.pk)
    assert offer is not None
    assert offer.partner_id == partner.pk
    return offer


def my_jobs(client, **params) -> list[dict]:
    return ok(client.get(f"{API}/partner/bookings", params))["bookings"]


def row_of(rows: list[dict], booking: Booking) -> dict:
    (row,) = [row for row in rows if row["id"] == str(booking.pk)]
    return row


def assert_no_customer_details(row: dict, text: str, customer) -> None:
    assert row["customer"] is None
    assert row["address"] == AREA
    assert row["customer_notes"] is None
    for secret in (STREET, NOTES, customer.phone, customer.full_name):
        assert secret not in text


# --- the partner's list ----------------------------------------------------------------------------


def test_the_partners_list_leaves_out_offers_they_rejected_or_let_expire():
    partner = h.partner()
    client = client_for(partner.user)
    rejected, expired, open_offer, taken = (home_booking(hour=hour) for hour in (9, 11, 13, 15))
    offer_to(partner, rejected)
    dispatch.offer_reject(partner=partner, booking_id=rejected.pk, reason="too far")
    lapsed = offer_to(partner, expired)
    PartnerAssignment.objects.filter(pk=lapsed.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert dispatch.offer_expire(lapsed.pk)
    offer_to(partner, open_offer)
    offer_to(partner, taken)
    dispatch.offer_accept(partner=partner, booking_id=taken.pk)

    rows = my_jobs(client)

    assert [(row["id"], row["assignment"]["status"]) for row in rows] == [
        (str(taken.pk), AssignmentStatus.ACCEPTED),
        (str(open_offer.pk), AssignmentStatus.ASSIGNED),
    ]
    assert my_jobs(client, status="rejected") == []
    assert my_jobs(client, status="expired") == []


def test_staff_still_see_every_offer_of_a_partner_with_the_customer():
    partner = h.partner()
    customer = make_user(Role.CUSTOMER)
    booking = home_booking(customer)
    offer_to(partner, booking)
    dispatch.offer_reject(partner=partner, booking_id=booking.pk)
    admin = client_for(make_user(Role.ADMIN))

    rows = ok(admin.get(f"{API}/admin/partners/{partner.pk}/bookings"))["bookings"]

    assert [(row["id"], row["assignment"]["status"]) for row in rows] == [(str(booking.pk), "rejected")]
    assert rows[0]["customer"] == {"name": customer.full_name, "phone": customer.phone}
    assert rows[0]["address"]["address_line1"] == STREET


# --- what a row shows, step by step ---------------------------------------------------------------


def test_an_open_offer_shows_the_address_to_decide_on_but_not_who_the_customer_is():
    partner = h.partner()
    booking = home_booking()
    offer_to(partner, booking)

    row = row_of(my_jobs(client_for(partner.user)), booking)

    assert row["customer"] is None
    assert row["address"]["address_line1"] == STREET
    assert row["customer_notes"] == NOTES


def test_the_customer_shows_while_the_job_is_the_partners_and_only_the_area_once_it_is_done(
    django_capture_on_commit_callbacks,
):
    partner = h.partner()
    customer = make_user(Role.CUSTOMER)
    booking = home_booking(customer)
    offer_to(partner, booking)
    client = client_for(partner.user)
    ok(client.post(f"{API}/partner/bookings/{booking.pk}/accept"))

    for step in ("accepted", "in_transit", "arrived"):
        if step != "accepted":
            ok(client.patch(f"{API}/partner/bookings/{booking.pk}/status", {"status": step}, format="json"))
        row = row_of(my_jobs(client), booking)
        assert row["assignment"]["status"] == step
        assert row["customer"] == {"name": customer.full_name, "phone": customer.phone}
        assert row["address"]["address_line1"] == STREET
        assert row["customer_notes"] == NOTES

    with django_capture_on_commit_callbacks(execute=True):
        done = ok(client.post(f"{API}/partner/bookings/{booking.pk}/complete", {}, format="json"))
    assert done["earning"]["amount"] == 700.0
    assert_no_customer_details(done["booking"], str(done), customer)

    response = client.get(f"{API}/partner/bookings", {"status": "completed"})
    (row,) = ok(response)["bookings"]
    assert (row["booking_number"], row["grand_total"], row["assignment"]["partner_earning"]) == (
        booking.booking_number,
        1180.0,
        700.0,
    )  # what the earnings history needs stays
    assert [item["name"] for item in row["services"]] == ["Facial Minimal"]
    assert_no_customer_details(row, response.content.decode(), customer)


def test_a_rejected_offer_answers_without_the_address():
    partner = h.partner()
    customer = make_user(Role.CUSTOMER)
    booking = home_booking(customer)
    offer_to(partner, booking)

    response = client_for(partner.user).post(
        f"{API}/partner/bookings/{booking.pk}/reject", {"reason": "busy"}, format="json"
    )

    data = ok(response)
    assert data["status"] == "rejected"
    assert_no_customer_details(data["booking"], response.content.decode(), customer)


def test_a_cancelled_job_stays_in_the_list_without_the_customer():
    partner = h.partner()
    customer = make_user(Role.CUSTOMER)
    booking = home_booking(customer)
    offer_to(partner, booking)
    dispatch.offer_accept(partner=partner, booking_id=booking.pk)
    booking_cancel(user=customer, booking_id=booking.pk, reason="plans changed")

    response = client_for(partner.user).get(f"{API}/partner/bookings")

    (row,) = ok(response)["bookings"]
    assert (row["id"], row["status"], row["assignment"]["status"]) == (str(booking.pk), "cancelled", "cancelled")
    assert_no_customer_details(row, response.content.decode(), customer)


def test_the_partners_list_costs_the_same_for_few_or_many_jobs_with_declined_offers_mixed_in():
    partner = h.partner()
    client = client_for(partner.user)

    def add(first: int, last: int) -> None:  # two-hour steps, six a day; every third offer is rejected
        for i in range(first, last):
            booking = home_booking(hour=8 + 2 * (i % 6), days_ahead=2 + i // 6)
            offer_to(partner, booking)
            if i % 3 == 0:
                dispatch.offer_reject(partner=partner, booking_id=booking.pk)
            elif i % 3 == 1:
                dispatch.offer_accept(partner=partner, booking_id=booking.pk)

    add(0, 3)
    with CaptureQueriesContext(connection) as few:
        rows = my_jobs(client)
    assert len(rows) == 2  # the rejected offer is left out
    add(3, 12)
    with CaptureQueriesContext(connection) as many:
        rows = my_jobs(client)
    assert len(rows) == 8
    assert len(many) == len(few)


# --- vendor search --------------------------------------------------------------------------------


def test_customers_and_partners_get_no_contact_details_from_the_vendor_search(customer_client):
    serving = h.partner(pincodes=[h.PINCODE])
    other = h.partner(pincodes=["700001"])

    for client in (customer_client, client_for(other.user)):
        response = client.get(f"{API}/vendor-search", {"pincode": h.PINCODE})

        (vendor,) = ok(response)["vendors"]
        assert (vendor["id"], vendor["name"]) == (str(serving.pk), serving.name)
        assert (vendor["email"], vendor["phone"]) == (None, None)
        assert serving.user.phone not in response.content.decode()
        assert serving.user.email not in response.content.decode()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SUPPORT])
def test_staff_still_see_partners_contact_details_in_the_vendor_search(role):
    serving = h.partner(pincodes=[h.PINCODE])

    (vendor,) = ok(client_for(make_user(role)).get(f"{API}/vendor-search", {"pincode": h.PINCODE}))["vendors"]

    assert (vendor["email"], vendor["phone"]) == (serving.user.email, serving.user.phone)
