"""Sending events to WebSocket groups over the channel layer.

Every consumer of ours handles the ``platform.event`` message type and relays
``{"type": <event>, "data": {...}}`` to its client. Domain code calls
:func:`send_event_on_commit` inside its transaction, so nothing is sent for
work that rolls back (DESIGN.md section 5).

Sync code (a request thread, a Celery task) sends through one event loop that
runs in a background thread of the process, so the channel layer's Redis
connection for that loop is made once and reused. ``async_to_sync`` instead
runs each call in a new event loop, and the layer opens (and closes) a Redis
connection per loop: about 3 ms per event, measured in checkout confirm.
"""

from __future__ import annotations

import asyncio
import os
import threading
from typing import Any

from channels.layers import get_channel_layer
from django.db import transaction

SEND_TIMEOUT_SECONDS = 5
_sender: tuple[int, asyncio.AbstractEventLoop] | None = None
_sender_lock = threading.Lock()


def _sender_loop() -> asyncio.AbstractEventLoop:
    """This process's sending loop, started on first use (again in a forked child: threads do not survive)."""
    global _sender
    with _sender_lock:
        if _sender is None or _sender[0] != os.getpid():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="channel-layer-sender", daemon=True).start()
            _sender = (os.getpid(), loop)
        return _sender[1]


def group_send_sync(group: str, message: dict[str, Any]) -> None:
    """``layer.group_send`` from sync code; waits until Redis has it (errors surface to the caller)."""
    layer = get_channel_layer()
    if layer is None:  # pragma: no cover - CHANNEL_LAYERS is always configured
        return
    future = asyncio.run_coroutine_threadsafe(layer.group_send(group, message), _sender_loop())
    future.result(timeout=SEND_TIMEOUT_SECONDS)


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

    transaction.on_commit(lambda: group_send_sync(session_group(user_id), {"type": "session.revoked"}))


def event_message(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"type": PLATFORM_EVENT, "event": event_type, "data": data}


def send_event(group: str, event_type: str, data: dict[str, Any]) -> None:
    """Send now (from sync code: a service after commit, a Celery task)."""
    group_send_sync(group, event_message(event_type, data))


def send_event_on_commit(group: str, event_type: str, data: dict[str, Any]) -> None:
    """Send once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: send_event(group, event_type, data))
