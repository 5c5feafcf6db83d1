"""How many of a server process's HTTP threads run request work at once (``WEB_ACTIVE_REQUESTS``).

A server process runs Django's sync handler on ``WEB_THREADS`` threads (``config.asgi``). Those threads share
one interpreter lock and the database's row locks, so past a few requests at a time more threads do not serve
more: each request waits longer for the interpreter between its statements, holds its row locks (a partner's,
the day's booking number) that much longer, and the others queue on them. Measured on two cores with two
processes (``benchmarks/README.md``), checkout confirm spent 26-32 ms of CPU with 4 threads each against
32-47 ms with 8 or 16.

Fewer threads would do that too, but a request that waits on an outside service (Razorpay's order, a social
sign-in's provider, a notification provider) would then keep a thread idle for up to its timeout while others
queue. So the threads stay (``WEB_THREADS``), and :func:`admitted` lets only ``WEB_ACTIVE_REQUESTS`` of them
run at once: each request takes a turn when it starts and gives it back when its response is made. While it
waits on an outside service (:func:`outside`) it gives its turn to another request, and takes one again after;
only when no transaction is open, so that a request never waits for a turn while holding row locks that the
requests with a turn may be waiting for.

A request's body (up to ``buffer_bytes``: every JSON body the API accepts) is read before it takes a turn, so a
client sending slowly keeps only a thread waiting, not a turn; a larger one (an upload) is read during its turn.
A response that streams (an export) is iterated after the turn is given back. WebSocket consumers run on the
event loop and are not counted.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

_state = threading.local()


class Turns:
    """At most ``limit`` holders at once (a semaphore), and which thread holds one."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._semaphore = threading.BoundedSemaphore(limit)

    def take(self) -> None:
        self._semaphore.acquire()
        _state.turns = self

    def give_back(self) -> None:
        _state.turns = None
        self._semaphore.release()


def admitted(
    application: Callable[..., Iterable[bytes]], *, limit: int, buffer_bytes: int = 0
) -> Callable[..., Iterable[bytes]]:
    """The WSGI ``application`` with at most ``limit`` requests running in it at once (``limit`` < 1: no limit);
    a body of at most ``buffer_bytes`` is received before the request waits for its turn."""
    if limit < 1:
        return application
    turns = Turns(limit)

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        _receive_body(environ, buffer_bytes)
        turns.take()
        try:
            return application(environ, start_response)
        finally:
            turns.give_back()

    wsgi.turns = turns  # type: ignore[attr-defined]  # for the tests
    return wsgi


def _receive_body(environ: dict[str, Any], most: int) -> None:
    """Read a declared body of at most ``most`` bytes now, and hand it to the application from memory."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return  # the application answers it
    if 0 < length <= most:
        environ["wsgi.input"] = io.BytesIO(environ["wsgi.input"].read(length))


@contextmanager
def outside() -> Iterator[None]:
    """Around a wait on an outside service: the request's turn goes to another meanwhile (see the module)."""
    turns: Turns | None = getattr(_state, "turns", None)
    if turns is None or connection.in_atomic_block:
        yield
        return
    turns.give_back()
    try:
        yield
    finally:
        turns.take()
