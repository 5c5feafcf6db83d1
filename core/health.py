"""Liveness and readiness checks (seeds 003 and 004 "health").

Readiness asks each component the platform cannot work without: the
database, the cache, the channel layer and the Celery broker. Each check has
a short time limit so that the endpoint answers well inside a load balancer's
timeout even when a component hangs. The beat heartbeat is reported but does
not fail readiness (the web tier can serve without the scheduler).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from asgiref.sync import async_to_sync
from celery import current_app as current_celery_app
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connections

CHECK_TIMEOUT_SECONDS = 2.0
_STARTED = time.monotonic()


def uptime_seconds() -> int:
    return int(time.monotonic() - _STARTED)


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    latency_ms: float
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": "ok" if self.ok else "unavailable", "latency_ms": self.latency_ms}
        if self.error:
            out["error"] = self.error
        return out


def check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return the value just written")
    cache.delete(key)


def check_channel_layer() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")

    async def roundtrip() -> None:
        channel = await layer.new_channel()
        await asyncio.wait_for(layer.send(channel, {"type": "health.check"}), CHECK_TIMEOUT_SECONDS)
        message = await asyncio.wait_for(layer.receive(channel), CHECK_TIMEOUT_SECONDS)
        if message.get("type") != "health.check":
            raise RuntimeError("channel layer returned another message")

    async_to_sync(roundtrip)()


def check_broker() -> None:
    with current_celery_app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0.1, timeout=CHECK_TIMEOUT_SECONDS)


READINESS_CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "channel_layer": check_channel_layer,
    "broker": check_broker,
}


def run_check(name: str, check: Callable[[], None]) -> CheckResult:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:  # every failure, of any kind, means "not ready"
        latency = round((time.perf_counter() - started) * 1000, 2)
        return CheckResult(name, False, latency, f"{type(exc).__name__}: {exc}"[:300])
    return CheckResult(name, True, round((time.perf_counter() - started) * 1000, 2))


def readiness() -> list[CheckResult]:
    return [run_check(name, check) for name, check in READINESS_CHECKS.items()]


def scheduler_last_seen() -> str | None:
    from core.tasks import BEAT_HEARTBEAT_KEY

    try:
        return cache.get(BEAT_HEARTBEAT_KEY)
    except Exception:
        return None


def version() -> str:
    return settings.PLATFORM_VERSION
