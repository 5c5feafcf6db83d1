"""A worker killed in the middle of a Razorpay webhook's processing: the payment is captured once, one ledger
capture pair (and one fee pair) is posted, the booking hears it once and is offered to one partner."""

import uuid
from decimal import Decimal

import pytest

from bookings.models import BOOKING_PAYABLE, BookingPaymentStatus, BookingStatus
from partners.models import PartnerAssignment
from payments.gateways import get_gateway
from payments.models import LedgerEntry, Payment, PaymentStatus, PaymentWebhook, WebhookStatus
from payments.services.ledger import ledger_trial_balance
from tests.conftest import client_for
from tests.crash.harness import queued_tasks, received_twice, wait_until
from tests.factories import BookingFactory
from tests.partners import helpers as h
from tests.payments.conftest import post_webhook, webhook_body

TASK = "payments.tasks.process_webhook"
AMOUNT = Decimal("1180.00")
FEE = Decimal("23.60")
BUSY = {TASK, "payments.tasks.sync_payable", "partners.tasks.dispatch_booking_task"}


def captured(booking):
    """A captured webhook for the online booking's gateway order, received (stored and queued) by the API."""
    response = client_for(booking.user).post(
        "/api/v1/payments/orders",
        {"payable_type": BOOKING_PAYABLE, "payable_id": str(booking.pk)},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 201, response.json()
    paid = get_gateway().simulate_checkout(response.json()["data"]["order_id"])
    body = webhook_body("payment.captured", order_id=paid["razorpay_order_id"], payment_id=paid["razorpay_payment_id"])
    assert post_webhook(client_for(booking.user), body).status_code == 200


def settled(booking):
    return not BUSY & set(queued_tasks()) and PartnerAssignment.objects.filter(booking=booking).exists()


@pytest.mark.parametrize(
    ("point", "kill"),
    [("webhook", "pool"), ("webhook", "worker"), ("webhook-committed", "pool")],
    ids=["mid-transaction/pool-process", "mid-transaction/whole-worker", "after-commit-before-callback/pool-process"],
)
def test_a_webhook_killed_midway_captures_once_and_the_booking_is_paid_and_offered_once(workers, point, kill):
    partner = h.partner()
    booking = BookingFactory(online=True, total=str(AMOUNT), at=h.HOME)
    first = workers(point)

    captured(booking)
    pid = first.wait_at_crash_point()
    if kill == "pool":
        first.kill_pool_process(pid)
        finisher = first
    else:
        first.kill()
        finisher = workers()
    wait_until(lambda: settled(booking), 40, "the booking paid and offered", finisher)

    payment = Payment.objects.get(payable_type=BOOKING_PAYABLE, payable_id=str(booking.pk))
    assert payment.status == PaymentStatus.SUCCESS
    assert sorted((e.account.code, e.amount) for e in LedgerEntry.objects.filter(payment=payment)) == [
        ("customer_funds", -AMOUNT),
        ("gateway_fees", FEE),
        ("gateway_receivable", -FEE),
        ("gateway_receivable", AMOUNT),
    ]  # one capture pair, one fee pair
    assert ledger_trial_balance() == Decimal("0.00")
    assert (payment.event_version, payment.payable_version) == (1, 1)
    assert PaymentWebhook.objects.get().status == WebhookStatus.PROCESSED
    booking.refresh_from_db()
    assert (booking.payment_status, booking.status) == (BookingPaymentStatus.PAID, BookingStatus.PARTNER_ASSIGNED)
    assert booking.events.filter(action="payment_success").count() == 1
    assert PartnerAssignment.objects.get(booking=booking).partner == partner
    log = first.log() + (finisher.log() if finisher is not first else "")
    assert received_twice(log, TASK), log  # the message came back and ran again
