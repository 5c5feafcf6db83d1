"""Double-entry ledger (seed 000 table 11 grown up).

A posting is two or more entries in one transaction that sum to zero:
positive amounts are debits, negative credits. :func:`ledger_post` refuses an
unbalanced posting; nothing is ever updated or deleted (the model refuses it
and a database trigger backs that), so a correction is a new posting.

Accounts are registered by the app that posts to them (:func:`register_account`;
the payments layer's own five below, partners' commission, payable and tax in
``PartnersConfig.ready``) and created by each app's data migration.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from payments.models import LedgerAccount, LedgerAccountKind, LedgerEntry, Payment, Refund


@dataclass(frozen=True)
class Account:
    code: str
    name: str
    kind: str


_accounts: dict[str, Account] = {}


def register_account(code: str, name: str, kind: str) -> None:
    """Declare a ledger account (the app that posts to it does, in its ``AppConfig.ready``).

    A data migration of the same app creates the row; :func:`ledger_account` also
    creates it when missing (a test database flushed between tests).
    """
    account = Account(code, name, kind)
    if _accounts.get(code, account) != account:
        raise ValueError(f"Ledger account {code!r} is already registered differently.")
    _accounts[code] = account


def registered_accounts() -> dict[str, Account]:
    return dict(_accounts)


# The payments layer's own accounts: money in and out through gateways, cash and the bank.
PAYMENTS_ACCOUNTS = (
    Account("gateway_receivable", "Money held by the payment gateway for us", LedgerAccountKind.ASSET),
    Account("cash_on_hand", "Cash and manual payments collected", LedgerAccountKind.ASSET),
    Account("customer_funds", "Customers' payments, owed to what they bought", LedgerAccountKind.LIABILITY),
    Account("gateway_fees", "Payment gateway fees", LedgerAccountKind.EXPENSE),
    Account("bank", "Platform bank account", LedgerAccountKind.ASSET),
)
for _account in PAYMENTS_ACCOUNTS:
    register_account(_account.code, _account.name, _account.kind)


def ledger_account(code: str) -> LedgerAccount:
    try:
        declared = _accounts[code]
    except KeyError:
        raise ValueError(f"No ledger account {code!r} is registered.") from None
    account, _ = LedgerAccount.objects.get_or_create(code=code, defaults={"name": declared.name, "kind": declared.kind})
    return account


def ledger_post(
    *,
    lines: list[tuple[str, Decimal]],
    memo: str,
    payment: Payment | None = None,
    refund: Refund | None = None,
    reference: tuple[str, str] | None = None,
    currency: str = "INR",
) -> uuid.UUID:
    """Write one balanced posting; ``lines`` are ``(account code, signed amount)``.

    Every entry says what the posting is for: the payment's payable when there
    is a payment, else ``reference`` (``(type, id)``: a completed booking, a
    payout), so a posting can be joined to its booking without reading its memo.
    """
    lines = [(code, Decimal(amount)) for code, amount in lines if Decimal(amount) != 0]
    if len(lines) < 2 or sum(amount for _, amount in lines) != 0:
        raise ValueError(f"Unbalanced ledger posting: {lines}")
    posting_id = uuid.uuid4()
    payable_type, payable_id = (payment.payable_type, payment.payable_id) if payment else (reference or ("", ""))
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
