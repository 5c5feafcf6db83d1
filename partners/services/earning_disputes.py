"""A dispute's refund, shared with the partner (issue #20, seed 002 D5): the earning is reduced to match.

When staff resolve a dispute with a refund of ``R`` on a completed booking whose customer paid ``G`` (the grand
total), the refund is split the way the completion split the money (``partners.services.jobs._record_earning``):

* the tax part, ``R * tax / G``, comes back from ``tax_payable``;
* the rest, ``R - tax part``, is shared at the earning's ``commission_percentage``: the partner's part
  (rounded half-up to paise) comes off ``partner_earning`` and the platform's off ``platform_commission``.

The earning keeps its row: ``partner_earning``, ``platform_commission`` and ``tax`` go down, and a refund of the
whole booking leaves it at zero and ``cancelled``. One balanced ledger posting moves the same amounts back to
``customer_funds``, which the refund's own posting (``payments.services.refunds``) then pays out, so the booking's
postings net to what was kept. ``Partner.total_earnings`` and ``pending_payout`` move by the partner's part.

An earning already in a payout or paid is not touched (the money has left): the platform bears the whole refund
(``platform_commission``), and the outcome says so for the dispute's record. A booking without an earning has
nothing to share (``no_earning``).

Locks: the partner, then the earning (as holds and payouts take them); the caller holds the booking.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from catalog.pricing import ZERO, money
from core.types import Id
from partners.models import EarningStatus, Partner
from partners.services.earning_holds import earning_lock
from payments.services.ledger import ledger_post

BOOKING_PAYABLE = "booking"

SHARED = "shared"  # the earning was reduced by the partner's part
PLATFORM_BORE = "platform_bore"  # the earning had left already: the platform bears the refund
NO_EARNING = "no_earning"


@dataclass(frozen=True)
class RefundShare:
    outcome: str
    partner_part: Decimal
    platform_part: Decimal
    tax_part: Decimal
    earning_before: Decimal | None
    earning_after: Decimal | None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "outcome": self.outcome,
            "partner_part": str(self.partner_part),
            "platform_part": str(self.platform_part),
            "tax_part": str(self.tax_part),
            "earning_before": None if self.earning_before is None else str(self.earning_before),
            "earning_after": None if self.earning_after is None else str(self.earning_after),
        }


def split_refund(*, refund: Decimal, grand_total: Decimal, tax: Decimal, percentage: Decimal) -> tuple[Decimal, ...]:
    """``(partner part, platform part, tax part)`` of a refund, summing to it exactly."""
    refund = money(refund)
    if refund <= 0 or grand_total <= 0:
        return ZERO, ZERO, ZERO
    tax_part = min(money(refund * tax / grand_total), tax)
    rest = refund - tax_part
    partner_part = money(rest * percentage / 100)
    return partner_part, rest - partner_part, tax_part


def earning_share_refund(*, booking_id: Id, refund_amount: Decimal, grand_total: Decimal, memo: str) -> RefundShare:
    """Reduce the booking's earning by the partner's part of ``refund_amount`` (module docstring)."""
    refund_amount = money(refund_amount)
    with transaction.atomic():
        earning = earning_lock(booking_id)
        if earning is None or refund_amount <= 0:
            return RefundShare(NO_EARNING, ZERO, ZERO, ZERO, None, None)
        before = earning.partner_earning
        if earning.status not in (EarningStatus.PENDING, EarningStatus.ON_HOLD):
            ledger_post(
                lines=[("customer_funds", -refund_amount), ("platform_commission", refund_amount)],
                memo=memo,
                reference=(BOOKING_PAYABLE, str(booking_id)),
            )
            return RefundShare(PLATFORM_BORE, ZERO, refund_amount, ZERO, before, before)
        partner_part, platform_part, tax_part = split_refund(
            refund=refund_amount,
            grand_total=grand_total,
            tax=earning.tax,
            percentage=earning.commission_percentage,
        )
        partner_part = min(partner_part, earning.partner_earning)
        platform_part = refund_amount - tax_part - partner_part
        old_value, was_pending = earning.payout_value, earning.status == EarningStatus.PENDING
        earning.partner_earning -= partner_part
        earning.platform_commission -= platform_part
        earning.tax -= tax_part
        fields = ["partner_earning", "platform_commission", "tax", "updated_at"]
        if refund_amount >= grand_total:
            earning.status, earning.hold_reason = EarningStatus.CANCELLED, ""
            fields += ["status", "hold_reason"]
        earning.save(update_fields=fields)
        ledger_post(
            lines=[
                ("customer_funds", -refund_amount),
                ("partner_payable", partner_part),
                ("platform_commission", platform_part),
                ("tax_payable", tax_part),
            ],
            memo=memo,
            reference=(BOOKING_PAYABLE, str(booking_id)),
        )
        # pending_payout counts pending earnings only: a held one is off it (earning_holds) until released, and a
        # cancelled one is never released
        payout_delta = ZERO
        if was_pending:
            payout_delta = (earning.payout_value if earning.status == EarningStatus.PENDING else ZERO) - old_value
        Partner.objects.filter(pk=earning.partner_id).update(
            total_earnings=F("total_earnings") - partner_part,
            pending_payout=F("pending_payout") + payout_delta,
            updated_at=timezone.now(),
        )
    return RefundShare(SHARED, partner_part, platform_part, tax_part, before, earning.partner_earning)
