"""The daily reconciliation's discrepancies that it cannot fix, with Razorpay's HTTP API stubbed (``responses``):
a payment at the gateway with no order of ours, and a payment we show as paid that the gateway shows failed."""

import time
from datetime import UTC, datetime, timedelta
from datetime import time as datetime_time
from decimal import Decimal

import pytest
from django.utils import timezone

from payments.gateways.base import hmac_hex
from payments.models import Payment, PaymentStatus
from payments.services.ledger import ledger_balance
from payments.services.reconciliation import reconcile_day
from tests.payments.conftest import create_order
from tests.payments.test_razorpay_gateway import API, SECRET, payment_entity, razorpay  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def paid_with_razorpay(stub, client, invoice, order_id, payment_id):
    """Our order ``order_id``, paid at Razorpay as ``payment_id`` and verified: a payment we show as paid."""
    stub.post(f"{API}/orders", json={"id": order_id, "amount": 118000, "currency": "INR"})
    stub.get(f"{API}/payments/{payment_id}", json=payment_entity(payment_id, order_id))
    checkout = create_order(client, invoice).json()["data"]
    verified = client.post(
        "/api/v1/payments/verify",
        {
            "razorpay_order_id": order_id,
            "razorpay_payment_id": payment_id,
            "razorpay_signature": hmac_hex(SECRET, f"{order_id}|{payment_id}".encode()),
        },
        format="json",
    )
    assert verified.json()["data"]["payment_status"] == "success", verified.content
    return Payment.objects.get(pk=checkout["payment_id"])


def reconcile_listing(stub, *entities):
    """Reconcile the day of ``entities``, Razorpay listing just these (on one page)."""
    moment = int(time.time())
    stub.get(f"{API}/payments", json={"items": [{**e, "created_at": moment} for e in entities], "count": len(entities)})
    return reconcile_day(day=timezone.localdate(datetime.fromtimestamp(moment, tz=UTC)))


@pytest.mark.parametrize("their_order", ["order_stranger", None], ids=["another_order", "no_order"])
def test_a_gateway_payment_with_no_order_of_ours_is_reported(razorpay, payer, payer_client, invoices, their_order):  # noqa: F811
    ours = paid_with_razorpay(razorpay, payer_client, invoices.add(payer), "order_RC1", "pay_RC1")

    report = reconcile_listing(
        razorpay, payment_entity("pay_RC1", "order_RC1"), payment_entity("pay_stranger", their_order)
    )

    assert (report.gateway_payments, report.matched, report.fixed, report.discrepancies) == (2, 1, 0, 1)
    assert report.details == {
        "fixes": [],
        "discrepancies": [{"gateway_payment_id": "pay_stranger", "problem": "no order of ours"}],
    }
    assert list(Payment.objects.values_list("pk", flat=True)) == [ours.pk]  # nothing of ours made for it


def test_a_payment_paid_here_that_failed_at_the_gateway_is_reported(razorpay, payer, payer_client, invoices):  # noqa: F811
    ours = paid_with_razorpay(razorpay, payer_client, invoices.add(payer), "order_RC2", "pay_RC2")

    report = reconcile_listing(
        razorpay,
        payment_entity("pay_RC2a", "order_RC2", status="failed"),  # an earlier failed attempt on the order: fine
        payment_entity("pay_RC2", "order_RC2", status="failed"),  # the one we captured
    )

    assert (report.gateway_payments, report.matched, report.fixed, report.discrepancies) == (2, 1, 0, 1)
    assert report.details == {
        "fixes": [],
        "discrepancies": [{"payment_id": str(ours.pk), "problem": "paid here, failed at gateway"}],
    }
    ours.refresh_from_db()
    assert ours.status == PaymentStatus.SUCCESS  # for staff to look into: nothing is undone by itself
    assert ours.gateway_payment_id == "pay_RC2"
    assert ledger_balance("customer_funds") == Decimal("-1180.00")


def test_a_payment_fixed_by_yesterdays_reconciliation_is_not_a_discrepancy_today(
    razorpay,  # noqa: F811
    payer,
    payer_client,
    invoices,
    clock_held,
):
    # Paid at Razorpay yesterday at noon, the webhook lost: the nightly run for yesterday captures it now (today).
    today = timezone.localdate(clock_held)
    yesterday_noon = datetime.combine(
        today - timedelta(days=1), datetime_time(12), tzinfo=timezone.get_current_timezone()
    )
    razorpay.post(f"{API}/orders", json={"id": "order_RC3", "amount": 118000, "currency": "INR"})
    ours = create_order(payer_client, invoices.add(payer)).json()["data"]
    entity = {**payment_entity("pay_RC3", "order_RC3"), "created_at": int(yesterday_noon.timestamp())}
    razorpay.get(f"{API}/payments", json={"items": [entity], "count": 1})
    razorpay.get(f"{API}/payments", json={"items": [], "count": 0})  # nothing of today's at Razorpay
    razorpay.get(f"{API}/payments/pay_RC3", json=entity)
    yesterdays = reconcile_day(day=today - timedelta(days=1))

    todays = reconcile_day(day=today)

    assert (yesterdays.fixed, yesterdays.discrepancies) == (1, 0)
    assert Payment.objects.get(pk=ours["payment_id"]).captured_at == clock_held  # captured here today
    # Razorpay lists it on yesterday's report, where it was fixed: today's has nothing to report
    assert (todays.gateway_payments, todays.matched, todays.fixed, todays.discrepancies) == (0, 0, 0, 0)
    assert todays.details == {"fixes": [], "discrepancies": []}


def test_a_payment_of_the_day_the_gateway_does_not_list_is_reported(razorpay, payer, payer_client, invoices):  # noqa: F811
    ours = paid_with_razorpay(razorpay, payer_client, invoices.add(payer), "order_RC4", "pay_RC4")
    razorpay.get(f"{API}/payments/pay_RC4", json=payment_entity("pay_RC4", "order_RC4"))  # made today, captured

    report = reconcile_listing(razorpay)  # Razorpay's list for the day leaves it out

    assert (report.gateway_payments, report.discrepancies) == (0, 1)
    assert report.details["discrepancies"] == [
        {"payment_id": str(ours.pk), "problem": "paid here, not listed by the gateway"}
    ]
