"""Earnings on hold while a sign-off is pending (issue #20, seed 002 S7, D4, E; partners.services.earning_holds):
the request holds the partner's earning, payouts skip it, signing or an expiry releases it, a refusal keeps it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from accounts.roles import Role
from bookings import hooks
from bookings.models import BookingSignature
from bookings.services.signatures import signatures_expire_due
from core.errors import DomainError
from partners.models import ZERO, EarningStatus, Partner, PartnerEarning, PartnerPayout
from partners.services import earning_holds, payouts
from tests.accounts.helpers import assert_error
from tests.accounts.test_concurrency import RowLockHolder, run_together, start, wait_until_blocked
from tests.bookings.test_signatures_api import age
from tests.conftest import client_for, make_user
from tests.partners import helpers as h
from tests.partners.test_payouts_api import earn

pytestmark = pytest.mark.django_db

PAYOUTS = "/api/v1/admin/payouts"


@pytest.fixture
def finance():
    return client_for(make_user(Role.FINANCE))


def request_signoff(earning: PartnerEarning) -> str:
    response = client_for(earning.partner.user).post(f"/api/v1/bookings/{earning.booking_id}/request_signature")
    assert response.status_code == 201, response.content
    return response.json()["data"]["signature_id"]


def customer_of(earning: PartnerEarning):
    return client_for(earning.booking.user)


def status_of(earning: PartnerEarning) -> tuple[str, str]:
    earning.refresh_from_db()
    return earning.status, earning.hold_reason


def pending_payout(partner: Partner) -> Decimal:
    partner.refresh_from_db()
    return partner.pending_payout


@pytest.fixture
def two_online():
    """A partner with two online earnings of 700 each."""
    partner = h.partner()
    return partner, earn(partner, 8, online=True), earn(partner, 10, online=True)


def test_a_held_earning_is_skipped_by_payouts_until_the_customer_signs(finance, two_online):
    partner, held, other = two_online
    assert pending_payout(partner) == Decimal("1400.00")

    signature_id = request_signoff(held)

    assert status_of(held) == (EarningStatus.ON_HOLD, "signature_pending")
    assert pending_payout(partner) == Decimal("700.00")  # what a payout can pay now
    first = finance.post(PAYOUTS, {"partner_id": str(partner.pk)}, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["data"]["payout"]["net_amount"] == 700.0
    assert status_of(other)[0] == EarningStatus.IN_PAYOUT
    assert status_of(held) == (EarningStatus.ON_HOLD, "signature_pending")
    nothing = finance.post(PAYOUTS, {"partner_id": str(partner.pk)}, format="json")
    assert_error(nothing, 422, "NO_PENDING_EARNINGS")
    listed = finance.post(PAYOUTS, {"partner_id": str(partner.pk), "earnings_ids": [str(held.pk)]}, format="json")
    assert_error(listed, 422, "EARNING_ON_HOLD")

    signed = customer_of(held).post(
        f"/api/v1/signatures/{signature_id}/sign", {"satisfaction_rating": 5}, format="json"
    )

    assert signed.status_code == 200, signed.content
    assert status_of(held) == (EarningStatus.PENDING, "")
    assert pending_payout(partner) == Decimal("700.00")  # the first payout took 700, the signed one is back
    second = finance.post(PAYOUTS, {"partner_id": str(partner.pk)}, format="json")
    assert second.status_code == 201, second.content
    payout_id = second.json()["data"]["payout"]["id"]
    paid = finance.post(f"{PAYOUTS}/{payout_id}/process", {"bank_transaction_id": "UTR1"}, format="json")
    assert paid.status_code == 200, paid.content
    assert status_of(held)[0] == EarningStatus.PAID


def test_releasing_a_held_earning_at_once_is_refused(two_online):
    _, held, _ = two_online
    request_signoff(held)
    ops = client_for(make_user(Role.OPS_MANAGER))

    response = ops.post(f"/api/v1/admin/earnings/{held.pk}/release", {}, format="json")

    assert_error(response, 422, "EARNING_ON_HOLD")
    assert response.json()["error"]["details"]["context"] == {"hold_reason": "signature_pending"}
    assert status_of(held) == (EarningStatus.ON_HOLD, "signature_pending")


def test_an_expired_request_releases_the_earning(two_online):
    partner, held, _ = two_online
    signature_id = request_signoff(held)
    age(signature_id, 49)

    assert signatures_expire_due() == 1

    assert BookingSignature.objects.get(pk=signature_id).status == "expired"
    assert status_of(held) == (EarningStatus.PENDING, "")
    assert pending_payout(partner) == Decimal("1400.00")
    again = request_signoff(held)  # the partner may ask again: held again
    assert again != signature_id
    assert status_of(held) == (EarningStatus.ON_HOLD, "signature_pending")


def test_a_refused_request_keeps_the_earning_held_by_the_dispute_it_opens(finance, two_online):
    partner, held, _ = two_online
    signature_id = request_signoff(held)

    refused = customer_of(held).post(f"/api/v1/signatures/{signature_id}/refuse", {"reason": "Not done"}, format="json")

    assert refused.status_code == 200, refused.content
    assert status_of(held) == (EarningStatus.ON_HOLD, "dispute")
    payout = finance.post(PAYOUTS, {"partner_id": str(partner.pk)}, format="json")
    assert payout.status_code == 201
    assert status_of(held)[0] == EarningStatus.ON_HOLD


def test_the_earnings_summary_and_list_show_what_is_on_hold(two_online):
    partner, held, _ = two_online
    request_signoff(held)
    client = client_for(partner.user)

    summary = client.get("/api/v1/partner/earnings/summary").json()["data"]
    page = client.get("/api/v1/partner/earnings").json()["data"]
    only_held = client.get("/api/v1/partner/earnings", {"status": "on_hold"}).json()["data"]

    assert summary["pending_earnings"] == 700.0
    assert summary["on_hold_earnings"] == 700.0
    assert summary["total_earnings"] == 1400.0
    assert (page["pending"], page["on_hold"]) == (700.0, 700.0)
    assert [(e["id"], e["status"], e["hold_reason"]) for e in only_held["earnings"]] == [
        (str(held.pk), "on_hold", "signature_pending")
    ]
    detail = client_for(make_user(Role.OPS_MANAGER)).get(f"/api/v1/admin/partners/{partner.pk}").json()["data"]
    assert detail["earnings"]["on_hold"] == 700.0


def test_a_hold_leaves_an_earning_in_a_payout_alone_and_says_so(finance, two_online):
    partner, held, _ = two_online
    finance.post(PAYOUTS, {"partner_id": str(partner.pk)}, format="json")

    outcome = earning_holds.earning_hold(booking_id=held.booking_id, reason="signature_pending")

    assert outcome.outcome == EarningStatus.IN_PAYOUT
    assert status_of(held) == (EarningStatus.IN_PAYOUT, "")
    assert earning_holds.earning_hold_release(booking_id=held.booking_id, reason="signature_pending").outcome == (
        earning_holds.NOT_HELD
    )


def test_one_reason_at_a_time_a_dispute_outranks_the_sign_off(two_online):
    partner, held, _ = two_online
    booking_id = held.booking_id
    assert earning_holds.earning_hold(booking_id=booking_id, reason="signature_pending").outcome == "held"
    assert earning_holds.earning_hold(booking_id=booking_id, reason="dispute").outcome == "already_held"
    assert status_of(held) == (EarningStatus.ON_HOLD, "dispute")
    assert earning_holds.earning_hold(booking_id=booking_id, reason="signature_pending").outcome == "already_held"
    assert status_of(held) == (EarningStatus.ON_HOLD, "dispute")

    assert earning_holds.earning_hold_release(booking_id=booking_id, reason="signature_pending").outcome == (
        earning_holds.OTHER_REASON
    )
    assert status_of(held)[0] == EarningStatus.ON_HOLD
    assert earning_holds.earning_hold_release(booking_id=booking_id, reason="dispute").outcome == "released"
    assert status_of(held) == (EarningStatus.PENDING, "")
    assert pending_payout(partner) == Decimal("1400.00")
    with pytest.raises(ValueError):
        earning_holds.earning_hold(booking_id=booking_id, reason="whim")


def test_a_booking_without_an_earning_has_nothing_to_hold():
    booking = h.booking(start=h.next_weekday_at(9))
    assert earning_holds.earning_hold(booking_id=booking.pk, reason="signature_pending").outcome == "no_earning"
    assert earning_holds.earning_hold_release(booking_id=booking.pk, reason="signature_pending").earning is None


def test_without_partners_the_port_holds_nothing():
    port = hooks.NoPartners()
    assert port.earning_hold(booking_id=1, reason="signature_pending") is None
    assert port.earning_release(booking_id=1, reason="signature_pending") is None


def test_the_registered_port_holds_and_releases(two_online):
    _, held, _ = two_online
    hooks.partners().earning_hold(booking_id=held.booking_id, reason="signature_pending")
    assert status_of(held)[0] == EarningStatus.ON_HOLD
    hooks.partners().earning_release(booking_id=held.booking_id, reason="signature_pending")
    assert status_of(held)[0] == EarningStatus.PENDING
    assert payouts.payout_create(partner_id=held.partner_id).net_amount == Decimal("1400.00")


# --- races, with real threads on PostgreSQL (each thread its own connection) ------------------------------------


def _try(action):
    try:
        return action()
    except DomainError as exc:
        return exc.code


@pytest.mark.django_db(transaction=True)
def test_a_payout_and_a_hold_at_once_never_pay_the_held_earning():
    assert connection.vendor == "postgresql"
    for round_ in range(4):
        partner = h.partner()
        target, other = earn(partner, 8, online=True), earn(partner, 10, online=True)

        def race(i, partner_id=partner.pk, booking_id=target.booking_id):
            if i == 0:
                return _try(lambda: payouts.payout_create(partner_id=partner_id))
            return earning_holds.earning_hold(booking_id=booking_id, reason="signature_pending")

        payout, hold = run_together(2, race)

        status, _ = status_of(target)
        assert isinstance(payout, PartnerPayout), (round_, payout)
        if hold.outcome == earning_holds.HELD:  # the hold won: the payout skipped the earning
            assert status == EarningStatus.ON_HOLD, round_
            assert list(payout.earnings.values_list("pk", flat=True)) == [other.pk]
        else:  # the payout took it first: the hold says so and leaves it in the payout
            assert hold.outcome == EarningStatus.IN_PAYOUT, (round_, hold)
            assert status == EarningStatus.IN_PAYOUT
        assert pending_payout(partner) == ZERO  # all paid out, or 700 paid out and 700 held


@pytest.mark.django_db(transaction=True)
def test_a_hold_waits_for_a_payout_being_created_and_then_leaves_the_earning_in_it():
    partner = h.partner()
    target = earn(partner, 8, online=True)

    with RowLockHolder(lambda: payouts.payout_create(partner_id=partner.pk)) as holder:
        call, outcome = start(
            lambda: earning_holds.earning_hold(booking_id=target.booking_id, reason="signature_pending")
        )
        blocked = wait_until_blocked(call, holder)
        assert call.is_alive()  # it waits for the partner's row the payout locked
        assert len(blocked) == 1, blocked
        assert blocked[0].startswith('SELECT "partners_partner".'), blocked  # the partner's row is locked first
    call.join(timeout=60)

    assert outcome["result"].outcome == EarningStatus.IN_PAYOUT
    assert status_of(target) == (EarningStatus.IN_PAYOUT, "")
    assert pending_payout(partner) == ZERO


@pytest.mark.django_db(transaction=True)
def test_a_payout_waits_for_a_hold_being_put_and_then_skips_the_earning():
    partner = h.partner()
    target, other = earn(partner, 8, online=True), earn(partner, 10, online=True)

    with RowLockHolder(
        lambda: earning_holds.earning_hold(booking_id=target.booking_id, reason="signature_pending")
    ) as holder:
        call, outcome = start(lambda: payouts.payout_create(partner_id=partner.pk))
        blocked = wait_until_blocked(call, holder)
        assert call.is_alive()
        assert len(blocked) == 1, blocked
        assert blocked[0].startswith('SELECT "partners_partner".'), blocked  # the partner's row is locked first
    call.join(timeout=60)

    payout = outcome["result"]
    assert list(payout.earnings.values_list("pk", flat=True)) == [other.pk]
    assert status_of(target) == (EarningStatus.ON_HOLD, "signature_pending")
    assert pending_payout(partner) == ZERO  # 700 paid out, 700 held
