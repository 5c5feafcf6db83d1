"""Issue #21: availability publishes are coalesced per partner, and the one that runs publishes the latest.

Many changes to a partner's days while a publish of theirs is queued and not started queue no other publish (the
days join it); the run clears the mark before it reads the slots, so a change during the run queues one more run.
``partners.live.enqueue`` is replaced by a recorder (the broker's queue, as a list), and a queued publish is run
by calling the task.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core import ratelimit
from core.events import user_group
from partners import live
from partners.tasks import publish_availability
from tests.conftest import client_for
from tests.partners import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(monkeypatch) -> list[tuple]:
    """What would be queued for the worker, in order: ``(task name, partner id, dates)``."""
    queued: list[tuple] = []
    monkeypatch.setattr(live, "enqueue", lambda name, *args: queued.append((name, *args)))
    return queued


@pytest.fixture
def sent(monkeypatch) -> list[tuple]:
    """What the runs publish: ``(group, event, data)``."""
    events: list[tuple] = []
    monkeypatch.setattr(live, "send_event", lambda group, event, data: events.append((group, event, data)))
    return events


@pytest.fixture
def day(settings):
    settings.SLOT_MINUTES = 30
    return timezone.localdate() + timedelta(days=2)  # none of its slots has begun, at any hour of the day


def set_hours(partner, day, start: str, end: str, capture) -> None:
    with capture(execute=True):
        response = client_for(partner.user).post(
            "/api/v1/vendor-availability",
            {"day_of_week": day.isoweekday(), "start_time": start, "end_time": end},
            format="json",
        )
    assert response.status_code == 201, response.content


def run(queued: tuple) -> int:
    name, partner_id, dates = queued
    assert name == "partners.tasks.publish_availability"
    return publish_availability(partner_id, dates)


def test_many_changes_while_queued_queue_one_publish_and_it_sends_the_latest(
    queue, sent, day, django_capture_on_commit_callbacks
):
    partner = helpers.partner()

    set_hours(partner, day, "10:00", "12:00", django_capture_on_commit_callbacks)
    set_hours(partner, day, "14:00", "16:00", django_capture_on_commit_callbacks)
    set_hours(partner, day, "15:00", "16:00", django_capture_on_commit_callbacks)

    assert queue == [("partners.tasks.publish_availability", str(partner.pk), [day.isoformat()])]
    assert run(queue[0]) == 1
    # the last hours, to the calendar's followers and to the partner's own socket
    assert [(group, data["available_slots"]) for group, _, data in sent] == [
        (live.availability_group(partner.pk), ["15:00", "15:30"]),
        (user_group(partner.user_id), ["15:00", "15:30"]),
    ]


def test_a_change_during_the_run_queues_another_run_which_publishes_it(
    queue, sent, day, django_capture_on_commit_callbacks, monkeypatch
):
    partner = helpers.partner()
    set_hours(partner, day, "10:00", "12:00", django_capture_on_commit_callbacks)
    published = live.send_event

    def change_while_running(group, event, data):  # the run has read its slots; the partner changes them again
        if len(sent) == 0:
            set_hours(partner, day, "14:00", "15:00", django_capture_on_commit_callbacks)
        published(group, event, data)

    monkeypatch.setattr(live, "send_event", change_while_running)
    run(queue[0])

    assert len(queue) == 2  # the change came after the first run started: a second run is queued
    assert sent[0][2]["available_slots"] == ["10:00", "10:30", "11:00", "11:30"]
    monkeypatch.setattr(live, "send_event", published)
    run(queue[1])
    assert sent[-1][2]["available_slots"] == ["14:00", "14:30"]


def test_after_a_run_the_next_change_queues_again(queue, sent, day, django_capture_on_commit_callbacks):
    partner = helpers.partner()
    set_hours(partner, day, "10:00", "12:00", django_capture_on_commit_callbacks)
    run(queue[0])

    set_hours(partner, day, "11:00", "12:00", django_capture_on_commit_callbacks)
    set_hours(partner, day, "11:00", "13:00", django_capture_on_commit_callbacks)

    assert len(queue) == 2
    run(queue[1])
    assert sent[-1][2]["available_slots"] == ["11:00", "11:30", "12:00", "12:30"]


def test_other_days_join_the_queued_run_and_other_partners_are_queued_apart(queue, sent, day):
    first, second = helpers.partner(), helpers.partner()
    later = day + timedelta(days=1)

    assert live.queue_publish(str(first.pk), [day.isoformat()]) is True
    assert live.queue_publish(str(first.pk), [later.isoformat()]) is False  # joins the run queued for `first`
    assert live.queue_publish(str(second.pk), [day.isoformat()]) is True

    assert [args for _, *args in queue] == [[str(first.pk), [day.isoformat()]], [str(second.pk), [day.isoformat()]]]
    assert run(queue[0]) == 2
    assert [data["date"] for group, _, data in sent if group == live.availability_group(first.pk)] == [
        day.isoformat(),
        later.isoformat(),
    ]


def test_a_mark_lapses_in_case_its_message_was_lost_and_the_days_waiting_are_kept(queue, sent, day):
    partner = helpers.partner()
    later = day + timedelta(days=1)
    live.queue_publish(str(partner.pk), [day.isoformat()])
    live.queue_publish(str(partner.pk), [later.isoformat()])  # waits for the queued run

    mark, pending = f"availability-queued:{partner.pk}", f"availability-days:{partner.pk}"
    redis = ratelimit.client()
    assert 0 < redis.ttl(mark) <= live.QUEUED_SECONDS
    assert redis.ttl(pending) > live.QUEUED_SECONDS  # outlasts the mark: a run far behind still finds its days
    redis.delete(mark)  # as if it had lapsed
    live.queue_publish(str(partner.pk), [day.isoformat()])
    assert len(queue) == 2

    run(queue[0])  # the first run, late: it publishes the day that waited for it
    assert {data["date"] for _, _, data in sent} == {day.isoformat(), later.isoformat()}


def test_a_publish_that_could_not_be_queued_leaves_no_mark(monkeypatch, day):
    partner = helpers.partner()
    queued: list[tuple] = []

    def broker_down(name, *args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(live, "enqueue", broker_down)
    with pytest.raises(ConnectionError):
        live.queue_publish(str(partner.pk), [day.isoformat()])

    monkeypatch.setattr(live, "enqueue", lambda name, *args: queued.append(args))
    assert live.queue_publish(str(partner.pk), [day.isoformat()]) is True
    assert queued == [(str(partner.pk), [day.isoformat()])]


def test_without_redis_every_change_is_queued_and_run(queue, sent, day, monkeypatch):
    partner = helpers.partner()

    def redis_down():
        raise ConnectionError("redis down")

    with monkeypatch.context() as patched:  # undone before the suite's own clean-up uses Redis
        patched.setattr(live.ratelimit, "client", redis_down)
        live.queue_publish(str(partner.pk), [day.isoformat()])
        live.queue_publish(str(partner.pk), [day.isoformat()])
        assert len(queue) == 2
        assert run(queue[0]) == 1
