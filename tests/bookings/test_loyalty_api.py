"""Seed 004's loyalty points (issue #19) through HTTP: GET /loyalty/points, POST /loyalty/redeem, GET
/loyalty/history; earning on completion and for a first review (once, even after delete and re-create), the
reservation committed by a captured payment and released by a failed one, the refund reversal, the bad inputs,
and two concurrent redemptions against one balance. The builders' specialist charges ₹1500 with a ₹200 deposit, so
a completed booking earns 150 points. Every test checks balance + reserved == earned - spent.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.test import TestCase

from accounts.roles import Role
from bookings.models import Booking, LoyaltyAccount, LoyaltyKind, LoyaltyTransaction
from bookings.services.loyalty import loyalty_adjust
from payments.models import Payment, PaymentStatus
from tests.accounts.helpers import assert_error
from tests.accounts.test_concurrency import RowLockHolder, run_together, start, wait_until_blocked
from tests.adminpanel.helpers import query_counts
from tests.appointments import builders
from tests.appointments.test_deposits_api import book, checkout, completed, held, pay_order
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


def account_of(user_id) -> LoyaltyAccount:
    account = LoyaltyAccount.objects.get(user_id=user_id)
    assert account.balance + account.reserved == account.total_earned - account.total_spent
    assert min(account.balance, account.reserved) >= 0
    return account


def redeem(client, booking, points):
    body = {"points": points, "rewardType": "discount", "bookingId": str(booking.pk)}
    return client.post("/api/v1/loyalty/redeem", body, format="json")


def points(client) -> dict:
    response = client.get("/api/v1/loyalty/points")
    assert response.status_code == 200, response.content
    return response.json()["data"]


def review(client, booking, rating=5):
    return client.post("/api/v1/reviews", {"bookingId": str(booking.pk), "rating": rating}, format="json")


def test_completion_earns_floor_total_over_ten_once_and_points_shows_it():
    _, client, booking = completed()

    data = points(client)

    assert (data["current_balance"], data["total_earned"], data["total_spent"]) == (150, 150, 0)
    assert (data["tier"], data["next_tier"], data["next_tier_points"]) == ("bronze", "silver", 50)
    assert data["next_tier_benefits"]
    assert data["point_value"] == 0.1
    assert [(row["kind"], row["points"], row["booking_id"]) for row in data["recent_activity"]] == [
        ("earned", 150, str(booking.pk))
    ]
    assert account_of(booking.user_id).total_earned == 150


def test_a_customer_without_points_reads_an_empty_bronze_account():
    data = points(client_for(builders.patient()))
    assert (data["current_balance"], data["tier"], data["next_tier_points"], data["recent_activity"]) == (
        0,
        "bronze",
        200,
        [],
    )


def test_a_first_review_earns_ten_once_even_after_delete_and_re_create():
    _, client, booking = completed()

    first = review(client, booking)
    assert first.status_code == 201, first.content
    assert client.delete(f"/api/v1/reviews/{first.json()['data']['review']['id']}").status_code == 200
    assert review(client, booking, 4).status_code == 201

    assert points(client)["current_balance"] == 160
    kinds = LoyaltyTransaction.objects.filter(booking=booking).values_list("idempotency_key", "points")
    assert sorted(kinds) == [(f"earn:{booking.pk}", 150), (f"review:{booking.pk}", 10)]
    assert account_of(booking.user_id).total_earned == 160


def test_fifty_points_take_five_rupees_off_the_balance_and_a_capture_spends_them():
    _, client, booking = completed()

    response = redeem(client, booking, 50)

    assert response.status_code == 200, response.content
    got = response.json()["data"]
    assert (got["points_redeemed"], got["discount"], got["current_balance"], got["reserved"]) == (50, 5.0, 100, 50)
    assert got["amount_due"] == 1295.0  # 1500 - 200 deposit - 5
    account = account_of(booking.user_id)
    assert (account.balance, account.reserved, account.total_spent) == (100, 50, 0)

    balance = pay_order(client, "/api/v1/payments/process-full-payment", {"bookingId": str(booking.pk)})
    assert balance.status_code == 201, balance.content
    assert balance.json()["data"]["amount"] == 129500
    assert checkout(client, balance.json()["data"]["order_id"]).status_code == 200

    account = account_of(booking.user_id)
    assert (account.balance, account.reserved, account.total_spent) == (100, 0, 50)
    booking.refresh_from_db()
    assert booking.loyalty_discount == Decimal("5.00")
    assert points(client)["recent_activity"][0]["kind"] == "redeemed"


def test_a_failed_payment_releases_the_reserved_points():
    _, client, booking = completed()
    assert redeem(client, booking, 50).status_code == 200
    order = pay_order(client, "/api/v1/payments/process-full-payment", {"bookingId": str(booking.pk)})

    assert_error(checkout(client, order.json()["data"]["order_id"], outcome="failure"), 402, "PAYMENT_FAILED")

    account = account_of(booking.user_id)
    assert (account.balance, account.reserved, account.total_spent) == (150, 0, 0)
    booking.refresh_from_db()
    assert booking.loyalty_discount == Decimal("0.00")
    again = pay_order(client, "/api/v1/payments/process-full-payment", {"bookingId": str(booking.pk)})
    assert again.json()["data"]["amount"] == 130000


def test_a_full_refund_reverses_the_points_the_booking_earned_and_returns_those_spent_on_it():
    _, client, booking = completed()
    assert redeem(client, booking, 50).status_code == 200
    order = pay_order(client, "/api/v1/payments/process-full-payment", {"bookingId": str(booking.pk)})
    checkout(client, order.json()["data"]["order_id"])
    finance = client_for(make_user(Role.FINANCE))

    def refund(kind):
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = finance.post(
                "/api/v1/payments/refund",
                {"bookingId": str(booking.pk), "refundType": kind, "reason": "Session not delivered"},
                format="json",
                HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
            )
        assert response.status_code == 201, response.content

    refund("full")
    if Payment.objects.filter(payable_id=str(booking.pk), status=PaymentStatus.SUCCESS).exists():
        assert account_of(booking.user_id).total_earned == 150  # money still held: no reversal yet
        refund("deposit_only")
    assert not Payment.objects.filter(payable_id=str(booking.pk), status=PaymentStatus.SUCCESS).exists()
    account = account_of(booking.user_id)
    assert (account.balance, account.reserved, account.total_earned, account.total_spent) == (0, 0, 0, 0)
    reversed_rows = LoyaltyTransaction.objects.filter(booking=booking, kind=LoyaltyKind.REVERSED)
    assert sorted(reversed_rows.values_list("points", flat=True)) == [-150, 50]


def full_payment(client, booking, used):
    body = {"bookingId": str(booking.pk), "paymentMethodId": "pm_card", "loyaltyPointsUsed": used}
    return pay_order(client, "/api/v1/payments/process-full-payment", body)


def test_loyalty_points_used_on_the_full_payment_come_off_the_balance_as_the_seed_shows():
    _, client, booking = completed()

    response = full_payment(client, booking, 50)

    assert response.status_code == 201, response.content
    got = response.json()["data"]
    assert (got["amount"], got["final_amount"], got["loyalty_discount"]) == (129500, 129500, 500)
    assert got["loyalty_points_earned"] == 150  # what the ₹1500 booking earned on completion
    account = account_of(booking.user_id)
    assert (account.balance, account.reserved, account.total_spent) == (100, 50, 0)

    retry = full_payment(client, booking, 50)  # a new key while the first order is open: 50 in all, not 100
    assert retry.status_code == 201, retry.content
    assert retry.json()["data"]["amount"] == 129500
    assert account_of(booking.user_id).reserved == 50

    assert checkout(client, got["order_id"]).status_code == 200
    account = account_of(booking.user_id)
    assert (account.balance, account.reserved, account.total_spent) == (100, 0, 50)
    booking.refresh_from_db()
    assert booking.loyalty_discount == Decimal("5.00")


def test_loyalty_points_used_that_cannot_be_spent_are_refused_and_nothing_is_held():
    _, client, booking = completed()

    error = assert_error(full_payment(client, booking, 151), 422, "VALIDATION_ERROR", "loyalty_points_used")
    assert error["details"]["reason"] == "insufficient_points"
    assert_error(full_payment(client, booking, 1.5), 422, "VALIDATION_ERROR", "loyalty_points_used")
    assert_error(full_payment(client, booking, -1), 422, "VALIDATION_ERROR", "loyalty_points_used")
    loyalty_adjust(user_id=booking.user_id, points=20000, reason="test", actor=None)
    error = assert_error(full_payment(client, booking, 13000), 422, "VALIDATION_ERROR", "loyalty_points_used")
    assert error["details"]["reason"] == "exceeds_amount_due"
    assert account_of(booking.user_id).reserved == 0
    assert not Payment.objects.filter(payable_id=str(booking.pk), kind="balance").exists()


def test_loyalty_points_used_before_the_session_is_completed_reserve_nothing():
    _, client, booking, _ = held()
    loyalty_adjust(user_id=booking.user_id, points=100, reason="test", actor=None)

    error = assert_error(full_payment(client, booking, 50), 422, "VALIDATION_ERROR", "booking_id")

    assert error["details"]["reason"] == "not_completed"
    assert account_of(booking.user_id).reserved == 0


# --- bad input --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, -5, 1.5, "ten"])
def test_points_must_be_a_whole_number_above_zero(bad):
    _, client, booking = completed()
    assert_error(redeem(client, booking, bad), 422, "VALIDATION_ERROR", "points")
    assert account_of(booking.user_id).balance == 150


def test_more_than_the_balance_more_than_the_amount_due_or_someone_elses_booking_is_refused():
    _, client, booking = completed()

    error = assert_error(redeem(client, booking, 151), 422, "VALIDATION_ERROR", "points")
    assert error["details"]["reason"] == "insufficient_points"

    loyalty_adjust(user_id=booking.user_id, points=20000, reason="test", actor=None)  # ₹2015 of points
    error = assert_error(redeem(client, booking, 12991), 422, "VALIDATION_ERROR", "points")  # ₹1299.10 > ₹1299
    assert error["details"]["reason"] == "exceeds_amount_due"  # ₹1 must stay to pay, whose capture spends them
    assert_error(redeem(client, booking, 13000), 422, "VALIDATION_ERROR", "points")  # the whole ₹1300 due
    assert redeem(client, booking, 12990).status_code == 200  # all but the last rupee

    someone = builders.patient()
    stranger = client_for(someone)
    loyalty_adjust(user_id=someone.pk, points=100, reason="test", actor=None)
    assert_error(redeem(stranger, booking, 10), 404, "BOOKING_NOT_FOUND", "booking_id")
    assert_error(redeem(client, booking, 1), 422, "VALIDATION_ERROR", "points")  # nothing more may go
    missing = client.post("/api/v1/loyalty/redeem", {"points": 5}, format="json")
    assert_error(missing, 400, "INVALID_REQUEST", "booking_id")  # the project's answer to a missing field
    assert account_of(booking.user_id).reserved == 12990


def test_the_loyalty_endpoints_need_a_signed_in_customer():
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/loyalty/points").status_code == 401


# --- history ----------------------------------------------------------------------------------------------


def test_history_is_paginated_newest_first_in_a_fixed_number_of_queries():
    customer = builders.patient()
    client = client_for(customer)
    loyalty_adjust(user_id=customer.pk, points=5, reason="first", actor=None)
    small = query_counts(client, ["/api/v1/loyalty/history"])
    for n in range(6):
        loyalty_adjust(user_id=customer.pk, points=n + 1, reason=f"n{n}", actor=None)
    big = query_counts(client, ["/api/v1/loyalty/history?limit=5"])

    assert list(small.values()) == list(big.values())
    page = client.get("/api/v1/loyalty/history?limit=5&page=2").json()["data"]
    assert page["pagination"]["total"] == 7
    assert [row["reason"] for row in page["transactions"]] == ["n0", "first"]
    assert account_of(customer.pk).total_earned == 26


# --- concurrency (real threads on PostgreSQL) --------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_redemptions_of_100_against_150_at_once_give_one_success():
    expert, client, first, _ = held()
    customer = Booking.objects.get(pk=first.pk).user
    second = book(client, expert, builders.slot(expert, days=4))
    assert second.status_code == 201, second.content
    bookings = [first, Booking.objects.get(pk=second.json()["data"]["booking"]["id"])]
    loyalty_adjust(user_id=customer.pk, points=150, reason="test", actor=None)
    clients = [client_for(customer), client_for(customer)]

    answers = run_together(2, lambda i: redeem(clients[i], bookings[i], 100))

    assert sorted(a.status_code for a in answers) == [200, 422]
    loser = next(a for a in answers if a.status_code == 422)
    assert loser.json()["error"]["details"]["reason"] == "insufficient_points"
    account = account_of(customer.pk)
    assert (account.balance, account.reserved) == (50, 100)
    assert sum(b.loyalty_discount for b in Booking.objects.filter(pk__in=[b.pk for b in bookings])) == Decimal("10.00")


@pytest.mark.django_db(transaction=True)
def test_a_redemption_waits_for_one_in_flight_on_the_same_account_and_then_finds_too_few_points():
    from bookings.services.loyalty import loyalty_redeem

    expert, client, first, _ = held()
    customer = Booking.objects.get(pk=first.pk).user
    second = Booking.objects.get(pk=book(client, expert, builders.slot(expert, days=4)).json()["data"]["booking"]["id"])
    loyalty_adjust(user_id=customer.pk, points=150, reason="test", actor=None)

    with RowLockHolder(lambda: loyalty_redeem(user=customer, booking_id=first.pk, points=100)) as holder:
        call, outcome = start(lambda: redeem(client_for(customer), second, 100))
        assert wait_until_blocked(call, holder)  # the second waits for the account's row, not for a stale read
    call.join(timeout=60)

    error = assert_error(outcome["result"], 422, "VALIDATION_ERROR", "points")
    assert error["details"]["reason"] == "insufficient_points"
    account = account_of(customer.pk)
    assert (account.balance, account.reserved) == (50, 100)


# --- idempotency and the admin ------------------------------------------------------------------------------


def test_a_replayed_completion_or_payment_event_never_pays_twice():
    from bookings.payable import BookingPayable
    from bookings.services.loyalty import loyalty_award_completion
    from payments.registry import PaymentEvent

    _, client, booking = completed()
    assert redeem(client, booking, 50).status_code == 200
    event = PaymentEvent(
        payable_type="bookings.booking", payable_id=str(booking.pk), payment_id="pay_replayed", kind="balance",
        old_status="pending", new_status="success", amount=Decimal("1295.00"), amount_refunded=Decimal("0"),
    )  # fmt: skip

    for _ in range(2):
        loyalty_award_completion(booking=booking)
        BookingPayable().on_payment_event(event)

    account = account_of(booking.user_id)
    assert (account.balance, account.reserved, account.total_earned, account.total_spent) == (100, 0, 150, 50)
    assert LoyaltyTransaction.objects.filter(booking=booking, kind=LoyaltyKind.EARNED).count() == 1


def test_staff_adjust_an_account_in_the_admin_and_the_log_names_them():
    from rest_framework.test import APIClient

    customer = builders.patient()
    loyalty_adjust(user_id=customer.pk, points=30, reason="welcome", actor=None)
    account = LoyaltyAccount.objects.get(user=customer)
    staff = make_user(Role.ADMIN, email="loyalty-admin@example.com")
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    browser = APIClient()
    browser.force_login(staff)
    url = f"/admin/bookings/loyaltyaccount/{account.pk}/change/"

    page = browser.get(url)
    assert page.status_code == 200
    assert "welcome" in page.content.decode()  # the read-only log
    inline = {"TOTAL_FORMS": "1", "INITIAL_FORMS": "1", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}
    form = {"adjust_points": "-20", "adjust_reason": "Goodwill correction"}
    form.update({f"transactions-{name}": value for name, value in inline.items()})
    no_reason = browser.post(url, {**form, "adjust_reason": ""})
    assert no_reason.status_code == 200  # the form again, with its error
    assert account_of(customer.pk).balance == 30

    saved = browser.post(url, form)

    assert saved.status_code == 302, saved.content[:2000]
    account = account_of(customer.pk)
    assert (account.balance, account.total_earned) == (10, 10)
    row = LoyaltyTransaction.objects.filter(account=account).first()
    assert (row.kind, row.points, row.reason, row.actor_id) == ("adjusted", -20, "Goodwill correction", staff.pk)
