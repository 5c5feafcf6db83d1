"""GET /users/me/data: every app's rows about the caller, as a JSON attachment, in a fixed number of queries;
only the caller's own (another customer's export holds none of theirs)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from bookings.models import Booking
from tests.conftest import client_for, make_user
from tests.factories import PartnerFactory
from tests.privacy.helpers import EMAIL, NOTE, PHONE, history

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/api/v1/users/me/data"


def test_the_export_holds_every_app_rows_as_an_attachment():
    story = history()
    response = client_for(story.user).get(URL)

    assert response.status_code == 200, response.content
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    data = response.json()["data"]
    assert data["profile"]["email"] == EMAIL
    assert data["profile"]["phone"] == PHONE
    assert [a["address_line1"] for a in data["addresses"]] == ["12 Lake Road"]
    (booking,) = data["bookings"]
    assert booking["booking_number"] == story.booking.booking_number
    assert booking["customer_notes"] == NOTE
    assert [item["name"] for item in booking["items"]] == [i.name for i in story.booking.items.all()]
    assert [o["order_number"] for o in data["society_orders"]] == [story.order.order_number]
    assert data["society_orders"][0]["status"] == "CLOSED"
    assert {p["payable_id"] for p in data["payments"]} >= {str(story.booking.pk)}
    assert [r["comment"] for r in data["reviews"]] == ["Lovely work by Ravi"]
    assert [m["content"] for m in data["dispute_messages"]] == ["Call me on 98123 45678"]
    assert [d["title"] for d in data["disputes"]] == ["Stain left"]
    assert NOTE in [n["message"] for n in data["notifications"]]
    assert [r["unit__node_code"] for r in data["residences"]] == ["A-001"]
    assert "loyalty" in data
    assert data["appointments"] == []  # a dispatched booking is not an appointment
    assert "refunds" in data


def test_a_stranger_gets_only_their_own_export():
    story = history()
    stranger = make_user(Role.CUSTOMER, email="someone.else@example.com")

    body = client_for(stranger).get(URL).content.decode()

    assert EMAIL not in body
    assert story.booking.booking_number not in body
    assert story.order.order_number not in body
    assert json.loads(body)["data"]["bookings"] == []


def test_the_export_needs_a_sign_in(api_client):
    assert api_client.get(URL).status_code == 401


def test_the_export_takes_the_same_queries_at_two_sizes():
    small = history(bookings=1)
    large = history(bookings=4, email="big.history@example.com", phone="+919812340000")
    counts = []
    for story in (small, large):
        client = client_for(story.user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 30, counts


def test_an_appointment_with_a_chosen_provider_is_listed_as_one():
    story = history()
    specialist = PartnerFactory()
    Booking.objects.filter(pk=story.booking.pk).update(requested_partner=specialist, session_type="online")

    data = client_for(story.user).get(URL).json()["data"]

    (appointment,) = data["appointments"]
    assert appointment["booking_number"] == story.booking.booking_number
    assert appointment["requested_partner_id"] == str(specialist.pk)
