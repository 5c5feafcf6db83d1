"""Notification tasks: thin, they call ``notifications.services`` (which queue them by name, never import them)."""

from __future__ import annotations

from celery import shared_task

from notifications.backends import DeliveryFailed
from notifications.services.broadcast import broadcast_chunk_send
from notifications.services.delivery import (
    attempt_deliveries,
    attempt_delivery,
    retry_countdown,
    sweep_lost_deliveries,
)


@shared_task(bind=True, name="notifications.tasks.deliver", max_retries=None, acks_late=True)
def deliver(self, delivery_id: str) -> str:
    """One message on one channel, retried with backoff while the failure may pass; every attempt logged."""
    try:
        return attempt_delivery(delivery_id)
    except DeliveryFailed as exc:
        raise self.retry(exc=exc, countdown=retry_countdown(self.request.retries)) from exc


@shared_task(name="notifications.tasks.deliver_many", acks_late=True)
def deliver_many(delivery_ids: list[str]) -> dict[str, int]:
    """First tries of several deliveries (a notification's channels); one to retry goes on as its own ``deliver``."""
    return attempt_deliveries(delivery_ids)


@shared_task(name="notifications.tasks.broadcast_chunk", acks_late=True)
def broadcast_chunk(user_ids: list[str], title: str, message: str, data: dict | None = None) -> int:
    """One chunk of a staff broadcast (``notifications.services.broadcast``)."""
    return broadcast_chunk_send(user_ids, title=title, message=message, data=data)


@shared_task(name="notifications.tasks.sweep_pending_deliveries", ignore_result=True)
def sweep_pending_deliveries() -> int:
    """Re-queue pending deliveries whose task was lost (the broker was down, or the worker died)."""
    return sweep_lost_deliveries()
