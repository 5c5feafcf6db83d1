"""The dispatch engine's rules, through its services: who qualifies, who is chosen, what happens on no, silence
and reschedule, and the manual queue."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from bookings.models import BookingStatus
from bookings.services import lifecycle
from catalog.models import Tier
from core.errors import DomainError
from partners.matching import candidates, job_for
from partners.models import AssignmentStatus, Dispatch, DispatchStatus, PartnerAssignment
from partners.services import dispatch, manual
from tests.factories import PartnerAssignmentFactory
from tests.partners import helpers as h

pytestmark = pytest.mark.django_db


def chosen(booking):
    return [c.partner for c in candidates(job_for(booking), limit=50)]


def test_the_closest_qualified_partner_is_offered_the_job_with_the_score_parts_kept():
    near = h.partner(at=h.NEAR)
    h.partner(at=h.MID)
    booking = h.booking()
    offer = dispatch.dispatch_booking(booking.pk)
    assert offer.partner == near
    assert offer.status == AssignmentStatus.ASSIGNED
    assert offer.expires_at - offer.assigned_at == pytest.approx(timedelta(minutes=15), abs=timedelta(seconds=2))
    assert set(offer.score_parts) >= {"distance_km", "distance", "rating_part", "load", "reliability", "weights"}
    assert offer.score_parts["distance_km"] < 2
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PARTNER_ASSIGNED
    assert booking.events.filter(action="partner_offered").exists()
    assert offer.partner_earning == pytest.approx(700)  # 70 % of the booking before tax (1,000)


@pytest.mark.parametrize(
    "fields",
    [
        {"categories": ("WAXING",)},
        {"tiers": (Tier.EXCLUSIVE,)},
        {"at": h.FAR},
        {"days": []},
        {"start": time(11), "end": time(20)},
        {"verified": False},
        {"is_active": False},
        {"is_available": False},
        {"rating": 3.5, "rating_count": 4},
    ],
    ids=["category", "tier", "radius", "day", "hours", "unverified", "inactive", "unavailable", "low-rating"],
)
def test_a_partner_who_does_not_qualify_is_not_a_candidate(fields):
    misfit = h.partner(**fields)
    assert misfit not in chosen(h.booking())


def test_an_unrated_partner_is_eligible_and_a_well_rated_one_ranks_higher_at_the_same_distance():
    unrated = h.partner(at=h.NEAR)
    rated = h.partner(at=h.NEAR, rating=5, rating_count=10)
    assert chosen(h.booking()) == [rated, unrated]


@pytest.fixture
def clock(monkeypatch):
    """Django's clock (``timezone.now``), set by the test: ``clock.set(moment)``."""

    class Clock:
        moment = timezone.now()

        def set(self, moment):
            self.moment = moment

    held = Clock()
    monkeypatch.setattr(timezone, "now", lambda: held.moment)
    return held


@pytest.mark.parametrize("midnight_between", [False, True], ids=["one-day", "midnight-between-the-bookings"])
def test_a_partner_busy_at_that_time_plus_the_travel_buffer_is_skipped(clock, midnight_between):
    last_second = datetime.combine(timezone.localdate(), time(23, 59, 59), tzinfo=timezone.get_current_timezone())
    if midnight_between:
        clock.set(last_second)
    busy = h.partner()
    first = h.booking(start=h.next_weekday_at(10))
    dispatch.dispatch_booking(first.pk)
    if midnight_between:
        clock.set(last_second + timedelta(seconds=2))  # the next bookings are written on the next day

    later = h.booking(start=h.next_weekday_at(11))
    after_the_buffer = h.booking(start=h.next_weekday_at(11, 30))

    assert later.booking_date == after_the_buffer.booking_date == first.booking_date  # one day for the whole test
    assert busy not in chosen(later)  # 10:00-11:00 + 30 min buffer
    assert busy in chosen(after_the_buffer)


def weighted(parts) -> float:
    """The score from its parts and the configured weights, as the engine adds them up."""
    weights = parts["weights"]
    return (
        weights["distance"] * parts["distance"]
        + weights["rating"] * parts["rating_part"]
        + weights["load"] * parts["load"]
        + weights["acceptance"] * parts["reliability"]
    )


def test_of_two_equal_partners_the_one_with_fewer_jobs_that_day_ranks_first():
    loaded = h.partner(at=h.NEAR)  # made first: on a tie it would win (the partner code breaks ties)
    free = h.partner(at=h.NEAR)
    assert loaded.partner_code < free.partner_code
    booking = h.booking(start=h.next_weekday_at(10))
    busy_that_day = h.booking(start=h.next_weekday_at(15))
    PartnerAssignmentFactory(accepted=True, partner=loaded, booking=busy_that_day)
    for other_day in (1, 3):  # the day before and the day after: not that day
        PartnerAssignmentFactory(
            accepted=True, partner=free, booking=h.booking(start=h.next_weekday_at(15, days_ahead=other_day))
        )

    ranked = candidates(job_for(booking), limit=50)

    assert [c.partner for c in ranked] == [free, loaded]
    first, second = ranked
    assert (first.parts["jobs_that_day"], first.parts["load"]) == (0, 1.0)  # jobs on other days do not count
    assert (second.parts["jobs_that_day"], second.parts["load"]) == (1, 0.5)
    assert first.score - second.score == pytest.approx(first.parts["weights"]["load"] * 0.5, abs=1e-4)
    assert [c.score for c in ranked] == [pytest.approx(weighted(c.parts), abs=1e-4) for c in ranked]


def test_of_two_equal_partners_the_one_who_answers_offers_ranks_first():
    unreliable = h.partner(at=h.NEAR)  # made first: on a tie it would win
    reliable = h.partner(at=h.NEAR)
    elsewhere = h.booking(start=h.next_weekday_at(10, days_ahead=4))  # another day: no load on the day below
    assert dispatch.dispatch_booking(elsewhere.pk).partner == unreliable
    dispatch.offer_reject(partner=unreliable, booking_id=elsewhere.pk)  # the offer moves on to the other partner
    dispatch.offer_accept(partner=reliable, booking_id=elsewhere.pk)
    booking = h.booking(start=h.next_weekday_at(10))

    ranked = candidates(job_for(booking), limit=50)

    assert [c.partner for c in ranked] == [reliable, unreliable]
    first, second = ranked
    assert (first.parts["acceptance_rate"], first.parts["reliability"]) == (100.0, 1.0)
    assert (second.parts["acceptance_rate"], second.parts["reliability"]) == (0.0, 0.0)
    assert first.parts["jobs_that_day"] == second.parts["jobs_that_day"] == 0
    assert first.score - second.score == pytest.approx(first.parts["weights"]["acceptance"], abs=1e-4)
    assert [c.score for c in ranked] == [pytest.approx(weighted(c.parts), abs=1e-4) for c in ranked]


def test_a_cancelled_job_is_not_held_against_the_partner_in_the_ranking(customer):
    cancelled_on = h.partner(at=h.NEAR)  # made first: wins the tie, which the cancellation does not break
    other = h.partner(at=h.NEAR)
    gone = h.booking(customer, start=h.next_weekday_at(10, days_ahead=4))
    dispatch.dispatch_booking(gone.pk)
    dispatch.offer_accept(partner=cancelled_on, booking_id=gone.pk)
    lifecycle.booking_cancel(user=customer, booking_id=gone.pk)
    cancelled_on.refresh_from_db()
    assert (cancelled_on.cancelled_bookings, float(cancelled_on.cancellation_rate)) == (1, 100.0)

    ranked = candidates(job_for(h.booking(start=h.next_weekday_at(10))), limit=50)

    assert [c.partner for c in ranked] == [cancelled_on, other]  # reliability is the acceptance rate (100 for both)
    assert [c.parts["cancellation_rate"] for c in ranked] == [100.0, 0.0]
    assert ranked[0].score == ranked[1].score


def test_without_coordinates_the_address_pincode_decides():
    serving = h.partner(at=None, pincodes=[h.PINCODE])
    h.partner(at=None, pincodes=["700001"])
    assert chosen(h.booking(at=None)) == [serving]


def test_a_rejection_offers_the_next_partner_and_never_the_same_one_twice():
    first, second = h.partner(at=h.NEAR), h.partner(at=h.MID)
    booking = h.booking()
    dispatch.dispatch_booking(booking.pk)
    dispatch.offer_reject(partner=first, booking_id=booking.pk, reason="too far")
    offers = list(PartnerAssignment.objects.filter(booking=booking).order_by("assigned_at"))
    assert [(o.partner, o.status) for o in offers] == [
        (first, AssignmentStatus.REJECTED),
        (second, AssignmentStatus.ASSIGNED),
    ]
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PARTNER_ASSIGNED
    first.refresh_from_db()  # an offer declined is not a job cancelled
    assert (first.total_bookings, first.cancelled_bookings, float(first.cancellation_rate)) == (0, 0, 0.0)
    assert (first.offers_rejected, float(first.acceptance_rate)) == (1, 0.0)


def test_after_three_offers_the_booking_goes_to_the_manual_queue():
    partners = [h.partner(at=h.NEAR) for _ in range(4)]
    booking = h.booking()
    dispatch.dispatch_booking(booking.pk)
    for _ in range(3):
        offer = PartnerAssignment.objects.get(booking=booking, status=AssignmentStatus.ASSIGNED)
        dispatch.offer_reject(partner=offer.partner, booking_id=booking.pk)
    assert PartnerAssignment.objects.filter(booking=booking).count() == 3
    state = Dispatch.objects.get(booking=booking)
    assert (state.status, state.reason) == (DispatchStatus.MANUAL, "max_attempts")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING
    assert booking.events.filter(action="assignment_queued").exists()
    asked = list(PartnerAssignment.objects.filter(booking=booking).values_list("partner_id", flat=True))
    assert len(set(asked)) == 3  # three different partners asked, none twice
    assert set(asked) < {p.pk for p in partners}  # and a fourth was still free: the limit queued it, not a lack


def test_no_qualified_partner_sends_the_booking_to_the_manual_queue_at_once():
    booking = h.booking()
    assert dispatch.dispatch_booking(booking.pk) is None
    assert Dispatch.objects.get(booking=booking).reason == "no_eligible_partner"


def test_staff_who_may_assign_find_the_queued_booking_in_their_inbox():
    from accounts.roles import Role
    from notifications.models import Notification
    from tests.conftest import make_user

    ops, support = make_user(Role.OPS_MANAGER), make_user(Role.SUPPORT)
    booking = h.booking()

    dispatch.dispatch_booking(booking.pk)

    note = Notification.objects.get(event_type="booking_needs_partner")
    assert note.user == ops
    assert booking.booking_number in note.message
    assert "no eligible partner" in note.message
    assert not Notification.objects.filter(user=support).exists()


def test_an_unanswered_offer_expires_only_when_its_time_is_up_and_moves_on():
    first, second = h.partner(at=h.NEAR), h.partner(at=h.MID)
    booking = h.booking()
    offer = dispatch.dispatch_booking(booking.pk)
    assert offer.partner == first
    assert dispatch.offer_expire(offer.pk) is False  # the countdown fired early: nothing happens
    PartnerAssignment.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert dispatch.offer_expire(offer.pk) is True
    assert dispatch.offer_expire(offer.pk) is False  # twice: once
    offer.refresh_from_db()
    assert offer.status == AssignmentStatus.EXPIRED
    assert PartnerAssignment.objects.get(booking=booking, status=AssignmentStatus.ASSIGNED).partner == second
    first.refresh_from_db()  # letting an offer expire is an answer: it lowers the first partner's reliability
    assert (first.offers_expired, float(first.acceptance_rate), first.total_bookings) == (1, 0.0, 0)


def test_the_sweep_expires_lost_countdowns_and_dispatches_bookings_nobody_picked_up():
    h.partner(at=h.NEAR)
    h.partner(at=h.MID)
    waiting = h.booking()
    type(waiting).objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    offered = h.booking(start=h.next_weekday_at(15))
    offer = dispatch.dispatch_booking(offered.pk)
    PartnerAssignment.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    result = dispatch.sweep()
    assert result == {"expired": 1, "dispatched": 1}
    assert PartnerAssignment.objects.filter(booking=waiting, status=AssignmentStatus.ASSIGNED).exists()
    assert dispatch.sweep() == {"expired": 0, "dispatched": 0}


def test_an_unpaid_online_booking_is_not_dispatched():
    h.partner()
    booking = h.booking(method="online")
    assert dispatch.dispatch_booking(booking.pk) is None
    assert not PartnerAssignment.objects.filter(booking=booking).exists()


def test_rescheduling_asks_the_same_partner_first_in_a_new_round(customer):
    first = h.partner(at=h.MID)
    h.partner(at=h.NEAR, start=time(8), end=time(12))
    booking = h.booking(customer, start=h.next_weekday_at(14))
    offer = dispatch.dispatch_booking(booking.pk)
    assert offer.partner == first  # the nearer one does not work at 14:00
    dispatch.offer_accept(partner=first, booking_id=booking.pk)
    new_day = (booking.scheduled_start + timedelta(days=1)).date()
    lifecycle.booking_reschedule(user=customer, booking_id=booking.pk, new_date=new_day, new_time="16:00")
    offer.refresh_from_db()
    assert (offer.status, offer.rejection_reason) == (AssignmentStatus.CANCELLED, "rescheduled")
    again = dispatch.dispatch_booking(booking.pk)  # the worker's task
    assert (again.partner, again.dispatch_round, again.status) == (first, 2, AssignmentStatus.ASSIGNED)


def test_cancelling_the_booking_cancels_its_offer(customer):
    h.partner()
    booking = h.booking(customer)
    offer = dispatch.dispatch_booking(booking.pk)
    lifecycle.booking_cancel(user=customer, booking_id=booking.pk)
    offer.refresh_from_db()
    assert offer.status == AssignmentStatus.CANCELLED
    assert Dispatch.objects.get(booking=booking).status == DispatchStatus.CLOSED


def test_staff_assign_by_hand_checking_eligibility_unless_forced(customer):
    staff = h.make_user()
    misfit = h.partner(categories=("WAXING",))
    booking = h.booking(customer)
    with pytest.raises(DomainError) as refused:
        manual.assign_manually(booking_id=booking.pk, partner_id=misfit.pk, by=staff)
    assert refused.value.code == "NO_PARTNER_AVAILABLE"
    _, assignment = manual.assign_manually(booking_id=booking.pk, partner_id=misfit.pk, by=staff, force=True)
    assert (assignment.status, assignment.forced) == (AssignmentStatus.ACCEPTED, True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    other = h.booking(start=booking.scheduled_start + timedelta(minutes=30))
    with pytest.raises(DomainError) as busy:
        manual.assign_manually(booking_id=other.pk, partner_id=misfit.pk, by=staff, force=True)
    assert busy.value.code == "PARTNER_BUSY"


def test_staff_can_replace_the_partner_of_a_confirmed_booking(customer):
    first, second = h.partner(at=h.NEAR), h.partner(at=h.MID)
    booking = h.booking(customer)
    dispatch.dispatch_booking(booking.pk)
    dispatch.offer_accept(partner=first, booking_id=booking.pk)
    _, assignment = manual.assign_manually(booking_id=booking.pk, partner_id=second.pk, by=h.make_user())
    assert assignment.partner == second
    assert PartnerAssignment.objects.get(booking=booking, partner=first).status == AssignmentStatus.CANCELLED
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_a_wider_radius_is_searched_as_soon_as_a_partner_takes_it():
    booking = h.booking()
    h.partner(at=h.NEAR, radius=5)
    assert chosen(booking)  # the search reach is now 5 km, cached
    wide = h.partner(at=h.FAR, radius=40)  # about 31 km away, beyond the cached reach
    assert wide in chosen(booking)


def test_staff_who_may_assign_are_emailed_when_a_booking_needs_a_hand(django_capture_on_commit_callbacks):
    from django.core import mail

    from accounts.roles import Role

    ops = h.make_user(Role.OPS_MANAGER, email="ops@example.com")
    h.make_user(Role.SUPPORT, email="support@example.com")  # cannot assign: not told
    booking = h.booking()
    with django_capture_on_commit_callbacks(execute=True):
        dispatch.dispatch_booking(booking.pk)
    assert [m.to for m in mail.outbox] == [[ops.email]]
    assert booking.booking_number in mail.outbox[0].subject
    from notifications.models import Delivery

    logged = Delivery.objects.get(event_type="booking_needs_partner", channel="email")
    assert (logged.destination, logged.status, logged.subject) == (ops.email, "sent", mail.outbox[0].subject)
