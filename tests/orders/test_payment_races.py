"""Races of seed 001 section 8 with real threads on PostgreSQL: two marks of one payment, and a dispute
against the auto-close scan.

Stampedes start the competitors together behind a barrier, over several rounds; lock tests hold the order
in a second connection with the winner's change made, see the loser blocked on it (or, for the scan,
skipping it) and check the loser's outcome once the holder commits.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest

from orders.models import Order, OrderDispute, OrderStatus, OrderTimeline
from orders.services.disputes import dispute_raise
from orders.services.payment import auto_close_due, payment_mark_received
from payments.models import LedgerEntry, Payment
from payments.services.ledger import ledger_trial_balance
from tests.accounts.test_concurrency import RowLockHolder, run_together, start, wait_until_blocked
from tests.conftest import client_for
from tests.orders.builders import delivered

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 3
BODY = {"dispute_reason": "PAYMENT_NOT_MADE", "dispute_details": "Not paid"}


def marked():
    world = delivered()
    payment_mark_received(user=world.vendor.user, order_id=world.order.pk, method="CASH")
    world.order.refresh_from_db()
    return world


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_marks_at_once_record_one_payment(round_):
    world = delivered()
    clients = [client_for(world.vendor.user) for _ in range(2)]
    url = world.url("mark-payment-received")

    codes = run_together(2, lambda i: clients[i].post(url, {"payment_method": "CASH"}, format="json").status_code)

    assert Counter(codes) == {200: 1, 409: 1}
    assert Payment.objects.filter(payable_id=str(world.order.pk)).count() == 1
    assert LedgerEntry.objects.filter(payable_id=str(world.order.pk)).count() == 2
    assert OrderTimeline.objects.filter(order=world.order, status="PAYMENT_RECEIVED").count() == 1
    assert ledger_trial_balance() == Decimal("0.00")


def test_a_mark_waits_for_a_mark_in_flight_and_then_conflicts():
    world = delivered()
    client = client_for(world.vendor.user)

    def first_mark():
        payment_mark_received(user=world.vendor.user, order_id=world.order.pk, method="UPI")

    with RowLockHolder(first_mark) as holder:
        call, outcome = start(
            lambda: client.post(world.url("mark-payment-received"), {"payment_method": "CASH"}, format="json")
        )
        assert wait_until_blocked(call, holder)  # the second mark waits for the order's row
    call.join(timeout=60)

    assert outcome["result"].status_code == 409
    assert outcome["result"].json()["error"]["code"] == "PAYMENT_ALREADY_CONFIRMED"
    assert Payment.objects.filter(payable_id=str(world.order.pk)).count() == 1
    assert LedgerEntry.objects.filter(payable_id=str(world.order.pk)).count() == 2


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_a_dispute_racing_the_scan_never_leaves_the_order_both_closed_and_disputed(round_):
    world = marked()
    client = client_for(world.resident)
    later = world.order.auto_close_at + timedelta(seconds=1)  # the scan's clock: due; the resident's: not yet

    def act(i):
        if i == 0:
            return client.post(world.url("dispute-payment"), BODY, format="json").status_code
        return auto_close_due(now=later)

    dispute_code, closed = run_together(2, act)

    order = Order.objects.get(pk=world.order.pk)
    if order.status == OrderStatus.DISPUTED:
        assert (dispute_code, closed) == (201, 0)
        assert OrderDispute.objects.filter(order=order, status="OPEN").count() == 1
        assert not OrderTimeline.objects.filter(order=order, status="CLOSED").exists()
    else:
        assert order.status == OrderStatus.CLOSED
        assert (dispute_code, closed) == (422, 1)
        assert not OrderDispute.objects.filter(order=order).exists()
        assert not OrderTimeline.objects.filter(order=order, status="DISPUTED").exists()


def test_a_dispute_holding_the_order_wins_and_the_scan_skips_it():
    world = marked()
    later = world.order.auto_close_at + timedelta(seconds=1)

    def raise_dispute():
        dispute_raise(user=world.resident, order_id=world.order.pk, reason="PAYMENT_NOT_MADE")

    with RowLockHolder(raise_dispute):
        assert auto_close_due(now=later) == 0  # skip_locked: no wait, nothing closed

    assert auto_close_due(now=later) == 0  # re-checked: disputed now
    assert Order.objects.get(pk=world.order.pk).status == OrderStatus.DISPUTED


def test_a_close_holding_the_order_wins_and_the_dispute_is_refused():
    world = marked()
    client = client_for(world.resident)
    later = world.order.auto_close_at + timedelta(seconds=1)

    with RowLockHolder(lambda: auto_close_due(now=later)) as holder:
        call, outcome = start(lambda: client.post(world.url("dispute-payment"), BODY, format="json"))
        assert wait_until_blocked(call, holder)  # the dispute waits for the order's row
    call.join(timeout=60)

    assert outcome["result"].status_code == 422
    assert outcome["result"].json()["error"]["details"]["context"]["current_status"] == "CLOSED"
    assert Order.objects.get(pk=world.order.pk).status == OrderStatus.CLOSED
    assert not OrderDispute.objects.filter(order=world.order).exists()


def test_a_dispute_committed_after_the_scan_listed_the_order_is_seen_on_the_locked_row():
    """The scan lists due orders, then locks each (the vendor's record first): a dispute that commits in
    between wins, because the scan re-checks the order once it holds it."""
    world = marked()
    later = world.order.auto_close_at + timedelta(seconds=1)

    def dispute_holding_the_record():
        Payment.objects.select_for_update().filter(payable_id=str(world.order.pk)).get()  # the scan waits here
        dispute_raise(user=world.resident, order_id=world.order.pk, reason="PAYMENT_NOT_MADE")

    with RowLockHolder(dispute_holding_the_record) as holder:
        call, outcome = start(lambda: auto_close_due(now=later))
        assert wait_until_blocked(call, holder)  # listed as due while the dispute was uncommitted
    call.join(timeout=60)

    assert outcome["result"] == 0
    assert Order.objects.get(pk=world.order.pk).status == OrderStatus.DISPUTED
