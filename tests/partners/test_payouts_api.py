"""Staff payout APIs: creating a payout from pending earnings, its amounts, its life (start, process, fail), the lists,
seed 002's release of one earning, and who may do what."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from partners.models import EarningStatus, Partner, PartnerEarning, PartnerPayout, PayoutStatus
from partners.services import dispatch, jobs, manual
from payments.services.ledger import ledger_balance
from tests.conftest import client_for, make_user
from tests.partners import helpers as h

pytestmark = pytest.mark.django_db

PAYOUTS = "/api/v1/admin/payouts"


def earn(partner: Partner, hour: int, *, online: bool = False) -> PartnerEarning:
    """A completed job of ``partner`` at ``hour`` two days ahead: cash (1,180 kept) or online and paid.

    With one partner the engine offers them the job; with several, staff put this one on it.
    """
    booking = h.booking(start=h.next_weekday_at(hour), method="online" if online else "cash", paid=online)
    offer = dispatch.dispatch_booking(booking.pk)
    if offer is not None and offer.partner_id == partner.pk:
        dispatch.offer_accept(partner=partner, booking_id=booking.pk)
    else:
        manual.assign_manually(booking_id=booking.pk, partner_id=partner.pk, by=make_user(Role.OPS_MANAGER))
    jobs.job_advance(partner=partner, booking_id=booking.pk, status="in_transit")
    jobs.job_advance(partner=partner, booking_id=booking.pk, status="arrived")
    _, earning = jobs.job_complete(partner=partner, booking_id=booking.pk)
    return earning


def error(response) -> dict:
    body = response.json()
    assert body["success"] is False
    return body["error"]


@pytest.fixture
def finance():
    return client_for(make_user(Role.FINANCE))


@pytest.fixture
def mixed():
    """A partner with two online earnings (700 each) and one cash earning (1,180 collected, 700 earned)."""
    partner = h.partner()
    earnings = [earn(partner, 8, online=True), earn(partner, 10, online=True), earn(partner, 12)]
    return partner, earnings


def test_a_payout_pays_every_pending_earning_with_cash_kept_deducted(finance, mixed, clock_held):
    # the clock held from here: the number's date is the day the payout is made and checked on
    partner, earnings = mixed
    assert [(e.partner_earning, e.cash_collected) for e in earnings] == [
        (Decimal("700.00"), Decimal("0.00")),
        (Decimal("700.00"), Decimal("0.00")),
        (Decimal("700.00"), Decimal("1180.00")),
    ]
    partner.refresh_from_db()
    assert partner.pending_payout == Decimal("920.00")

    response = finance.post(PAYOUTS, {"partner_id": str(partner.pk)}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["success"] is True
    assert body["message"] == "Payout created"
    payout = body["data"]["payout"]
    number = body["data"]["payout_number"]
    assert re.fullmatch(rf"PO-{timezone.localdate():%Y%m%d}-\d{{3}}", number)
    assert payout["payout_number"] == number
    assert (payout["total_amount"], payout["commission_deduction"], payout["net_amount"]) == (1400, 480, 920)
    assert payout["status"] == "pending"
    assert payout["payment_method"] == "bank_transfer"
    assert payout["partner"] == {"id": str(partner.pk), "name": partner.name, "partner_code": partner.partner_code}
    row = PartnerPayout.objects.get(pk=payout["id"])
    assert row.net_amount == row.total_amount - row.commission_deduction == Decimal("920.00")
    assert set(PartnerEarning.objects.filter(partner=partner).values_list("status", "payout_id")) == {
        (EarningStatus.IN_PAYOUT, row.pk)
    }
    partner.refresh_from_db()
    assert partner.pending_payout == Decimal("0.00")


def test_the_next_payout_number_of_the_day_counts_up(finance, clock_held):
    # the clock held: both payouts are made on one day, even when midnight falls in between
    first, second = h.partner(), h.partner(at=h.MID)
    earn(first, 8, online=True)
    earning = earn(second, 8, online=True)
    assert earning.partner_id == second.pk
    numbers = [
        finance.post(PAYOUTS, {"partner_id": str(p.pk)}, format="json").json()["data"]["payout_number"]
        for p in (first, second)
    ]
    assert int(numbers[1][-3:]) == int(numbers[0][-3:]) + 1
    assert numbers[1][:-3] == numbers[0][:-3] == f"PO-{timezone.localdate():%Y%m%d}-"


def test_earnings_ids_pay_only_the_listed_earnings(finance, mixed):
    partner, (online, _, cash) = mixed

    response = finance.post(PAYOUTS, {"partner_id": str(partner.pk), "earnings_ids": [str(online.pk)]}, format="json")

    assert response.status_code == 201, response.content
    payout = response.json()["data"]["payout"]
    assert (payout["total_amount"], payout["commission_deduction"], payout["net_amount"]) == (700, 0, 700)
    statuses = dict(PartnerEarning.objects.filter(partner=partner).values_list("pk", "status"))
    assert statuses.pop(online.pk) == EarningStatus.IN_PAYOUT
    assert set(statuses.values()) == {EarningStatus.PENDING}
    partner.refresh_from_db()
    assert partner.pending_payout == Decimal("220.00")  # 920 - 700

    again = finance.post(
        PAYOUTS, {"partner_id": str(partner.pk), "earnings_ids": [str(online.pk), str(cash.pk)]}, format="json"
    )
    assert again.status_code == 409
    err = error(again)
    assert err["code"] == "EARNINGS_NOT_PENDING"
    assert err["details"]["field"] == "earnings_ids"
    assert err["details"]["context"] == {"earning_ids": [str(online.pk)]}
    assert PartnerEarning.objects.get(pk=cash.pk).status == EarningStatus.PENDING  # nothing moved
    assert PartnerPayout.objects.count() == 1


def test_another_partners_earning_is_not_pending_for_this_one(finance):
    first, second = h.partner(), h.partner(at=h.MID)
    earn(first, 8, online=True)
    theirs = earn(second, 8, online=True)

    response = finance.post(PAYOUTS, {"partner_id": str(first.pk), "earnings_ids": [str(theirs.pk)]}, format="json")

    assert response.status_code == 409
    assert error(response)["code"] == "EARNINGS_NOT_PENDING"


def test_a_partner_with_nothing_pending_or_only_cash_cannot_be_paid(finance):
    idle = h.partner()
    response = finance.post(PAYOUTS, {"partner_id": str(idle.pk)}, format="json")
    assert response.status_code == 422
    assert error(response)["code"] == "NO_PENDING_EARNINGS"

    earn(idle, 10)  # cash: they kept 1,180 of which 700 is theirs; they owe 480
    owes = finance.post(PAYOUTS, {"partner_id": str(idle.pk)}, format="json")
    assert owes.status_code == 422
    err = error(owes)
    assert err["code"] == "PAYOUT_NET_NEGATIVE"
    assert err["details"]["context"] == {"total_amount": "0.00", "commission_deduction": "480.00"}
    assert not PartnerPayout.objects.exists()
    assert PartnerEarning.objects.get(partner=idle).status == EarningStatus.PENDING


def test_an_unknown_partner_is_not_found(finance):
    response = finance.post(PAYOUTS, {"partner_id": "00000000-0000-0000-0000-000000000000"}, format="json")
    assert response.status_code == 404
    assert error(response)["code"] == "PARTNER_NOT_FOUND"


def test_processing_pays_the_earnings_and_settles_the_ledger(finance, mixed):
    partner, _ = mixed
    assert ledger_balance("partner_payable") == Decimal("-2100.00")
    payout_id = finance.post(PAYOUTS, {"partner_id": str(partner.pk)}, format="json").json()["data"]["payout"]["id"]

    response = finance.post(f"{PAYOUTS}/{payout_id}/process", {"bank_transaction_id": "UTR123"}, format="json")

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["status"] == "completed"
    assert data["payout"]["bank_transaction_id"] == "UTR123"
    assert data["payout"]["processed_at"] is not None
    earnings = PartnerEarning.objects.filter(partner=partner)
    assert {e.status for e in earnings} == {EarningStatus.PAID}
    assert all(e.paid_at is not None for e in earnings)
    assert h.ledger_balances() == {
        # the fixture marks its online bookings paid without a capture posting: completion drew on customer_funds
        "customer_funds": Decimal("2360.00"),
        "platform_commission": Decimal("-900.00"),
        "tax_payable": Decimal("-540.00"),
        "bank": Decimal("-920.00"),  # paid out: 2,100 earned less the 1,180 cash the partner kept
    }  # partner_payable (-2,100) and cash_on_hand (1,180) are settled to zero

    twice = finance.post(f"{PAYOUTS}/{payout_id}/process", {"bank_transaction_id": "UTR124"}, format="json")
    assert twice.status_code == 422
    err = error(twice)
    assert err["code"] == "INVALID_PAYOUT_STATUS"
    assert err["details"]["context"] == {"status": "completed", "requested": "completed"}
    assert PartnerPayout.objects.get(pk=payout_id).bank_transaction_id == "UTR123"
    assert ledger_balance("partner_payable") == 0  # posted once


def test_a_failed_payout_returns_its_earnings_to_pending_for_the_next_one(finance, mixed):
    partner, _ = mixed
    payout_id = finance.post(PAYOUTS, {"partner_id": str(partner.pk)}, format="json").json()["data"]["payout"]["id"]

    started = finance.post(f"{PAYOUTS}/{payout_id}/start")
    assert started.status_code == 200, started.content
    assert started.json()["data"]["status"] == "processing"

    failed = finance.post(f"{PAYOUTS}/{payout_id}/fail", {"failure_reason": "Account closed"}, format="json")
    assert failed.status_code == 200, failed.content
    assert failed.json()["data"]["status"] == "failed"
    assert failed.json()["data"]["payout"]["failure_reason"] == "Account closed"
    assert set(PartnerEarning.objects.filter(partner=partner).values_list("status", "payout_id")) == {
        (EarningStatus.PENDING, None)
    }
    partner.refresh_from_db()
    assert partner.pending_payout == Decimal("920.00")
    assert ledger_balance("partner_payable") == Decimal("-2100.00")  # nothing was settled

    retry = finance.post(PAYOUTS, {"partner_id": str(partner.pk)}, format="json")
    assert retry.status_code == 201, retry.content
    new_id = retry.json()["data"]["payout"]["id"]
    assert new_id != payout_id
    assert PartnerEarning.objects.filter(partner=partner, payout_id=new_id).count() == 3

    completed = finance.post(f"{PAYOUTS}/{new_id}/process", {"bank_transaction_id": "UTR9"}, format="json")
    assert completed.status_code == 200
    late_failure = finance.post(f"{PAYOUTS}/{new_id}/fail", {"failure_reason": "bounced"}, format="json")
    assert late_failure.status_code == 422
    assert error(late_failure)["code"] == "INVALID_PAYOUT_STATUS"
    assert PartnerPayout.objects.get(pk=new_id).status == PayoutStatus.COMPLETED
    assert set(PartnerEarning.objects.filter(partner=partner).values_list("status", flat=True)) == {EarningStatus.PAID}

    restart = finance.post(f"{PAYOUTS}/{payout_id}/start")
    assert restart.status_code == 422  # a failed payout stays failed


def test_failing_needs_a_reason_and_an_unknown_payout_is_not_found(finance, mixed):
    partner, _ = mixed
    payout_id = finance.post(PAYOUTS, {"partner_id": str(partner.pk)}, format="json").json()["data"]["payout"]["id"]
    missing_reason = finance.post(f"{PAYOUTS}/{payout_id}/fail", {}, format="json")
    assert missing_reason.status_code == 400
    assert error(missing_reason)["details"]["field"] == "failure_reason"
    unknown = finance.post(f"{PAYOUTS}/00000000-0000-0000-0000-000000000000/process", {}, format="json")
    assert unknown.status_code == 404
    assert error(unknown)["code"] == "PAYOUT_NOT_FOUND"


def payout_for(partner: Partner, *, status: str = PayoutStatus.PENDING, days_ago: int = 0) -> PartnerPayout:
    """A payout row as the list reads it (the amounts do not matter to the list)."""
    payout = PartnerPayout.objects.create(
        partner=partner,
        payout_number=f"PO-TEST-{PartnerPayout.objects.count() + 1:03d}",
        total_amount=Decimal("700.00"),
        net_amount=Decimal("700.00"),
        status=status,
    )
    if days_ago:
        PartnerPayout.objects.filter(pk=payout.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return payout


def test_the_payout_list_filters_by_partner_status_and_dates(finance):
    first, second = h.partner(), h.partner()
    old = payout_for(first, status=PayoutStatus.COMPLETED, days_ago=10)
    recent = payout_for(first)
    theirs = payout_for(second, status=PayoutStatus.FAILED)

    def ids(params=None) -> list[str]:
        response = finance.get(PAYOUTS, params or {})
        assert response.status_code == 200, response.content
        return [p["id"] for p in response.json()["data"]["payouts"]]

    assert ids() == [str(theirs.pk), str(recent.pk), str(old.pk)]  # newest first
    assert ids({"partner_id": str(first.pk)}) == [str(recent.pk), str(old.pk)]
    assert ids({"status": "failed"}) == [str(theirs.pk)]
    today = timezone.localdate()
    assert ids({"date_from": str(today - timedelta(days=1))}) == [str(theirs.pk), str(recent.pk)]
    assert ids({"date_to": str(today - timedelta(days=5))}) == [str(old.pk)]
    assert ids({"date_from": str(today - timedelta(days=11)), "date_to": str(today - timedelta(days=9))}) == [
        str(old.pk)
    ]
    page = finance.get(PAYOUTS, {"limit": 2, "page": 2}).json()["data"]
    assert [p["id"] for p in page["payouts"]] == [str(old.pk)]
    assert page["pagination"] == {"page": 2, "limit": 2, "total": 3, "total_pages": 2}

    inverted = finance.get(PAYOUTS, {"date_from": str(today), "date_to": str(today - timedelta(days=1))})
    assert inverted.status_code == 422
    assert error(inverted)["details"]["field"] == "date_to"
    unknown_status = finance.get(PAYOUTS, {"status": "lost"})
    assert unknown_status.status_code == 400
    assert error(unknown_status)["details"]["field"] == "status"


def test_the_payout_list_takes_the_same_number_of_queries_for_2_or_8_payouts(finance):
    partners = [h.partner() for _ in range(8)]
    for partner in partners[:2]:
        payout_for(partner)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = finance.get(PAYOUTS)
        assert response.status_code == 200
        return len(queries), len(response.json()["data"]["payouts"])

    few = count()
    for partner in partners[2:]:
        payout_for(partner)
    many = count()
    assert (few[1], many[1]) == (2, 8)
    assert few[0] == many[0]


def test_a_partner_sees_only_their_own_payouts(finance, mixed):
    partner, _ = mixed
    other = h.partner(at=h.MID)
    payout_for(other)
    finance.post(PAYOUTS, {"partner_id": str(partner.pk)}, format="json")

    response = client_for(partner.user).get("/api/v1/partner/payouts")

    assert response.status_code == 200, response.content
    payouts = response.json()["data"]["payouts"]
    assert [(p["partner"]["id"], p["net_amount"], p["status"]) for p in payouts] == [(str(partner.pk), 920, "pending")]
    assert response.json()["data"]["pagination"]["total"] == 1


def test_an_operations_manager_releases_one_earning_at_once(mixed):
    _partner, (online, other, _) = mixed
    ops = client_for(make_user(Role.OPS_MANAGER))

    response = ops.post(f"/api/v1/admin/earnings/{online.pk}/release", {}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["message"] == "Payment released successfully"
    assert body["data"]["earning_id"] == str(online.pk)
    payout = PartnerPayout.objects.get(payout_number=body["data"]["payout_number"])
    assert (payout.status, payout.net_amount, payout.processed_at is not None) == (
        PayoutStatus.COMPLETED,
        Decimal("700.00"),
        True,
    )
    assert list(payout.earnings.values_list("pk", flat=True)) == [online.pk]
    online.refresh_from_db()
    assert (online.status, online.paid_at is not None) == (EarningStatus.PAID, True)
    assert PartnerEarning.objects.get(pk=other.pk).status == EarningStatus.PENDING
    assert h.ledger_balances() == {
        "customer_funds": Decimal("2360.00"),  # (see test_processing_pays_the_earnings_and_settles_the_ledger)
        "cash_on_hand": Decimal("1180.00"),  # the cash job's money is still with the partner
        "partner_payable": Decimal("-1400.00"),  # the two still owed
        "platform_commission": Decimal("-900.00"),
        "tax_payable": Decimal("-540.00"),
        "bank": Decimal("-700.00"),  # the released earning, paid in full
    }

    twice = ops.post(f"/api/v1/admin/earnings/{online.pk}/release", {}, format="json")
    assert twice.status_code == 409
    assert error(twice)["code"] == "EARNINGS_NOT_PENDING"


def test_finance_may_not_release_one_earning(mixed):
    _, (online, _, _) = mixed
    response = client_for(make_user(Role.FINANCE)).post(
        f"/api/v1/admin/earnings/{online.pk}/release", {}, format="json"
    )
    assert response.status_code == 403
    assert error(response)["code"] == "FORBIDDEN"
    assert PartnerEarning.objects.get(pk=online.pk).status == EarningStatus.PENDING


def test_releasing_an_unknown_earning_is_not_found():
    ops = client_for(make_user(Role.OPS_MANAGER))
    response = ops.post("/api/v1/admin/earnings/00000000-0000-0000-0000-000000000000/release", {}, format="json")
    assert response.status_code == 404
    assert error(response)["code"] == "EARNING_NOT_FOUND"


@pytest.mark.parametrize(
    ("role", "may_create"),
    [(Role.SUPPORT, False), (Role.OPS_MANAGER, False), (Role.FINANCE, True), (Role.ADMIN, True)],
)
def test_who_may_create_payouts(mixed, role, may_create):
    partner, _ = mixed
    response = client_for(make_user(role)).post(PAYOUTS, {"partner_id": str(partner.pk)}, format="json")
    if may_create:
        assert response.status_code == 201, response.content
    else:
        assert response.status_code == 403
        assert error(response)["code"] == "FORBIDDEN"
        assert not PartnerPayout.objects.exists()


def test_support_may_not_read_or_move_payouts(mixed):
    partner, _ = mixed
    payout = payout_for(partner)
    support = client_for(make_user(Role.SUPPORT))
    assert support.get(PAYOUTS).status_code == 403
    for step in ("start", "process", "fail"):
        assert support.post(f"{PAYOUTS}/{payout.pk}/{step}", {"failure_reason": "x"}, format="json").status_code == 403
    assert PartnerPayout.objects.get(pk=payout.pk).status == PayoutStatus.PENDING


def test_a_partner_and_an_anonymous_caller_are_kept_out_of_staff_payouts(api_client, mixed):
    partner, _ = mixed
    as_partner = client_for(partner.user)
    assert as_partner.get(PAYOUTS).status_code == 403
    refused = as_partner.post(PAYOUTS, {"partner_id": str(partner.pk)}, format="json")
    assert refused.status_code == 403
    assert error(refused)["code"] == "FORBIDDEN"
    assert api_client.get(PAYOUTS).status_code == 401
    assert not PartnerPayout.objects.exists()
