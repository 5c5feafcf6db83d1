"""Thin Celery tasks of the bookings app."""

from celery import shared_task

from bookings.services import dispute_resolution, expiry, signatures
from bookings.services.reminders import send_due_reminders


@shared_task
def send_reminders() -> int:
    return send_due_reminders()


@shared_task(name="bookings.tasks.expire_unpaid_bookings", ignore_result=True)
def expire_unpaid_bookings() -> int:
    """Every minute: cancel online bookings whose payment never came; refund late captures a lost task missed."""
    return expiry.expire_unpaid_bookings()


@shared_task(bind=True, name="bookings.tasks.refund_late_capture", max_retries=6, acks_late=True)
def refund_late_capture(self, booking_id: str, payment_id: str) -> bool:
    """Refund a payment captured after its booking was cancelled (retried; the scan catches a lost one)."""
    try:
        return expiry.booking_refund_late_capture(booking_id=booking_id, payment_id=payment_id)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc


@shared_task(bind=True, name="bookings.tasks.process_telegram_update", max_retries=2, acks_late=True)
def process_telegram_update(self, update_pk: int) -> bool:
    """Answers one stored Telegram update (seed 004 TG4: 3 tries); a processed one is skipped."""
    from notifications.telegram import update_process

    try:
        return update_process(update_pk)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=10 * 2**self.request.retries) from exc


@shared_task(name="bookings.tasks.expire_signatures", ignore_result=True)
def expire_signatures() -> int:
    """Every 5 minutes: sign-off requests nobody answered in time expire, and ops hear of them (seed 002 S8)."""
    return signatures.signatures_expire_due()


@shared_task(name="bookings.tasks.close_resolved_disputes", ignore_result=True)
def close_resolved_disputes() -> int:
    """Hourly: disputes resolved more than DISPUTE_CLOSE_DAYS ago close (seed 002 "resolved -> closed")."""
    return dispute_resolution.disputes_close_resolved()
