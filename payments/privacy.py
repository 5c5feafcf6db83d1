"""The payments app's personal data (core.privacy): the person's payments and their refunds.

Payments, refunds and ledger entries keep every amount, date and status after a deletion (the books must
balance); only a payment link's customer name, phone and email are blanked.
"""

from __future__ import annotations

from typing import Any

from core import privacy
from payments.models import Payment, PaymentLink, Refund


def export(user: Any) -> dict[str, Any]:
    """Two queries whatever the history's size."""
    payments = list(
        Payment.objects.filter(user_id=user.pk)
        .order_by("created_at")
        .values(
            "id",
            "payable_type",
            "payable_id",
            "kind",
            "amount",
            "currency",
            "status",
            "gateway",
            "method",
            "receipt",
            "description",
            "amount_refunded",
            "captured_at",
            "created_at",
        )
    )
    refunds = list(
        Refund.objects.filter(payment__user_id=user.pk)
        .order_by("created_at")
        .values("id", "payment_id", "amount", "refund_type", "status", "reason", "processed_at", "created_at")
    )
    return {"payments": payments, "refunds": refunds}


def anonymise(user: Any) -> None:
    PaymentLink.objects.filter(payment__user_id=user.pk).update(customer_name="", customer_phone="", customer_email="")


def register() -> None:
    privacy.register("payments", export=export, anonymise=anonymise)
