"""``core.jobs`` queues by name in any process, not only where the ``tasks`` modules happen to be imported."""

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
    from unittest import mock

    from celery import current_app
    from django.conf import LazySettings, settings

    assert current_app.conf.task_acks_late is settings.CELERY_TASK_ACKS_LATE is True
    assert current_app.conf.broker_transport_options == settings.CELERY_BROKER_TRANSPORT_OPTIONS
    with mock.patch.object(LazySettings, "__getattr__", side_effect=AssertionError("read through Django")):
        for key in ("task_always_eager", "task_default_queue", "task_acks_late", "broker_pool_limit"):
            current_app.conf[key]
