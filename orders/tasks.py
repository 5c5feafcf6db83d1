"""Thin Celery tasks of the orders app: the periodic scans of seed 001 6.4 and 8 (config/settings/schedule.py).

Each scan is idempotent and locks the rows it changes with ``skip_locked``, so two runs at once (or a run
racing a resident's answer) change each order once.
"""

from celery import shared_task


@shared_task(name="orders.tasks.auto_approve_counts", ignore_result=True)
def auto_approve_counts() -> int:
    """Every 5 minutes: approve the counts residents left unanswered for 2 hours (not the questioned ones)."""
    from orders.services.count import auto_approve_due

    return auto_approve_due()


@shared_task(name="orders.tasks.auto_close_orders", ignore_result=True)
def auto_close_orders() -> int:
    """Hourly: close the orders whose payment was marked 48 hours ago and that nobody disputes; refund the late
    online captures whose refund task was lost."""
    from orders.payable import refund_lost_late_captures
    from orders.services.payment import auto_close_due

    closed = auto_close_due()
    refund_lost_late_captures()
    return closed


@shared_task(bind=True, name="orders.tasks.refund_late_capture", max_retries=6, acks_late=True)
def refund_late_capture(self, order_id: str, payment_id: str) -> bool:
    """Refund a payment captured after its order was paid by hand (retried; the hourly sweep catches a lost one)."""
    from orders.payable import order_refund_late_capture

    try:
        return order_refund_late_capture(order_id=order_id, payment_pk=payment_id)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc


@shared_task(name="orders.tasks.send_pickup_reminders", ignore_result=True)
def send_pickup_reminders() -> int:
    """Every 5 minutes: remind residents (and vendors) of a pickup due within 30 minutes, once."""
    from orders.services.reminders import send_pickup_reminders as send

    return send()
