"""Payouts (seed 000 table 17, "Partner Payouts"): pay a partner's pending earnings.

* Create: all pending earnings of the partner, or the listed ones (each must
  be pending and the partner's, else ``409 EARNINGS_NOT_PENDING``). The
  partner row is locked first, then the earnings, and each earning is moved
  by a guarded ``UPDATE ... WHERE status = 'pending'``: an earning is never in
  two payouts, also when two staff create payouts at once.
* Amounts: ``total_amount`` is what the platform owes for the included jobs
  paid online; ``commission_deduction`` is the platform's part (commission
  and tax) of the cash the partner collected on included cash jobs; the
  partner keeps their own share of that cash. ``net_amount`` =
  total - deduction, and a payout whose net would be negative (the partner
  owes more than they are owed) is refused (``422 PAYOUT_NET_NEGATIVE``).
* ``PO-YYYYMMDD-NNN`` from a per-day counter. Status: pending → processing
  → completed / failed; pending may complete or fail directly. Completing
  twice, or failing a completed payout, is ``422 INVALID_PAYOUT_STATUS``.
* Failed: the earnings return to pending. Completed: they are paid, and one
  ledger posting settles ``partner_payable`` against the bank transfer and
  the cash the partner kept.
* Seed 002 "release payment": one earning paid out at once (a payout of one,
  completed). An earning ``on_hold`` (a sign-off pending, a dispute open:
  ``partners.services.earning_holds``) is never paid: a payout of all pending
  earnings skips it, and releasing it or listing it is ``422 EARNING_ON_HOLD``.
* Release date (seed 002 E): an earning is payable from its ``release_date`` (completion day +
  ``EARNING_RELEASE_DAYS``; none on older rows: payable). A payout of all pending earnings leaves the ones not yet
  due; listing or releasing one is ``422 EARNING_ON_HOLD`` naming ``release_date`` and the day.
* Staff moves are audited with before and after (``create_payout``,
  ``start_payout``, ``process_payout``, ``fail_payout``, ``release_earning``;
  ``partners.services.auditing``).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from catalog.pricing import ZERO
from core.errors import DomainError
from core.sequences import next_value
from core.statemachine import StateMachine
from core.types import Id
from notifications.services import notify
from partners.errors import PartnerErrorCode
from partners.ledger import PAYOUT_REFERENCE
from partners.models import (
    PAYOUT_TRANSITIONS,
    EarningStatus,
    Partner,
    PartnerEarning,
    PartnerPayout,
    PayoutMethod,
    PayoutStatus,
)
from partners.services.auditing import staff_change, staff_created
from payments.services.ledger import ledger_post


def _payout_number() -> str:
    today = timezone.localdate()
    return f"PO-{today:%Y%m%d}-{next_value(f'payout:{today:%Y%m%d}'):03d}"


def payout_create(
    *,
    partner_id: Id,
    earning_ids: Iterable[Id] | None = None,
    payment_method: str = PayoutMethod.BANK_TRANSFER,
    by: User | None = None,
    notes: str = "",
) -> PartnerPayout:
    with transaction.atomic():
        partner = Partner.objects.select_for_update().filter(pk=partner_id).first()
        if partner is None:
            raise DomainError("Partner not found.", code=PartnerErrorCode.PARTNER_NOT_FOUND, field="partner_id")
        rows = PartnerEarning.objects.select_for_update().filter(partner=partner, status=EarningStatus.PENDING)
        if earning_ids is not None:
            wanted = {str(pk) for pk in earning_ids}
            rows = rows.filter(pk__in=wanted)
        earnings = list(rows.order_by("created_at"))
        today = timezone.localdate()
        if earning_ids is not None:
            early = next((e for e in earnings if e.release_date and e.release_date > today), None)
            if early is not None:
                raise _not_due(early)
        else:
            earnings = [e for e in earnings if not e.release_date or e.release_date <= today]
        if earning_ids is not None and len(earnings) != len(wanted):
            missing = sorted(wanted - {str(e.pk) for e in earnings})
            held = PartnerEarning.objects.filter(partner=partner, pk__in=missing, status=EarningStatus.ON_HOLD).first()
            if held is not None:
                raise _on_hold(held)
            raise DomainError(
                "Some earnings are not pending earnings of this partner.",
                code=PartnerErrorCode.EARNINGS_NOT_PENDING,
                field="earnings_ids",
                reason="not_pending",
                context={"earning_ids": missing},
            )
        if not earnings:
            raise DomainError(
                "This partner has no pending earnings to pay out.",
                code=PartnerErrorCode.NO_PENDING_EARNINGS,
                reason="nothing_pending",
            )
        total, deduction = payout_totals(earnings)
        net = total - deduction
        if net < 0:
            raise DomainError(
                f"The partner owes the platform {-net} on these earnings; nothing can be paid out.",
                code=PartnerErrorCode.PAYOUT_NET_NEGATIVE,
                reason="partner_owes",
                context={"total_amount": str(total), "commission_deduction": str(deduction)},
            )
        payout = PartnerPayout.objects.create(
            partner=partner,
            payout_number=_payout_number(),
            total_amount=total,
            commission_deduction=deduction,
            net_amount=net,
            payment_method=payment_method,
            created_by=by,
            notes=notes,
        )
        moved = PartnerEarning.objects.filter(pk__in=[e.pk for e in earnings], status=EarningStatus.PENDING).update(
            status=EarningStatus.IN_PAYOUT, payout=payout, updated_at=timezone.now()
        )
        if moved != len(earnings):  # pragma: no cover - the locks above make this impossible
            raise DomainError(
                "Earnings changed while paying out; try again.", code=PartnerErrorCode.EARNINGS_NOT_PENDING
            )
        Partner.objects.filter(pk=partner.pk).update(pending_payout=F("pending_payout") - net)
        staff_created(
            payout,
            action="create_payout",
            actor=by,
            extra={"earning_ids": [str(e.pk) for e in earnings], "earnings_count": len(earnings)},
        )
    return payout


# Every payout status write goes through this. Processing or failing a payout twice is a 422, not a no-op:
# the person asking is told it already happened (and nothing is posted twice).
PAYOUT_STATES = StateMachine(
    model=PartnerPayout,
    transitions=PAYOUT_TRANSITIONS,
    error_code=PartnerErrorCode.INVALID_PAYOUT_STATUS,
    thing="payout",
    refuse_repeats=True,
)


def _lock_payout(payout_id: Id) -> PartnerPayout:
    payout = PartnerPayout.objects.select_for_update().filter(pk=payout_id).first()
    if payout is None:
        raise DomainError("Payout not found.", code=PartnerErrorCode.PAYOUT_NOT_FOUND, field="id")
    return payout


def payout_start(*, payout_id: Id, by: User | None = None) -> PartnerPayout:
    """The transfer has been sent to the bank: ``processing``."""
    with transaction.atomic():
        payout = _lock_payout(payout_id)
        with staff_change(payout, action="start_payout", actor=by):
            PAYOUT_STATES.move(payout, PayoutStatus.PROCESSING, changes={"processed_by": by})
    return payout


def payout_process(
    *,
    payout_id: Id,
    by: User | None = None,
    bank_transaction_id: str = "",
    upi_transaction_id: str = "",
    notes: str = "",
) -> PartnerPayout:
    """The money reached the partner: ``completed``, earnings paid, ledger settled."""
    with transaction.atomic():
        payout = _lock_payout(payout_id)
        earnings = list(payout.earnings.all())
        paid = {"earnings_paid": [str(e.pk) for e in earnings]}
        with staff_change(payout, action="process_payout", actor=by, extra=paid):
            now = timezone.now()
            done = {
                "processed_at": now,
                "processed_by": by,
                "bank_transaction_id": bank_transaction_id or payout.bank_transaction_id,
                "upi_transaction_id": upi_transaction_id or payout.upi_transaction_id,
                "notes": "\n".join(filter(None, [payout.notes, notes])),
            }
            PAYOUT_STATES.move(payout, PayoutStatus.COMPLETED, changes=done)
            payout.earnings.update(status=EarningStatus.PAID, paid_at=now, updated_at=now)
        owed = sum((e.partner_earning for e in earnings), ZERO)
        cash = sum((e.cash_collected for e in earnings), ZERO)
        ledger_post(
            lines=[("partner_payable", owed), ("cash_on_hand", -cash), ("bank", -payout.net_amount)],
            memo=f"Payout {payout.payout_number} to {payout.partner_id}",
            reference=(PAYOUT_REFERENCE, str(payout.pk)),  # its earnings name the bookings
        )
        notify(
            "payout_processed",
            user=payout.partner.user,
            context={"payout_number": payout.payout_number, "amount": f"{payout.net_amount:.2f}"},
            data={"payout_id": str(payout.pk), "payout_number": payout.payout_number},
        )
    return payout


def payout_fail(*, payout_id: Id, reason: str, by: User | None = None) -> PartnerPayout:
    """The transfer failed: ``failed``, and the earnings are pending again for the next payout."""
    with transaction.atomic():
        payout = _lock_payout(payout_id)
        returned = {"earnings_returned": [str(pk) for pk in payout.earnings.values_list("pk", flat=True)]}
        with staff_change(payout, action="fail_payout", actor=by, extra=returned):
            PAYOUT_STATES.move(payout, PayoutStatus.FAILED, changes={"failure_reason": reason, "processed_by": by})
            payout.earnings.update(status=EarningStatus.PENDING, payout=None, updated_at=timezone.now())
            Partner.objects.filter(pk=payout.partner_id).update(pending_payout=F("pending_payout") + payout.net_amount)
    return payout


def earning_release(
    *, earning_id: Id, by: User | None = None, payment_method: str = PayoutMethod.BANK_TRANSFER
) -> PartnerPayout:
    """Seed 002: pay one earning now (a payout of one, completed); one on hold is 422 ``EARNING_ON_HOLD`` (D4, from
    ``payout_create`` under its locks)."""
    earning = PartnerEarning.objects.filter(pk=earning_id).first()
    if earning is None:
        raise DomainError("Earning not found.", code=PartnerErrorCode.EARNING_NOT_FOUND, field="id")
    released: dict[str, Any] = {}
    with transaction.atomic(), staff_change(earning, action="release_earning", actor=by, extra=released):
        payout = payout_create(
            partner_id=earning.partner_id, earning_ids=[earning_id], payment_method=payment_method, by=by
        )
        payout = payout_process(payout_id=payout.pk, by=by, notes="Released on its own")
        released["payout_number"] = payout.payout_number
    return payout


def _on_hold(earning: PartnerEarning) -> DomainError:
    return DomainError(
        "This earning is on hold and cannot be paid out yet.",
        code=PartnerErrorCode.EARNING_ON_HOLD,
        field="earnings_ids",
        reason=earning.hold_reason or "on_hold",
        context={"hold_reason": earning.hold_reason},
    )


def _not_due(earning: PartnerEarning) -> DomainError:
    day = earning.release_date.isoformat() if earning.release_date else ""
    return DomainError(
        f"This earning is payable from {day}.",
        code=PartnerErrorCode.EARNING_ON_HOLD,
        field="release_date",
        reason="not_due",
        context={"release_date": day, "earning_id": str(earning.pk)},
    )


def payout_totals(earnings: Iterable[PartnerEarning]) -> tuple[Decimal, Decimal]:
    """``(total_amount, commission_deduction)`` of a set of earnings."""
    total = sum((e.partner_earning for e in earnings if not e.cash_collected), ZERO)
    deduction = sum((e.cash_collected - e.partner_earning for e in earnings if e.cash_collected), ZERO)
    return total, deduction
