"""Refunds: full, partial and deposit-only (seed 004), never above what is left to refund.

A refund is first reserved: under a lock on the payment row, the amount is
checked against ``amount - amount_refunded - pending refunds`` and a pending
refund is written; two concurrent refunds that together exceed the payment
therefore cannot both pass. The gateway is called after that commit (no
network call under the lock). The refund becomes ``processed`` when the
gateway says so (at once for the offline gateway and for cash, otherwise by
the ``refund.processed`` webhook); only then do the payment's refunded amount
and the ledger move.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from core.errors import DomainError
from core.types import Id
from payments.errors import PaymentErrorCode
from payments.gateways import get_gateway
from payments.gateways.base import GatewayError, to_paise
from payments.models import (
    PAID_STATUSES,
    Payment,
    PaymentGatewayName,
    PaymentKind,
    PaymentStatus,
    Refund,
    RefundStatus,
    RefundType,
)
from payments.services.ledger import ledger_post
from payments.services.payments import lock_payment, payment_transition


def refund_pending_total(payment: Payment) -> Decimal:
    pending = payment.refunds.filter(status=RefundStatus.PENDING).aggregate(total=Sum("amount"))["total"]
    return pending or Decimal("0.00")


def payment_for_refund(*, payable_type: str, payable_id: str, refund_type: str) -> Payment:
    """The payment a payable-level refund applies to: the deposit for ``deposit_only``, else the latest paid."""
    rows = Payment.objects.filter(payable_type=payable_type, payable_id=payable_id, status__in=PAID_STATUSES)
    if refund_type == RefundType.DEPOSIT_ONLY:
        rows = rows.filter(kind=PaymentKind.DEPOSIT)
    payment = rows.order_by("-captured_at").first()
    if payment is None:
        raise DomainError("There is no paid payment to refund.", code=PaymentErrorCode.NOTHING_TO_REFUND)
    return payment


def refund_create(
    *,
    payment_pk: Id,
    refund_type: str,
    amount: Decimal | None = None,
    reason: str = "",
    requested_by: User | None = None,
) -> Refund:
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(pk=payment_pk).first()
        if payment is None:
            raise DomainError("Payment not found.", code=PaymentErrorCode.PAYMENT_NOT_FOUND, field="payment_id")
        if payment.status not in PAID_STATUSES:
            raise DomainError(
                "Only a successful payment can be refunded.",
                code=PaymentErrorCode.INVALID_PAYMENT_STATUS,
                reason="not_paid",
                context={"status": payment.status},
            )
        refundable = payment.amount - payment.amount_refunded - refund_pending_total(payment)
        if refund_type in (RefundType.FULL, RefundType.DEPOSIT_ONLY) and amount is None:
            amount = refundable
        if amount is None:
            raise DomainError("Say how much to refund.", code=PaymentErrorCode.INVALID_PAYMENT_AMOUNT, field="amount")
        amount = Decimal(amount)
        if amount <= 0 or refundable <= 0:
            raise DomainError("Nothing is left to refund.", code=PaymentErrorCode.NOTHING_TO_REFUND, field="amount")
        if amount > refundable:
            raise DomainError(
                f"At most {refundable} {payment.currency} can still be refunded.",
                code=PaymentErrorCode.REFUND_EXCEEDS_REFUNDABLE,
                field="amount",
                reason="exceeds_refundable",
                context={"refundable": str(refundable)},
            )
        refund = Refund.objects.create(
            payment=payment, amount=amount, refund_type=refund_type, reason=reason, requested_by=requested_by
        )
    if payment.gateway == PaymentGatewayName.CASH:
        refund_mark_processed(refund_pk=refund.pk)
    else:
        _send_to_gateway(refund, payment)
    refund.refresh_from_db()
    return refund


def _send_to_gateway(refund: Refund, payment: Payment) -> None:
    try:
        if not payment.gateway_payment_id:
            raise GatewayError("The payment has no gateway payment id to refund.")
        gateway_refund = get_gateway().refund_payment(
            payment.gateway_payment_id,
            amount_paise=to_paise(refund.amount),
            notes={"refund_id": str(refund.pk), "reason": refund.reason[:200]},
        )
    except GatewayError as exc:
        refund_mark_failed(refund_pk=refund.pk, reason=exc.message)
        raise
    Refund.objects.filter(pk=refund.pk).update(gateway_refund_id=gateway_refund.id)
    if gateway_refund.status == "processed":
        refund_mark_processed(refund_pk=refund.pk)


def refund_mark_processed(*, refund_pk: Id) -> bool:
    """The gateway (or the cashier) paid the refund out; returns whether anything changed."""
    with transaction.atomic():
        payment_pk = Refund.objects.values_list("payment_id", flat=True).get(pk=refund_pk)
        payment = lock_payment(payment_pk)  # payment first, then refund: one lock order everywhere
        refund = Refund.objects.select_for_update().get(pk=refund_pk)
        if refund.status == RefundStatus.PROCESSED:
            return False
        refund.status, refund.processed_at, refund.failure_reason = RefundStatus.PROCESSED, timezone.now(), ""
        refund.save(update_fields=["status", "processed_at", "failure_reason", "updated_at"])
        refunded = payment.amount_refunded + refund.amount
        new_status = PaymentStatus.REFUNDED if refunded >= payment.amount else PaymentStatus.PARTIALLY_REFUNDED
        payment_transition(payment, new_status, strict=False, amount_refunded=refunded)
        money_account = "cash_on_hand" if payment.gateway == PaymentGatewayName.CASH else "gateway_receivable"
        ledger_post(
            lines=[("customer_funds", refund.amount), (money_account, -refund.amount)],
            memo=f"Refund of {payment.receipt}",
            payment=payment,
            refund=refund,
        )
    return True


def refund_mark_failed(*, refund_pk: Id, reason: str) -> bool:
    with transaction.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund_pk)
        if refund.status != RefundStatus.PENDING:
            return False
        refund.status, refund.failure_reason = RefundStatus.FAILED, reason
        refund.save(update_fields=["status", "failure_reason", "updated_at"])
    return True


def refund_record_external(*, payment: Payment, gateway_refund_id: str, amount: Decimal) -> Refund:
    """A refund made outside the platform (the gateway's dashboard): record it so the books agree."""
    refund, _ = Refund.objects.get_or_create(
        gateway_refund_id=gateway_refund_id,
        defaults={"payment": payment, "amount": amount, "refund_type": RefundType.PARTIAL, "reason": "gateway"},
    )
    refund_mark_processed(refund_pk=refund.pk)
    return refund
