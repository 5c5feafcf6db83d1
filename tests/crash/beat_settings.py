"""Settings of the beats the single-beat test starts: one task every second (the heartbeat, harmless)."""

from tests.crash.settings import *  # noqa: F403

CELERY_BEAT_SCHEDULE = {"crash-test-heartbeat": {"task": "core.tasks.beat_heartbeat", "schedule": 1.0}}
