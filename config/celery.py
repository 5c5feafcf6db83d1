"""The Celery app. Its configuration, beat schedule included, is ``CELERY_*`` in settings.

Jobs and crashes (issue #21): what is guaranteed, and how.

* A task whose worker dies in the middle still has its effect, once.

  - ``CELERY_TASK_ACKS_LATE``: a message is acknowledged when its task has returned, not when it was taken,
    so the message of a task that never finished is delivered again.
  - ``CELERY_TASK_REJECT_ON_WORKER_LOST``: a killed pool process (SIGKILL, the OOM killer) makes the worker's
    main process put the message back on the queue at once; the next pool process runs it.
  - A worker killed whole (or its machine lost) leaves the message in Redis's ``unacked`` hash; any worker
    puts it back once it is older than the transport's ``visibility_timeout`` (3600 s in base.py: a task
    never runs that long, since one that did would be delivered twice). Meanwhile the periodic sweeps
    (``partners.tasks.sweep_dispatch``, ``payments.tasks.sweep_unprocessed_webhooks`` and
    ``sweep_lagging_payables``, ``notifications.tasks.sweep_pending_deliveries``) find most lost work sooner.
  - Each task is idempotent: its work is a transaction that locks its row and checks the state first (a
    booking with a live offer is not offered again, a processed webhook is not applied again but its payable
    is told what it may have missed, an order no longer awaiting its close is not closed). Killed before the
    commit, the work rolls back and is done by the next run; killed after it, the next run does nothing twice.
    Work outside the database (messages, refunds, events) is queued at commit as tasks of its own, under the
    same rules.

* The beat schedule runs once: one beat sends it (``core.beat`` holds a Redis lock; a second beat stands
  by), and every periodic task does its due work once even when two runs meet.

tests/crash shows it: real workers killed in the middle of a dispatch, a webhook's processing and an
auto-close run; two beats; every periodic task run twice at once.
"""

import os
from collections.abc import Iterator, Mapping
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")


class CelerySettings(Mapping[str, Any]):
    """Django's ``CELERY_*`` settings as a plain dict, read when Celery first loads its configuration.

    Given ``django.conf:settings`` itself, Celery reads every key through Django's lazy settings object, trying
    up to four spellings of it with a failed ``getattr`` each: about 23 µs a key, and publishing a task reads
    seven (issue #21: a tenth of a publish, two or three of which follow every checkout confirm). Here a key is
    one dict lookup. Settings are fixed once a process has started, so nothing is missed by reading them once.
    """

    def __init__(self) -> None:
        self._values: dict[str, Any] | None = None

    def _read(self) -> dict[str, Any]:
        if self._values is None:
            from django.conf import settings

            self._values = {name: getattr(settings, name) for name in dir(settings) if name.startswith("CELERY_")}
        return self._values

    def __getitem__(self, key: str) -> Any:
        return self._read()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())


app = Celery("platform")
app.config_from_object(CelerySettings(), namespace="CELERY")
app.autodiscover_tasks()
