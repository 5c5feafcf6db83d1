"""Disputes under real concurrency on PostgreSQL (issue #20): two resolutions of one dispute make one refund, and
a payout created while a dispute opens never pays the held earning."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from accounts.roles import Role
from bookings.models import Dispute, DisputeStatus
from bookings.services import dispute_resolution, disputes
from core.errors import DomainError
from partners.models import EarningStatus, PartnerPayout
from partners.services import payouts
from payments.models import Refund
from payments.services.ledger import ledger_trial_balance
from tests.accounts.test_concurrency import run_together
from tests.conftest import make_user
from tests.factories import PaymentFactory
from tests.partners import helpers as h
from tests.partners.test_payouts_api import earn

pytestmark = pytest.mark.django_db(transaction=True)


def _try(action):
    try:
        return action()
    except DomainError as exc:
        return exc.code


def test_two_resolutions_at_once_make_one_refund():
    assert connection.vendor == "postgresql"
    for round_ in range(3):
        earning = earn(h.partner(), 8 + 2 * round_, online=True)
        PaymentFactory(booking=earning.booking, captured=True, cash=True)
        dispute = disputes.dispute_open(
            user=earning.booking.user,
            booking_id=earning.booking_id,
            dispute_type="quality_issue",
            title="Stains",
            description="Two stains.",
        )
        managers = [make_user(Role.OPS_MANAGER), make_user(Role.ADMIN)]

        def race(i, dispute_id=dispute.pk, managers=managers):
            return _try(
                lambda: dispute_resolution.dispute_resolve(
                    actor=managers[i],
                    dispute_id=dispute_id,
                    resolution_type="partial_refund",
                    resolution_notes=f"manager {i}",
                    resolution_amount=Decimal("300.00"),
                )
            )

        results = run_together(2, race)

        won = [r for r in results if isinstance(r, dispute_resolution.Resolution)]
        assert len(won) == 1, (round_, results)
        assert [r for r in results if not isinstance(r, dispute_resolution.Resolution)] == ["INVALID_DISPUTE_STATUS"], (
            results
        )
        assert Refund.objects.filter(payment__payable_id=str(earning.booking_id)).count() == 1
        assert Dispute.objects.get(pk=dispute.pk).status == DisputeStatus.RESOLVED
        earning.refresh_from_db()
        assert earning.partner_earning == Decimal("522.03"), round_  # reduced once
        assert ledger_trial_balance() == 0


def test_a_payout_created_while_a_dispute_opens_never_pays_the_held_earning():
    assert connection.vendor == "postgresql"
    for round_ in range(4):
        partner = h.partner()
        target, other = earn(partner, 8, online=True), earn(partner, 10, online=True)

        def race(i, partner_id=partner.pk, target=target):
            if i == 0:
                return _try(lambda: payouts.payout_create(partner_id=partner_id))
            return disputes.dispute_open(
                user=target.booking.user,
                booking_id=target.booking_id,
                dispute_type="damage",
                title="Broken tile",
                description="A tile cracked.",
            )

        payout, dispute = run_together(2, race)

        assert isinstance(payout, PartnerPayout), (round_, payout)
        assert isinstance(dispute, Dispute), (round_, dispute)
        target.refresh_from_db()
        paid_ids = set(payout.earnings.values_list("pk", flat=True))
        if target.status == EarningStatus.ON_HOLD:  # the dispute's hold came first: the payout skipped it
            assert paid_ids == {other.pk}, round_
            assert target.hold_reason == "dispute"
        else:  # the payout took it first; the hold found it in the payout and left it (and said so)
            assert target.status == EarningStatus.IN_PAYOUT, (round_, target.status)
            assert paid_ids == {other.pk, target.pk}
        assert not (target.status == EarningStatus.ON_HOLD and target.pk in paid_ids)
