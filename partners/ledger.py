"""The ledger accounts the partners app posts to: a completed job's split and payouts (``payments.services.ledger``).

A completion moves the customer's money (``customer_funds``) to the partner's
share (``partner_payable``), the platform's commission and the GST owed; a payout
pays ``partner_payable`` from the bank, less the cash the partner collected.
Migration ``partners.0004`` creates the rows.
"""

from __future__ import annotations

from payments.models import LedgerAccountKind
from payments.services.ledger import register_account

ACCOUNTS = (
    ("platform_commission", "Platform commission", LedgerAccountKind.REVENUE),
    ("partner_payable", "Earnings owed to partners", LedgerAccountKind.LIABILITY),
    ("tax_payable", "GST collected, owed to the government", LedgerAccountKind.LIABILITY),
)

# What a posting that is not a payment's is for (the ledger entry's reference).
PAYOUT_REFERENCE = "partners.payout"


def register() -> None:
    for code, name, kind in ACCOUNTS:
        register_account(code, name, kind)
