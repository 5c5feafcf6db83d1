"""Payments Celery tasks: thin, idempotent, safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from payments.models import PaymentWebhook, WebhookStatus
from payments.services.payable_sync import lagging_payments, payable_sync
from payments.services.reconciliation import reconcile_day
from payments.services.webhooks import webhook_process, webhook_record_failure

SWEEP_BATCH = 500


@shared_task(bind=True, name="payments.tasks.process_webhook", max_retries=settings.WEBHOOK_MAX_RETRIES, acks_late=True)
def process_webhook(self, webhook_id: str) -> str:
    """Apply one webhook; retried with exponential backoff, then flagged for manual review."""
    try:
        return webhook_process(webhook_pk=webhook_id)
    except Exception as exc:
        attempts = self.request.retries + 1
        status = webhook_record_failure(webhook_pk=webhook_id, error=f"{type(exc).__name__}: {exc}", attempts=attempts)
        if status == WebhookStatus.MANUAL_REVIEW:
            return status
        raise self.retry(exc=exc, countdown=5 * 2**self.request.retries) from exc


@shared_task(name="payments.tasks.sweep_unprocessed_webhooks", ignore_result=True)
def sweep_unprocessed_webhooks() -> int:
    """Requeue deliveries whose task was lost (received or failed, untouched for 5 minutes)."""
    stale = timezone.now() - timedelta(minutes=5)
    ids = list(
        PaymentWebhook.objects.filter(
            status__in=[WebhookStatus.RECEIVED, WebhookStatus.FAILED], updated_at__lt=stale
        ).values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for webhook_id in ids:
        process_webhook.delay(str(webhook_id))
    return len(ids)


@shared_task(name="payments.tasks.reconcile_yesterday", ignore_result=True)
def reconcile_yesterday() -> str:
    day = timezone.localdate() - timedelta(days=1)
    return str(reconcile_day(day=day))


@shared_task(bind=True, name="payments.tasks.sync_payable", max_retries=8, acks_late=True)
def sync_payable(self, payment_id: str) -> bool:
    """Tell a payment's payable what it has not heard yet; retried with backoff (the sweep catches the rest)."""
    try:
        return payable_sync(payment_pk=payment_id)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc


@shared_task(name="payments.tasks.sweep_lagging_payables", ignore_result=True)
def sweep_lagging_payables() -> int:
    """Re-queue payments whose payable still lags (its task lost or out of retries)."""
    ids = lagging_payments()
    for payment_id in ids:
        sync_payable.delay(payment_id)
    return len(ids)
