"""Staff writes on a booking (``bookings.api.admin``): cancel with a refund, refund. Each one is audited
(``core.audit``: before and after) and calls the rule's own service (the lifecycle's cancel, payments'
refund checks).

``refund_to_wallet``: the platform has no wallet; refunds go back to the original payment method and
the answer says so.
"""

from __future__ import annotations

from decimal import Decimal

from accounts.models import User
from bookings.models import BOOKING_PAYABLE, CancelledBy
from bookings.selectors import booking_by_id
from bookings.services import lifecycle
from core import audit
from core.types import Id
from payments.models import Refund, RefundType
from payments.services.refunds import payment_for_refund, refund_create


def booking_cancel(
    *, booking_id: Id, reason: str, refund_amount: Decimal | None, actor: User
) -> lifecycle.Cancellation:
    booking = booking_by_id(booking_id)
    with audit.track(booking, action="cancel_booking", actor=actor, extra={"reason": reason}):
        return lifecycle.booking_cancel(
            user=actor, booking_id=booking_id, reason=reason, by=CancelledBy.ADMIN, refund_amount=refund_amount
        )


def booking_refund(*, booking_id: Id, amount: Decimal | None, reason: str, notes: str = "", actor: User) -> Refund:
    booking = booking_by_id(booking_id)
    payment = payment_for_refund(payable_type=BOOKING_PAYABLE, payable_id=str(booking.pk), refund_type="full")
    refund_type = RefundType.FULL if amount is None else RefundType.PARTIAL
    refund = refund_create(
        payment_pk=payment.pk,
        refund_type=refund_type,
        amount=amount,
        reason=reason + (f" ({notes})" if notes else ""),
        requested_by=actor,
    )
    audit.record(
        action="refund_booking",
        resource_type="booking",
        resource_id=booking.pk,
        actor=actor,
        changes={
            "refund_id": str(refund.pk),
            "amount": {"old": None, "new": str(refund.amount)},
            "payment_id": str(payment.pk),
            "reason": reason,
            "notes": notes,
        },
    )
    return refund
