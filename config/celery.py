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

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")

app = Celery("platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
