"""The crash tests' worker settings: the suite's (``config.settings.test``), with a short visibility timeout.

With the Redis transport a message a worker took and never acknowledged stays in Redis's ``unacked`` hash;
any worker puts it back on the queue once it is older than ``visibility_timeout``. Production keeps 3600 s
(base.py; a task never runs that long); the test worker uses a few seconds, and sweeps every second, so that
a restarted worker takes back the message of a worker killed whole within the test's time.
"""

from config.settings.test import *  # noqa: F403

VISIBILITY_TIMEOUT = 4
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
