"""A webhook whose processing fails is retried after 5, 10 and 20 seconds (5 * 2^n), then flagged for review.

The failure is real data, not a stub: Razorpay reports a capture of another amount than the payment's, which
``payment_apply_gateway_state`` refuses. Eager Celery runs every retry at once, so the countdown each retry
asked for is read from Celery's own ``task_retry`` signal (its ``reason`` is the ``Retry`` with ``when``).
"""

import pytest
from celery.signals import task_retry
from rest_framework.test import APIClient

from payments.models import Payment, PaymentStatus, PaymentWebhook, WebhookStatus
from payments.tasks import process_webhook
from tests.payments.conftest import create_order, post_webhook, webhook_body

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("celery_eager")]


@pytest.fixture
def retries_asked():
    """(attempt number n, countdown) for each retry ``process_webhook`` asks for."""
    asked = []

    def record(sender, request, reason, **kwargs):
        if sender.name == process_webhook.name:
            asked.append((request.retries, reason.when))

    task_retry.connect(record, weak=False)
    yield asked
    task_retry.disconnect(record)


def test_a_failing_webhook_is_retried_after_5_10_and_20_seconds_then_flagged(
    payer, payer_client, invoices, retries_asked, settings
):
    order_id = create_order(payer_client, invoices.add(payer, amount="1180.00")).json()["data"]["order_id"]
    other_amount = webhook_body("payment.captured", order_id=order_id, payment_id="pay_odd", amount_paise=100)

    response = post_webhook(APIClient(), other_amount)

    assert response.status_code == 200  # received and acknowledged: processing is the task's business
    assert settings.WEBHOOK_MAX_RETRIES == 3
    assert retries_asked == [(0, 5), (1, 10), (2, 20)]
    webhook = PaymentWebhook.objects.get()
    assert (webhook.status, webhook.retry_count) == (WebhookStatus.MANUAL_REVIEW, 4)  # no fourth retry
    assert "different amount" in webhook.processing_error
    assert Payment.objects.get().status == PaymentStatus.PENDING
