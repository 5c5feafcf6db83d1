"""One capture reported twice: by the customer's app (``/payments/verify``) and by Razorpay (``payment.captured``).

Whichever comes first captures and posts the ledger; the other finds the payment already captured and posts
nothing, whether they arrive one after the other (either order) or at the same moment. Run through the real
bookings payable (``bookings.booking``), so the booking is marked paid once.
"""

import threading
import time
import uuid
from decimal import Decimal

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from bookings.models import BOOKING_PAYABLE, BookingPaymentStatus
from payments.gateways import get_gateway
from payments.models import LedgerEntry, Payment, PaymentStatus, PaymentWebhook, WebhookStatus
from payments.services.ledger import ledger_balance
from tests.conftest import client_for
from tests.factories import BookingFactory
from tests.payments.conftest import post_webhook, webhook_body

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("celery_eager")]

AMOUNT = Decimal("1180.00")
FEE = Decimal("23.60")  # the offline gateway's 2 %, which the webhook below reports too (2360 paise)


@pytest.fixture
def checkout():
    """An online booking, its order, and what Checkout hands the app once the customer has paid."""
    booking = BookingFactory(online=True, total=str(AMOUNT))
    customer = client_for(booking.user)
    response = customer.post(
        "/api/v1/payments/orders",
        {"payable_type": BOOKING_PAYABLE, "payable_id": str(booking.pk)},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 201, response.json()
    paid = get_gateway().simulate_checkout(response.json()["data"]["order_id"])
    paid.pop("status")
    return booking, customer, paid


def verify(customer, paid):
    return customer.post("/api/v1/payments/verify", paid, format="json")


def captured_webhook(client, paid):
    body = webhook_body("payment.captured", order_id=paid["razorpay_order_id"], payment_id=paid["razorpay_payment_id"])
    return post_webhook(client, body)


def assert_captured_once(booking, paid):
    payment = Payment.objects.get(payable_type=BOOKING_PAYABLE, payable_id=str(booking.pk))
    assert payment.status == PaymentStatus.SUCCESS
    assert payment.gateway_payment_id == paid["razorpay_payment_id"]
    entries = LedgerEntry.objects.filter(payment=payment)
    assert sorted((e.account.code, e.amount) for e in entries) == [
        ("customer_funds", -AMOUNT),
        ("gateway_fees", FEE),
        ("gateway_receivable", -FEE),
        ("gateway_receivable", AMOUNT),
    ]  # one capture pair and one fee pair
    assert ledger_balance("customer_funds") == -AMOUNT
    assert ledger_balance("gateway_receivable") == AMOUNT - FEE
    assert ledger_balance("gateway_fees") == FEE
    booking.refresh_from_db()
    assert booking.payment_status == BookingPaymentStatus.PAID
    assert booking.events.filter(action="payment_success").count() == 1  # the booking heard it once
    assert (payment.event_version, payment.payable_version) == (1, 1)
    assert PaymentWebhook.objects.get().status == WebhookStatus.PROCESSED  # not a duplicate: another source


@pytest.mark.parametrize("first", ["verify", "webhook"])
def test_verify_and_the_captured_webhook_one_after_the_other_post_one_ledger_pair(checkout, first):
    booking, customer, paid = checkout
    steps = {"verify": lambda: verify(customer, paid), "webhook": lambda: captured_webhook(APIClient(), paid)}
    second = "webhook" if first == "verify" else "verify"

    one = steps[first]()
    other = steps[second]()

    assert one.status_code == other.status_code == 200
    assert_captured_once(booking, paid)


def sessions_waiting_on_a_lock() -> int:
    """How many sessions of this database wait on a lock (a row's first waiter waits on its holder, the next on
    the first waiter)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # else a transaction reads its first snapshot again
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_verify_and_the_captured_webhook_at_the_same_moment_post_one_ledger_pair(checkout):
    booking, customer, paid = checkout
    payment = Payment.objects.get(payable_id=str(booking.pk))
    gateway_client = APIClient()  # both clients are ready before the start
    barrier = threading.Barrier(2)
    results = {}

    def run(name, action):
        try:
            barrier.wait(timeout=10)
            results[name] = action()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("verify", lambda: verify(customer, paid))),
        threading.Thread(target=run, args=("webhook", lambda: captured_webhook(gateway_client, paid))),
    ]
    # The payment row is held here, so both requests reach it and queue on it together: a capture that
    # read the payment without locking it would see it pending in both and post the ledger twice.
    with transaction.atomic():
        Payment.objects.select_for_update().get(pk=payment.pk)
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while sessions_waiting_on_a_lock() < 2:  # waits for an observed state (both queued on the row), not for time
            assert time.monotonic() < deadline, "the two requests never both waited on the payment"
            time.sleep(0.01)
    for thread in threads:
        thread.join(timeout=60)

    assert results["verify"].status_code == 200, results["verify"].json()
    assert results["webhook"].status_code == 200
    assert_captured_once(booking, paid)
