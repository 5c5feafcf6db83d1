"""A partner's figures count jobs, not offers (issue 14 item 8): declining an offer is no cancelled job but lowers the
acceptance rate, which is the reliability part of the dispatch score; migration 0003 recomputes old counters."""

from __future__ import annotations

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from accounts.roles import Role
from bookings.services import lifecycle
from partners.models import Partner, PartnerAssignment
from partners.services import dispatch, manual
from tests.conftest import client_for, make_user
from tests.partners import helpers as h

pytestmark = pytest.mark.django_db

API = "/api/v1"


def ok(response, status: int = 200):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["success"] is True, body
    return body["data"]


@pytest.fixture
def admin():
    return client_for(make_user(Role.ADMIN))


def figures(admin, partner) -> dict:
    """What staff see: the detail's bookings, offers and performance blocks."""
    data = ok(admin.get(f"{API}/admin/partners/{partner.pk}"))
    assert data["partner"]["acceptance_rate"] == data["performance"]["acceptance_rate"]
    return {
        "jobs": (data["bookings"]["total"], data["bookings"]["completed"], data["bookings"]["cancelled"]),
        "offers": (data["offers"]["accepted"], data["offers"]["rejected"], data["offers"]["expired"]),
        "acceptance_rate": data["performance"]["acceptance_rate"],
        "cancellation_rate": data["performance"]["cancellation_rate"],
    }


def offered(partner, hour: int = 10, customer=None):
    booking = h.booking(customer, start=h.next_weekday_at(hour))
    offer = dispatch.dispatch_booking(booking.pk)
    assert offer is not None
    assert offer.partner_id == partner.pk
    return booking, offer


def partner_post(partner, booking, action: str, body=None):
    return client_for(partner.user).post(f"{API}/partner/bookings/{booking.pk}/{action}", body or {}, format="json")


# --- offers are not jobs ---------------------------------------------------------------------------


def test_a_new_partner_has_no_jobs_and_a_full_acceptance_rate(admin):
    partner = h.partner()

    assert figures(admin, partner) == {
        "jobs": (0, 0, 0),
        "offers": (0, 0, 0),
        "acceptance_rate": 100.0,
        "cancellation_rate": 0.0,
    }


def test_declining_an_offer_leaves_the_job_figures_alone_and_lowers_the_acceptance_rate(admin):
    partner = h.partner()
    taken, _ = offered(partner, 9)
    ok(partner_post(partner, taken, "accept"))
    assert figures(admin, partner)["jobs"] == (1, 0, 0)
    declined, _ = offered(partner, 12)

    ok(partner_post(partner, declined, "reject", {"reason": "too far"}))

    assert figures(admin, partner) == {
        "jobs": (1, 0, 0),
        "offers": (1, 1, 0),
        "acceptance_rate": 50.0,
        "cancellation_rate": 0.0,
    }


def test_letting_an_offer_expire_counts_as_an_answer_not_a_cancelled_job(admin):
    partner = h.partner()
    _, offer = offered(partner)
    PartnerAssignment.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert dispatch.offer_expire(offer.pk)

    assert figures(admin, partner) == {
        "jobs": (0, 0, 0),
        "offers": (0, 0, 1),
        "acceptance_rate": 0.0,
        "cancellation_rate": 0.0,
    }


def test_an_offer_withdrawn_before_an_answer_counts_nowhere(admin, customer):
    partner = h.partner()
    booking, _ = offered(partner, customer=customer)

    lifecycle.booking_cancel(user=customer, booking_id=booking.pk, reason="changed my mind")

    assert figures(admin, partner)["jobs"] == (0, 0, 0)
    assert figures(admin, partner)["offers"] == (0, 0, 0)
    assert figures(admin, partner)["acceptance_rate"] == 100.0


# --- jobs ------------------------------------------------------------------------------------------


def test_accepting_and_completing_an_offer_counts_one_job(admin, django_capture_on_commit_callbacks):
    partner = h.partner()
    booking, _ = offered(partner)
    client = client_for(partner.user)
    ok(partner_post(partner, booking, "accept"))
    for step in ("in_transit", "arrived"):
        ok(client.patch(f"{API}/partner/bookings/{booking.pk}/status", {"status": step}, format="json"))

    with django_capture_on_commit_callbacks(execute=True):
        ok(partner_post(partner, booking, "complete"))

    assert figures(admin, partner) == {
        "jobs": (1, 1, 0),
        "offers": (1, 0, 0),
        "acceptance_rate": 100.0,
        "cancellation_rate": 0.0,
    }
    dashboard = ok(client_for(partner.user).get(f"{API}/partner/dashboard"))["stats"]
    assert (dashboard["total_bookings"], dashboard["completed_bookings"]) == (1, 1)


def test_a_staff_assignment_is_a_job_but_not_an_answered_offer(admin, customer):
    partner = h.partner()
    booking = h.booking(customer)
    ops = client_for(make_user(Role.OPS_MANAGER))

    ok(ops.post(f"{API}/admin/bookings/{booking.pk}/assign-partner", {"partner_id": str(partner.pk)}, format="json"))

    assert figures(admin, partner) == {
        "jobs": (1, 0, 0),
        "offers": (0, 0, 0),
        "acceptance_rate": 100.0,
        "cancellation_rate": 0.0,
    }


def test_a_job_cancelled_after_acceptance_or_taken_away_by_staff_is_a_cancelled_job(admin, customer):
    partner, replacement = h.partner(at=h.NEAR), h.partner(at=h.MID)
    cancelled, _ = offered(partner, 9, customer=customer)
    ok(partner_post(partner, cancelled, "accept"))
    moved, _ = offered(partner, 13)
    ok(partner_post(partner, moved, "accept"))

    lifecycle.booking_cancel(user=customer, booking_id=cancelled.pk, reason="plans changed")
    ops = client_for(make_user(Role.OPS_MANAGER))
    body = {"partner_id": str(replacement.pk)}
    ok(ops.post(f"{API}/admin/bookings/{moved.pk}/assign-partner", body, format="json"))

    assert figures(admin, partner) == {
        "jobs": (2, 0, 2),
        "offers": (2, 0, 0),
        "acceptance_rate": 100.0,
        "cancellation_rate": 100.0,
    }
    assert figures(admin, replacement)["jobs"] == (1, 0, 0)


def test_a_rescheduled_job_is_given_back_not_cancelled_and_counted_once_when_taken_again(admin, customer):
    partner = h.partner()
    booking, _ = offered(partner, 14, customer=customer)
    ok(partner_post(partner, booking, "accept"))
    new_day = (booking.scheduled_start + timedelta(days=1)).date()

    lifecycle.booking_reschedule(user=customer, booking_id=booking.pk, new_date=new_day, new_time="16:00")

    assert figures(admin, partner)["jobs"] == (0, 0, 0)
    assert dispatch.dispatch_booking(booking.pk).partner_id == partner.pk  # asked first again
    ok(partner_post(partner, booking, "accept"))
    assert figures(admin, partner)["jobs"] == (1, 0, 0)
    assert figures(admin, partner)["offers"] == (2, 0, 0)


# --- ranking ---------------------------------------------------------------------------------------


def test_the_dispatch_score_ranks_by_acceptance_rate_not_by_cancelled_jobs(settings, api_client):
    settings.INTERNAL_API_TOKEN = "svc-token"
    # Same place, same rating, same load: only their figures differ. The choosy partner comes first in code order
    # and has never had a job cancelled; the reliable one has, but accepts nine offers in ten.
    choosy = h.partner(at=h.NEAR, offers_accepted=1, offers_rejected=4, acceptance_rate=Decimal("20.00"))
    reliable = h.partner(
        at=h.NEAR,
        offers_accepted=9,
        offers_expired=1,
        acceptance_rate=Decimal("90.00"),
        total_bookings=10,
        cancelled_bookings=5,
        cancellation_rate=Decimal("50.00"),
    )
    assert choosy.partner_code < reliable.partner_code
    booking = h.booking()

    url = f"{API}/internal/bookings/{booking.pk}/assign-partner"

    data = ok(api_client.post(url, {}, format="json", HTTP_AUTHORIZATION="Bearer svc-token"))

    assignment = data["assignment"]
    assert assignment["partner_id"] == str(reliable.pk)
    assert assignment["score_parts"]["acceptance_rate"] == 90.0
    assert assignment["score_parts"]["reliability"] == 0.9
    assert assignment["score_parts"]["cancellation_rate"] == 50.0  # shown to staff, no longer scored


def test_the_reliability_weight_stays_configurable(settings):
    settings.DISPATCH_WEIGHTS = {"distance": 0.0, "rating": 0.0, "load": 0.0, "cancellation": 1.0}
    h.partner(at=h.NEAR, offers_rejected=1, acceptance_rate=Decimal("0.00"))
    fresh = h.partner(at=h.FAR, radius=50)

    offer = dispatch.dispatch_booking(h.booking().pk)

    assert offer.partner_id == fresh.pk  # only reliability counts: the far partner who never declined wins
    assert float(offer.score) == 1.0


# --- the data migration ----------------------------------------------------------------------------


def test_migration_0003_recomputes_old_offer_counted_figures_from_the_assignments(customer):
    migration = importlib.import_module("partners.migrations.0003_partner_offer_figures")
    partner, other, idle = h.partner(at=h.NEAR), h.partner(at=h.MID), h.partner(at=h.FAR)  # idle: out of reach
    rejected, _ = offered(partner, 8)
    dispatch.offer_reject(partner=partner, booking_id=rejected.pk)  # then offered to `other`, who accepts
    dispatch.offer_accept(partner=other, booking_id=rejected.pk)
    lapsed_booking, lapsed = offered(partner, 10)
    PartnerAssignment.objects.filter(pk=lapsed.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    dispatch.offer_expire(lapsed.pk)
    dispatch.offer_accept(partner=other, booking_id=lapsed_booking.pk)
    kept, _ = offered(partner, 12)
    dispatch.offer_accept(partner=partner, booking_id=kept.pk)
    dropped, _ = offered(partner, 14, customer=customer)
    dispatch.offer_accept(partner=partner, booking_id=dropped.pk)
    lifecycle.booking_cancel(user=customer, booking_id=dropped.pk)
    staff_job = h.booking(start=h.next_weekday_at(16))
    manual.assign_manually(booking_id=staff_job.pk, partner_id=partner.pk, by=make_user(Role.OPS_MANAGER))
    expected = {
        p.pk: Partner.objects.values(*migration.FIELDS).get(pk=p.pk) for p in (partner, other, idle)
    }  # what the live counters say
    Partner.objects.update(  # the old, offer-counted numbers
        total_bookings=7, cancelled_bookings=3, cancellation_rate=Decimal("42.86"), acceptance_rate=Decimal("100")
    )

    migration.recompute(apps, None)

    for p, figures_now in expected.items():
        assert Partner.objects.values(*migration.FIELDS).get(pk=p) == figures_now
    assert expected[partner.pk] == {
        "total_bookings": 3,  # kept, dropped, staff_job
        "cancelled_bookings": 1,
        "cancellation_rate": Decimal("33.33"),
        "offers_accepted": 2,
        "offers_rejected": 1,
        "offers_expired": 1,
        "acceptance_rate": Decimal("50.00"),
    }
    assert expected[idle.pk]["acceptance_rate"] == Decimal("100.00")
