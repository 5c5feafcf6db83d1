"""Two confirms whose plans name the same two partners in opposite orders, on PostgreSQL with real threads.

A plan is read before the confirm's transaction, so it can be stale: here both partners were free when the plans
were read and are busy by the time the confirms run. Each confirm locks its first choice (``SKIP LOCKED``),
finds their time taken, skips the other's (locked by the other confirm) and then waits for it. Had a confirm
kept the row lock of a partner whose time was taken, each would wait for the other: a deadlock, which
PostgreSQL breaks by failing one of them (a 500 for that customer). The attempt's savepoint is rolled back
instead, its lock with it, so both finish and answer "nobody is free".
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from bookings.models import Booking
from partners.matching import candidates, job_for
from partners.models import AssignmentStatus, PartnerAssignment
from partners.services import holds
from partners.services.holds import booking_hold
from tests.partners import helpers as h

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_confirms_with_stale_plans_in_opposite_orders_do_not_deadlock(monkeypatch):
    first_partner, second_partner = h.partner(), h.partner()
    first, second = h.booking(), h.booking()  # the same time: two days ahead at 10:00
    plan = {c.partner.pk: c for c in candidates(job_for(first), limit=5, with_users=False)}
    assert set(plan) == {first_partner.pk, second_partner.pk}
    for partner in (first_partner, second_partner):  # both busy by the time the confirms run
        with transaction.atomic():
            assert booking_hold(h.booking(), plan=[plan[partner.pk]], fresh=True) is not None
    both_locked = threading.Barrier(2, timeout=10)
    real_lock, waited = holds.lock_first_free_partner, threading.local()

    def lock_then_wait_for_the_other(partner_ids):
        locked = real_lock(partner_ids)
        if not getattr(waited, "done", False):
            waited.done = True
            both_locked.wait()  # each confirm now holds its first choice's row lock
        return locked

    monkeypatch.setattr(holds, "lock_first_free_partner", lock_then_wait_for_the_other)
    answers: dict[str, object] = {}

    def confirm(name: str, booking: Booking, order: list) -> None:
        try:
            with transaction.atomic():
                answers[name] = booking_hold(Booking.objects.get(pk=booking.pk), plan=order, fresh=True)
        except Exception as exc:  # a deadlock victim: what this test is about
            answers[name] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=confirm, args=("first", first, [plan[first_partner.pk], plan[second_partner.pk]])),
        threading.Thread(target=confirm, args=("second", second, [plan[second_partner.pk], plan[first_partner.pk]])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert answers == {"first": None, "second": None}  # nobody is free for either, and neither failed
    held = PartnerAssignment.objects.filter(status=AssignmentStatus.HELD)
    assert held.count() == 2
    assert not held.filter(booking__in=[first, second]).exists()
