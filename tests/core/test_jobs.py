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
