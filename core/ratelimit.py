"""Exact rate limits: atomic counters in Redis (DESIGN.md section 5a).

Business limits (3 OTPs per phone per hour, 5 failed logins per 15 minutes,
10 bookings per user per hour, ...) must hold under concurrency, which DRF's
cache throttles do not guarantee. :func:`hit` increments a fixed-window
counter with one Lua script (INCR and EXPIRE together), so twenty concurrent
requests see twenty distinct counts. :func:`acquire_cooldown` is ``SET NX
EX``: only one caller wins a cooldown window.

Counters live in the main Redis database (``REDIS_URL``), not the cache's, so
clearing the cache never resets a limit.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import redis
from django.conf import settings

from core.errors import RateLimitError

_HIT = """
local current = redis.call('INCR', KEYS[1])
if current == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {current, ttl}
"""

_client: redis.Redis | None = None
_client_url: str | None = None
_lock = threading.Lock()


def client() -> redis.Redis:
    """One client (with its connection pool) per process, for ``settings.REDIS_URL``."""
    global _client, _client_url
    with _lock:
        if _client is None or _client_url != settings.REDIS_URL:
            _client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
            _client_url = settings.REDIS_URL
        return _client


def _key(name: str, identity: str) -> str:
    return f"{settings.RATELIMIT_KEY_PREFIX}:{name}:{identity}"


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    count: int
    limit: int
    reset_in: int

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.count)

    @property
    def reset_at(self) -> int:
        return int(time.time()) + self.reset_in

    def headers(self) -> dict[str, str]:
        return {"X-Rate-Limit-Remaining": str(self.remaining), "X-Rate-Limit-Reset": str(self.reset_at)}


def hit(name: str, identity: str, *, limit: int, window_seconds: int) -> RateLimitResult:
    """Count one event; ``allowed`` is false once the window holds more than ``limit``."""
    count, ttl = client().eval(_HIT, 1, _key(name, identity), window_seconds)
    count, ttl = int(count), int(ttl)
    return RateLimitResult(allowed=count <= limit, count=count, limit=limit, reset_in=max(ttl, 1))


def enforce(name: str, identity: str, *, limit: int, window_seconds: int, what: str) -> RateLimitResult:
    """Count one event; past the limit raise ``RATE_LIMIT_EXCEEDED`` (429) saying ``Too many {what}``."""
    result = hit(name, identity, limit=limit, window_seconds=window_seconds)
    if not result.allowed:
        raise RateLimitError(
            f"Too many {what}. Please try again after {result.reset_in} seconds.",
            retry_after_seconds=result.reset_in,
            headers=result.headers(),
        )
    return result


def peek(name: str, identity: str, *, limit: int) -> RateLimitResult:
    """The current window without counting."""
    conn = client()
    key = _key(name, identity)
    count = int(conn.get(key) or 0)
    ttl = int(conn.ttl(key))
    return RateLimitResult(allowed=count < limit, count=count, limit=limit, reset_in=max(ttl, 0))


_GIVE_BACK = """
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then return redis.call('DECR', KEYS[1]) end
return 0
"""


def give_back(name: str, identity: str) -> None:
    """Uncount one event that did not happen after all (a booking the confirm could not make), never below 0."""
    client().eval(_GIVE_BACK, 1, _key(name, identity))


def reset(name: str, identity: str) -> None:
    client().delete(_key(name, identity))


def acquire_cooldown(name: str, identity: str, *, seconds: int) -> int:
    """Start a cooldown; 0 if this caller got it, else the seconds left on the running one."""
    conn = client()
    key = _key(name, identity)
    if conn.set(key, "1", nx=True, ex=seconds):
        return 0
    return max(int(conn.ttl(key)), 1)


def release_cooldown(name: str, identity: str) -> None:
    client().delete(_key(name, identity))
