"""A checkout confirm's commit queues its tasks (the dispatch, the notice's delivery, the partner's calendar) and
sends them to the broker together: one Redis client and one round trip, not one of each per task (issue #21).

Not eager, and no worker: the messages stay in the suite's own Redis, where the test reads and removes them.
"""

from __future__ import annotations

import pytest

from core.jobs import enqueue
from notifications.models import Delivery
from partners.models import PartnerAssignment
from tests.core.test_jobs import _counting_clients, _waiting
from tests.partners import helpers as h
from tests.partners.test_checkout_dispatch import confirm
from tests.partners.test_confirm_holds import booking_of, customer_with_address, prepare_with

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_confirm_sends_its_three_tasks_to_the_broker_in_one_write():
    partner = h.partner()
    user, address = customer_with_address()
    user.phone, user.email = "+919812340077", "shopper@example.com"  # the notice goes out by text and mail too
    user.save(update_fields=["phone", "email"])
    preview = prepare_with(user, address)
    enqueue("notifications.tasks.deliver", "warm-up")  # the producer pool's connection and channel exist
    _waiting("warm-up")

    with _counting_clients() as clients:
        booking = booking_of(confirm(user, preview, address, "10:00 AM"))

    partner_id = str(PartnerAssignment.objects.get(booking=booking).partner_id)
    assert partner_id == str(partner.pk)
    deliveries = [str(pk) for pk in Delivery.objects.filter(user=user).values_list("pk", flat=True)]
    assert deliveries
    queued = [*_waiting(str(booking.pk)), *_waiting(partner_id)]
    for delivery in deliveries:
        queued += _waiting(delivery)
    assert sorted(set(queued)) == [
        "notifications.tasks.deliver",
        "partners.tasks.dispatch_booking_task",
        "partners.tasks.publish_availability",
    ]
    assert clients.call_count == 1
