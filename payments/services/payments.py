"""Orders, verification, captures, failures and cash payments (seed 000 "Payment Architecture").

Every status change goes through :func:`payment_transition`, which needs the
row locked, checks ``PAYMENT_TRANSITIONS``, writes the ledger in the same
transaction and tells the payable's adapter after commit, exactly once
(``payments.services.payable_sync``: retried until the payable has taken it).
A change the table does not allow is refused (``INVALID_PAYMENT_STATUS``) when
a person asks for it, and ignored when a gateway event arrives late
(``payment.failed`` after ``payment.captured`` never moves a payment back).
Gateway calls happen outside any row lock.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from core import ratelimit
from core.errors import DomainError, ErrorCode
from core.idempotency import IdempotencyErrorCode
from core.statemachine import Transition
from core.types import Id
from payments import registry
from payments.errors import PaymentErrorCode
from payments.gateways import get_gateway
from payments.gateways.base import GatewayPayment, from_paise, to_paise
from payments.models import (
    PAID_STATUSES,
    PAYMENT_STATES,
    Payment,
    PaymentGatewayName,
    PaymentKind,
    PaymentMethod,
    PaymentStatus,
)
from payments.services.ledger import ledger_post
from payments.services.payable_sync import payable_sync_after_commit

CREATE_LIMIT = "payment-create"
# Business events (seed 004 "Monitoring & Logging"): JSON lines with the request id, no personal data.
business_log = logging.getLogger("platform.events")


@dataclass(frozen=True)
class Checkout:
    payment: Payment
    data: dict[str, Any]


def payment_transition(payment: Payment, new_status: str, *, strict: bool = True, **fields: Any) -> bool:
    """Move a locked payment to ``new_status`` (``PAYMENT_STATES``); returns whether anything changed.

    The payable hears the change once it commits (``payable_sync``).
    """
    payment_pk = payment.pk
    changes = {**fields, "event_version": payment.event_version + 1}  # the row is locked: no lost update

    def tell_after_commit(change: Transition[Payment]) -> None:
        transaction.on_commit(lambda: payable_sync_after_commit(payment_pk))

    return PAYMENT_STATES.move(payment, new_status, strict=strict, changes=changes, on_change=tell_after_commit)


def lock_payment(payment_pk: Id) -> Payment:
    return Payment.objects.select_for_update().get(pk=payment_pk)


def _paid_total(payable_type: str, payable_id: str, kinds: tuple[str, ...] | None = None) -> Decimal:
    rows = Payment.objects.filter(payable_type=payable_type, payable_id=payable_id, status__in=PAID_STATUSES)
    if kinds:
        rows = rows.filter(kind__in=kinds)
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def amount_for(payable: registry.Payable, kind: str) -> Decimal:
    """What a payment of ``kind`` must be for ``payable`` now (seed 004 deposit and remaining balance)."""
    paid = _paid_total(payable.type, payable.id)
    if kind == PaymentKind.DEPOSIT:
        if payable.deposit_amount is None:
            raise DomainError(
                "This item takes no deposit.", code=ErrorCode.VALIDATION_ERROR, field="kind", reason="no_deposit"
            )
        if paid > 0:
            raise DomainError(
                "A payment for this item is already confirmed.", code=PaymentErrorCode.PAYMENT_ALREADY_CONFIRMED
            )
        return payable.deposit_amount
    if kind == PaymentKind.BALANCE and not payable.balance_open:  # seed 004: the balance after the session
        named = registry.payable_type_for_id_field("booking_id") == payable.type  # the field its clients send
        raise DomainError(
            "The remaining balance is paid once the session is completed.",
            code=ErrorCode.VALIDATION_ERROR,
            field="booking_id" if named else "payable_id",
            reason="not_completed",
        )
    due = payable.amount_due - paid
    if kind == PaymentKind.FULL and paid > 0:
        raise DomainError(
            "A payment for this item is already confirmed; pay the remaining balance instead.",
            code=PaymentErrorCode.PAYMENT_ALREADY_CONFIRMED,
        )
    if due <= 0:
        raise DomainError("Nothing is left to pay for this item.", code=PaymentErrorCode.PAYMENT_ALREADY_CONFIRMED)
    return due


def _check_requested(
    payable: registry.Payable, amount: Decimal, requested: Decimal | None, currency: str | None
) -> None:
    if requested is not None and Decimal(requested) != amount:
        raise DomainError(
            f"The amount to pay is {amount} {payable.currency}.",
            code=PaymentErrorCode.INVALID_PAYMENT_AMOUNT,
            field="amount",
            reason="amount_mismatch",
            context={"expected_amount": str(amount), "currency": payable.currency},
        )
    if currency is not None and currency.upper() != payable.currency:
        raise DomainError(
            f"This item is paid in {payable.currency}.",
            code=PaymentErrorCode.INVALID_PAYMENT_AMOUNT,
            field="currency",
            reason="currency_mismatch",
            context={"expected_currency": payable.currency},
        )


def enforce_create_limit(user: User) -> None:
    ratelimit.enforce(
        CREATE_LIMIT,
        str(user.pk),
        limit=settings.PAYMENT_MAX_PER_USER_PER_HOUR,
        window_seconds=3600,
        what="payment attempts",
    )


def new_payment(payable: registry.Payable, *, amount: Decimal, kind: str, gateway: str, **fields: Any) -> Payment:
    """A pending payment of ``payable``: who owes it, its receipt and description come from the payable."""
    fields.setdefault("user_id", payable.owner_id)
    fields.setdefault("receipt", _receipt(payable.reference))
    return Payment.objects.create(
        payable_type=payable.type,
        payable_id=payable.id,
        kind=kind,
        amount=amount,
        currency=payable.currency,
        gateway=gateway,
        description=payable.description,
        **fields,
    )


def _receipt(reference: str) -> str:
    return f"{reference[:26]}-{secrets.token_hex(4)}"


def _key_already_charged() -> DomainError:
    return DomainError(
        "A payment was already created with this idempotency key. Use a new key for a new payment.",
        code=IdempotencyErrorCode.IDEMPOTENCY_KEY_REUSED,
        field="X-Idempotency-Key",
        reason="already_charged",
    )


def payment_create_order(
    *,
    user: User,
    payable_type: str,
    payable_id: str,
    kind: str = PaymentKind.FULL,
    amount: Decimal | None = None,
    currency: str | None = None,
    idempotency_key: str | None = None,
    loyalty_points: int = 0,
) -> Checkout:
    """A gateway order for the payable and what Razorpay Checkout needs to pay it. ``loyalty_points`` (seed 004's
    ``loyaltyPointsUsed``) are first held against the payable by its adapter, which lowers what is due."""
    payable = registry.describe(payable_type, payable_id)
    if str(payable.owner_id) != str(user.pk):
        raise DomainError("The item to pay for was not found.", code=ErrorCode.NOT_FOUND, field="payable_id")
    to_pay = amount_for(payable, kind)
    if loyalty_points:
        registry.adapter_for(payable_type).apply_loyalty_points(payable.id, user_id=user.pk, points=loyalty_points)
        payable = registry.describe(payable_type, payable_id)
        to_pay = amount_for(payable, kind)
    _check_requested(payable, to_pay, amount, currency)
    if idempotency_key and Payment.objects.filter(user=user, idempotency_key=idempotency_key).exists():
        raise _key_already_charged()
    enforce_create_limit(user)
    gateway = get_gateway()
    receipt = _receipt(payable.reference)
    notes = {**payable.gateway_notes, "payable_type": payable.type, "payable_id": payable.id, "kind": kind}
    order = gateway.create_order(amount_paise=to_paise(to_pay), currency=payable.currency, receipt=receipt, notes=notes)
    try:
        with transaction.atomic():
            payment = new_payment(
                payable,
                amount=to_pay,
                kind=kind,
                gateway=gateway.name,
                user_id=user.pk,
                receipt=receipt,
                gateway_order_id=order.id,
                idempotency_key=idempotency_key,
                notes=notes,
            )
    except IntegrityError as exc:  # the same key charged a moment ago: the constraint, not the key store, decides
        raise _key_already_charged() from exc
    data = {
        "payment_id": str(payment.pk),
        "gateway": gateway.name,
        "order_id": order.id,
        "razorpay_order_id": order.id,
        "amount": order.amount_paise,
        "amount_display": str(to_pay),
        "currency": payable.currency,
        "key": gateway.key_id,
        "name": settings.PAYMENT_MERCHANT_NAME,
        "description": payable.description,
        "receipt": receipt,
        "prefill": payable.prefill,
        "notes": {**notes, "payment_id": str(payment.pk)},
        "final_amount": order.amount_paise,
        "loyalty_discount": to_paise(payable.loyalty_discount),
        "loyalty_points_earned": payable.loyalty_points_earned,
    }
    return Checkout(payment=payment, data=data)


def payment_apply_gateway_state(*, payment_pk: Id, gateway_payment: GatewayPayment) -> bool:
    """Bring our payment to the gateway's state (captured or failed); returns whether it changed."""
    with transaction.atomic():
        payment = lock_payment(payment_pk)
        if gateway_payment.status == "captured":
            if gateway_payment.amount_paise != to_paise(payment.amount) or gateway_payment.currency != payment.currency:
                raise DomainError(
                    "The gateway captured a different amount than this payment's.",
                    code=PaymentErrorCode.INVALID_PAYMENT_AMOUNT,
                    reason="captured_amount_mismatch",
                    context={"ours": str(payment.amount), "gateway_paise": gateway_payment.amount_paise},
                )
            fee = from_paise(gateway_payment.fee_paise)
            changed = payment_transition(
                payment,
                PaymentStatus.SUCCESS,
                strict=False,
                gateway_payment_id=gateway_payment.id,
                method=_method(gateway_payment.method),
                fee=fee,
                captured_at=timezone.now(),
                failure_reason="",
            )
            if changed:
                ledger_post(
                    lines=[("gateway_receivable", payment.amount), ("customer_funds", -payment.amount)],
                    memo=f"Captured {payment.receipt}",
                    payment=payment,
                )
                if fee:
                    ledger_post(
                        lines=[("gateway_fees", fee), ("gateway_receivable", -fee)],
                        memo=f"Gateway fee on {payment.receipt}",
                        payment=payment,
                    )
            return changed
        if gateway_payment.status == "failed":
            reason = gateway_payment.error_description or "The payment failed at the gateway."
            changed = payment_transition(
                payment,
                PaymentStatus.FAILED,
                strict=False,
                failure_reason=reason,
                gateway_payment_id=payment.gateway_payment_id or None,
            )
            if changed:  # seed 004 "Monitoring & Logging": a business event, once per failed payment
                business_log.error(
                    "Payment processing failed",
                    extra={
                        "event": "payment_failed",
                        "payment_id": str(payment.pk),
                        "payable_type": payment.payable_type,
                        "payable_id": payment.payable_id,
                        "kind": payment.kind,
                        "amount": str(payment.amount),
                        "currency": payment.currency,
                        "error": reason,
                    },
                )
            return changed
        return False


def _method(value: str) -> str:
    return value if value in PaymentMethod.values else PaymentMethod.OTHER if value else ""


def payment_record_cash(
    *,
    payable_type: str,
    payable_id: str,
    amount: Decimal,
    recorded_by: User,
    method: str = PaymentMethod.CASH,
    kind: str = PaymentKind.FULL,
    note: str = "",
    idempotency_key: str | None = None,
) -> Payment:
    """A cash or manual payment, recorded by a permitted person, with the same ledger entries."""
    payable = registry.describe(payable_type, payable_id)
    expected = amount_for(payable, kind)
    _check_requested(payable, expected, amount, None)
    with transaction.atomic():
        payment = new_payment(
            payable,
            amount=expected,
            kind=kind,
            gateway=PaymentGatewayName.CASH,
            method=method,
            recorded_by=recorded_by,
            idempotency_key=idempotency_key,
            notes={"note": note} if note else {},
        )
        payment_transition(payment, PaymentStatus.SUCCESS, captured_at=timezone.now())
        ledger_post(
            lines=[("cash_on_hand", payment.amount), ("customer_funds", -payment.amount)],
            memo=f"{payment.get_method_display()} received for {payment.receipt}",
            payment=payment,
        )
    return payment


def payment_close_pending(*, payable_type: str, payable_id: str, reason: str) -> int:
    """Close the open orders of a payable that will no longer be paid for (an expired booking).

    Each pending payment becomes ``failed`` with ``reason``. Razorpay cannot cancel
    an order, so a customer still inside Checkout may yet pay it: that capture moves
    the payment on to ``success`` (a failed payment may still succeed) and the payable
    decides what to do with money it no longer expects (bookings refund it).
    Returns how many orders were closed.
    """
    closed = 0
    with transaction.atomic():
        rows = Payment.objects.select_for_update().filter(
            payable_type=payable_type, payable_id=str(payable_id), status=PaymentStatus.PENDING
        )
        for payment in rows.order_by("pk"):
            closed += payment_transition(payment, PaymentStatus.FAILED, failure_reason=reason)
    return closed


def lock_payments_of(*, payable_type: str, payable_id: str) -> list[Payment]:
    """Lock every payment of a payable, in key order (take these locks before the payable's own row:
    the payable's callback runs under its payment's lock, so payment → payable is the order everywhere)."""
    return list(
        Payment.objects.select_for_update().filter(payable_type=payable_type, payable_id=str(payable_id)).order_by("pk")
    )


def payable_client_fields(payment: Payment) -> dict[str, Any]:
    """What the payment's payable adds to a verify answer for its own client (empty if it is gone)."""
    payable = registry.adapter_for(payment.payable_type).describe(payment.payable_id)
    return dict(payable.client_fields) if payable else {}
