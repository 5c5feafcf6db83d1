"""Who is online: a sorted set per person in Redis, one member per open socket, scored by its last heartbeat.

A socket counts while its score is younger than ``STALE_SECONDS`` (the server
refreshes it on every heartbeat), so a server that dies without closing its
sockets stops counting on its own. ``last_seen`` is kept when the last socket
goes.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from core import ratelimit

STALE_SECONDS = 90


def _key(user_id) -> str:
    return f"presence:{user_id}"


def _seen_key(user_id) -> str:
    return f"presence:{user_id}:last_seen"


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, tz=UTC).isoformat().replace("+00:00", "Z")


def status(user_id) -> dict:
    conn = ratelimit.client()
    now = time.time()
    conn.zremrangebyscore(_key(user_id), 0, now - STALE_SECONDS)
    online = conn.zcard(_key(user_id)) > 0
    seen = conn.get(_seen_key(user_id))
    return {
        "user_id": str(user_id),
        "is_online": online,
        "last_seen": _iso(now) if online else (_iso(float(seen)) if seen else None),
    }


def touch(user_id, socket: str) -> dict:
    """A socket connected or beat: it counts as online for another ``STALE_SECONDS``."""
    now = time.time()
    conn = ratelimit.client()
    conn.zadd(_key(user_id), {socket: now})
    conn.set(_seen_key(user_id), now)
    return status(user_id)


def leave(user_id, socket: str) -> dict:
    conn = ratelimit.client()
    conn.zrem(_key(user_id), socket)
    conn.set(_seen_key(user_id), time.time())
    return status(user_id)
