"""Real Celery workers for the crash tests: started on the suite's PostgreSQL test database and Redis, killed
with SIGKILL (one pool process, or the whole worker), and the broker's state read back.

A worker is ``celery -A tests.crash.worker_app worker`` (prefork, one pool process) with
``DJANGO_SETTINGS_MODULE=tests.crash.settings`` and ``DATABASE_URL`` naming the test database pytest-django
made, so it sees what a ``transaction=True`` test committed. It consumes the default ``celery`` queue of the
suite's Redis, where the platform's code queues its tasks; the fixture empties that queue (and the ``unacked``
hash) before and after each test.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import redis
from django.conf import settings
from django.db import connection

QUEUE = "celery"
UNACKED = ("unacked", "unacked_index", "unacked_mutex")


def broker() -> redis.Redis:
    return redis.Redis.from_url(os.environ["REDIS_URL"])


def purge() -> None:
    broker().delete(QUEUE, *UNACKED)


def queued_tasks() -> list[str]:
    """The task names waiting in the queue and held unacknowledged (taken by a worker, not yet done)."""
    conn = broker()
    names = [json.loads(raw)["headers"]["task"] for raw in conn.lrange(QUEUE, 0, -1)]
    names += [json.loads(raw)[0]["headers"]["task"] for raw in conn.hvals("unacked")]
    return names


def test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Worker:
    def __init__(self, directory: Path, point: str = "", nth: int = 1) -> None:
        self.directory = directory
        self.point = point
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.crash.settings",
            "DATABASE_URL": test_database_url(),
            "CRASH_DIR": str(directory),
            "CRASH_POINT": point,
            "CRASH_NTH": str(nth),
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": "INFO",
        }
        self.log_path = directory / f"worker-{time.monotonic_ns()}.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "tests.crash.worker_app", "worker", "--pool", "prefork",
                "--concurrency", "1", "-Q", QUEUE, "--loglevel", "INFO", "--without-mingle", "--without-gossip",
                "--without-heartbeat",
            ],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killing the whole worker kills its pool too
        )  # fmt: skip

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_at_crash_point(self, timeout: float = 60) -> int:
        """The pid of the pool process that reached the crash point (and now sleeps there)."""
        marker = self.directory / self.point.replace(":", "_")
        wait_until(marker.exists, timeout, f"the worker to reach {self.point}", self)
        return int(marker.read_text())

    def kill_pool_process(self, pid: int) -> None:
        """SIGKILL the pool process running the task; the worker's main process lives on."""
        os.kill(pid, signal.SIGKILL)

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool) at once, as a lost machine would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)
        self._log.close()

    def stop(self) -> None:
        """A warm shutdown (SIGTERM); killed if it does not end in 20 seconds."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()


def wait_until(check: Callable[[], Any], timeout: float, what: str, worker: Worker | None = None) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        if worker is not None and worker.process.poll() is not None:
            raise AssertionError(f"the worker exited ({worker.process.returncode}) waiting for {what}:\n{worker.log()}")
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}" + (f":\n{worker.log()}" if worker else ""))


def received_twice(log: str, task_name: str) -> bool:
    """Whether the workers' log shows the task's message taken twice (redelivered), not just taken and done."""
    return len(re.findall(rf"Task {re.escape(task_name)}\[[0-9a-f-]+\] received", log)) >= 2
