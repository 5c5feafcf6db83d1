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

It reuses uvicorn's own command line and supervisor (``uvicorn.main.main`` and
``uvicorn.supervisors.multiprocess``; uvicorn is pinned in ``requirements.txt``). It swaps the supervisor's
worker class while it runs, because uvicorn has no option for this yet (#2472).
"""

from __future__ import annotations

import importlib
import socket
import sys
from typing import Any

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


class Worker(multiprocess.Process):
    """uvicorn's worker process, serving on a socket it binds itself instead of the supervisor's."""

    def target(self, sockets: list[socket.socket] | None = None) -> None:  # runs in the worker process
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
