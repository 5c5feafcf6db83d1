"""Orders in the books: a payment marked by hand, one paid in the app and one marked, disputed, found not
received and marked again all leave the ledger balanced, posting by posting, with each account saying who
holds the money."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum

from orders.models import Order, OrderStatus
from orders.payable import ORDER_PAYABLE, VENDOR_COLLECTED
from orders.services.disputes import dispute_raise, dispute_resolve
from orders.services.payment import auto_close_due, payment_mark_received
from payments.models import LedgerAccount, LedgerAccountKind, LedgerEntry
from payments.services.ledger import ledger_balance, ledger_trial_balance
from tests.conftest import client_for
from tests.orders.builders import checkout, delivered
from tests.societies.helpers import society_admin

pytestmark = pytest.mark.django_db(transaction=True)


def test_manual_in_app_and_reversed_payments_keep_the_books_balanced():
    by_hand = delivered("355.00")
    online = delivered("200.00", society=by_hand.society, resident=by_hand.resident)
    reversed_ = delivered("120.00", society=by_hand.society, resident=by_hand.resident)
    admin = society_admin(by_hand.society)

    # by hand, closed by the scan
    payment_mark_received(user=by_hand.vendor.user, order_id=by_hand.order.pk, method="CASH")
    due = Order.objects.get(pk=by_hand.order.pk).auto_close_at
    assert auto_close_due(now=due + timedelta(seconds=1)) == 1
    assert ledger_trial_balance() == Decimal("0.00")

    # in the app
    started = client_for(online.resident).post(online.url("pay"), HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    assert checkout(online, started.json()["data"]["razorpay_order_id"]).status_code == 200
    assert Order.objects.get(pk=online.order.pk).status == OrderStatus.CLOSED
    assert ledger_trial_balance() == Decimal("0.00")

    # marked, disputed, not received (reversed), marked again and confirmed
    payment_mark_received(user=reversed_.vendor.user, order_id=reversed_.order.pk, method="UPI")
    first = dispute_raise(user=reversed_.resident, order_id=reversed_.order.pk, reason="PAYMENT_NOT_MADE")
    dispute_resolve(user=admin, dispute_id=first.pk, resolution="PAYMENT_NOT_RECEIVED")
    assert ledger_trial_balance() == Decimal("0.00")
    payment_mark_received(user=reversed_.vendor.user, order_id=reversed_.order.pk, method="CASH")
    second = dispute_raise(user=reversed_.resident, order_id=reversed_.order.pk, reason="WRONG_METHOD")
    dispute_resolve(user=admin, dispute_id=second.pk, resolution="PAYMENT_CONFIRMED")

    assert ledger_trial_balance() == Decimal("0.00")
    postings = LedgerEntry.objects.values("posting_id").annotate(total=Sum("amount"))
    assert {p["total"] for p in postings} == {Decimal("0.00")}
    assert set(LedgerEntry.objects.values_list("payable_type", flat=True)) == {ORDER_PAYABLE}
    # what the residents paid, owed to their orders; who holds it: the vendors (by hand) or the gateway
    assert ledger_balance("customer_funds") == Decimal("-675.00")
    assert ledger_balance(VENDOR_COLLECTED) == Decimal("475.00")
    assert ledger_balance("gateway_receivable") + ledger_balance("gateway_fees") == Decimal("200.00")
    assert ledger_balance("cash_on_hand") == Decimal("0.00")
    assert LedgerAccount.objects.get(code=VENDOR_COLLECTED).kind == LedgerAccountKind.ASSET
