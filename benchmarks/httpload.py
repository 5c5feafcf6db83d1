"""A small asyncio HTTP/1.1 load client: keep-alive connections, raw requests, per-request latency.

Small on purpose: on a 2-core machine the client shares the CPU with the
server, so it must cost little per request. It reads responses by
``Content-Length`` (the server always sends one).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

_LENGTH = re.compile(rb"content-length:\s*(\d+)", re.IGNORECASE)


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile_ms(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000 if ordered else 0.0


def get_request(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\r\n".encode()


def post_request(path: str, body: bytes, headers: dict[str, str]) -> bytes:
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return (
        f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n{head}\r\n"
    ).encode() + body


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes) -> int:
    writer.write(raw)
    head = await reader.readuntil(b"\r\n\r\n")
    match = _LENGTH.search(head)
    if match is None:
        raise RuntimeError(f"no Content-Length in response: {head[:200]!r}")
    await reader.readexactly(int(match.group(1)))
    return int(head[9:12])


async def _connection(port: int, next_request, result: LoadResult) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while (raw := next_request()) is not None:
            started = time.perf_counter()
            status = await _exchange(reader, writer, raw)
            result.latencies.append(time.perf_counter() - started)
            result.statuses.append(status)
    finally:
        writer.close()


async def run_for(port: int, raw: bytes, *, seconds: float, connections: int) -> LoadResult:
    """The same request, again and again, on every connection, for ``seconds``."""
    result = LoadResult()
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(
            _connection(port, lambda: raw if time.perf_counter() < deadline else None, result)
            for _ in range(connections)
        )
    )
    result.elapsed = time.perf_counter() - started
    return result


async def run_list(port: int, requests: list[bytes], *, connections: int) -> LoadResult:
    """Each request once, spread over the connections."""
    result = LoadResult()
    queue = iter(requests)
    started = time.perf_counter()
    await asyncio.gather(*(_connection(port, lambda: next(queue, None), result) for _ in range(connections)))
    result.elapsed = time.perf_counter() - started
    return result


# --- running the server under test ------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def start_uvicorn(root: Path, port: int, env: dict[str, str], log, workers: int = 1) -> subprocess.Popen:
    """The production server (``workers`` processes, one by default) in its own session, logging to ``log``.
    ``BENCH_SERVER=uvicorn`` runs plain uvicorn instead of ``core.webserver`` (one socket shared by the workers)."""
    server = os.environ.get("BENCH_SERVER", "core.webserver")
    args = [sys.executable, "-m", server, "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
            "--no-access-log", "--lifespan", "off", "--log-level", "warning"]  # fmt: skip
    if workers > 1:
        args += ["--workers", str(workers)]
    return subprocess.Popen(args, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop_all(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit so that ``finally`` blocks stop the servers."""

    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


@contextlib.contextmanager
def platform_on_postgres(settings_module: str = "benchmarks.settings_pg", **extra_env: str):
    """Own PostgreSQL and Redis, the environment pointing at them, Django set up and migrated; all removed after."""
    from core.embedded import EmbeddedRedis
    from core.testservices import ThrowawayPostgres

    run_dir = Path(tempfile.mkdtemp(prefix="bench-"))
    os.chmod(run_dir, 0o755)
    postgres = ThrowawayPostgres(run_dir / "pg")
    redis = EmbeddedRedis(run_dir / "redis", persist=False)
    try:
        os.environ.update(
            DATABASE_URL=postgres.start(),
            REDIS_URL=redis.start(),
            DJANGO_SETTINGS_MODULE=settings_module,
            PYTHONPATH=str(Path(__file__).resolve().parent.parent),
            **extra_env,
        )
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        yield dict(os.environ)
    finally:
        redis.stop()
        postgres.stop()
        shutil.rmtree(run_dir, ignore_errors=True)
