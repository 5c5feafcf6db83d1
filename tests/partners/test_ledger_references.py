"""Ledger postings say what they are for: a completion joins to its booking and a payout to its payout (whose
earnings name the bookings), and each leg of a completion moves the right account by the right amount."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from payments.models import LedgerAccount, LedgerEntry
from tests.partners import helpers as h
from tests.partners.test_payouts_api import PAYOUTS, earn, finance, mixed  # noqa: F401

pytestmark = pytest.mark.django_db


def movement(**filters) -> dict[str, Decimal]:
    rows = LedgerEntry.objects.filter(**filters).values("account__code").annotate(total=Sum("amount"))
    return {row["account__code"]: row["total"] for row in rows}


def test_a_completion_posting_is_joined_to_its_booking_and_splits_commission_and_tax():
    partner = h.partner()

    earning = earn(partner, 10, online=True)  # 1,000 + 18% GST, paid online; 30% commission

    legs = movement(payable_type="bookings.booking", payable_id=str(earning.booking_id), payment__isnull=True)
    assert legs == {
        "customer_funds": Decimal("1180.00"),
        "partner_payable": Decimal("-700.00"),
        "platform_commission": Decimal("-300.00"),
        "tax_payable": Decimal("-180.00"),
    }


def test_a_payout_posting_is_joined_to_its_payout(finance, mixed):  # noqa: F811
    partner, earnings = mixed
    payout_id = finance.post(PAYOUTS, {"partner_id": str(partner.pk)}, format="json").json()["data"]["payout"]["id"]

    assert finance.post(f"{PAYOUTS}/{payout_id}/process", {}, format="json").status_code == 200

    assert movement(payable_type="partners.payout", payable_id=payout_id) == {
        "partner_payable": Decimal("2100.00"),
        "cash_on_hand": Decimal("-1180.00"),
        "bank": Decimal("-920.00"),
    }
    paid_for = {str(e.booking_id) for e in earnings}
    assert paid_for == {
        str(b) for b in partner.earnings.filter(payout_id=payout_id).values_list("booking_id", flat=True)
    }


def test_every_registered_ledger_account_exists_from_the_migrations():
    from payments.services.ledger import registered_accounts

    assert set(registered_accounts()) <= set(LedgerAccount.objects.values_list("code", flat=True))
    assert {"platform_commission", "partner_payable", "tax_payable", "customer_funds"} <= set(registered_accounts())
