"""One beat sends the schedule: Celery beat's file scheduler behind a Redis lock.

``CELERY_BEAT_SCHEDULER`` is :class:`SingleBeatScheduler` (config/settings/schedule.py). ``runplatform`` starts
one beat, but two could run against one Redis (two ``make run``, two deploy replicas, a beat restarted while
the old one hangs on). Each tick, a beat takes the lock ``celery:beat:lock`` in ``REDIS_URL`` (``SET NX`` with
a time to live of :data:`LOCK_TTL` seconds) or renews it if it holds it (compare and extend, one Lua script);
only the holder sends due tasks. Another beat sends nothing and asks again every :data:`RENEW_EVERY` seconds, a
standby that takes over at most ``LOCK_TTL`` after the holder dies; the holder gives the lock up when it stops.
With Redis unreachable no beat sends (the broker is that Redis).

The lock is the guarantee that the schedule does not run twice; each periodic task is also idempotent under
two runs at once (tests/crash/test_periodic_twice.py), so a lock lost mid-tick (a beat frozen past
``LOCK_TTL``) costs nothing but a repeated scan.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from typing import Any

import redis
from celery.beat import PersistentScheduler

from core import ratelimit

logger = logging.getLogger(__name__)

LOCK_KEY = "celery:beat:lock"
LOCK_TTL = 60
RENEW_EVERY = 10

# Hold it (renew) if ours, else take it if free; 1 when this beat holds it afterwards.
_TAKE_OR_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('pexpire', KEYS[1], ARGV[2])
end
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
"""
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


class SingleBeatScheduler(PersistentScheduler):
    """``PersistentScheduler`` that sends only while it holds the beat lock (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.lock_token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"
        self.holds_lock = False
        super().__init__(*args, **kwargs)

    def take_lock(self) -> bool:
        """Take or renew the lock; whether this beat holds it now."""
        try:
            held = bool(ratelimit.client().eval(_TAKE_OR_RENEW, 1, LOCK_KEY, self.lock_token, LOCK_TTL * 1000))
        except redis.RedisError:
            logger.exception("beat: Redis unreachable; sending nothing until it answers")
            held = False
        if held != self.holds_lock:
            logger.warning("beat: %s the schedule lock (%s)", "took" if held else "lost", self.lock_token)
        self.holds_lock = held
        return held

    def tick(self, *args: Any, **kwargs: Any) -> float:
        if not self.take_lock():
            return RENEW_EVERY  # another beat sends: stand by
        return min(super().tick(*args, **kwargs), RENEW_EVERY)

    def close(self) -> None:
        if self.holds_lock:
            try:
                ratelimit.client().eval(_RELEASE, 1, LOCK_KEY, self.lock_token)
            except redis.RedisError:
                logger.exception("beat: could not release the schedule lock; it expires in %s s", LOCK_TTL)
            self.holds_lock = False
        super().close()
