"""A pending payment settled by hand (seed 002 ``POST /payments/{id}/process_manual_payment``, rule E).

An operations manager (``payments.change_payment``) marks an existing *pending* payment (an order the customer
has not paid through the gateway) as paid in cash or by bank transfer:

* Only ``pending``: a payment already captured, failed or refunded is ``422 INVALID_PAYMENT_STATUS`` (a failed
  order is closed; the customer pays a new one, or staff record the cash with ``/payments/cash``).
* The payment is locked, moved to ``success`` through :func:`payments.services.payments.payment_transition` (the
  state machine, the payable told once after commit: a booking becomes paid), with ``method``, ``recorded_by``
  and ``captured_at`` (the seed's processed_by and processed_at) and the reference and notes kept in ``notes``.
  Its ``gateway`` becomes ``cash`` (the money did not come through the gateway: reconciliation with the
  gateway's captures leaves it out), and the ledger posts it as a cash or manual receipt (``cash_on_hand``), as
  :func:`payments.services.payments.payment_record_cash` does.
* Another payment of the same item and kind already paid it (a retried order): ``409 PAYMENT_ALREADY_CONFIRMED``.
* Two operations managers at once: the item's payments are locked, so one captures; the other finds it
  ``success`` (422).
* A gateway event that arrives later for the same order (the customer paid online after all) changes nothing
  here (a success never moves back); the double payment shows in reconciliation, to be refunded.
* Audited (``process_manual_payment``) with the old and new status.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core import audit
from core.errors import DomainError, ErrorCode
from core.types import Id
from payments.errors import PaymentErrorCode
from payments.models import PAID_STATUSES, Payment, PaymentGatewayName, PaymentMethod, PaymentStatus
from payments.services.ledger import ledger_post
from payments.services.payments import lock_payments_of, payment_transition

MANUAL_METHODS = (PaymentMethod.CASH, PaymentMethod.BANK_TRANSFER)


def payment_process_manual(
    *, payment_id: Id, method: str, processed_by: User, reference: str = "", notes: str = ""
) -> Payment:
    """Capture a pending payment by cash or transfer; returns it (locked row, after the change)."""
    if method not in MANUAL_METHODS:
        raise DomainError("Use cash or bank_transfer.", code=ErrorCode.VALIDATION_ERROR, field="method")
    with transaction.atomic():
        found = Payment.objects.filter(pk=payment_id).only("payable_type", "payable_id").first()
        if found is None:
            raise DomainError("Payment not found.", code=PaymentErrorCode.PAYMENT_NOT_FOUND, field="payment_id")
        # every payment of the item, in key order (payments.lock_payments_of): two orders of one item processed
        # at once cannot both succeed
        rows = lock_payments_of(payable_type=found.payable_type, payable_id=found.payable_id)
        payment = next(row for row in rows if row.pk == found.pk)
        if payment.status != PaymentStatus.PENDING:
            raise DomainError(
                f"Only a pending payment can be processed by hand; this one is {payment.status}.",
                code=PaymentErrorCode.INVALID_PAYMENT_STATUS,
                field="status",
                reason="not_pending",
                context={"status": payment.status},
            )
        if any(
            row.kind == payment.kind and row.status in PAID_STATUSES for row in rows
        ):  # another order of the same item was paid meanwhile: this one is only a stale attempt
            raise DomainError(
                "This item is already paid by another payment.",
                code=PaymentErrorCode.PAYMENT_ALREADY_CONFIRMED,
                field="payment_id",
                reason="already_paid",
            )
        now = timezone.now()
        manual = {"method": method, "reference": reference, "notes": notes, "processed_at": now.isoformat()}
        payment_transition(
            payment,
            PaymentStatus.SUCCESS,
            gateway=PaymentGatewayName.CASH,
            method=method,
            recorded_by=processed_by,
            captured_at=now,
            failure_reason="",
            notes={**payment.notes, "manual": manual},
        )
        ledger_post(
            lines=[("cash_on_hand", payment.amount), ("customer_funds", -payment.amount)],
            memo=f"{payment.get_method_display()} received for {payment.receipt} (processed by hand)",
            payment=payment,
        )
        audit.record(
            action="process_manual_payment",
            resource_type="payment",
            resource_id=payment.pk,
            actor=processed_by,
            changes={
                "status": {"old": PaymentStatus.PENDING, "new": PaymentStatus.SUCCESS},
                "method": {"old": "", "new": method},
                "reference": reference,
            },
        )
    return payment
