"""The partner app over HTTP: the job flow from offer to earning, what the customer sees of their partner, bad
input, ratings, the partner's dashboard, lists and profile, availability and hours, and the booking WebSocket."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from accounts.services.tokens import tokens_issue
from bookings.models import Booking, BookingStatus
from catalog.models import Tier
from config.asgi import application
from partners.matching import candidates, job_for
from partners.models import AssignmentStatus, Partner, PartnerAssignment, PartnerEarning, PartnerPayout
from partners.services import dispatch
from partners.services.profiles import partner_create
from tests.accounts.helpers import assert_error
from tests.conftest import client_for, make_user
from tests.partners import helpers as h

pytestmark = pytest.mark.django_db

API = "/api/v1"


def ok(response, status: int = 200):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["success"] is True, body
    return body["data"]


def job(booking, action: str) -> str:
    return f"{API}/partner/bookings/{booking.pk}/{action}"


def offered(partner, customer=None, **booking_fields) -> Booking:
    """A booking offered to ``partner`` by the dispatch engine."""
    booking = h.booking(customer, **booking_fields)
    offer = dispatch.dispatch_booking(booking.pk)
    assert offer is not None
    assert offer.partner == partner
    return booking


def accept(client, booking) -> dict:
    return ok(client.post(job(booking, "accept")))


def advance(client, booking, status: str, **extra) -> dict:
    return ok(client.patch(job(booking, "status"), {"status": status, **extra}, format="json"))


def finish(client, booking) -> dict:
    """Accept, travel, arrive and complete: the response of ``complete``."""
    accept(client, booking)
    advance(client, booking, "in_transit")
    advance(client, booking, "arrived")
    return ok(client.post(job(booking, "complete"), {}, format="json"))


# --- 1. the job flow -----------------------------------------------------------------------------


def test_the_whole_job_flow_through_http_ends_in_an_earning_a_paid_booking_and_a_balanced_ledger(
    customer, django_capture_on_commit_callbacks
):
    partner = h.partner()
    booking = offered(partner, customer)
    client = client_for(partner.user)

    accepted = accept(client, booking)
    assert accepted["status"] == BookingStatus.CONFIRMED
    assert accepted["booking"]["assignment"]["status"] == AssignmentStatus.ACCEPTED
    assert accepted["booking"]["customer"] == {"name": customer.full_name, "phone": customer.phone}
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED

    eta = timezone.now() + timedelta(minutes=20)
    on_the_way = advance(client, booking, "in_transit", estimated_arrival=eta.isoformat())
    assert on_the_way["booking"]["assignment"]["status"] == AssignmentStatus.IN_TRANSIT
    assert on_the_way["booking"]["assignment"]["estimated_arrival"] is not None
    booking.refresh_from_db()
    assert booking.status == BookingStatus.IN_PROGRESS
    assignment = PartnerAssignment.objects.get(booking=booking)
    assert abs(assignment.estimated_arrival - eta) < timedelta(seconds=1)

    arrived = advance(client, booking, "arrived")
    assert arrived["booking"]["assignment"]["status"] == AssignmentStatus.ARRIVED
    booking.refresh_from_db()
    assert booking.status == BookingStatus.IN_PROGRESS

    with django_capture_on_commit_callbacks(execute=True):  # the cash payment marks the booking paid on commit
        completed = ok(client.post(job(booking, "complete"), {}, format="json"))
    assert completed["earning"]["amount"] == 700.0
    assert completed["earning"]["status"] == "pending"
    assert completed["booking"]["assignment"]["status"] == AssignmentStatus.COMPLETED

    booking.refresh_from_db()
    assert (booking.status, booking.payment_status) == (BookingStatus.COMPLETED, "paid")
    earning = PartnerEarning.objects.get(booking=booking)
    assert (earning.partner, earning.partner_earning, earning.cash_collected) == (
        partner,
        Decimal("700.00"),
        Decimal("1180.00"),
    )
    assert (earning.booking_amount, earning.platform_commission, earning.tax) == (
        Decimal("1000.00"),
        Decimal("300.00"),
        Decimal("180.00"),
    )
    assert h.ledger_balances() == {  # the cash the partner holds; owed to them, kept as commission, owed as tax
        "cash_on_hand": Decimal("1180.00"),
        "partner_payable": Decimal("-700.00"),
        "platform_commission": Decimal("-300.00"),
        "tax_payable": Decimal("-180.00"),
    }
    partner.refresh_from_db()
    assert (partner.completed_bookings, partner.total_earnings) == (1, Decimal("700.00"))
    assert partner.pending_payout == Decimal("-480.00")  # the 1,180 cash kept, less the 700 earned

    actions = list(booking.events.order_by("created_at").values_list("action", flat=True))
    steps = ["partner_accepted", "partner_on_the_way", "partner_arrived", "completed"]
    assert [a for a in actions if a in steps] == steps
    assert actions[0] == "partner_offered"


def test_the_partner_may_reject_an_offer_and_it_moves_to_the_next_partner():
    first, second = h.partner(at=h.NEAR), h.partner(at=h.MID)
    booking = offered(first)

    data = ok(client_for(first.user).post(job(booking, "reject"), {"reason": "too far"}, format="json"))

    assert data["status"] == "rejected"
    assert data["booking"]["customer"] is None  # never accepted: no customer contact
    rejected = PartnerAssignment.objects.get(booking=booking, partner=first)
    assert (rejected.status, rejected.rejection_reason) == (AssignmentStatus.REJECTED, "too far")
    assert PartnerAssignment.objects.get(booking=booking, status=AssignmentStatus.ASSIGNED).partner == second


# --- 2. what the customer sees --------------------------------------------------------------------


def test_the_customer_sees_the_partner_once_assigned_and_the_phone_once_accepted(customer, customer_client):
    partner = h.partner()
    booking = h.booking(customer)
    before = ok(customer_client.get(f"{API}/bookings/{booking.pk}"))
    assert before["partner"] is None

    dispatch.dispatch_booking(booking.pk)
    offered_view = ok(customer_client.get(f"{API}/bookings/{booking.pk}"))["partner"]
    assert (offered_view["partner_code"], offered_view["name"]) == (partner.partner_code, partner.name)
    assert offered_view["assignment_status"] == AssignmentStatus.ASSIGNED
    assert offered_view["phone_number"] is None

    accept(client_for(partner.user), booking)
    detail = ok(customer_client.get(f"{API}/bookings/{booking.pk}"))
    assert detail["status"] == BookingStatus.CONFIRMED
    assert detail["partner"]["partner_code"] == partner.partner_code
    assert detail["partner"]["phone_number"] == partner.user.phone
    assert "partner_accepted" in [event["action"] for event in detail["timeline"]]

    listed = ok(customer_client.get(f"{API}/bookings"))["bookings"]
    assert [row["partner"]["partner_code"] for row in listed] == [partner.partner_code]


def _list_queries(client) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as queries:
        rows = ok(client.get(f"{API}/bookings", {"limit": 20}))["bookings"]
    return len(queries), rows


def test_the_customer_booking_list_reads_partners_in_a_fixed_number_of_queries(customer, customer_client):
    partners = [h.partner() for _ in range(3)]

    def book(first: int, last: int) -> None:  # two-hour steps, four a day: each partner takes several
        for i in range(first, last):
            booking = h.booking(customer, start=h.next_weekday_at(9 + (i % 4) * 2, days_ahead=2 + i // 4))
            offer = dispatch.dispatch_booking(booking.pk)
            assert offer is not None
            if i % 2:
                dispatch.offer_accept(partner=offer.partner, booking_id=booking.pk)

    book(0, 3)
    few, rows = _list_queries(customer_client)
    assert len(rows) == 3
    assert all(row["partner"] for row in rows)

    book(3, 12)
    many, rows = _list_queries(customer_client)
    assert len(rows) == 12
    assert all(row["partner"]["partner_code"] for row in rows)
    assert {row["partner"]["partner_code"] for row in rows} <= {p.partner_code for p in partners}
    assert many == few


# --- 3. bad input ---------------------------------------------------------------------------------


def test_another_partners_booking_is_not_found_for_every_action():
    holder, other = h.partner(at=h.NEAR), h.partner(at=h.MID)
    booking = offered(holder)
    client = client_for(other.user)

    assert_error(client.post(job(booking, "accept")), 404, "ASSIGNMENT_NOT_FOUND")
    assert_error(client.post(job(booking, "reject"), {}, format="json"), 404, "ASSIGNMENT_NOT_FOUND")
    assert_error(
        client.patch(job(booking, "status"), {"status": "in_transit"}, format="json"), 404, "ASSIGNMENT_NOT_FOUND"
    )
    assert_error(client.post(job(booking, "complete"), {}, format="json"), 404, "ASSIGNMENT_NOT_FOUND")
    assert PartnerAssignment.objects.get(booking=booking).status == AssignmentStatus.ASSIGNED


def test_an_offer_cannot_jump_to_arrived():
    partner = h.partner()
    booking = offered(partner)

    response = client_for(partner.user).patch(job(booking, "status"), {"status": "arrived"}, format="json")

    error = assert_error(response, 422, "INVALID_ASSIGNMENT_STATUS", "status")
    assert error["details"]["context"] == {"status": "assigned", "requested": "arrived"}
    assert PartnerAssignment.objects.get(booking=booking).status == AssignmentStatus.ASSIGNED


def test_a_status_other_than_in_transit_or_arrived_is_refused():
    partner = h.partner()
    booking = offered(partner)
    client = client_for(partner.user)
    accept(client, booking)

    response = client.patch(job(booking, "status"), {"status": "completed"}, format="json")

    assert_error(response, 422, "VALIDATION_ERROR", "status")


def test_a_job_cannot_be_completed_before_arriving():
    partner = h.partner()
    booking = offered(partner)
    client = client_for(partner.user)
    accept(client, booking)

    error = assert_error(client.post(job(booking, "complete"), {}, format="json"), 422, "INVALID_ASSIGNMENT_STATUS")

    assert error["details"]["reason"] == "not_arrived"
    assert not PartnerEarning.objects.exists()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_an_expired_offer_cannot_be_accepted():
    partner = h.partner()
    booking = offered(partner)
    PartnerAssignment.objects.filter(booking=booking).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert_error(client_for(partner.user).post(job(booking, "accept")), 409, "OFFER_EXPIRED")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PARTNER_ASSIGNED


def test_a_rejected_offer_cannot_be_accepted_afterwards():
    partner = h.partner()
    booking = offered(partner)
    client = client_for(partner.user)
    ok(client.post(job(booking, "reject"), {}, format="json"))

    error = assert_error(client.post(job(booking, "accept")), 409, "OFFER_EXPIRED")

    assert error["details"]["reason"] == "rejected"


def test_an_accepted_job_cannot_be_accepted_again():
    partner = h.partner()
    booking = offered(partner)
    client = client_for(partner.user)
    accept(client, booking)

    assert_error(client.post(job(booking, "accept")), 422, "INVALID_ASSIGNMENT_STATUS")


def test_a_latitude_out_of_range_is_refused_naming_the_field():
    partner = h.partner()

    response = client_for(partner.user).patch(f"{API}/partner/availability", {"current_lat": 95}, format="json")

    assert_error(response, 422, "VALIDATION_ERROR", "current_lat")
    partner.refresh_from_db()
    assert partner.current_lat == h.NEAR[0]


def test_a_latitude_without_a_longitude_is_refused():
    partner = h.partner()

    response = client_for(partner.user).patch(f"{API}/partner/availability", {"current_lat": "22.5"}, format="json")

    assert_error(response, 422, "VALIDATION_ERROR", "current_lng")
    partner.refresh_from_db()
    assert partner.current_lat == h.NEAR[0]


def test_working_hours_that_end_before_they_start_are_refused():
    partner = h.partner()

    response = client_for(partner.user).put(
        f"{API}/partner/working-hours",
        {"working_hours": {"start": "18:00", "end": "09:00", "days": [1]}},
        format="json",
    )

    error = assert_error(response, 422, "VALIDATION_ERROR", "working_hours")
    assert error["details"]["reason"] == "ends_before_start"


def test_a_day_that_ends_before_it_starts_is_refused():
    partner = h.partner(days=[])

    response = client_for(partner.user).post(
        f"{API}/vendor-availability",
        {"day_of_week": 2, "start_time": "18:00", "end_time": "09:00"},
        format="json",
    )

    assert_error(response, 422, "VALIDATION_ERROR", "end_time")
    assert not partner.availability.exists()


def test_a_customer_cannot_use_the_partner_app(customer_client):
    response = customer_client.get(f"{API}/partner/dashboard")

    assert_error(response, 403, "FORBIDDEN")


def test_an_anonymous_caller_is_asked_to_sign_in(api_client):
    assert api_client.get(f"{API}/partner/dashboard").status_code == 401


# --- 4. ratings -----------------------------------------------------------------------------------


def test_customer_ratings_are_averaged_into_the_partners_rating(customer, customer_client):
    partner = h.partner()
    client = client_for(partner.user)
    first = offered(partner, customer)
    finish(client, first)

    rated = ok(customer_client.post(f"{API}/bookings/{first.pk}/rate", {"rating": 4}, format="json"))
    assert rated["rating"] == 4
    partner.refresh_from_db()
    assert (partner.rating, partner.rating_count) == (Decimal("4.00"), 1)

    second = offered(partner, customer, start=h.next_weekday_at(14))
    finish(client, second)
    ok(customer_client.post(f"{API}/bookings/{second.pk}/rate", {"rating": 5}, format="json"))
    partner.refresh_from_db()
    assert (partner.rating, partner.rating_count, partner.rating_total) == (Decimal("4.50"), 2, 9)

    stats = ok(client.get(f"{API}/partner/dashboard"))["stats"]
    assert stats["rating"] == 4.5
    performance = ok(client.get(f"{API}/partner/performance"))
    assert performance["avg_rating"] == 4.5
    assert performance["bonus_points"] == 2 * 10 + 5  # two jobs, one five-star rating


# --- 5. the partner's reads -----------------------------------------------------------------------


def test_the_dashboard_shows_stats_upcoming_jobs_and_recent_earnings(clock_held):
    # the clock held: "tonight" is on the day the dashboard counts as today, even when midnight comes in between
    partner = h.partner()
    client = client_for(partner.user)
    done = offered(partner)
    finish(client, done)
    upcoming = offered(partner, start=h.next_weekday_at(14))
    tonight = offered(partner, start=h.next_weekday_at(19, days_ahead=0))
    accept(client, tonight)

    data = ok(client.get(f"{API}/partner/dashboard"))

    assert set(data["stats"]) == {
        "total_bookings",
        "pending_bookings",
        "today_bookings",
        "completed_bookings",
        "total_earnings",
        "pending_payout",
        "rating",
    }
    stats = data["stats"]
    # two jobs (done, tonight); the open offer is not a job yet
    assert (stats["total_bookings"], stats["pending_bookings"], stats["completed_bookings"]) == (2, 1, 1)
    assert stats["today_bookings"] == 1
    assert Decimal(str(stats["total_earnings"])) == Decimal("700.00")
    assert Decimal(str(stats["pending_payout"])) == Decimal("-480.00")  # kept 1,180 in cash, earned 700
    assert stats["rating"] == 0.0
    upcoming_rows = data["upcoming_bookings"]
    assert [row["id"] for row in upcoming_rows] == [str(tonight.pk), str(upcoming.pk)]  # the done job is not
    assert [row["assignment"]["status"] for row in upcoming_rows] == ["accepted", "assigned"]
    assert [(e["booking_id"], e["amount"], e["status"]) for e in data["recent_earnings"]] == [
        (str(done.pk), 700.0, "pending")
    ]


def test_the_bookings_list_filters_by_status_and_pages():
    partner = h.partner()
    client = client_for(partner.user)
    for hour in (9, 11, 13):
        accept(client, offered(partner, start=h.next_weekday_at(hour)))
    waiting = offered(partner, start=h.next_weekday_at(15))

    every = ok(client.get(f"{API}/partner/bookings"))
    assert every["pagination"]["total"] == 4
    assert len(every["bookings"]) == 4
    assert every["bookings"][0]["id"] == str(waiting.pk)  # the latest booking first

    offers = ok(client.get(f"{API}/partner/bookings", {"status": "assigned"}))["bookings"]
    assert [row["id"] for row in offers] == [str(waiting.pk)]
    assert offers[0]["customer"] is None
    confirmed = ok(client.get(f"{API}/partner/bookings", {"status": "confirmed"}))
    assert confirmed["pagination"]["total"] == 3
    assert all(row["customer"] for row in confirmed["bookings"])

    page = ok(client.get(f"{API}/partner/bookings", {"limit": 3, "page": 2}))
    assert len(page["bookings"]) == 1
    assert (page["pagination"]["page"], page["pagination"]["limit"], page["pagination"]["total_pages"]) == (2, 3, 2)

    assert_error(client.get(f"{API}/partner/bookings", {"status": "bogus"}), 400, "INVALID_REQUEST", "status")


def _jobs_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        rows = ok(client.get(f"{API}/partner/bookings"))["bookings"]
    return len(queries), len(rows)


def test_the_bookings_list_reads_in_a_fixed_number_of_queries():
    partner = h.partner()
    client = client_for(partner.user)

    def jobs(hours, days_ahead):
        for hour in hours:
            offered(partner, start=h.next_weekday_at(hour, days_ahead=days_ahead))

    jobs((9, 11, 13), 2)
    few, count = _jobs_queries(client)
    assert count == 3
    jobs((9, 11, 13, 15), 3)
    jobs((9, 11, 13), 4)
    many, count = _jobs_queries(client)
    assert count == 10
    assert many == few


def test_earnings_with_totals_filters_and_bad_parameters():
    partner = h.partner()
    client = client_for(partner.user)
    first = offered(partner)
    finish(client, first)
    second = offered(partner, start=h.next_weekday_at(14))
    finish(client, second)
    PartnerEarning.objects.filter(booking=first).update(status="paid", paid_at=timezone.now())

    data = ok(client.get(f"{API}/partner/earnings"))
    assert (
        Decimal(str(data["total_earnings"])),
        Decimal(str(data["pending"])),
        Decimal(str(data["paid"])),
    ) == (Decimal("1400.00"), Decimal("700.00"), Decimal("700.00"))
    assert len(data["earnings"]) == 2
    assert data["pagination"]["total"] == 2
    row = data["earnings"][0]
    assert (row["booking_id"], row["amount"], row["booking_amount"], row["cash_collected"]) == (
        str(second.pk),
        700.0,
        1000.0,
        1180.0,
    )

    pending = ok(client.get(f"{API}/partner/earnings", {"status": "pending"}))
    assert [e["booking_id"] for e in pending["earnings"]] == [str(second.pk)]
    assert Decimal(str(pending["total_earnings"])) == Decimal("700.00")

    # the days the earnings were written on (one, unless midnight fell between them)
    days = sorted({timezone.localdate(at) for at in PartnerEarning.objects.values_list("created_at", flat=True)})
    ranged = ok(client.get(f"{API}/partner/earnings", {"date_from": days[0], "date_to": days[-1]}))
    assert len(ranged["earnings"]) == 2

    assert_error(client.get(f"{API}/partner/earnings", {"status": "bogus"}), 400, "INVALID_REQUEST", "status")
    inverted = {"date_from": days[0], "date_to": days[0] - timedelta(days=1)}
    assert_error(client.get(f"{API}/partner/earnings", inverted), 422, "VALIDATION_ERROR", "date_to")


def test_the_earnings_summary():
    partner = h.partner()
    client = client_for(partner.user)
    booking = offered(partner)
    finish(client, booking)

    data = ok(client.get(f"{API}/partner/earnings/summary"))

    assert Decimal(str(data["total_earnings"])) == Decimal("700.00")
    assert Decimal(str(data["pending_earnings"])) == Decimal("700.00")
    assert [(e["amount"], e["status"]) for e in data["recent_earnings"]] == [(700.0, "pending")]


def test_payouts_list_only_the_partners_own():
    partner, other = h.partner(at=h.NEAR), h.partner(at=h.MID)
    mine = PartnerPayout.objects.create(
        partner=partner, payout_number="PO-TEST-1", total_amount=Decimal("700"), net_amount=Decimal("700")
    )
    PartnerPayout.objects.create(
        partner=other, payout_number="PO-TEST-2", total_amount=Decimal("50"), net_amount=Decimal("50")
    )

    data = ok(client_for(partner.user).get(f"{API}/partner/payouts"))

    assert [p["id"] for p in data["payouts"]] == [str(mine.pk)]
    row = data["payouts"][0]
    assert (row["payout_number"], row["net_amount"], row["status"]) == ("PO-TEST-1", 700.0, "pending")
    assert row["partner"] == {"id": str(partner.pk), "name": partner.name, "partner_code": partner.partner_code}
    assert data["pagination"]["total"] == 1


def test_performance_after_one_completed_job():
    partner = h.partner()
    client = client_for(partner.user)
    finish(client, offered(partner))

    data = ok(client.get(f"{API}/partner/performance"))

    assert {"avg_rating", "completion_rate", "on_time_rate", "dispute_rate", "tier", "bonus_points"} <= set(data)
    assert data["avg_rating"] is None  # not rated yet
    assert (data["completion_rate"], data["dispute_rate"], data["bonus_points"]) == (100.0, 0.0, 10)
    assert data["on_time_rate"] == 100.0  # arrived before the booked start (two days ahead)
    assert data["tier"] == "silver"


def test_performance_with_a_late_arrival_and_a_job_dropped_after_acceptance_is_bronze(
    customer, customer_client, monkeypatch
):
    partner = h.partner()
    client = client_for(partner.user)
    finish(client, offered(partner, start=h.next_weekday_at(10)))  # arrives two days before the start: on time
    late = offered(partner, start=h.next_weekday_at(12))
    accept(client, late)
    advance(client, late, "in_transit")
    monkeypatch.setattr(timezone, "now", lambda: late.scheduled_start + timedelta(minutes=10))
    advance(client, late, "arrived")  # ten minutes after the booked start
    ok(client.post(job(late, "complete"), {}, format="json"))
    monkeypatch.undo()
    dropped = offered(partner, customer, start=h.next_weekday_at(14))
    accept(client, dropped)
    ok(customer_client.post(f"{API}/bookings/{dropped.pk}/cancel", {"reason": "plans changed"}, format="json"))
    assert PartnerAssignment.objects.get(booking=dropped).status == AssignmentStatus.CANCELLED

    data = ok(client.get(f"{API}/partner/performance"))

    # three jobs taken: two completed (one on time, one late), one cancelled after acceptance
    assert (data["completion_rate"], data["on_time_rate"], data["dispute_rate"]) == (66.7, 50.0, 33.3)
    assert data["tier"] == "bronze"  # completion under 75 %
    assert data["bonus_points"] == 20


def test_performance_of_a_partner_rated_four_and_a_half_with_every_job_done_is_gold(customer, customer_client):
    partner = h.partner()
    client = client_for(partner.user)
    for hour, stars in ((10, 5), (12, 4)):
        booking = offered(partner, customer, start=h.next_weekday_at(hour))
        finish(client, booking)
        ok(customer_client.post(f"{API}/bookings/{booking.pk}/rate", {"rating": stars}, format="json"))

    data = ok(client.get(f"{API}/partner/performance"))

    assert (data["avg_rating"], data["completion_rate"], data["on_time_rate"], data["dispute_rate"]) == (
        4.5,
        100.0,
        100.0,
        0.0,
    )
    assert data["tier"] == "gold"  # rating at least 4.5 and completion at least 90 %
    assert data["bonus_points"] == 2 * 10 + 5


def test_performance_of_a_partner_rated_four_is_silver_not_gold(customer, customer_client):
    partner = h.partner()
    client = client_for(partner.user)
    booking = offered(partner, customer)
    finish(client, booking)
    ok(customer_client.post(f"{API}/bookings/{booking.pk}/rate", {"rating": 4}, format="json"))

    data = ok(client.get(f"{API}/partner/performance"))

    assert (data["avg_rating"], data["completion_rate"], data["tier"], data["bonus_points"]) == (
        4.0,
        100.0,
        "silver",
        10,
    )


def test_the_profile_masks_the_bank_account_and_never_shows_it_whole():
    h.category("FACIAL")
    user = make_user(Role.PARTNER, full_name="Banked Partner")
    partner = partner_create(
        data={
            "name": user.full_name,
            "phone_number": user.phone,
            "service_categories": ["FACIAL"],
            "service_tiers": [Tier.MINIMAL],
            "bank_account_number": "123456789012",
            "aadhar_number": "987654321098",
            "ifsc_code": "HDFC0001234",
            "working_hours": {"start": time(9), "end": time(18), "days": [1, 2, 3]},
        },
        verified=True,
    )

    response = client_for(partner.user).get(f"{API}/partner/profile")
    data = ok(response)["partner"]

    assert data["bank_account_number"] == "XXXXXXXX9012"
    assert data["aadhar_number"] == "XXXXXXXX1098"
    assert "123456789012" not in response.content.decode()
    assert "987654321098" not in response.content.decode()
    assert (data["partner_code"], data["name"], data["onboarding_status"]) == (
        partner.partner_code,
        "Banked Partner",
        "verified",
    )
    assert data["service_categories"] == ["Facial"]
    assert data["service_tiers"] == ["Minimal"]
    assert data["working_hours"] == {"start": "09:00", "end": "18:00", "days": [1, 2, 3]}
    stored = Partner.objects.get(pk=partner.pk)
    assert "123456789012" not in stored.bank_account_encrypted


# --- 6. availability and working hours ------------------------------------------------------------


def test_going_offline_records_the_location_and_takes_the_partner_out_of_dispatch():
    partner = h.partner()
    booking = h.booking()
    assert [c.partner for c in candidates(job_for(booking))] == [partner]

    data = ok(
        client_for(partner.user).patch(
            f"{API}/partner/availability",
            {"is_available": False, "current_lat": "22.5800", "current_lng": "88.3800"},
            format="json",
        )
    )

    assert data["is_available"] is False
    assert data["last_seen_at"] is not None
    partner.refresh_from_db()
    assert (partner.is_available, partner.current_lat, partner.current_lng) == (
        False,
        Decimal("22.58"),
        Decimal("88.38"),
    )
    assert candidates(job_for(booking)) == []
    assert dispatch.dispatch_booking(booking.pk) is None


def test_working_hours_become_one_active_row_per_listed_day():
    partner = h.partner()  # seven days, 08:00 to 20:00
    client = client_for(partner.user)

    data = ok(
        client.put(
            f"{API}/partner/working-hours",
            {"working_hours": {"start": "09:00", "end": "18:00", "days": [1, 2, 3]}},
            format="json",
        )
    )
    assert data["working_hours"] == {"start": "09:00", "end": "18:00", "days": [1, 2, 3]}

    listed = ok(client.get(f"{API}/vendor-availability"))
    active = [row for row in listed["results"] if row["is_active"]]
    assert [row["day_of_week"] for row in active] == [1, 2, 3]
    assert all((row["start_time"], row["end_time"]) == ("09:00:00", "18:00:00") for row in active)
    assert [row["day_of_week"] for row in listed["results"] if not row["is_active"]] == [4, 5, 6, 7]
    assert listed["count"] == 7
    assert {row["vendor"] for row in listed["results"]} == {str(partner.pk)}


def test_a_day_can_be_set_with_its_pincodes():
    partner = h.partner(days=[])
    client = client_for(partner.user)

    row = ok(
        client.post(
            f"{API}/vendor-availability",
            {
                "day_of_week": 5,
                "start_time": "10:00",
                "end_time": "16:00",
                "primary_pincode": "700091",
                "service_area_pincodes": ["700064"],
            },
            format="json",
        ),
        status=201,
    )

    assert (row["day_of_week"], row["start_time"], row["end_time"]) == (5, "10:00:00", "16:00:00")
    assert row["is_active"] is True
    assert (row["primary_pincode"], row["service_area_pincodes"]) == ("700091", ["700064"])
    listed = ok(client.get(f"{API}/vendor-availability"))
    assert [r["day_of_week"] for r in listed["results"]] == [5]


# --- 7. the booking WebSocket ---------------------------------------------------------------------


@pytest.fixture
async def thread_connections():
    """The async tests reach the database from the sync_to_async thread: close its connection afterwards."""
    yield
    await sync_to_async(connections.close_all)()


async def ws_connect(booking_id, user):
    token = (await sync_to_async(tokens_issue)(user=user))["access_token"]
    communicator = WebsocketCommunicator(application, f"/ws/bookings/{booking_id}/?token={token}")
    connected, _ = await communicator.connect(timeout=5)
    return communicator, connected


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("thread_connections")
async def test_the_partner_holding_the_offer_may_follow_the_booking_and_another_partner_may_not():
    def setup():
        holder, other = h.partner(at=h.NEAR), h.partner(at=h.MID)
        return holder, other, offered(holder)

    holder, other, booking = await sync_to_async(setup)()

    watcher, connected = await ws_connect(booking.pk, holder.user)
    assert connected
    await watcher.send_json_to({"type": "ping"})
    assert (await watcher.receive_json_from(timeout=5))["type"] == "pong"

    stranger, _ = await ws_connect(booking.pk, other.user)
    error = await stranger.receive_json_from(timeout=5)
    closed = await stranger.receive_output(timeout=5)
    await stranger.disconnect()
    assert (error["type"], error["error"]["code"]) == ("error", "FORBIDDEN")
    assert closed.get("code") == 4403

    holder_client = await sync_to_async(client_for)(holder.user)
    await sync_to_async(holder_client.post)(job(booking, "accept"))
    message = await watcher.receive_json_from(timeout=10)
    assert message["type"] == "booking_status_change"
    assert (message["data"]["old_status"], message["data"]["new_status"]) == ("partner_assigned", "confirmed")
    assert message["data"]["action"] == "partner_accepted"
    await watcher.disconnect()
