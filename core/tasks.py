"""Core Celery tasks: event fan-out and the beat heartbeat."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from core.events import send_event

BEAT_HEARTBEAT_KEY = "core:beat:last_seen"


@shared_task(name="core.tasks.broadcast_event")
def broadcast_event(group: str, event_type: str, data: dict[str, Any]) -> None:
    """Send an event to a WebSocket group from the worker process."""
    send_event(group, event_type, data)


@shared_task(name="core.tasks.beat_heartbeat", ignore_result=True)
def beat_heartbeat() -> str:
    """Record that beat and a worker are alive (read by the readiness check, informational)."""
    now = timezone.now().isoformat()
    cache.set(BEAT_HEARTBEAT_KEY, now, timeout=None)
    return now


@shared_task(name="core.tasks.purge_expired_idempotency_keys", ignore_result=True)
def purge_expired_idempotency_keys(batch_size: int = 5000) -> int:
    """Delete expired idempotency keys, a bounded batch per run (beat runs it hourly)."""
    from core.models import IdempotencyKey

    expired = IdempotencyKey.objects.filter(expires_at__lt=timezone.now()).values_list("pk", flat=True)[:batch_size]
    deleted, _ = IdempotencyKey.objects.filter(pk__in=list(expired)).delete()
    return deleted


@shared_task(name="core.tasks.purge_personal_data", ignore_result=True)
def purge_personal_data() -> dict[str, int]:
    """Run every retention scan of ``core.privacy`` (OTPs, delivery payloads, payment webhooks); each is idempotent."""
    from core import privacy

    return privacy.run_retention()
