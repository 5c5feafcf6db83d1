"""Celery metrics: task runs by name and outcome (Celery's signals), and the broker queue's depth at scrape time."""

from __future__ import annotations

import pytest
from celery import current_app, shared_task

from core.jobs import enqueue
from core.metrics import queue_lengths
from tests.metrics.helpers import moved, scrape, value

pytestmark = pytest.mark.django_db

attempts: list[int] = []


@shared_task(name="tests.metrics.fine")
def fine() -> str:
    return "ok"


@shared_task(name="tests.metrics.broken")
def broken() -> None:
    raise ValueError("broken on purpose")


@shared_task(name="tests.metrics.flaky", bind=True, max_retries=3)
def flaky(self) -> str:
    attempts.append(1)
    if len(attempts) == 1:
        raise self.retry(countdown=0)
    return "ok"


@pytest.mark.usefixtures("celery_eager")
def test_a_task_run_eagerly_counts_as_succeeded_under_its_name():
    before = scrape()
    enqueue("tests.metrics.fine")
    after = scrape()
    assert moved(before, after, "platform_celery_tasks_total", task="tests.metrics.fine", outcome="succeeded") == 1
    assert moved(before, after, "platform_celery_tasks_total", task="tests.metrics.fine", outcome="failed") == 0


def test_a_task_that_raises_counts_as_failed():
    before = scrape()
    result = broken.apply()
    assert result.failed()
    after = scrape()
    assert moved(before, after, "platform_celery_tasks_total", task="tests.metrics.broken", outcome="failed") == 1
    assert moved(before, after, "platform_celery_tasks_total", task="tests.metrics.broken", outcome="succeeded") == 0


def test_a_retried_task_counts_the_retry_then_the_success():
    attempts.clear()
    before = scrape()
    flaky.apply()
    after = scrape()
    assert len(attempts) == 2
    assert moved(before, after, "platform_celery_tasks_total", task="tests.metrics.flaky", outcome="retried") == 1
    assert moved(before, after, "platform_celery_tasks_total", task="tests.metrics.flaky", outcome="succeeded") == 1


def test_the_queue_depth_is_read_from_the_broker_when_scraped():
    queue = current_app.conf.task_default_queue
    with current_app.connection_for_write() as conn:
        conn.default_channel.client.delete(queue)
        start = value(scrape(), "platform_celery_queue_length", queue=queue)
        assert start == 0
        for _ in range(3):
            fine.apply_async(connection=conn)
        try:
            assert queue_lengths()[queue] == 3
            samples = scrape()
            assert value(samples, "platform_celery_queue_length", queue=queue) == 3
            assert value(samples, "platform_celery_broker_up") == 1
        finally:
            conn.default_channel.client.delete(queue)
