"""The races issue #6 names, with real threads on PostgreSQL (each thread its own connection)."""

import importlib
import queue
import threading
import time as clock
from contextlib import contextmanager
from datetime import timedelta
from itertools import combinations
from unittest import mock

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from bookings.models import Booking
from core.errors import DomainError
from partners.models import (
    BUSY_STATUSES,
    AssignmentStatus,
    Dispatch,
    DispatchStatus,
    Partner,
    PartnerAssignment,
    PartnerEarning,
    PartnerPayout,
)
from partners.services import dispatch, jobs, payouts
from tests.accounts.test_concurrency import run_together
from tests.factories import PartnerAssignmentFactory
from tests.partners import helpers as h

pytestmark = pytest.mark.django_db(transaction=True)


def outcome(action):
    try:
        return action()
    except DomainError as exc:
        return exc.code


def overlapping_live_jobs() -> list[tuple]:
    rows = list(
        PartnerAssignment.objects.filter(status__in=BUSY_STATUSES).values_list("partner_id", "busy_from", "busy_until")
    )
    return [
        (a, b)
        for a, b in combinations(rows, 2)
        if a[0] == b[0] and a[1] < b[2] and b[1] < a[2]  # same partner, ranges overlap
    ]


def test_the_database_itself_refuses_two_overlapping_jobs_for_one_partner():
    partner = h.partner()
    first, second = h.booking(), h.booking(start=h.next_weekday_at(10, 30))
    common = {"partner": partner, "partner_earning": 700, "commission_percentage": 70}
    PartnerAssignment.objects.create(
        booking=first, busy_from=first.scheduled_start, busy_until=first.scheduled_end, **common
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerAssignment.objects.create(
            booking=second,
            status=AssignmentStatus.ACCEPTED,
            busy_from=second.scheduled_start,
            busy_until=second.scheduled_end,
            **common,
        )


def test_fifty_simultaneous_dispatches_and_accepts_for_overlapping_slots_never_double_book_a_partner():
    partners = [h.partner(at=h.NEAR) for _ in range(5)]
    bookings = [h.booking(start=h.next_weekday_at(10, (i % 4) * 15)) for i in range(50)]  # all within 10:00-11:45

    offers = run_together(50, lambda i: ("ok", outcome(lambda: dispatch.dispatch_booking(bookings[i].pk))))
    assert None not in offers  # every thread finished without an error
    made = [o for _, o in offers if isinstance(o, PartnerAssignment)]
    assert overlapping_live_jobs() == []
    # Each partner holds one of these overlapping jobs at most, and each holds one: a booking is queued only
    # once every partner it could ask was taken (none free when it looked, or each taken when it tried).
    assert sorted(o.partner_id for o in made) == sorted(p.pk for p in partners)
    offered = {o.booking_id for o in made}
    queued = dict(Dispatch.objects.filter(status=DispatchStatus.MANUAL).values_list("booking_id", "reason"))
    assert set(queued) == {b.pk for b in bookings} - offered  # every booking is either offered or queued
    assert set(queued.values()) <= {"no_eligible_partner", "all_candidates_busy"}
    assert Dispatch.objects.filter(status=DispatchStatus.OFFERED).count() == len(partners)

    live = list(PartnerAssignment.objects.filter(status=AssignmentStatus.ASSIGNED).select_related("partner"))
    # every offered partner accepts, while the other bookings are dispatched again at the same moment
    actions = [lambda a=a: dispatch.offer_accept(partner=a.partner, booking_id=a.booking_id) for a in live]
    actions += [lambda b=b: dispatch.dispatch_booking(b.pk) for b in bookings]
    results = run_together(len(actions), lambda i: ("ok", outcome(actions[i])))
    assert None not in results  # no thread died (one that raised leaves None)
    assert overlapping_live_jobs() == []
    accepted = PartnerAssignment.objects.filter(status=AssignmentStatus.ACCEPTED)
    assert accepted.count() == len(live)
    assert len({a.partner_id for a in accepted}) == accepted.count()


CHOSEN_POINT = "partners.services.dispatch.booking_transition"  # the offer's answer is written, not yet committed


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _blocked_by(waiter: int, holder: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s = ANY(pg_blocking_pids(%s))", [holder, waiter])
        return cursor.fetchone()[0]


@contextmanager
def competing_at(target: str, competitor):
    """Run ``competitor`` in a thread of its own (its own connection) when ``target`` is first called.

    Saleor's race_condition: ``target`` is called inside the transaction under test, so the
    competitor starts while that transaction holds its locks; ``target`` goes on only once
    PostgreSQL shows the competitor waiting for a lock of this transaction (AssertionError after
    10 s if it never waits). Yields a list holding the competitor's result once the block ends.
    """
    owner_name, name = target.rsplit(".", 1)
    owner = importlib.import_module(owner_name)
    original, result, pids = getattr(owner, name), [], queue.SimpleQueue()

    def compete():
        try:
            pids.put(_backend_pid())
            result.append(competitor())
        finally:
            connection.close()

    thread = threading.Thread(target=compete)

    def at_the_chosen_point(*args, **kwargs):
        if thread.ident is None:  # the first call: the transaction under test
            thread.start()
            waiter, holder, deadline = pids.get(timeout=10), _backend_pid(), clock.monotonic() + 10
            while not _blocked_by(waiter, holder):
                assert clock.monotonic() < deadline, "the competing call never waited for this transaction's locks"
                clock.sleep(0.01)
        return original(*args, **kwargs)

    with mock.patch.object(owner, name, at_the_chosen_point):
        try:
            yield result
        finally:
            if thread.ident is not None:
                thread.join(timeout=30)
    assert thread.ident is not None, f"{target} was never called"


class Waiter:
    """A call running in a thread of its own (its own connection): its backend pid, its result or exception."""

    def __init__(self, action, *, deadlock_timeout: str = ""):
        self.result: list = []
        pids: queue.SimpleQueue = queue.SimpleQueue()

        def run():
            try:
                if deadlock_timeout:
                    with connection.cursor() as cursor:
                        cursor.execute(f"SET deadlock_timeout = '{deadlock_timeout}'")
                pids.put(_backend_pid())
                self.result.append(action())
            except Exception as exc:  # kept for the test to assert on
                self.result.append(exc)
            finally:
                connection.close()

        self.thread = threading.Thread(target=run)
        self.thread.start()
        self.pid = pids.get(timeout=10)

    def wait_until_blocked_by_this_transaction(self) -> None:
        """Return once PostgreSQL shows the call waiting for a lock of the caller's open transaction."""
        holder, deadline = _backend_pid(), clock.monotonic() + 10
        while not _blocked_by(self.pid, holder):
            assert self.thread.is_alive(), f"the call finished without waiting for this transaction: {self.result}"
            assert clock.monotonic() < deadline, "the call never waited for this transaction's locks"
            clock.sleep(0.01)

    def outcome(self):
        self.thread.join(timeout=60)
        assert not self.thread.is_alive()
        [result] = self.result
        return result


def test_an_offer_waits_for_the_partners_row_lock_and_then_sees_the_time_taken_meanwhile():
    partner = h.partner()
    booking, rival = h.booking(), h.booking()  # the same time
    with transaction.atomic():
        # A weaker lock than lock_partner's FOR UPDATE: only that lock waits for it (the foreign-key check
        # of an insert takes FOR KEY SHARE, which FOR NO KEY UPDATE lets through).
        Partner.objects.select_for_update(no_key=True).get(pk=partner.pk)
        offering = Waiter(lambda: dispatch.dispatch_booking(booking.pk))
        offering.wait_until_blocked_by_this_transaction()  # the partner was a candidate; the offer waits for the row
        PartnerAssignmentFactory(accepted=True, partner=partner, booking=rival)  # meanwhile staff give them a job

    assert offering.outcome() is None
    state = Dispatch.objects.get(booking=booking)
    assert (state.status, state.reason) == (DispatchStatus.MANUAL, "all_candidates_busy")
    assert Booking.objects.get(pk=booking.pk).status == "pending"
    assert Booking.objects.get(pk=booking.pk).events.filter(action="assignment_queued", note="all_candidates_busy")
    assert not PartnerAssignment.objects.filter(booking=booking).exists()
    assert overlapping_live_jobs() == []


def test_a_dispatch_picked_as_a_deadlock_victim_runs_again_and_makes_the_offer():
    partner = h.partner()
    booking = h.booking()
    with transaction.atomic():
        with connection.cursor() as cursor:  # this side waits longer before it checks: PostgreSQL aborts the dispatch
            cursor.execute("SET LOCAL deadlock_timeout = '60s'")
        Partner.objects.select_for_update().get(pk=partner.pk)
        offering = Waiter(lambda: dispatch.dispatch_booking(booking.pk), deadlock_timeout="2s")
        offering.wait_until_blocked_by_this_transaction()  # it holds the booking and waits for the partner
        # Now this transaction waits for the booking: a cycle. This returns only once the dispatch's transaction
        # has ended, and it cannot have committed while waiting for the partner: it was rolled back.
        Booking.objects.select_for_update().get(pk=booking.pk)
        offering.wait_until_blocked_by_this_transaction()  # run again: it waits for the booking this time

    offer = offering.outcome()
    assert isinstance(offer, PartnerAssignment), offer
    assert (offer.partner_id, offer.booking_id, offer.status) == (partner.pk, booking.pk, AssignmentStatus.ASSIGNED)
    assert PartnerAssignment.objects.filter(booking=booking).count() == 1
    assert Dispatch.objects.get(booking=booking).status == DispatchStatus.OFFERED


def _open_offer(hour: int):
    partner = h.partner(at=h.NEAR)
    booking = h.booking(start=h.next_weekday_at(hour))
    offer = dispatch.dispatch_booking(booking.pk)
    assert offer.partner == partner
    return partner, booking, offer


def test_a_timeout_firing_while_the_accept_holds_the_offer_waits_and_finds_it_taken():
    partner, booking, offer = _open_offer(9)
    expires = timezone.now() + timedelta(seconds=1)  # open when the accept checks it, run out when the timer fires
    PartnerAssignment.objects.filter(pk=offer.pk).update(expires_at=expires)

    def timer():
        while timezone.now() <= expires:
            clock.sleep(0.01)
        return dispatch.offer_expire(offer.pk)

    with competing_at(CHOSEN_POINT, timer) as expired:
        accepted = dispatch.offer_accept(partner=partner, booking_id=booking.pk)

    offer.refresh_from_db()
    booking.refresh_from_db()
    assert accepted[1].pk == offer.pk
    assert expired == [False]  # it waited, then saw the offer accepted
    assert offer.status == AssignmentStatus.ACCEPTED
    assert booking.status == "confirmed"
    # the partner is never offered the same booking twice
    assert PartnerAssignment.objects.filter(booking=booking, partner=partner).count() == 1


def test_an_accept_arriving_while_the_timeout_holds_the_offer_waits_and_finds_it_gone():
    partner, booking, offer = _open_offer(10)
    PartnerAssignment.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    def accept():
        try:
            return dispatch.offer_accept(partner=partner, booking_id=booking.pk)
        except DomainError as exc:
            return exc

    with competing_at(CHOSEN_POINT, accept) as accepted:
        expired = dispatch.offer_expire(offer.pk)

    offer.refresh_from_db()
    booking.refresh_from_db()
    assert expired is True
    [refused] = accepted
    assert refused.code == "OFFER_EXPIRED"
    assert refused.context == {"status": "expired"}  # it waited, then read the expiry committed
    assert offer.status == AssignmentStatus.EXPIRED
    assert booking.status == "pending"  # back to waiting for a partner
    assert PartnerAssignment.objects.filter(booking=booking, partner=partner).count() == 1


def _completed_job(partner, hour, method="online"):
    booking = h.booking(start=h.next_weekday_at(hour), method=method, paid=method == "online")
    dispatch.dispatch_booking(booking.pk)
    dispatch.offer_accept(partner=partner, booking_id=booking.pk)
    jobs.job_advance(partner=partner, booking_id=booking.pk, status="in_transit")
    jobs.job_advance(partner=partner, booking_id=booking.pk, status="arrived")
    return jobs.job_complete(partner=partner, booking_id=booking.pk)[1]


def test_two_payouts_over_the_same_earnings_make_one():
    partner = h.partner()
    earnings = [_completed_job(partner, 9), _completed_job(partner, 12)]
    ids = [e.pk for e in earnings]

    def pay(i):
        return outcome(lambda: payouts.payout_create(partner_id=partner.pk, earning_ids=ids if i % 2 else None))

    results = run_together(6, pay)
    made = [r for r in results if isinstance(r, PartnerPayout)]
    assert len(made) == 1
    assert {r for r in results if not isinstance(r, PartnerPayout)} <= {"EARNINGS_NOT_PENDING", "NO_PENDING_EARNINGS"}
    assert set(PartnerEarning.objects.filter(pk__in=ids).values_list("payout_id", flat=True)) == {made[0].pk}
    partner.refresh_from_db()
    assert partner.pending_payout == 0
