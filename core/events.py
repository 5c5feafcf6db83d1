"""Sending events to WebSocket groups over the channel layer.

Every consumer of ours handles the ``platform.event`` message type and relays
``{"type": <event>, "data": {...}}`` to its client. Domain code calls
:func:`send_event_on_commit` inside its transaction, so nothing is sent for
work that rolls back (DESIGN.md section 5).
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

PLATFORM_EVENT = "platform.event"
STAFF_DISPATCH_GROUP = "staff.dispatch"  # staff watching the manual assignment queue


def user_group(user_id) -> str:
    """The group of everything addressed to one person (``ws/notifications/{user_id}/``)."""
    return f"user.{user_id}"


def session_group(user_id) -> str:
    """Every signed-in socket of one person (closed together when the account is blocked)."""
    return f"session.{user_id}"


def revoke_sessions_on_commit(user_id) -> None:
    """Close the person's open WebSockets (4401) once the block has committed."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(session_group(user_id), {"type": "session.revoked"})

    transaction.on_commit(send)


def event_message(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"type": PLATFORM_EVENT, "event": event_type, "data": data}


def send_event(group: str, event_type: str, data: dict[str, Any]) -> None:
    """Send now (from sync code: a service after commit, a Celery task)."""
    layer = get_channel_layer()
    if layer is None:  # pragma: no cover - CHANNEL_LAYERS is always configured
        return
    async_to_sync(layer.group_send)(group, event_message(event_type, data))


def send_event_on_commit(group: str, event_type: str, data: dict[str, Any]) -> None:
    """Send once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: send_event(group, event_type, data))
