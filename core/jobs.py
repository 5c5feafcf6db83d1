"""Queueing background work from services without importing the task modules.

A service that must hand work to the worker names the task (``"payments.tasks.sync_payable"``)
instead of importing it, so ``services`` never import ``tasks`` (tasks import services). The
task is looked up in the Celery app's registry, so eager mode in tests runs it inline as a
direct ``.delay()`` would.
"""

from __future__ import annotations

import threading
from typing import Any

from celery import current_app
from django.db import transaction


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
    """Queue ``task_name`` now (call this only outside a transaction, or from an on-commit callback)."""
    task_named(task_name).apply_async(args=args, kwargs=kwargs, countdown=countdown)


def enqueue_on_commit(task_name: str, *args: Any, countdown: float | None = None, **kwargs: Any) -> None:
    """Queue ``task_name`` once the current transaction commits (never for a rolled-back change)."""
    transaction.on_commit(lambda: enqueue(task_name, *args, countdown=countdown, **kwargs))
