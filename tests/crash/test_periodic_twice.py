"""Every periodic task of the beat schedule, run twice at the same moment on PostgreSQL over a world with due
work, does each piece of that work once. The list comes from config/settings/schedule.py: a periodic task
added without a case in tests/crash/periodic_cases.py fails here."""

import pytest
from django.db import connection

from config.settings.schedule import BEAT_SCHEDULE
from core.jobs import task_named
from tests.accounts.test_concurrency import run_together
from tests.crash.harness import purge
from tests.crash.periodic_cases import CASES

pytestmark = pytest.mark.django_db(transaction=True)

PERIODIC = sorted({entry["task"] for entry in BEAT_SCHEDULE.values()})


@pytest.mark.parametrize("task_name", PERIODIC)
def test_two_runs_at_once_do_the_due_work_once(task_name, request):
    assert connection.vendor == "postgresql"
    assert task_name in CASES, f"{task_name} is on the beat schedule without a case in tests/crash/periodic_cases.py"
    check = CASES[task_name](request)
    request.getfixturevalue("celery_eager")  # what the runs queue (a webhook, a delivery) runs inline
    task = task_named(task_name)

    results = run_together(2, lambda _: task())

    check(results)
    purge()


def test_every_case_is_on_the_schedule():
    assert sorted(CASES) == PERIODIC
