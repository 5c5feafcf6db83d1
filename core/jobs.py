"""Queueing background work from services without importing the task modules.

A service that must hand work to the worker names the task (``"payments.tasks.sync_payable"``)
instead of importing it, so ``services`` never import ``tasks`` (tasks import services). The
task is looked up in the Celery app's registry, so eager mode in tests runs it inline as a
direct ``.delay()`` would.

:func:`published_together` sends the tasks queued inside it (the on-commit callbacks of the transaction it
wraps) in one write to the broker: kombu's ``Producer.batch`` puts their ``LPUSH``es in one Redis pipeline, so
checkout confirm's three messages cost one Redis client and one round trip instead of three of each (issue #21).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def task_named(task_name: str) -> Any:
    """The task registered as ``task_name``.

    Only the worker imports every app's ``tasks`` module at start; a process that has not (a web server)
    runs Celery's autodiscovery first, so a name is found there too. One thread at a time: Celery guards its
    autodiscovery with a module-level flag that makes a concurrent second call return at once having imported
    nothing, so two requests arriving together on a fresh server made the second one's lookup fail.
    """
    if task_name not in current_app.tasks:
        with _DISCOVERY:
            if task_name not in current_app.tasks:
                current_app.loader.import_default_modules()
    return current_app.tasks[task_name]


_DISCOVERY = threading.Lock()


def enqueue(task_name: str, *args: Any, countdown: float | None = None, **kwargs: Any) -> None:
    """Queue ``task_name`` now (call this only outside a transaction, or from an on-commit callback); inside
    :func:`published_together`, when it ends."""
    together: _Together | None = getattr(_TOGETHER, "current", None)
    producer = together.producer() if together is not None else None
    task_named(task_name).apply_async(args=args, kwargs=kwargs, countdown=countdown, producer=producer)


class _Together:
    """One block's producer (from Celery's pool) and kombu batch, taken at its first task: a block that queues
    nothing (a confirm answered 409) takes nothing from the pool."""

    def __init__(self) -> None:
        self._producer: Any = None
        self._batch: Any = None
        self._pool = ExitStack()

    def producer(self) -> Any:
        if self._producer is None:
            self._producer = self._pool.enter_context(current_app.producer_or_acquire())
            self._batch = self._producer.batch()
            self._batch.__enter__()  # left in send() without the block's exception: kombu would drop the messages
        return self._producer

    def send(self) -> None:
        try:
            if self._batch is not None:
                self._batch.__exit__(None, None, None)  # sends what was queued
        except Exception:  # the broker could not take them: the sweeps queue their work again
            logger.exception("could not send the tasks queued together")
        finally:
            self._pool.close()  # the producer back to the pool


_TOGETHER = threading.local()


@contextmanager
def published_together() -> Iterator[None]:
    """Send the tasks this thread queues inside the block to the broker in one write, when the block ends.

    For a transaction whose commit queues several tasks: wrap the ``atomic()`` block, and its on-commit callbacks
    queue into one batch. The batch is sent even when the block raises (a callback that failed after others had
    queued: those are committed effects). A write that fails is logged, not raised, like a callback's own failed
    queueing: what each task does is found by its periodic sweep (a dispatch, a delivery), or a lapsing mark
    (``partners.live``). Eager mode, and a block inside another, change nothing."""
    if current_app.conf.task_always_eager or getattr(_TOGETHER, "current", None) is not None:
        yield
        return
    together = _TOGETHER.current = _Together()
    try:
        yield
    finally:
        _TOGETHER.current = None
        together.send()


def enqueue_on_commit(task_name: str, *args: Any, countdown: float | None = None, **kwargs: Any) -> None:
    """Queue ``task_name`` once the current transaction commits (never for a rolled-back change)."""
    transaction.on_commit(lambda: enqueue(task_name, *args, countdown=countdown, **kwargs))
