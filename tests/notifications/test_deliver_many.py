"""Issue #21: a notification's deliveries go to the worker in one message, each still sent once.

``notifications.services.inbox.enqueue`` is replaced by a recorder (the broker's queue, as a list), and a
queued message is run by calling its task.
"""

from __future__ import annotations

import pytest
import responses
from celery.signals import task_retry
from django.core import mail

from accounts.roles import Role
from notifications import sms
from notifications.backends import whatsapp_outbox
from notifications.models import Delivery
from notifications.services import delivery as delivery_service
from notifications.services import inbox, notify
from notifications.services.delivery import sweep_lost_deliveries
from notifications.tasks import deliver_many
from tests.conftest import make_user
from tests.notifications.conftest import TWILIO

pytestmark = pytest.mark.django_db

CONTEXT = {"booking_number": "BK-9", "when": "Sat 21 Nov, 10:00 AM", "partner_name": "Asha"}


@pytest.fixture
def queue(monkeypatch) -> list[tuple]:
    """What would be queued for the worker, in order: ``(task name, argument)``."""
    queued: list[tuple] = []
    monkeypatch.setattr(inbox, "enqueue", lambda name, *args: queued.append((name, *args)))
    return queued


def confirmed(phone: str = "+919812340011"):
    """A customer told their booking is confirmed: by SMS and WhatsApp (no device for push)."""
    person = make_user(Role.CUSTOMER, phone=phone, email=None)
    notify("booking_confirmed", user=person, context=CONTEXT)
    return person


def test_a_notifications_deliveries_are_one_message_and_each_is_sent_once(queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        person = confirmed()

    ids = {str(pk) for pk in Delivery.objects.filter(user=person).values_list("pk", flat=True)}
    assert len(ids) == 2
    assert [(name, set(args)) for name, args in queue] == [("notifications.tasks.deliver_many", ids)]

    assert deliver_many(queue[0][1]) == {"sent": 2}
    assert deliver_many(queue[0][1]) == {"sent": 2}  # a copy of the message (redelivered): nothing sent again
    assert [m.to for m in sms.outbox] == [person.phone]
    assert [m.to for m in whatsapp_outbox] == [person.phone]
    assert set(Delivery.objects.filter(user=person).values_list("status", "attempts")) == {("sent", 1)}


def test_a_lone_delivery_is_still_its_own_deliver_task(queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        person = make_user(Role.CUSTOMER, phone="+919812340012", email=None)
        notify("partner_on_the_way", user=person, context=CONTEXT)  # push and SMS: SMS only

    (only,) = Delivery.objects.filter(user=person).values_list("pk", flat=True)
    assert queue == [("notifications.tasks.deliver", str(only))]


@responses.activate
def test_one_that_fails_goes_on_alone_on_the_retry_schedule_and_the_others_are_sent(
    twilio, settings, celery_eager, django_capture_on_commit_callbacks, monkeypatch
):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 7
    responses.post(TWILIO, status=503, body="busy")
    responses.post(TWILIO, status=503, body="busy")
    responses.post(TWILIO, json={"sid": "SM9"}, status=201)
    handed_on: list[dict] = []
    real_task_named = delivery_service.task_named

    class Spy:
        def __init__(self, task):
            self.task = task

        def apply_async(self, **options):
            handed_on.append({k: options.get(k) for k in ("args", "countdown", "retries")})
            return self.task.apply_async(**options)

    monkeypatch.setattr(delivery_service, "task_named", lambda name: Spy(real_task_named(name)))
    countdowns: list[float] = []

    def record(sender=None, reason=None, **kwargs) -> None:
        countdowns.append(reason.when)

    task_retry.connect(record, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            person = confirmed("+919812340013")
    finally:
        task_retry.disconnect(record)

    text = Delivery.objects.get(user=person, channel="sms")
    chat = Delivery.objects.get(user=person, channel="whatsapp")
    # the first try failed in the batch: its deliver task is queued as its own first retry would be
    assert handed_on == [{"args": (str(text.pk),), "countdown": 7.0, "retries": 1}]
    assert countdowns == [14]  # then that task's own retry: the base doubled, as for any delivery's second retry
    assert (text.status, text.attempts, text.provider_message_id) == ("sent", 3, "SM9")
    assert (chat.status, chat.attempts) == ("sent", 1)
    assert [m.to for m in whatsapp_outbox] == [person.phone]


def test_one_that_raises_is_left_to_the_sweep_and_the_others_are_sent(django_capture_on_commit_callbacks, queue):
    with django_capture_on_commit_callbacks(execute=True):
        person = confirmed("+919812340014")
    ids = queue[0][1]

    assert deliver_many(["not-a-delivery-id", *ids]) == {"left to the sweep": 1, "sent": 2}
    assert set(Delivery.objects.filter(user=person).values_list("status", flat=True)) == {"sent"}


def test_the_sweep_queues_lost_deliveries_in_chunks(queue, monkeypatch):
    lost = [f"id-{n}" for n in range(45)]
    monkeypatch.setattr(delivery_service, "lost_deliveries", lambda now=None: lost)

    assert sweep_lost_deliveries() == 45
    assert [(name, len(args)) for name, args in queue] == [("notifications.tasks.deliver_many", 20)] * 2 + [
        ("notifications.tasks.deliver_many", 5)
    ]
    assert [i for _, args in queue for i in args] == lost


def test_a_broker_down_midway_leaves_the_rest_to_the_sweep(monkeypatch):
    queued: list[tuple] = []

    def second_fails(name, *args):
        if queued:
            raise ConnectionError("broker down")
        queued.append(args)

    monkeypatch.setattr(inbox, "enqueue", second_fails)
    assert inbox.queue_quietly([f"id-{n}" for n in range(30)]) == 20
    assert mail.outbox == []
