"""Seed 001 8.1-8.2 and the hourly auto-close: the vendor marks a payment received, anyone who may see the
order reads its payment status, and a scan closes the orders nobody disputed within 48 hours. Also the V2
in-app payment's start (``order_pay_online``); the payments side of both lives in ``orders.payable``.

Rules, and the readings taken where the seed is silent:

* **Mark** (``payment_mark_received``): the order's vendor only (``status.check_vendor``: 403
  ``UNAUTHORIZED_VENDOR``, also for a vendor of the same society; 404 for anyone who may not see the
  order). Only from DELIVERED: an order already PAYMENT_RECEIVED, DISPUTED or CLOSED (each reached by a
  payment) is 409 ``PAYMENT_ALREADY_CONFIRMED``; any other status is 422 ``INVALID_ORDER_STATUS`` with
  ``details.context.current_status`` (seed C5: 422, not the seed's 400). An ``amount`` that is sent and
  differs from ``final_price`` is 422 ``INVALID_PAYMENT_AMOUNT`` (field ``amount``). The order is locked for
  the whole mark, so two marks at once give one 200 and one 409, one payment and one ledger pair. The mark
  sets ``payment_type`` MANUAL, the method and notes, ``payment_received_at`` = now and ``auto_close_at`` =
  now + 48 hours, records the payment (``orders.payable.vendor_payment_record``), tells the resident
  (``society_order_payment_marked``) and the order's watchers (``payment_marked``).
* **Payment status** (``payment_status``): the seed's two shapes. After a payment (PAYMENT_RECEIVED,
  DISPUTED, CLOSED): method, time, notes, ``auto_close_at``, ``hours_until_auto_close`` (whole hours,
  floor; 0 once due and not yet closed by the scan; null when frozen by a dispute or closed) and
  ``can_dispute`` (PAYMENT_RECEIVED and now strictly before ``auto_close_at``). Before it: method and time
  null and a ``message`` ("Awaiting vendor payment confirmation" once DELIVERED); ``final_price`` is null
  until the count is approved.
* **Auto-close** (``auto_close_due``): orders PAYMENT_RECEIVED with ``auto_close_at < now`` (strict, as the
  seed's SQL) and no OPEN dispute. Each is locked with ``skip_locked`` (a dispute in flight holds it: the
  next run decides) and re-checked on the locked row, so a dispute committed first always wins and a
  second run closes nothing. CLOSED with ``closed_at``, timeline "Closed automatically 48 hours after
  payment", the vendor's record settles (``success``), resident and vendor hear ``society_order_closed``.
* **Paying in the app** (``order_pay_online``): the owning resident (``status.check_resident``) of a
  DELIVERED order; a paid one is 409 ``PAYMENT_ALREADY_CONFIRMED``, an earlier one 422
  ``INVALID_ORDER_STATUS``. The gateway order is created through the payments layer with the request's
  ``X-Idempotency-Key``; the capture closes the order (``orders.payable``).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.errors import DomainError, ErrorCode
from orders import payable
from orders.models import DisputeStatus, Order, OrderDispute, OrderPaymentMethod, OrderStatus, PaymentType
from orders.notify import tell, when
from orders.services import status
from payments.errors import PaymentErrorCode
from payments.services.payments import Checkout, payment_create_order

S = OrderStatus
GRACE_HOURS = 48
GRACE = timedelta(hours=GRACE_HOURS)
BATCH = 500
PAID = frozenset({S.PAYMENT_RECEIVED, S.DISPUTED, S.CLOSED})  # statuses only a payment reaches
MANUAL_METHODS = (OrderPaymentMethod.UPI, OrderPaymentMethod.CASH, OrderPaymentMethod.CARD, OrderPaymentMethod.OTHER)
AWAITING = "Awaiting vendor payment confirmation"


def _already_paid(order: Order) -> DomainError:
    return DomainError(
        "Payment for this order is already confirmed.",
        code=PaymentErrorCode.PAYMENT_ALREADY_CONFIRMED,
        reason="already_paid",
        context={"current_status": order.status},
    )


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def payment_mark_received(
    *, user: User, order_id: Any, method: str, notes: str = "", amount: Decimal | None = None
) -> Order:
    """Seed 001 8.1 (see the module's rules); returns the order, PAYMENT_RECEIVED."""
    if method not in MANUAL_METHODS:
        raise DomainError(
            "The payment method is one of UPI, CASH, CARD or OTHER.",
            code=ErrorCode.VALIDATION_ERROR,
            field="payment_method",
            reason="invalid_choice",
        )
    with transaction.atomic():
        order = status.lock_order(order_id)
        status.check_vendor(user, order)
        if order.status in PAID:
            raise _already_paid(order)
        if order.status != S.DELIVERED or order.final_price is None:
            raise status.refuse_status(order, "Payment can only be marked for orders with status DELIVERED")
        if amount is not None and Decimal(amount) != order.final_price:
            raise DomainError(
                f"The order's final price is {order.final_price}.",
                code=PaymentErrorCode.INVALID_PAYMENT_AMOUNT,
                field="amount",
                reason="amount_mismatch",
                context={"final_price": str(order.final_price)},
            )
        now = timezone.now()
        payable.vendor_payment_record(order, method=method, notes=notes, recorded_by=user)
        status.order_move(
            order,
            S.PAYMENT_RECEIVED,
            message=f"Payment of ₹{order.final_price} received by {method} (marked by the vendor)",
            changes={
                "payment_type": PaymentType.MANUAL,
                "payment_method": method,
                "payment_notes": notes,
                "payment_received_at": now,
                "auto_close_at": now + GRACE,
            },
            at=now,
        )
        tell(
            "society_order_payment_marked",
            order,
            to=["resident"],
            final_price=f"{order.final_price:.2f}",
            payment_method=method,
            auto_close_at=when(order.auto_close_at),
        )
        status.publish(
            order,
            "payment_marked",
            {
                "payment_method": method,
                "final_price": _money(order.final_price),
                "payment_received_at": _iso(now),
                "auto_close_at": _iso(order.auto_close_at),
            },
        )
    return order


def hours_until(deadline: datetime, now: datetime) -> int:
    """Whole hours left before ``deadline`` (floor; 0 once it has passed): 47 an hour after a mark."""
    return max(0, math.floor((deadline - now).total_seconds() / 3600))


def may_dispute(order: Order, now: datetime) -> bool:
    return order.status == S.PAYMENT_RECEIVED and order.auto_close_at is not None and now < order.auto_close_at


def payment_status(*, user: User, order_id: Any) -> dict[str, Any]:
    """Seed 001 8.2 for anyone who may see the order (404 ``ORDER_NOT_FOUND`` otherwise)."""
    order = Order.objects.select_related("residence", "partner").filter(pk=order_id).first()
    if order is None or not status.sees(user, order):
        raise status.not_found()
    now = timezone.now()
    data: dict[str, Any] = {
        "order_id": str(order.pk),
        "order_number": order.order_number,
        "order_status": order.status,
        "payment_type": order.payment_type,
        "payment_method": order.payment_method or None,
        "payment_received_at": _iso(order.payment_received_at),
    }
    if order.status not in PAID:
        data["final_price"] = _money(order.final_price)
        data["message"] = AWAITING if order.status == S.DELIVERED else _not_due(order)
        return data
    counting = order.status == S.PAYMENT_RECEIVED and order.auto_close_at is not None
    data.update(
        payment_notes=order.payment_notes,
        auto_close_at=_iso(order.auto_close_at),
        hours_until_auto_close=hours_until(order.auto_close_at, now) if counting and order.auto_close_at else None,
        can_dispute=may_dispute(order, now),
        final_price=_money(order.final_price),
    )
    return data


def _not_due(order: Order) -> str:
    if order.status == S.CANCELLED:
        return "The order was cancelled: nothing is due"
    return "Payment is due once the order is delivered"


def auto_close_due(*, now: datetime | None = None) -> int:
    """The hourly scan (see the module's rules); returns how many orders it closed."""
    moment = now or timezone.now()
    due = list(
        Order.objects.filter(status=S.PAYMENT_RECEIVED, auto_close_at__lt=moment)
        .exclude(disputes__status=DisputeStatus.OPEN)
        .order_by("auto_close_at", "pk")
        .values_list("pk", flat=True)[:BATCH]
    )
    return sum(_close(order_id, moment) for order_id in due)


def _close(order_id: Any, moment: datetime) -> bool:
    with transaction.atomic():
        records = payable.lock_vendor_payments(order_id)  # a payment's row before its order
        order = (
            Order.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("residence__user", "partner__user")
            .filter(pk=order_id)
            .first()
        )
        if order is None or order.status != S.PAYMENT_RECEIVED:
            return False  # busy (a dispute in flight: the next run decides) or moved on
        if order.auto_close_at is None or not order.auto_close_at < moment:
            return False
        if OrderDispute.objects.filter(order=order, status=DisputeStatus.OPEN).exists():
            return False
        status.order_move(
            order,
            S.CLOSED,
            message=f"Closed automatically {GRACE_HOURS} hours after payment",
            changes={"closed_at": timezone.now()},
        )
        payable.vendor_payment_settle(records)
        tell("society_order_closed", order, to=["resident", "vendor"])
    return True


def order_pay_online(*, user: User, order_id: Any, idempotency_key: str | None = None) -> Checkout:
    """V2: a gateway order for a DELIVERED order's final price, for its resident (see the module's rules)."""
    order = Order.objects.select_related("residence", "partner").filter(pk=order_id).first()
    if order is None:
        raise status.not_found()
    status.check_resident(user, order)
    if order.status in PAID:
        raise _already_paid(order)
    if order.status != S.DELIVERED or order.final_price is None:
        raise status.refuse_status(order, "An order can be paid once it is delivered")
    return payment_create_order(
        user=user,
        payable_type=payable.ORDER_PAYABLE,
        payable_id=str(order.pk),
        kind=payable.ONLINE_KIND,
        idempotency_key=idempotency_key,
    )
