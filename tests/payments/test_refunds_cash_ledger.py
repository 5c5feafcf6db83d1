"""Refunds (full, partial, deposit only), cash payments, the ledger's balance and immutability, staff permissions."""

import uuid
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction
from django.db.models import Count, Sum

from accounts.roles import Role
from payments.gateways import get_gateway
from payments.models import LedgerEntry, Payment, PaymentStatus, Refund
from payments.services.ledger import ledger_balance, ledger_post, ledger_trial_balance
from tests.accounts.helpers import assert_error
from tests.conftest import client_for, make_user
from tests.payments.conftest import create_order, order_body

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def finance():
    return client_for(make_user(Role.FINANCE, email="fin@example.com"))


def paid(client, payable, **extra):
    data = create_order(client, payable, **extra).json()["data"]
    result = get_gateway().simulate_checkout(data["order_id"])
    client.post(
        "/api/v1/payments/verify",
        {k: result[k] for k in ("razorpay_order_id", "razorpay_payment_id", "razorpay_signature")},
        format="json",
    )
    return Payment.objects.get(pk=data["payment_id"])


def refund(client, **body):
    return client.post("/api/v1/payments/refund", body, format="json", HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()))


def test_full_refund(finance, payer, payer_client, invoices):
    invoice = invoices.add(payer, amount="1180.00")
    payment = paid(payer_client, invoice)

    response = refund(finance, payment_id=str(payment.pk), refund_type="full", reason="Customer cancelled")

    assert response.status_code == 201, response.content
    assert response.json()["data"]["status"] == "processed"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert payment.amount_refunded == Decimal("1180.00")
    assert invoices.events_for(invoice.id) == [("pending", "success"), ("success", "refunded")]
    fee = Decimal("23.60")  # the offline gateway's 2 % of 1180.00
    assert ledger_balance("customer_funds") == 0  # -1180.00 captured, +1180.00 refunded
    assert ledger_balance("gateway_receivable") == -fee  # +1180.00 - 23.60 fee - 1180.00 refunded
    assert ledger_balance("gateway_fees") == fee
    refund_legs = LedgerEntry.objects.filter(payment=payment, refund__isnull=False)
    assert sorted((e.account.code, e.amount) for e in refund_legs) == [
        ("customer_funds", Decimal("1180.00")),
        ("gateway_receivable", Decimal("-1180.00")),
    ]


def test_partial_refunds_never_exceed_what_was_captured(finance, payer, payer_client, invoices):
    payment = paid(payer_client, invoices.add(payer, amount="1000.00"))

    first = refund(finance, payment_id=str(payment.pk), refund_type="partial", amount="600.00")
    too_much = refund(finance, payment_id=str(payment.pk), refund_type="partial", amount="400.01")
    rest = refund(finance, payment_id=str(payment.pk), refund_type="partial", amount="400.00")
    nothing_left = refund(finance, payment_id=str(payment.pk), refund_type="full")

    assert first.status_code == 201
    error = assert_error(too_much, 422, "REFUND_EXCEEDS_REFUNDABLE", "amount")
    assert error["details"]["context"]["refundable"] == "400.00"
    assert rest.status_code == 201
    assert_error(nothing_left, 422, "NOTHING_TO_REFUND")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED


def test_partial_refund_needs_an_amount(finance, payer, payer_client, invoices):
    payment = paid(payer_client, invoices.add(payer))

    assert_error(refund(finance, payment_id=str(payment.pk), refund_type="partial"), 400, "INVALID_REQUEST", "amount")


def test_deposit_only_refund_by_payable(finance, payer, payer_client, invoices):
    invoice = invoices.add(payer, amount="1500.00", deposit="200.00")
    payer_client.post(
        "/api/v1/payments/process-deposit", order_body(invoice), format="json", HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )
    deposit = Payment.objects.get()
    result = get_gateway().simulate_checkout(deposit.gateway_order_id)
    payer_client.post(
        "/api/v1/payments/verify",
        {k: result[k] for k in ("razorpay_order_id", "razorpay_payment_id", "razorpay_signature")},
        format="json",
    )

    response = refund(finance, payable_type=invoice.type, payable_id=invoice.id, refund_type="deposit_only")

    assert response.json()["data"]["amount"] == 200.0
    deposit.refresh_from_db()
    assert deposit.status == PaymentStatus.REFUNDED


def test_refunding_an_unknown_payment_is_not_found(finance):
    response = refund(finance, payment_id=str(uuid.uuid4()), refund_type="full")

    assert_error(response, 404, "PAYMENT_NOT_FOUND", "payment_id")


def test_refunding_a_payable_with_nothing_paid(finance, payer, invoices):
    invoice = invoices.add(payer)

    response = refund(finance, payable_type=invoice.type, payable_id=invoice.id, refund_type="full")

    assert_error(response, 422, "NOTHING_TO_REFUND")


def test_an_unpaid_payment_cannot_be_refunded(finance, payer, payer_client, invoices):
    payment_id = create_order(payer_client, invoices.add(payer)).json()["data"]["payment_id"]

    assert_error(refund(finance, payment_id=payment_id, refund_type="full"), 422, "INVALID_PAYMENT_STATUS")


@pytest.mark.parametrize("role", [Role.SUPPORT, Role.FRONT_DESK, Role.CUSTOMER])
def test_only_finance_and_admins_refund(role, payer, payer_client, invoices):
    payment = paid(payer_client, invoices.add(payer))

    response = refund(client_for(make_user(role)), payment_id=str(payment.pk), refund_type="full")

    assert_error(response, 403, "FORBIDDEN")
    assert not Refund.objects.exists()


def test_cash_payment_recorded_by_staff_with_the_same_ledger_entries(finance, payer, invoices):
    invoice = invoices.add(payer, amount="750.00")

    response = finance.post(
        "/api/v1/payments/cash",
        {**order_body(invoice), "amount": "750.00", "note": "Paid at door"},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    cash_refund = refund(finance, payment_id=response.json()["data"]["id"], refund_type="partial", amount="50.00")

    assert response.status_code == 201, response.content
    assert response.json()["data"]["status"] == "success"
    assert response.json()["data"]["payment_method"] == "cash"
    assert cash_refund.json()["data"]["status"] == "processed"
    assert ledger_balance("cash_on_hand") == Decimal("700.00")  # 750.00 in, 50.00 back
    assert ledger_balance("customer_funds") == Decimal("-700.00")
    assert ledger_balance("gateway_receivable") == ledger_balance("gateway_fees") == 0  # cash never touches them
    assert invoices.events_for(invoice.id)[0] == ("pending", "success")


def test_cash_with_the_wrong_amount(finance, payer, invoices):
    invoice = invoices.add(payer, amount="750.00")

    response = finance.post(
        "/api/v1/payments/cash",
        {**order_body(invoice), "amount": "700.00"},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )

    assert_error(response, 422, "INVALID_PAYMENT_AMOUNT", "amount")


def test_customers_cannot_record_cash(payer, payer_client, invoices):
    invoice = invoices.add(payer, amount="750.00")

    response = payer_client.post(
        "/api/v1/payments/cash",
        {**order_body(invoice), "amount": "750.00"},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )

    assert_error(response, 403, "FORBIDDEN")


def test_the_ledger_refuses_unbalanced_postings():
    with pytest.raises(ValueError, match="Unbalanced"):
        ledger_post(lines=[("cash_on_hand", Decimal("10")), ("customer_funds", Decimal("-9"))], memo="typo")


def test_ledger_entries_are_never_updated_or_deleted(payer, payer_client, invoices):
    paid(payer_client, invoices.add(payer))
    entry = LedgerEntry.objects.first()
    entry.memo = "changed"

    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()


def test_every_posting_balances_and_all_accounts_sum_to_zero(finance, payer, payer_client, invoices):
    for amount in ("100.00", "250.50", "999.99"):
        payment = paid(payer_client, invoices.add(payer, amount=amount))
        refund(finance, payment_id=str(payment.pk), refund_type="partial", amount="10.00")

    totals = LedgerEntry.objects.values("posting_id").annotate(total=Sum("amount"), lines=Count("pk"))
    per_posting = {row["posting_id"]: (row["total"], row["lines"]) for row in totals}

    assert list(per_posting.values()) == [(Decimal("0.00"), 2)] * 9  # per payment: capture, fee, refund
    # the offline gateway's 2 % fee, in whole paise rounded down: 2.00 + 5.01 + 19.99
    captured, fees, refunded = Decimal("1350.49"), Decimal("27.00"), Decimal("30.00")
    assert ledger_balance("customer_funds") == -captured + refunded
    assert ledger_balance("gateway_receivable") == captured - fees - refunded
    assert ledger_balance("gateway_fees") == fees
    assert ledger_balance("cash_on_hand") == ledger_balance("bank") == 0
    assert ledger_trial_balance() == 0
    # ...by construction: an unbalanced posting is refused and writes nothing
    with pytest.raises(ValueError, match="Unbalanced"):
        ledger_post(lines=[("gateway_fees", Decimal("1.00")), ("gateway_receivable", Decimal("-0.99"))], memo="typo")
    assert LedgerEntry.objects.count() == 18
    assert ledger_trial_balance() == 0
