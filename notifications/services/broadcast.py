"""A staff broadcast: queued in chunks, each chunk an inbox entry (and deliveries) per person."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from core.jobs import enqueue
from notifications.services.inbox import notify

BROADCAST_CHUNK = 500
CHUNK_TASK = "notifications.tasks.broadcast_chunk"


def broadcast_chunk_send(user_ids: list[str], *, title: str, message: str, data: dict[str, Any] | None = None) -> int:
    """One chunk of a staff broadcast: an inbox entry (and deliveries) per person, as the ``promotion`` event."""
    sent = 0
    for person in get_user_model().objects.filter(pk__in=user_ids, is_active=True):
        with transaction.atomic():
            notify("promotion", user=person, context={"title": title, "message": message}, data=data or {})
        sent += 1
    return sent


def broadcast(user_ids: list[str], *, title: str, message: str, data: dict[str, Any] | None = None) -> int:
    """Queue a broadcast in chunks; returns the number of chunks."""
    chunks = [user_ids[i : i + BROADCAST_CHUNK] for i in range(0, len(user_ids), BROADCAST_CHUNK)]
    for chunk in chunks:
        enqueue(CHUNK_TASK, chunk, title, message, data)
    return len(chunks)
