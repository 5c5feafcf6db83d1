"""Society orders as a payable of the payments layer (``payments.registry``), and the ledger account of the
money vendors collect themselves. :func:`register` runs in ``OrdersConfig.ready``.

An order is paid one of two ways (seed 001 section 8 and its "V2"), both through the payments layer, so
the ledger balances for orders as it does for bookings:

* **By hand (the MVP).** The vendor collects cash, UPI or card and marks it received
  (``orders.services.payment.payment_mark_received``). :func:`vendor_payment_record` records it: a
  ``Payment`` of this payable (gateway ``cash``, the seed's method, owed by the resident, ``recorded_by``
  the vendor, ``notes.source = "vendor_mark"``) and one ledger pair: ``society_vendor_collected`` (debit)
  against ``customer_funds`` (credit). The existing ``cash_on_hand`` is the platform's cash, which a
  partner's payout settles; a society vendor keeps this money and nothing settles it, so the orders app
  registers its own account whose name says who holds it (kind ``asset`` like every account that holds
  money; the platform takes no commission on society orders in seed 001). Migration ``orders.0005``
  creates its row.
* **In the app (V2).** The resident pays the final price through Checkout (``POST /orders/{id}/pay`` or
  the payments API with ``payable_type = "orders.order"``); the capture posts ``gateway_receivable``
  against ``customer_funds`` as for any payable, and :meth:`OrderPayable.on_payment_event` closes the
  order at once (seed: "webhook verification will auto-close orders immediately"): ``payment_type
  IN_APP``, method ``ONLINE``. A payment a staff member records in cash through the payments API closes
  it the same way, as ``MANUAL`` with that method.

Readings where the seed is silent:

* **The vendor's record stays pending while the resident may dispute it.** It becomes ``success`` when the
  order closes (the 48-hour scan, or a society admin confirming the payment: :func:`vendor_payment_settle`)
  and ``failed`` when a society admin finds it was never received (:func:`vendor_payment_reverse`, which
  also posts the reverse pair). The payments layer has no way back from ``success``, and a success, even
  refunded, would forbid recording the vendor's next mark (one paid payment per payable and kind). The
  ledger pair is posted at the mark all the same: the books show what the vendor declared at once, and a
  correction is a new posting.
* **Kinds.** The vendor's record is kind ``balance`` (the order's price, settled after delivery) and an
  online checkout kind ``full``: a late online capture, refunded, then never collides with closing the
  vendor's record under ``payment_one_success_per_payable_kind``, nor the other way round.
* **A late capture** (the order was paid by hand, disputed or closed before the online payment arrived)
  is refunded in full through ``payments.services.refunds`` by a retried task queued at commit (as
  bookings refund late captures), and the hourly auto-close run sweeps up one whose task was lost; it is
  noted on the order's timeline: the order never counts two payments.
* **describe()** describes every existing order (a verify answer carries its ``client_fields``); the
  amount due is the final price while the order is DELIVERED, else 0: the payments API then answers 409
  ``PAYMENT_ALREADY_CONFIRMED`` ("nothing is left to pay"), and ``POST /orders/{id}/pay`` says more exactly
  (422 before delivery).
* **id_field** is ``society_order_id``: ``order_id`` is already the payments API's word for the gateway's
  order (the Checkout answer, ``/payments/offline/checkout``), so it would read as Razorpay's id.

Lock order (``orders.services.status``): a payment's row before its order. The payments layer calls
:meth:`OrderPayable.on_payment_event` under the payment's lock; the orders services lock the vendor's
pending record (:func:`lock_vendor_payments`) before the order.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.errors import DomainError
from core.jobs import enqueue_on_commit
from core.types import is_uuid
from orders.models import Order, OrderPaymentMethod, OrderStatus, OrderTimeline, PaymentType
from orders.notify import tell
from orders.services import status
from payments import registry
from payments.models import (
    LedgerAccountKind,
    Payment,
    PaymentGatewayName,
    PaymentKind,
    PaymentMethod,
    PaymentStatus,
    RefundStatus,
    RefundType,
)
from payments.services.ledger import ledger_post, register_account
from payments.services.payments import new_payment, payment_transition
from payments.services.refunds import refund_create

logger = logging.getLogger(__name__)

ORDER_PAYABLE = "orders.order"
ID_FIELD = "society_order_id"
VENDOR_COLLECTED = "society_vendor_collected"
VENDOR_MARK = "vendor_mark"  # notes["source"] of the payment a vendor's mark records
MANUAL_KIND = PaymentKind.BALANCE
ONLINE_KIND = PaymentKind.FULL

# The seed's manual methods and the payments layer's.
METHODS: dict[str, str] = {
    OrderPaymentMethod.UPI: PaymentMethod.UPI,
    OrderPaymentMethod.CASH: PaymentMethod.CASH,
    OrderPaymentMethod.CARD: PaymentMethod.CARD,
    OrderPaymentMethod.OTHER: PaymentMethod.OTHER,
}
SEED_METHODS: dict[str, str] = {layer: seed for seed, layer in METHODS.items()}
LIVE_REFUNDS = (RefundStatus.PENDING, RefundStatus.PROCESSED)
LATE_SWEEP_BATCH = 200
LATE_CAPTURE = "LATE_CAPTURE"  # the timeline entry of a capture that came after the order was paid
LATE_CAPTURE_LOOKBACK = timedelta(days=7)


def register() -> None:
    register_account(
        VENDOR_COLLECTED,
        "Society-order payments collected directly by vendors (held by the vendor)",
        LedgerAccountKind.ASSET,
    )
    registry.register(ORDER_PAYABLE, OrderPayable(), id_field=ID_FIELD)


class OrderPayable(registry.PayableAdapter):
    def describe(self, payable_id: str) -> registry.Payable | None:
        order = (
            Order.objects.select_related("residence__user").filter(pk=payable_id).first()
            if is_uuid(payable_id)
            else None
        )
        if order is None:
            return None
        due = order.final_price if order.status == OrderStatus.DELIVERED and order.final_price else Decimal("0.00")
        user = order.residence.user
        return registry.Payable(
            type=ORDER_PAYABLE,
            id=str(order.pk),
            amount_due=due,
            owner_id=user.pk,
            reference=order.order_number,
            description=f"Society order {order.order_number}",
            prefill={"name": user.full_name or "", "email": user.email or "", "contact": user.phone or ""},
            gateway_notes={ID_FIELD: str(order.pk), "order_number": order.order_number},
            client_fields={ID_FIELD: str(order.pk), "order_number": order.order_number, "order_status": order.status},
        )

    def on_payment_event(self, event: registry.PaymentEvent) -> None:
        payment = Payment.objects.filter(pk=event.payment_id).only("gateway", "method", "notes").first()
        if payment is None or payment.notes.get("source") == VENDOR_MARK:
            return  # the vendor's record: the orders services moved the order with it
        if event.new_status == PaymentStatus.SUCCESS:
            order_record_paid(order_id=event.payable_id, payment=payment)


def order_record_paid(*, order_id: Any, payment: Payment) -> bool:
    """A payment captured through the payments layer: close a DELIVERED order at once; refund a late one.

    Runs inside the payments layer's transaction (under the payment's lock); returns whether it closed.
    """
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .select_related("residence__user", "partner__user")
            .filter(pk=order_id)
            .first()
        )
        if order is None:
            return False
        if order.status != OrderStatus.DELIVERED:
            status.timeline(order, LATE_CAPTURE, "A payment arrived after the order was paid: refunded in full")
            enqueue_on_commit("orders.tasks.refund_late_capture", str(order.pk), str(payment.pk))
            return False
        now = timezone.now()
        online = payment.gateway != PaymentGatewayName.CASH
        method = OrderPaymentMethod.ONLINE if online else SEED_METHODS.get(payment.method, OrderPaymentMethod.OTHER)
        status.order_move(
            order,
            OrderStatus.CLOSED,
            message="Paid in the app; order closed" if online else "Payment recorded by staff; order closed",
            changes={
                "payment_type": PaymentType.IN_APP if online else PaymentType.MANUAL,
                "payment_method": method,
                "payment_notes": "",
                "payment_received_at": now,
                "auto_close_at": None,
                "closed_at": now,
            },
        )
        tell("society_order_closed", order, to=["resident", "vendor"])
        status.publish(
            order,
            "payment_received",
            {"payment_type": order.payment_type, "payment_method": method, "final_price": float(payment.amount)},
        )
    return True


def order_refund_late_capture(*, order_id: Any, payment_pk: Any) -> bool:
    """Refund in full a payment captured after its order was paid another way; returns whether it refunded.

    Run by the retried task ``orders.tasks.refund_late_capture`` after the capture commits, and by the hourly
    sweep (:func:`late_captures_to_refund`) for a task that was lost; safe to run again (a live refund stops
    it). A gateway error propagates, so the task retries.
    """
    payment = Payment.objects.filter(pk=payment_pk, payable_type=ORDER_PAYABLE, payable_id=str(order_id)).first()
    if (
        payment is None
        or payment.status != PaymentStatus.SUCCESS
        or payment.refunds.filter(status__in=LIVE_REFUNDS).exists()
    ):
        return False
    number = Order.objects.filter(pk=order_id).values_list("order_number", flat=True).first() or str(order_id)
    try:
        refund_create(
            payment_pk=payment.pk, refund_type=RefundType.FULL, reason=f"Paid after {number} was already paid"
        )
    except DomainError:  # another run reserved it first (nothing left to refund)
        return False
    return True


def late_captures_to_refund(*, limit: int = LATE_SWEEP_BATCH) -> list[tuple[str, str]]:
    """(order id, payment id) of late captures noted on an order's timeline in the last week, not refunded."""
    since = timezone.now() - LATE_CAPTURE_LOOKBACK
    noted = OrderTimeline.objects.filter(status=LATE_CAPTURE, created_at__gte=since).values_list("order_id", flat=True)
    rows = (
        Payment.objects.filter(
            payable_type=ORDER_PAYABLE,
            payable_id__in={str(order_id) for order_id in noted},
            kind=PaymentKind.FULL,
            status=PaymentStatus.SUCCESS,
        )
        .exclude(gateway=PaymentGatewayName.CASH)
        .exclude(refunds__status__in=LIVE_REFUNDS)
        .values_list("payable_id", "pk")[:limit]
    )
    return [(str(order_id), str(pk)) for order_id, pk in rows]


def refund_lost_late_captures() -> int:
    """The sweep: refund late captures whose task was lost; returns how many were refunded."""
    refunded = 0
    for order_id, payment_pk in late_captures_to_refund():
        try:
            refunded += order_refund_late_capture(order_id=order_id, payment_pk=payment_pk)
        except Exception:  # one gateway error must not stop the sweep; it runs again next hour
            logger.exception("Could not refund late capture %s of order %s", payment_pk, order_id)
    return refunded


# --- the vendor's record of a manual payment --------------------------------------------------------


def vendor_payment_record(order: Order, *, method: str, notes: str, recorded_by: User) -> Payment:
    """Record what the vendor says they collected for a locked DELIVERED order: a pending payment and its
    ledger pair (see the module docstring)."""
    payable = registry.describe(ORDER_PAYABLE, str(order.pk))
    amount = order.final_price or Decimal("0.00")
    payment = new_payment(
        payable,
        amount=amount,
        kind=MANUAL_KIND,
        gateway=PaymentGatewayName.CASH,
        method=METHODS[method],
        recorded_by=recorded_by,
        notes={"source": VENDOR_MARK, "note": notes, "vendor": order.partner.partner_code},
    )
    ledger_post(
        lines=[(VENDOR_COLLECTED, amount), ("customer_funds", -amount)],
        memo=f"{method} collected by vendor {order.partner.partner_code} for {order.order_number}",
        payment=payment,
    )
    return payment


def lock_vendor_payments(order_id: Any) -> list[Payment]:
    """The order's pending vendor records, locked (take this before the order's row)."""
    return list(
        Payment.objects.select_for_update()
        .filter(
            payable_type=ORDER_PAYABLE,
            payable_id=str(order_id),
            status=PaymentStatus.PENDING,
            notes__source=VENDOR_MARK,
        )
        .order_by("pk")
    )


def vendor_payment_settle(payments: list[Payment]) -> None:
    """The order closed: the vendor's locked pending records become ``success`` (no new posting)."""
    for payment in payments:
        payment_transition(payment, PaymentStatus.SUCCESS, captured_at=timezone.now())


def vendor_payment_reverse(payments: list[Payment], *, reason: str) -> None:
    """The payment was never received: the vendor's locked records fail and their pairs are reversed."""
    for payment in payments:
        payment_transition(payment, PaymentStatus.FAILED, failure_reason=reason)
        ledger_post(
            lines=[("customer_funds", payment.amount), (VENDOR_COLLECTED, -payment.amount)],
            memo=f"Reversed {payment.receipt}: {reason}",
            payment=payment,
        )
