"""The races issue #6 names, with real threads on PostgreSQL (each thread its own connection)."""

import time as clock
from datetime import timedelta
from itertools import combinations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError
from partners.models import BUSY_STATUSES, AssignmentStatus, PartnerAssignment, PartnerEarning, PartnerPayout
from partners.services import dispatch, jobs, payouts
from tests.accounts.test_concurrency import run_together
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
    assert 1 <= len(made) <= len(partners)  # every partner can hold one of these overlapping jobs at most

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


def _race_accept_and_timeout(partner, booking, offer, expires):
    def accept():
        clock.sleep(0.14)  # about when the offer runs out
        return outcome(lambda: dispatch.offer_accept(partner=partner, booking_id=booking.pk))

    def expire():
        clock.sleep(max((expires - timezone.now()).total_seconds(), 0) + 0.001)
        return dispatch.offer_expire(offer.pk)

    return run_together(2, lambda i: accept() if i == 0 else expire())


def test_an_accept_racing_the_timeout_has_exactly_one_outcome():
    outcomes = set()
    for round_ in range(8):
        partner = h.partner(at=h.NEAR)
        booking = h.booking(start=h.next_weekday_at(8 + round_))
        offer = dispatch.dispatch_booking(booking.pk)
        assert offer.partner == partner
        expires = timezone.now() + timedelta(milliseconds=150)
        PartnerAssignment.objects.filter(pk=offer.pk).update(expires_at=expires)
        accepted, expired = _race_accept_and_timeout(partner, booking, offer, expires)
        offer.refresh_from_db()
        if offer.status == AssignmentStatus.ACCEPTED:
            assert isinstance(accepted, tuple)
            assert expired is False
            outcomes.add("accepted")
        else:
            assert offer.status == AssignmentStatus.EXPIRED
            assert accepted == "OFFER_EXPIRED"
            assert expired is True
            outcomes.add("expired")
        booking.refresh_from_db()
        assert (booking.status == "confirmed") == (offer.status == AssignmentStatus.ACCEPTED)
        # the partner is never offered the same booking twice in one round
        assert PartnerAssignment.objects.filter(booking=booking, partner=partner).count() == 1
    assert outcomes  # each race ends one way or the other, never both


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
