"""``core.jobs`` queues by name in any process, not only where the ``tasks`` modules happen to be imported."""

import base64
import json
import uuid
from unittest import mock

import pytest
from celery import current_app
from kombu.transport import redis as kombu_redis
from redis.client import Pipeline
from redis.exceptions import ConnectionError as RedisConnectionError

from core.jobs import enqueue, published_together
from tests.core.test_settings import manage

# A fresh process, like a web server: nothing has imported an app's tasks module.
LOOKUP = (
    "import sys\n"
    "from core.jobs import task_named\n"
    "assert 'notifications.tasks' not in sys.modules\n"
    "print(task_named('notifications.tasks.deliver').name, task_named('payments.tasks.sync_payable').name)\n"
)


def test_a_task_is_found_by_name_before_its_module_is_imported():
    result = manage("shell", "-c", LOOKUP, env={"DJANGO_SETTINGS_MODULE": "config.settings.test"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "notifications.tasks.deliver payments.tasks.sync_payable"


# A web server's first requests arrive on several threads at once. Celery's autodiscovery has a module-level
# guard that makes a second concurrent call return at once with nothing imported, so without our lock the second
# thread's lookup raised NotRegistered (a 500 on a partner's status change, found by the soak).
CONCURRENT = (
    "import threading\n"
    "from core.jobs import task_named\n"
    "names = ['partners.tasks.publish_availability', 'notifications.tasks.deliver', 'payments.tasks.sync_payable',\n"
    "         'bookings.tasks.expire_unpaid_bookings', 'partners.tasks.publish_availability',\n"
    "         'orders.tasks.auto_close_orders']\n"
    "barrier, found, failed = threading.Barrier(len(names)), [], []\n"
    "def look(name):\n"
    "    barrier.wait()\n"
    "    try:\n"
    "        found.append(task_named(name).name)\n"
    "    except Exception as exc:\n"
    "        failed.append(repr(exc))\n"
    "threads = [threading.Thread(target=look, args=(name,)) for name in names]\n"
    "[t.start() for t in threads]; [t.join() for t in threads]\n"
    "print(len(found), failed)\n"
)


def test_threads_looking_up_tasks_at_once_all_find_them():
    result = manage("shell", "-c", CONCURRENT, env={"DJANGO_SETTINGS_MODULE": "config.settings.test"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "6 []"


def test_celery_reads_its_settings_from_a_plain_mapping():
    """A publish reads several of Celery's settings; through Django's lazy settings object each cost about 23 µs
    (issue #21). Celery gets the ``CELERY_*`` settings as a dict, with the same values."""
    from django.conf import LazySettings, settings

    assert current_app.conf.task_acks_late is settings.CELERY_TASK_ACKS_LATE is True
    assert current_app.conf.broker_transport_options == settings.CELERY_BROKER_TRANSPORT_OPTIONS
    with mock.patch.object(LazySettings, "__getattr__", side_effect=AssertionError("read through Django")):
        for key in ("task_always_eager", "task_default_queue", "task_acks_late", "broker_pool_limit"):
            current_app.conf[key]


# --- tasks queued together (issue #21: checkout confirm's commit queues three) ---------------------------------

TOGETHER = (
    "partners.tasks.dispatch_booking_task",
    "notifications.tasks.deliver",
    "partners.tasks.publish_availability",
)
MORE_ARGS = {"partners.tasks.publish_availability": [["2026-12-01"]]}  # its days


def _waiting(marker: str) -> list[str]:
    """The names of the tasks waiting in the broker (the suite's own Redis; no worker reads it) with ``marker``
    as their first argument, taken out of the queue."""
    conn, queue = current_app.connection_for_write(), current_app.conf.task_default_queue
    with conn:
        broker = conn.default_channel.client
        waiting = broker.lrange(queue, 0, -1)
    names = []
    for raw in waiting:
        message = json.loads(raw)
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        if args[:1] == [marker]:
            names.append(message["headers"]["task"])
            broker.lrem(queue, 1, raw)
    return sorted(names)


def _counting_clients():
    """Count the Redis clients kombu makes to publish (one per message, unless published together)."""
    real = kombu_redis.Channel._create_client
    return mock.patch.object(kombu_redis.Channel, "_create_client", autospec=True, side_effect=real)


def test_tasks_queued_together_reach_the_broker_in_one_write_when_the_block_ends():
    enqueue("notifications.tasks.deliver", "warm-up")  # the producer pool's connection and channel exist
    _waiting("warm-up")
    marker = str(uuid.uuid4())
    with published_together():
        with _counting_clients() as clients:
            for name in TOGETHER:
                enqueue(name, marker, *MORE_ARGS.get(name, []))
        assert clients.call_count == 1  # one client (and one pipeline) for the three, not one each
        assert _waiting(marker) == []  # nothing sent yet
    assert _waiting(marker) == sorted(TOGETHER)

    with _counting_clients() as clients:  # outside a block each goes on its own, at once
        for name in TOGETHER:
            enqueue(name, marker, *MORE_ARGS.get(name, []))
    assert clients.call_count == 3
    assert _waiting(marker) == sorted(TOGETHER)


def test_tasks_queued_before_the_block_raised_are_still_sent():
    marker = str(uuid.uuid4())

    def queue_then_fail() -> None:  # say a later on-commit callback failed
        with published_together():
            enqueue(TOGETHER[0], marker)
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        queue_then_fail()
    assert _waiting(marker) == [TOGETHER[0]]


def test_a_broker_that_refuses_the_write_is_logged_and_the_block_ends_normally(caplog):
    marker = str(uuid.uuid4())
    refused = mock.patch.object(Pipeline, "execute", side_effect=RedisConnectionError("refused"))
    try:
        with published_together():
            enqueue(TOGETHER[0], marker)
            refused.start()  # the broker goes away before the block ends
    finally:
        refused.stop()
    assert _waiting(marker) == []
    assert "could not send the tasks queued together" in caplog.text


def test_a_block_takes_a_producer_from_the_pool_only_when_it_queues_a_task():
    app = current_app._get_current_object()
    with mock.patch.object(app, "producer_or_acquire", wraps=app.producer_or_acquire) as taken:
        with published_together():  # a confirm answered 409: nothing committed, nothing queued
            pass
        assert taken.call_count == 0
        marker = str(uuid.uuid4())
        with published_together():
            enqueue(TOGETHER[0], marker)
            enqueue(TOGETHER[1], marker)
        from_the_pool = [call for call in taken.call_args_list if not call.args or call.args[0] is None]
        assert len(from_the_pool) == 1  # Celery's own calls pass the block's producer on
    assert _waiting(marker) == sorted(TOGETHER[:2])
