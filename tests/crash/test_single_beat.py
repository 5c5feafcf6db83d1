"""The beat schedule is sent by one beat at a time (core.beat): ``runplatform`` starts one, and a second beat
on the same Redis (two ``make run``, two replicas) stands by instead of sending, until the first is gone."""

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings

from config.celery import app
from core import beat
from core.management.commands.runplatform import Command
from tests.crash.harness import QUEUE, broker, purge, wait_until


@pytest.fixture
def no_lock():
    broker().delete(beat.LOCK_KEY)
    yield
    broker().delete(beat.LOCK_KEY)


def scheduler(tmp_path, name):
    """A beat's scheduler on the real schedule, every entry due now, recording what it would send."""
    made = beat.SingleBeatScheduler(app=app, schedule_filename=str(tmp_path / name), lazy=False)
    for entry in made.schedule.values():
        entry.last_run_at -= timedelta(days=2)
    made.sent = []
    made.apply_async = lambda entry, producer=None, advance=True, **kw: made.sent.append(entry.name)
    return made


def ticks(*schedulers, rounds=40):
    for _ in range(rounds):
        for each in schedulers:
            each.tick()


def test_runplatform_starts_exactly_one_beat(monkeypatch):
    command = Command()
    spawned = []
    monkeypatch.setattr(command, "_spawn", lambda name, args: spawned.append((name, args)))
    monkeypatch.setattr(command, "_metrics_dir", lambda: "/tmp")
    command._start_children({"host": "127.0.0.1", "port": 8000, "web_workers": 1, "worker_concurrency": 2,
                             "no_worker": False, "no_beat": False})  # fmt: skip
    assert [name for name, _ in spawned].count("beat") == 1
    assert settings.CELERY_BEAT_SCHEDULER == "core.beat.SingleBeatScheduler"


def test_of_two_beats_only_the_lock_holder_sends_each_due_task_once(tmp_path, no_lock):
    first, second = scheduler(tmp_path, "a"), scheduler(tmp_path, "b")

    ticks(first, second)

    assert sorted(first.sent) == sorted({*settings.CELERY_BEAT_SCHEDULE, "celery.backend_cleanup"})  # each once
    assert second.sent == []
    assert (first.holds_lock, second.holds_lock) == (True, False)
    first.close()
    second.close()


def test_the_standby_takes_over_when_the_holder_stops_or_its_lock_expires(tmp_path, no_lock):
    first, second = scheduler(tmp_path, "a"), scheduler(tmp_path, "b")
    ticks(first, second, rounds=1)

    first.close()  # a clean stop gives the lock up
    ticks(second)
    assert second.holds_lock
    assert second.sent

    broker().delete(beat.LOCK_KEY)  # the holder froze past the lock's time to live; a third beat took it
    broker().set(beat.LOCK_KEY, "another beat", px=beat.LOCK_TTL * 1000)
    sent = len(second.sent)
    for entry in second.schedule.values():
        entry.last_run_at -= timedelta(days=2)
    ticks(second)
    assert not second.holds_lock
    assert len(second.sent) == sent  # it no longer sends
    second.close()
    assert broker().get(beat.LOCK_KEY) == b"another beat"  # and does not release a lock it does not hold


def start_beat(tmp_path, n, env):
    args = [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO",
            "--schedule", str(tmp_path / f"beat-{n}")]  # fmt: skip
    log = (tmp_path / f"beat-{n}.log").open("wb")
    return subprocess.Popen(
        args, env=env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def test_two_real_beat_processes_send_from_one_only(tmp_path, no_lock):
    purge()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.crash.beat_settings", "LOG_LEVEL": "INFO"}
    beats = [start_beat(tmp_path, n, env) for n in range(2)]
    try:
        wait_until(lambda: broker().llen(QUEUE) >= 6, 60, "six heartbeats sent")
    finally:
        for process in beats:
            process.terminate()
        for process in beats:
            process.wait(timeout=20)
    origins = {json.loads(raw)["headers"]["origin"] for raw in broker().lrange(QUEUE, 0, -1)}
    purge()
    assert len(origins) == 1, origins  # every message from one beat process
    logs = [(tmp_path / f"beat-{n}.log").read_text() for n in range(2)]
    assert sum("took the schedule lock" in log for log in logs) == 1, logs
