"""POST /chat/query and GET /chat/context: each intent answers from the asker's own rows, and only the asker in a
role they hold gets an answer (rule C1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from bookings.models import BookingStatus, SignatureStatus
from partners.models import AssignmentStatus, EarningStatus
from tests.accounts.helpers import assert_error
from tests.assistant import helpers as h
from tests.conftest import client_for, make_user
from tests.partners.helpers import partner

pytestmark = pytest.mark.django_db


def _data(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()["data"]


def _numbers(rows) -> set[str]:
    return {row["booking_number"] for row in rows}


# --- customers --------------------------------------------------------------------------------


def test_track_my_bookings_answers_exactly_my_bookings():
    me, other = make_user(Role.CUSTOMER), make_user(Role.CUSTOMER)
    first = h.booking(me, days=2, service="FACIAL")
    second = h.booking(me, days=3, service="CLEANING", status=BookingStatus.CONFIRMED)
    theirs = h.booking(other, days=2)

    body = _data(h.ask(me, "Track my bookings"))

    assert body["intent"] == "track_bookings"
    assert _numbers(body["data"]["bookings"]) == {first.booking_number, second.booking_number}
    assert first.booking_number in body["response"]
    assert second.booking_number in body["response"]
    assert theirs.booking_number not in body["response"]
    assert "Cleaning Minimal - Confirmed" in body["response"]
    assert "Scheduled for: " + h.at(3).strftime("%Y-%m-%d %H:%M") in body["response"]
    row = next(r for r in body["data"]["bookings"] if r["booking_number"] == second.booking_number)
    assert (row["services"], row["status"]) == (["Cleaning Minimal"], "confirmed")


def test_my_next_booking_is_the_nearest_upcoming_one():
    me = make_user(Role.CUSTOMER)
    h.booking(me, days=5)
    nearest = h.booking(me, days=1)
    h.booking(me, days=-3, status=BookingStatus.COMPLETED)

    body = _data(h.ask(me, "When is my next booking?"))

    assert body["intent"] == "next_booking"
    assert _numbers(body["data"]["bookings"]) == {nearest.booking_number}


def test_cancel_help_lists_the_bookings_i_can_still_cancel():
    me = make_user(Role.CUSTOMER)
    open_one = h.booking(me, days=2)
    h.booking(me, days=3, status=BookingStatus.CANCELLED)

    body = _data(h.ask(me, "How do I cancel?"))

    assert body["intent"] == "cancel_help"
    assert _numbers(body["data"]["bookings"]) == {open_one.booking_number}
    assert body["data"]["bookings"][0]["free_cancellation_until"]
    assert open_one.booking_number in body["response"]


def test_signatures_to_approve_are_the_pending_ones_on_my_bookings():
    me, other = make_user(Role.CUSTOMER), make_user(Role.CUSTOMER)
    waiting = h.booking(me, days=-1, status=BookingStatus.COMPLETED)
    signed = h.booking(me, days=-2, status=BookingStatus.COMPLETED)
    request = h.signature(waiting)
    h.signature(signed, status=SignatureStatus.SIGNED)
    h.signature(h.booking(other, days=-1, status=BookingStatus.COMPLETED))

    body = _data(h.ask(me, "Any signature to approve?"))

    assert body["intent"] == "signatures_to_approve"
    assert [row["id"] for row in body["data"]["signatures"]] == [str(request.pk)]
    assert waiting.booking_number in body["response"]
    assert body["response"].startswith("1 completed service waiting for your sign-off")


def test_disputes_status_lists_my_disputes():
    me, other = make_user(Role.CUSTOMER), make_user(Role.CUSTOMER)
    mine = h.dispute(h.booking(me, days=-1, status=BookingStatus.COMPLETED), status="in_progress")
    h.dispute(h.booking(other, days=-1, status=BookingStatus.COMPLETED))

    body = _data(h.ask(me, "what is the status of my dispute"))

    assert body["intent"] == "disputes_status"
    assert [row["id"] for row in body["data"]["disputes"]] == [str(mine.pk)]
    assert "Being mediated" in body["response"]


def test_anything_else_gets_help_with_what_a_customer_can_ask():
    me = make_user(Role.CUSTOMER)

    body = _data(h.ask(me, "hello there"))

    assert body["intent"] == "help"
    assert "Track my bookings" in body["data"]["suggested_actions"]
    assert "My earnings" not in body["data"]["suggested_actions"]  # a partner's question


@pytest.mark.parametrize("kind", ["customer", "partner", "staff"])
def test_every_suggested_action_is_understood_as_its_own_intent(kind):
    from partners import assistant

    for intent in assistant.INTENTS:
        if kind in intent.examples:
            assert assistant.match(intent.examples[kind], kind) is intent, intent.examples[kind]


def test_a_partner_question_asked_as_a_customer_is_not_answered_as_a_partners():
    me = make_user(Role.CUSTOMER)

    assert _data(h.ask(me, "my earnings"))["intent"] == "help"


# --- partners ---------------------------------------------------------------------------------


def test_pending_jobs_are_my_offers_and_jobs_not_done():
    me, someone = partner(), partner()
    offer = h.job(me, days=1, status=AssignmentStatus.ASSIGNED)
    accepted = h.job(me, days=2, hour=14)
    h.job(me, days=-1, status=AssignmentStatus.COMPLETED)
    h.job(someone, days=1)

    body = _data(h.ask(me.user, "What are my pending jobs?", role="vendor"))

    assert body["intent"] == "pending_jobs"
    assert [row["booking_number"] for row in body["data"]["jobs"]] == [
        offer.booking.booking_number,
        accepted.booking.booking_number,
    ]
    assert body["response"].startswith("You have 2 pending jobs:")
    assert "Assigned (offered)" in body["response"]


def test_todays_jobs_are_only_todays():
    me = partner()
    today = h.job(me, days=0, hour=23)
    h.job(me, days=1)

    body = _data(h.ask(me.user, "today's jobs", role="partner"))

    assert body["intent"] == "todays_jobs"
    assert _numbers(body["data"]["jobs"]) == {today.booking.booking_number}


def test_my_earnings_add_up_my_own_rows():
    me, someone = partner(), partner()
    h.earning(h.job(me, days=-3, status=AssignmentStatus.COMPLETED), "400.00")
    h.earning(h.job(me, days=-2, status=AssignmentStatus.COMPLETED), "250.50", EarningStatus.PAID)
    h.earning(h.job(me, days=-1, status=AssignmentStatus.COMPLETED), "100.00", EarningStatus.ON_HOLD)
    h.earning(h.job(someone, days=-1, status=AssignmentStatus.COMPLETED), "999.00")

    body = _data(h.ask(me.user, "How much did I earn?", role="partner"))

    assert body["intent"] == "my_earnings"
    assert body["data"]["earnings"] == {"total_earnings": 750.5, "pending": 400.0, "paid": 250.5, "on_hold": 100.0}
    assert "₹750.50 in total" in body["response"]


# --- staff ------------------------------------------------------------------------------------


def test_staff_see_active_disputes_by_status():
    ops = make_user(Role.OPS_MANAGER)
    customer = make_user(Role.CUSTOMER)
    h.dispute(h.booking(customer, days=-1, status=BookingStatus.COMPLETED))
    h.dispute(h.booking(customer, days=-2, status=BookingStatus.COMPLETED), status="escalated")
    h.dispute(h.booking(customer, days=-3, status=BookingStatus.COMPLETED), status="resolved")

    body = _data(h.ask(ops, "disputes", role="ops_manager"))

    assert body["data"]["disputes_by_status"] == {"open": 1, "in_progress": 0, "escalated": 1}


# --- who may ask (C1) and bad input -----------------------------------------------------------


def test_asking_as_another_person_is_403_naming_user_id():
    me, other = make_user(Role.CUSTOMER), make_user(Role.CUSTOMER)
    h.booking(other)

    assert_error(h.ask(me, "Track my bookings", user_id=other.pk), 403, "FORBIDDEN", "user_id")


def test_a_role_i_do_not_hold_is_403_naming_role():
    me = make_user(Role.CUSTOMER)
    a_partner = partner()

    assert_error(h.ask(me, "pending jobs", role="partner"), 403, "FORBIDDEN", "role")
    assert_error(h.ask(me, "disputes", role="ops_manager"), 403, "FORBIDDEN", "role")
    assert_error(h.ask(a_partner.user, "Track my bookings", role="customer"), 403, "FORBIDDEN", "role")


def test_an_unknown_role_or_a_missing_message_is_422_naming_it():
    me = make_user(Role.CUSTOMER)
    client = client_for(me)

    assert_error(h.ask(me, "hi", role="wizard"), 422, "VALIDATION_ERROR", "role")
    missing = client.post("/api/v1/chat/query", {"user_id": str(me.pk), "role": "customer"}, format="json")
    assert_error(missing, 422, "VALIDATION_ERROR", "message")
    assert_error(client.get("/api/v1/chat/context", {"role": "customer"}), 422, "VALIDATION_ERROR", "user_id")


def test_not_signed_in_is_401():
    from rest_framework.test import APIClient

    me = make_user(Role.CUSTOMER)
    body = {"user_id": str(me.pk), "role": "customer", "message": "Track my bookings"}

    assert APIClient().post("/api/v1/chat/query", body, format="json").status_code == 401


# --- context and query counts -----------------------------------------------------------------


def test_context_suggests_and_shows_my_latest_bookings():
    me, other = make_user(Role.CUSTOMER), make_user(Role.CUSTOMER)
    mine = h.booking(me, days=2, status=BookingStatus.CONFIRMED)
    h.booking(other)

    body = _data(client_for(me).get("/api/v1/chat/context", {"userId": str(me.pk), "role": "customer"}))

    context = body["context"]
    assert context["role"] == "customer"
    assert "Track my bookings" in context["suggested_actions"]
    assert context["recent_activities"] == [
        {
            "type": "booking",
            "id": str(mine.pk),
            "booking_number": mine.booking_number,
            "service": "Facial Minimal",
            "status": "Confirmed",
            "date": timezone.localtime(mine.scheduled_start).isoformat(),
        }
    ]


def _queries(client, body) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.post("/api/v1/chat/query", body, format="json").status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("role", "message"),
    [("customer", "Track my bookings"), ("customer", "cancel"), ("partner", "pending jobs"), ("partner", "earnings")],
)
def test_an_answers_query_count_does_not_grow_with_history(role, message):
    customer = make_user(Role.CUSTOMER)
    me = partner()
    user = customer if role == "customer" else me.user
    client = client_for(user)
    body = {"user_id": str(user.pk), "role": role, "message": message}

    def add(first: int, n: int) -> None:
        for day in range(first, first + n):
            h.booking(customer, days=1 + day, hour=9)
            h.earning(h.job(me, days=1 + day, hour=15), "100.00")

    add(0, 2)
    _queries(client, body)  # warm: settings and caches read once
    small = _queries(client, body)
    add(2, 6)
    assert _queries(client, body) == small
