"""Orders, idempotency, verification, status, details and history, with the offline gateway."""

import uuid
from decimal import Decimal

import pytest

from accounts.roles import Role
from payments.gateways import get_gateway
from payments.models import Payment, PaymentStatus
from payments.services.ledger import ledger_balance
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.conftest import client_for, make_user
from tests.payments.conftest import create_order, order_body

pytestmark = pytest.mark.django_db(transaction=True)


def pay_offline(client, order_id, outcome="success"):
    result = client.post(
        "/api/v1/payments/offline/checkout", {"order_id": order_id, "outcome": outcome}, format="json"
    ).json()["data"]
    return client.post(
        "/api/v1/payments/verify",
        {k: result[k] for k in ("razorpay_order_id", "razorpay_payment_id", "razorpay_signature")},
        format="json",
    )


def test_create_order_answers_what_checkout_needs(payer, payer_client, invoices):
    invoice = invoices.add(payer, amount="1180.00")

    response = create_order(payer_client, invoice)

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["amount"] == 118000
    assert data["currency"] == "INR"
    assert data["order_id"].startswith("order_")
    assert data["key"]
    assert data["name"]
    assert data["description"] == "Deep cleaning, 2 hours"
    assert data["prefill"] == {"name": "Pia Payer", "email": "payer@example.com", "contact": "+919800000101"}
    assert data["notes"]["payable_id"] == invoice.id
    payment = Payment.objects.get(pk=data["payment_id"])
    assert payment.status == PaymentStatus.PENDING
    assert payment.amount == Decimal("1180.00")


def test_missing_idempotency_key_is_refused(payer_client, payer, invoices):
    response = payer_client.post("/api/v1/payments/orders", order_body(invoices.add(payer)), format="json")

    assert_error(response, 400, "IDEMPOTENCY_KEY_REQUIRED", "X-Idempotency-Key")
    assert not Payment.objects.exists()


def test_a_retry_with_the_same_key_replays_the_first_response_byte_for_byte(payer, payer_client, invoices):
    invoice = invoices.add(payer)
    key = str(uuid.uuid4())

    first = create_order(payer_client, invoice, key=key)
    again = create_order(payer_client, invoice, key=key)

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert Payment.objects.count() == 1


def test_the_same_key_with_another_body_is_a_conflict(payer, payer_client, invoices):
    key = str(uuid.uuid4())
    create_order(payer_client, invoices.add(payer), key=key)

    response = create_order(payer_client, invoices.add(payer), key=key)

    assert_error(response, 409, "IDEMPOTENCY_KEY_REUSED")
    assert Payment.objects.count() == 1


def test_keys_are_per_user(payer, payer_client, invoices):
    other = make_user()
    key = str(uuid.uuid4())
    first = create_order(payer_client, invoices.add(payer), key=key)
    theirs = invoices.add(other)

    response = create_order(client_for(other), theirs, key=key)

    assert first.status_code == 201, first.content
    assert response.status_code == 201, response.content
    assert "Idempotent-Replayed" not in response  # their own order, not a replay of the first user's
    data = response.json()["data"]
    assert data["payment_id"] != first.json()["data"]["payment_id"]
    assert data["order_id"] != first.json()["data"]["order_id"]
    assert data["notes"]["payable_id"] == theirs.id
    payments = {str(p.pk): p for p in Payment.objects.all()}
    assert set(payments) == {first.json()["data"]["payment_id"], data["payment_id"]}
    assert payments[data["payment_id"]].user_id == other.pk
    assert payments[data["payment_id"]].payable_id == theirs.id


@pytest.mark.parametrize(("extra", "field"), [({"amount": "1000.00"}, "amount"), ({"currency": "USD"}, "currency")])
def test_amount_or_currency_differing_from_the_payable(payer, payer_client, invoices, extra, field):
    response = create_order(payer_client, invoices.add(payer, amount="1180.00"), **extra)

    error = assert_error(response, 422, "INVALID_PAYMENT_AMOUNT", field)
    assert error["details"]["context"]
    assert not Payment.objects.exists()


def test_someone_elses_payable_is_not_found(payer_client, invoices):
    stranger = make_user()

    assert_error(create_order(payer_client, invoices.add(stranger)), 404, "NOT_FOUND", "payable_id")


def test_unknown_payable_type(payer_client):
    response = payer_client.post(
        "/api/v1/payments/orders",
        {"payable_type": "nope.thing", "payable_id": "1"},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )

    assert_error(response, 422, "VALIDATION_ERROR", "payable_type")


def test_at_most_five_payment_attempts_per_user_per_hour(payer, payer_client, invoices):
    invoice = invoices.add(payer)
    for _ in range(5):
        assert create_order(payer_client, invoice).status_code == 201

    error = assert_error(create_order(payer_client, invoice), 429, "RATE_LIMIT_EXCEEDED")

    assert error["metadata"]["retry_after_seconds"] > 0


def test_pay_verify_and_the_books(payer, payer_client, invoices):
    invoice = invoices.add(payer, amount="1180.00")
    order_id = create_order(payer_client, invoice).json()["data"]["order_id"]

    response = pay_offline(payer_client, order_id)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["payment_status"] == "success"
    assert data["razorpay_payment_id"].startswith("pay_")
    assert invoices.events_for(invoice.id) == [("pending", "success")]
    # the capture (1180.00 owed to the invoice, held by the gateway) and the gateway's 2% fee out of it
    assert ledger_balance("customer_funds") == Decimal("-1180.00")
    assert ledger_balance("gateway_receivable") == Decimal("1156.40")
    assert ledger_balance("gateway_fees") == Decimal("23.60")
    assert ledger_balance("cash_on_hand") == ledger_balance("bank") == Decimal("0.00")


def test_verify_with_a_bad_signature_records_nothing(payer, payer_client, invoices):
    order_id = create_order(payer_client, invoices.add(payer)).json()["data"]["order_id"]
    result = payer_client.post("/api/v1/payments/offline/checkout", {"order_id": order_id}, format="json").json()[
        "data"
    ]

    response = payer_client.post(
        "/api/v1/payments/verify",
        {**{k: result[k] for k in ("razorpay_order_id", "razorpay_payment_id")}, "razorpay_signature": "0" * 64},
        format="json",
    )

    assert_error(response, 400, "INVALID_SIGNATURE", "razorpay_signature")
    assert Payment.objects.get().status == PaymentStatus.PENDING
    assert not invoices.events


def test_verify_with_a_missing_signature_is_refused(payer, payer_client, invoices):
    order_id = create_order(payer_client, invoices.add(payer)).json()["data"]["order_id"]

    response = payer_client.post(
        "/api/v1/payments/verify", {"razorpay_order_id": order_id, "razorpay_payment_id": "pay_x"}, format="json"
    )

    assert_error(response, 400, "INVALID_REQUEST", "razorpay_signature")


def test_verify_someone_elses_order_is_not_found(payer, payer_client, invoices):
    order_id = create_order(payer_client, invoices.add(payer)).json()["data"]["order_id"]
    gateway = get_gateway()
    paid = gateway.simulate_checkout(order_id)

    response = client_for(make_user()).post(
        "/api/v1/payments/verify",
        {k: paid[k] for k in ("razorpay_order_id", "razorpay_payment_id", "razorpay_signature")},
        format="json",
    )

    assert_error(response, 404, "PAYMENT_NOT_FOUND")


def test_a_failed_attempt_then_a_successful_one(payer, payer_client, invoices):
    invoice = invoices.add(payer)
    first = create_order(payer_client, invoice).json()["data"]["order_id"]
    failed = pay_offline(payer_client, first, outcome="failure")
    second = create_order(payer_client, invoice).json()["data"]["order_id"]

    succeeded = pay_offline(payer_client, second)

    assert failed.json()["data"]["payment_status"] == "failed"
    assert succeeded.json()["data"]["payment_status"] == "success"
    assert create_order(payer_client, invoice).json()["error"]["code"] == "PAYMENT_ALREADY_CONFIRMED"


def test_deposit_then_remaining_balance(payer, payer_client, invoices):
    invoice = invoices.add(payer, amount="1500.00", deposit="200.00")
    deposit = payer_client.post(
        "/api/v1/payments/process-deposit", order_body(invoice), format="json", HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4())
    ).json()["data"]
    pay_offline(payer_client, deposit["order_id"])

    balance = payer_client.post(
        "/api/v1/payments/process-full-payment",
        order_body(invoice),
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    ).json()["data"]
    pay_offline(payer_client, balance["order_id"])

    assert deposit["amount"] == 20000
    assert balance["amount"] == 130000
    kinds = sorted(Payment.objects.filter(status="success").values_list("kind", flat=True))
    assert kinds == ["balance", "deposit"]


def test_a_payable_that_takes_no_loyalty_points_refuses_them(payer, payer_client, invoices):
    invoice = invoices.add(payer, amount="1500.00")

    response = payer_client.post(
        "/api/v1/payments/process-full-payment",
        {**order_body(invoice), "loyaltyPointsUsed": 50},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )

    error = assert_error(response, 422, "VALIDATION_ERROR", "loyalty_points_used")
    assert error["details"]["reason"] == "no_loyalty_points"
    assert not Payment.objects.exists()


def test_status_details_and_history_are_owner_only(payer, payer_client, invoices, django_assert_max_num_queries):
    invoice = invoices.add(payer)
    for _ in range(3):
        create_order(payer_client, invoice)
    payment = Payment.objects.first()
    stranger = client_for(make_user())

    status = payer_client.get(f"/api/v1/payments/{payment.pk}/status")
    details = payer_client.get(f"/api/v1/payments/{payment.pk}")
    # the token's user, the count, one page of payments
    with django_assert_max_num_queries(3):
        history = payer_client.get("/api/v1/payments/history?limit=2")

    assert status.json()["data"]["status"] == "pending"
    assert details.json()["data"]["refunds"] == []
    assert history.json()["data"]["pagination"]["total"] == 3
    assert len(history.json()["data"]["payments"]) == 2
    assert_error(stranger.get(f"/api/v1/payments/{payment.pk}/status"), 404, "PAYMENT_NOT_FOUND")
    assert_error(stranger.get(f"/api/v1/payments/{payment.pk}"), 404, "PAYMENT_NOT_FOUND")
    assert stranger.get("/api/v1/payments/history").json()["data"]["payments"] == []


def test_history_takes_as_many_queries_for_five_payments_as_for_one(payer, payer_client, invoices):
    create_order(payer_client, invoices.add(payer))
    one = query_counts(payer_client, ["/api/v1/payments/history"])
    for _ in range(4):
        create_order(payer_client, invoices.add(payer))

    five = query_counts(payer_client, ["/api/v1/payments/history"])

    assert len(payer_client.get("/api/v1/payments/history").json()["data"]["payments"]) == 5
    assert five == one


def test_details_take_as_many_queries_with_three_refunds_as_with_one(payer, payer_client, invoices):
    order = create_order(payer_client, invoices.add(payer, amount="1000.00")).json()["data"]
    pay_offline(payer_client, order["order_id"])
    finance = client_for(make_user(Role.FINANCE, email="finance@example.com"))
    path = f"/api/v1/payments/{order['payment_id']}"

    def refund(amount):
        response = finance.post(
            "/api/v1/payments/refund",
            {"payment_id": order["payment_id"], "refund_type": "partial", "amount": amount},
            format="json",
            HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
        assert response.status_code == 201, response.content

    refund("100.00")
    one = query_counts(payer_client, [path])
    refund("200.00")
    refund("300.00")

    three = query_counts(payer_client, [path])

    refunds = payer_client.get(path).json()["data"]["refunds"]
    assert [r["amount"] for r in refunds] == [300.0, 200.0, 100.0]  # newest first
    assert three == one
