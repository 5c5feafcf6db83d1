"""The crash tests' worker: the platform's Celery app, plus one crash point the test names in the environment.

``celery -A tests.crash.worker_app worker`` runs ``config.celery.app`` unchanged. With ``CRASH_POINT`` set, each
pool process wraps one function (or the end of one task) so that, the first time it is reached, the process
writes its pid to ``$CRASH_DIR/<point>`` and sleeps until the test kills it. The file stays, so the redelivered
task runs through. Nothing here is imported by the platform: production code carries no crash hook.

Points (``<module>:<function>`` reached inside the task's transaction, or ``after:<task name>``):

* ``dispatch``: ``partners.services.dispatch._offered`` has returned (the offer, the booking's move and the
  partner's notification are written, not committed);
* ``webhook``: ``payment_apply_gateway_state`` has returned in ``webhook_process`` (payment captured, ledger
  pair posted, booking told; not committed);
* ``autoclose``: the ``CRASH_NTH``-th order's close has written its timeline entry and notifications (the
  orders before it are committed);
* ``webhook-committed``: ``webhook_process`` has committed the capture; the on-commit callback that tells the
  payable (the booking) has not run;
* ``after:<task name>``: the task's work is committed, the message not yet acknowledged.
"""

from __future__ import annotations

import functools
import importlib
import os
import time
from pathlib import Path
from typing import Any

from celery import signals

from config.celery import app

__all__ = ["app"]

WRAPPED = {
    "dispatch": ("partners.services.dispatch", "_offered"),
    "webhook": ("payments.services.webhooks", "payment_apply_gateway_state"),
    "autoclose": ("orders.services.payment", "tell"),
}
# Points reached before the wrapped function runs.
BEFORE = {
    "webhook-committed": ("payments.services.payments", "payable_sync_after_commit"),
}


def stop_here(point: str) -> None:
    """The first time only: write this process's pid to the marker file and sleep (the test kills us)."""
    marker = Path(os.environ["CRASH_DIR"]) / point.replace(":", "_")
    if marker.exists():
        return
    written = marker.with_suffix(".tmp")
    written.write_text(str(os.getpid()))
    written.rename(marker)  # whole: the test reads the pid as soon as the file is there
    time.sleep(600)


def _wrap(point: str, module_name: str, name: str, nth: int, before: bool = False) -> None:
    module = importlib.import_module(module_name)
    original = getattr(module, name)
    calls = {"n": 0}

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if before and calls["n"] == nth:
            stop_here(point)
        result = original(*args, **kwargs)
        if not before and calls["n"] == nth:
            stop_here(point)
        return result

    setattr(module, name, wrapper)


@signals.worker_process_init.connect
def _install(**_: Any) -> None:
    point = os.environ.get("CRASH_POINT", "")
    nth = int(os.environ.get("CRASH_NTH", "1"))
    if point in WRAPPED:
        _wrap(point, *WRAPPED[point], nth=nth)
    elif point in BEFORE:
        _wrap(point, *BEFORE[point], nth=nth, before=True)


@signals.task_postrun.connect
def _after(sender: Any = None, **_: Any) -> None:
    point = os.environ.get("CRASH_POINT", "")
    if sender is not None and point == f"after:{sender.name}":
        stop_here(point)
