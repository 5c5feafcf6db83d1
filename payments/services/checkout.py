"""The payer's side of Razorpay Checkout: verify what Checkout returned, and (embedded default only) play Checkout
on the offline gateway. Split from ``payments.services.payments``, which creates the orders and applies gateway
states, to keep each module under 400 lines."""

from __future__ import annotations

from accounts.models import User
from core.errors import DomainError, ErrorCode
from payments.errors import PaymentErrorCode
from payments.gateways import get_gateway, offline_checkout_enabled
from payments.gateways.base import to_paise
from payments.gateways.offline import OfflineGateway
from payments.models import Payment, PaymentKind, PaymentStatus
from payments.services.payments import payment_apply_gateway_state


def payment_verify(*, user: User, order_id: str, payment_id: str, signature: str) -> Payment:
    """Seed 000 ``/payments/verify``: the Checkout signature, then the gateway's word on the payment."""
    payment = Payment.objects.filter(gateway_order_id=order_id, user=user).first()
    if payment is None:
        raise DomainError("Payment not found.", code=PaymentErrorCode.PAYMENT_NOT_FOUND, field="razorpay_order_id")
    gateway = get_gateway()
    if not gateway.verify_payment_signature(order_id, payment_id, signature):
        raise DomainError(
            "The payment signature does not match. Nothing was recorded.",
            code=PaymentErrorCode.INVALID_SIGNATURE,
            field="razorpay_signature",
            reason="bad_signature",
        )
    gateway_payment = gateway.fetch_payment(payment_id)
    if gateway_payment.order_id != order_id:
        raise DomainError(
            "This payment belongs to another order.",
            code=PaymentErrorCode.INVALID_SIGNATURE,
            field="razorpay_payment_id",
            reason="order_mismatch",
        )
    if gateway_payment.status == "authorized":
        gateway_payment = gateway.capture_payment(
            payment_id, amount_paise=to_paise(payment.amount), currency=payment.currency
        )
    payment_apply_gateway_state(payment_pk=payment.pk, gateway_payment=gateway_payment)
    Payment.objects.filter(pk=payment.pk).update(gateway_signature=signature)
    payment.refresh_from_db()
    if payment.status == PaymentStatus.FAILED and payment.kind in (PaymentKind.DEPOSIT, PaymentKind.BALANCE):
        # Seed 004: a declined deposit or balance is 402 (the failure is recorded; the payable heard it).
        raise DomainError(
            payment.failure_reason or "The payment was declined.",
            code=PaymentErrorCode.PAYMENT_FAILED,
            field="razorpay_payment_id",
            reason="declined",
            context={"payment_id": str(payment.pk), "kind": payment.kind},
        )
    return payment


def payment_simulate_checkout(*, user: User, order_id: str, succeed: bool) -> dict[str, str]:
    """Embedded default only: play Razorpay Checkout for one of the user's orders on the offline gateway."""
    if not offline_checkout_enabled():
        raise DomainError("Only the offline gateway simulates Checkout.", code=ErrorCode.NOT_FOUND)
    gateway = get_gateway()
    if not isinstance(gateway, OfflineGateway):
        raise DomainError("Only the offline gateway simulates Checkout.", code=ErrorCode.NOT_FOUND)
    if not Payment.objects.filter(user=user, gateway_order_id=order_id).exists():
        raise DomainError("Order not found.", code=ErrorCode.NOT_FOUND, field="order_id")
    return gateway.simulate_checkout(order_id, succeed=succeed)
