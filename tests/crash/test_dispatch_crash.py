"""A worker killed in the middle of a dispatch: the booking is offered to one partner, once."""

import pytest

from bookings.models import BookingStatus
from notifications.models import Notification
from partners.models import AssignmentStatus, Dispatch, PartnerAssignment
from partners.tasks import dispatch_booking_task
from tests.crash.harness import queued_tasks, received_twice, wait_until
from tests.partners import helpers as h

TASK = "partners.tasks.dispatch_booking_task"


def offered_once(booking, partner):
    """Done when the offer is committed and the task's message is gone from the broker (acknowledged)."""
    return TASK not in queued_tasks() and PartnerAssignment.objects.filter(booking=booking).exists()


@pytest.mark.parametrize(
    ("point", "kill"),
    [("dispatch", "pool"), ("dispatch", "worker"), (f"after:{TASK}", "pool")],
    ids=["mid-transaction/pool-process", "mid-transaction/whole-worker", "after-commit-before-ack/pool-process"],
)
def test_a_dispatch_killed_midway_offers_the_booking_exactly_once(workers, point, kill):
    partner = h.partner()
    booking = h.booking(method="online", paid=True)
    first = workers(point)

    dispatch_booking_task.delay(str(booking.pk))
    pid = first.wait_at_crash_point()
    if kill == "pool":
        first.kill_pool_process(pid)  # the main process requeues the task (reject_on_worker_lost)
        finisher = first
    else:
        first.kill()
        finisher = workers()  # a new worker takes the unacknowledged message back after visibility_timeout
    wait_until(lambda: offered_once(booking, partner), 30, "the offer", finisher)

    offer = PartnerAssignment.objects.get(booking=booking)
    assert (offer.partner, offer.status) == (partner, AssignmentStatus.ASSIGNED)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PARTNER_ASSIGNED
    assert booking.events.filter(action="partner_offered").count() == 1
    assert Dispatch.objects.get(booking=booking).attempts == 1
    assert Notification.objects.filter(user=partner.user, event_type="job_offered").count() == 1
    log = first.log() + (finisher.log() if finisher is not first else "")
    assert received_twice(log, TASK), log  # the message came back and ran again
