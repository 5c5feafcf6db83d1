"""Double-entry ledger (seed 000 table 11 grown up).

A posting is two or more entries in one transaction that sum to zero:
positive amounts are debits, negative credits. :func:`ledger_post` refuses an
unbalanced posting; nothing is ever updated or deleted (the model refuses it
and a database trigger backs that), so a correction is a new posting.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from payments.models import LedgerAccount, LedgerAccountKind, LedgerEntry, Payment, Refund

ACCOUNTS: dict[str, tuple[str, str]] = {
    "gateway_receivable": ("Money held by the payment gateway for us", LedgerAccountKind.ASSET),
    "cash_on_hand": ("Cash and manual payments collected", LedgerAccountKind.ASSET),
    "customer_funds": ("Customers' payments, owed to what they bought", LedgerAccountKind.LIABILITY),
    "gateway_fees": ("Payment gateway fees", LedgerAccountKind.EXPENSE),
    "platform_commission": ("Platform commission", LedgerAccountKind.REVENUE),
    "partner_payable": ("Earnings owed to partners", LedgerAccountKind.LIABILITY),
    "tax_payable": ("GST collected, owed to the government", LedgerAccountKind.LIABILITY),
    "bank": ("Platform bank account", LedgerAccountKind.ASSET),
}


def ledger_account(code: str) -> LedgerAccount:
    name, kind = ACCOUNTS[code]
    account, _ = LedgerAccount.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    return account


def ledger_post(
    *,
    lines: list[tuple[str, Decimal]],
    memo: str,
    payment: Payment | None = None,
    refund: Refund | None = None,
    currency: str = "INR",
) -> uuid.UUID:
    """Write one balanced posting; ``lines`` are ``(account code, signed amount)``."""
    lines = [(code, Decimal(amount)) for code, amount in lines if Decimal(amount) != 0]
    if len(lines) < 2 or sum(amount for _, amount in lines) != 0:
        raise ValueError(f"Unbalanced ledger posting: {lines}")
    posting_id = uuid.uuid4()
    payable_type = payment.payable_type if payment else ""
    payable_id = payment.payable_id if payment else ""
    with transaction.atomic():
        LedgerEntry.objects.bulk_create(
            [
                LedgerEntry(
                    posting_id=posting_id,
                    account=ledger_account(code),
                    amount=amount,
                    currency=currency,
                    payment=payment,
                    refund=refund,
                    payable_type=payable_type,
                    payable_id=payable_id,
                    memo=memo,
                )
                for code, amount in lines
            ]
        )
    return posting_id


def ledger_balance(code: str) -> Decimal:
    total = LedgerEntry.objects.filter(account__code=code).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")


def ledger_trial_balance() -> Decimal:
    """The sum of every entry in every account: zero, always."""
    return LedgerEntry.objects.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
