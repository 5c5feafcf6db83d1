"""``python manage.py runplatform``: the whole platform in one terminal (what `make run` starts).

1. With no ``REDIS_URL`` in the environment, starts the embedded Redis server
   (``core.embedded``) on ``var/redis.sock``; with one, uses that server.
2. Applies migrations and loads the demo data (``seed_demo``).
3. Starts, each as a child process: the ASGI server (uvicorn: HTTP and
   WebSocket), a Celery worker and Celery beat.
   They share one directory of Prometheus counts (``PROMETHEUS_MULTIPROC_DIR``, by
   default ``var/metrics``, emptied first), so ``/metrics`` shows the worker's too.
4. Prints the URLs, then waits. Ctrl-C (or SIGTERM) stops every child and the
   embedded Redis; if one child dies, the others are stopped too and the
   command exits non-zero, so a broken platform never half-runs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from core.embedded import EmbeddedRedis


class Command(BaseCommand):
    help = "Run server (HTTP + WebSocket), Celery worker and beat on the configured or embedded services."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--web-workers", type=int, default=1, help="uvicorn worker processes")
        parser.add_argument("--worker-concurrency", type=int, default=2)
        parser.add_argument("--no-worker", action="store_true")
        parser.add_argument("--no-beat", action="store_true")
        parser.add_argument("--skip-setup", action="store_true", help="do not migrate or load demo data")

    def handle(self, *args: Any, **options: Any) -> None:
        self.children: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.redis: EmbeddedRedis | None = None
        self.stopping = False
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        exit_code = 0
        try:
            if not os.environ.get("REDIS_URL"):
                self.redis = EmbeddedRedis(settings.EMBEDDED_REDIS_DIR)
                self.stdout.write(f"Embedded Redis: {self.redis.start()}")
            if not options["skip_setup"]:
                call_command("migrate", interactive=False, verbosity=1)
                call_command("seed_demo")
            self._start_children(options)
            self._print_urls(options["host"], options["port"])
            exit_code = self._wait()
        except KeyboardInterrupt:
            pass
        finally:
            self._stop_all()
        if exit_code:
            sys.exit(exit_code)

    def _on_signal(self, signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    def _spawn(self, name: str, args: list[str]) -> None:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"], "PYTHONUNBUFFERED": "1"}
        # Own session: the terminal's Ctrl-C reaches only this command, which stops children in order.
        process = subprocess.Popen(args, env=env, cwd=settings.BASE_DIR, start_new_session=True)
        self.children.append((name, process))

    def _metrics_dir(self) -> str:
        """The children's shared Prometheus directory (``core.metrics``), without the counts of an earlier run."""
        path = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or settings.VAR_DIR / "metrics")
        path.mkdir(parents=True, exist_ok=True)
        for old in path.glob("*.db"):
            old.unlink()
        return str(path)

    def _start_children(self, options: dict[str, Any]) -> None:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = self._metrics_dir()
        python = sys.executable
        self._spawn(
            "server",
            [
                python, "-m", "core.webserver", "config.asgi:application",
                "--host", options["host"], "--port", str(options["port"]),
                "--workers", str(options["web_workers"]),
                "--no-access-log", "--lifespan", "off", "--proxy-headers",
            ],
        )  # fmt: skip
        if not options["no_worker"]:
            self._spawn(
                "worker",
                [
                    python, "-m", "celery", "-A", "config", "worker",
                    "--loglevel", "INFO", "--concurrency", str(options["worker_concurrency"]),
                    "--hostname", "worker@%h",
                ],
            )  # fmt: skip
        if not options["no_beat"]:
            self._spawn(
                "beat",
                [python, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO",
                 "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME],
            )  # fmt: skip

    def _print_urls(self, host: str, port: int) -> None:
        base = f"http://{host}:{port}"
        lines = [
            "",
            "The platform is starting (server, WebSocket, Celery worker and beat). Ctrl-C stops everything.",
            f"  API docs (Swagger UI): {base}/api/docs/",
            f"  API docs (ReDoc):      {base}/api/redoc/",
            f"  OpenAPI schema:        {base}/api/schema/",
            f"  Django admin:          {base}/admin/",
            f"  Health:                {base}/api/v1/health  and  {base}/api/v1/health/ready",
            f"  WebSocket ping:        ws://{host}:{port}/ws/ping/",
            f"  Prometheus metrics:    {base}/metrics  (from this machine, or with METRICS_TOKEN)",
            "",
        ]
        self.stdout.write("\n".join(lines))

    def _wait(self) -> int:
        while True:
            for name, process in self.children:
                code = process.poll()
                if code is not None:
                    self.stderr.write(f"The {name} process exited with {code}; stopping the platform.")
                    return code or 1
            time.sleep(0.5)

    def _stop_all(self) -> None:
        if self.stopping:
            return
        self.stopping = True
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for _, process in self.children:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 15
        for name, process in self.children:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"The {name} process did not stop in time; killing it.")
                process.kill()
                process.wait()
        if self.redis is not None:
            self.redis.stop()
        self.stdout.write("Stopped.")
