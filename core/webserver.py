"""The web server: uvicorn, each worker process accepting on a listening socket of its own (Linux ``SO_REUSEPORT``).

``python -m core.webserver`` takes uvicorn's own options (``python -m core.webserver config.asgi:application
--workers 4 ...``) and runs uvicorn with them. What it changes is where connections go when ``--workers`` is more
than one: uvicorn binds one socket in its supervisor and every worker accepts from that one queue. When a
worker's event loop wakes, asyncio accepts every connection waiting, so one worker takes a burst's keep-alive
connections and keeps them. ``benchmarks/bench_confirm_cpu.py`` (1,200 confirms over 16 connections, two
workers) showed it. One run gave 30.0 s of CPU to one worker and 0.1 s to the other, at 36/s. Runs where the
connections happened to split gave 60-73/s. The worker holding them is one interpreter, so it is busy on one
core while the other core idles. uvicorn's pull request #2472 (open) and SkyPilot's #10016 describe the same
thing.

Here each worker binds its own socket to the address with ``SO_REUSEPORT``, so every worker has its own accept
queue. The kernel sends each new connection to one of them by a hash of its addresses, and a burst spreads
evenly. The supervisor binds one too, first (the port is taken and checked before any worker starts), and never
listens on it: only listening sockets receive connections. A worker restarted by uvicorn's supervisor binds its
own in the same way. Connections waiting in a dead worker's queue are lost with it, as are its open ones. Linux
lets only processes of the same user join the port's group of sockets.

Plain uvicorn is used where this does not apply: one worker, ``--reload``, a Unix socket or file descriptor,
port 0, or a system other than Linux, where ``SO_REUSEPORT`` does not spread connections.

With ``WEB_PIN_CPUS=1`` (environment or ``.env``), each worker runs on one CPU of its own: the supervisor gives a new
worker the CPU (of those the server may use) that the fewest live workers have, so two workers on two CPUs take
one each, and a replacement takes the CPU its dead predecessor left. This is for a machine where the server
shares the cores with PostgreSQL and the worker, as on a single host: ``benchmarks/bench_pinning.py`` (two
workers, two cores, windows of 200 confirms alternating between a pinned and an unpinned server on one database)
measured medians of 108.0 against 93.2 confirms/s, and a script before it 99.3 against 82.4, 86.4 against 76.7
and 100.7 against 86.8, with 3 to 11 % less CPU per confirm (``benchmarks/README.md``). It is off by default:
two servers on one host that both pinned would stack their workers on the same CPUs. Nothing is pinned with
fewer than two CPUs, or where the workers do not get sockets of their own (above).

It reuses uvicorn's own command line and supervisor (``uvicorn.main.main`` and
``uvicorn.supervisors.multiprocess``; uvicorn is pinned in ``requirements.txt``). It swaps the supervisor's
worker class while it runs, because uvicorn has no option for this yet (#2472).
"""

from __future__ import annotations

import importlib
import os
import socket
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

import environ
import uvicorn
from uvicorn.supervisors import multiprocess

# The module, not the click command that ``uvicorn`` exports under the same name.
uvicorn_main = importlib.import_module("uvicorn.main")

_PLAIN_RUN = uvicorn_main.run


def spreads(config: uvicorn.Config) -> bool:
    """Whether the workers get sockets of their own (see the module's docstring)."""
    return (
        sys.platform == "linux"
        and hasattr(socket, "SO_REUSEPORT")
        and config.workers > 1
        and not config.should_reload
        and config.uds is None
        and config.fd is None
        and config.port != 0
    )


def reuse_port_socket(config: uvicorn.Config) -> socket.socket:
    """A socket bound to the configured address with ``SO_REUSEPORT``, not yet listening."""
    family = socket.AF_INET6 if config.host and ":" in config.host else socket.AF_INET
    sock = socket.socket(family=family)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((config.host, config.port))
    sock.set_inheritable(True)
    return sock


PIN_CPUS = "WEB_PIN_CPUS"


def pins_cpus() -> bool:
    """Whether workers run on a CPU each (``WEB_PIN_CPUS`` from the environment or ``.env``, as the settings read
    it; off by default, see the module's docstring). A value neither true nor false stops the server."""
    from config.env import StrictEnv

    dotenv = Path(__file__).resolve().parent.parent / ".env"
    if dotenv.exists():
        environ.Env.read_env(dotenv)  # as config.settings.base does; the environment's own values win
    return StrictEnv().bool(PIN_CPUS, default=False)


def least_used_cpu(workers: Iterable[Worker]) -> int | None:
    """The CPU, of those this process may run on, that the fewest live ``workers`` are pinned to (the lowest
    of equals); ``None`` with fewer than two CPUs."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None
    taken = [worker.cpu for worker in workers if worker.cpu is not None and worker.process.exitcode is None]
    return min(cpus, key=lambda cpu: (taken.count(cpu), cpu))


class Worker(multiprocess.Process):
    """uvicorn's worker process, serving on a socket it binds itself instead of the supervisor's, and with
    ``WEB_PIN_CPUS`` on a CPU the supervisor chose for it."""

    made: ClassVar[list[Worker]] = []  # in the supervisor: the workers made so far (a dead one leaves its CPU)

    def __init__(self, config: uvicorn.Config, sockets: list[socket.socket]) -> None:
        Worker.made = [worker for worker in Worker.made if worker.process.exitcode is None]
        self.cpu = least_used_cpu(Worker.made) if pins_cpus() else None
        super().__init__(config, sockets)
        Worker.made.append(self)

    def target(self, sockets: list[socket.socket] | None = None) -> None:  # runs in the worker process
        if self.cpu is not None:  # before any thread starts: the threads keep the process's CPU
            os.sched_setaffinity(0, {self.cpu})
        for inherited in sockets or []:
            inherited.close()
        super().target([reuse_port_socket(self.config)])


def run(app: Any, *, app_dir: str | None = None, **kwargs: Any) -> None:
    """``uvicorn.run``, with a socket per worker where :func:`spreads` says so."""
    config = uvicorn.Config(app, **kwargs)
    if not spreads(config) or not isinstance(app, str):
        _PLAIN_RUN(app, app_dir=app_dir, **kwargs)
        return
    if app_dir is not None:  # as uvicorn.run does
        sys.path.insert(0, app_dir)
    try:
        reserved = reuse_port_socket(config)
    except OSError as exc:
        uvicorn_main.logger.error(exc)
        sys.exit(uvicorn_main.STARTUP_FAILURE)
    uvicorn_main.logger.info(
        "Uvicorn running on http://%s:%d, %d workers with a listening socket each (SO_REUSEPORT)",
        config.host,
        config.port,
        config.workers,
    )
    plain_worker = multiprocess.Process
    multiprocess.Process = Worker  # type: ignore[misc]
    try:
        multiprocess.Multiprocess(config, sockets=[reserved]).run()
    except KeyboardInterrupt:
        pass
    finally:
        multiprocess.Process = plain_worker  # type: ignore[misc]
        reserved.close()


def main() -> None:
    uvicorn_main.run = run  # type: ignore[attr-defined]  # the module's, which its click command calls
    uvicorn_main.main()


if __name__ == "__main__":
    main()
