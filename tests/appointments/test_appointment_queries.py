"""Free slots read in a fixed number of queries (``partners.selectors.agenda.free_slots_of``): 1 provider or 20,
1 day or 31, with time off and appointments in the way; and the demo clinic those slots are read from."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookings.models import PaymentMode
from partners.models import Partner, PartnerKind, PartnerTimeOff
from partners.selectors import agenda
from partners.services.appointments import AppointmentRequest, appointment_create
from tests.appointments import builders

pytestmark = pytest.mark.django_db


def busy(provider: Partner) -> None:
    """An appointment tomorrow at 10:00 and two hours off the day after: rows for each query to read."""
    appointment_create(
        customer=builders.patient(),
        request=AppointmentRequest(
            provider_id=provider.pk, start=builders.slot(provider, hour=10), payment_method=PaymentMode.CASH
        ),
    )
    off = builders.slot(provider, days=2, hour=13)
    PartnerTimeOff.objects.create(partner=provider, starts_at=off, ends_at=off + timedelta(hours=2))


def queries_for(providers: list[Partner], days: int) -> tuple[int, dict]:
    first = builders.slot(providers[0]).date()
    with CaptureQueriesContext(connection) as queries:
        free = agenda.free_slots_of(providers, first_day=first, last_day=first + timedelta(days=days - 1))
    return len(queries), free


def test_free_slots_take_the_same_queries_for_1_provider_and_20():
    providers = [builders.clinician() for _ in range(20)]
    for provider in providers:
        busy(provider)

    one, _ = queries_for(providers[:1], 1)
    twenty, free = queries_for(providers, 1)

    assert one == twenty  # rules, time off, busy time: one query each
    assert all(builders.slot(p, hour=10) not in free[p.pk] for p in providers)
    assert all(builders.slot(p, hour=11) in free[p.pk] for p in providers)


def test_free_slots_take_the_same_queries_for_1_day_and_31():
    provider = builders.clinician()
    busy(provider)

    one, _ = queries_for([provider], 1)
    month, free = queries_for([provider], 31)

    assert one == month
    assert builders.slot(provider, days=2, hour=13) not in free[provider.pk]
    assert builders.slot(provider, days=30, hour=13) in free[provider.pk]


def test_the_demo_clinic_offers_tomorrow_every_hour_from_9_to_17_and_is_loaded_once():
    from accounts.demo import seed as seed_accounts
    from partners.demo_appointments import SPECIALIST
    from partners.demo_appointments import seed as seed_clinic

    seed_accounts(io.StringIO())
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):  # seed_demo commits: the payments reach the bookings
        seed_clinic(out)
    seed_clinic(io.StringIO())  # idempotent

    clinicians = list(Partner.objects.filter(kind=PartnerKind.CLINICIAN, primary_centre__name="Mibo Indiranagar"))
    assert len(clinicians) == 2
    zone = ZoneInfo("Asia/Kolkata")
    tomorrow = timezone.now().astimezone(zone).date() + timedelta(days=1)
    free = agenda.free_slots_of(clinicians, first_day=tomorrow, last_day=tomorrow)
    for clinician in clinicians:
        assert [s.astimezone(zone).hour for s in free[clinician.pk]] == list(range(9, 18))
    expert = Partner.objects.get(user__phone=SPECIALIST[0])
    assert (expert.kind, expert.deposit_amount, expert.business_name) == ("specialist", 200, SPECIALIST[3])
    assert "+919900000404" in out.getvalue()  # the front desk's phone is printed
    from bookings.models import Booking, LoyaltyAccount, Review

    # Three past sessions, written through the services with the clock set back, each reviewed once.
    reviews = Review.objects.filter(partner=expert).select_related("booking").order_by("created_at")
    assert [r.rating for r in reviews] == [5, 4, 5]
    assert all(r.booking.status == "completed" and r.booking.scheduled_start < timezone.now() for r in reviews)
    assert all(r.created_at > r.booking.scheduled_end for r in reviews)
    expert.refresh_from_db()
    assert (expert.rating_count, expert.rating, expert.completed_bookings) == (3, Decimal("4.67"), 3)
    assert Booking.objects.filter(requested_partner=expert, payment_status="paid").count() == 3  # cash at the end
    # The demo customer: 150 welcome points, 150 for the ₹1500 session, 10 for the review; given once.
    account = LoyaltyAccount.objects.get(user__phone="+919900000001")
    assert (account.balance, account.transactions.count()) == (310, 3)
    assert "310 loyalty points" in out.getvalue()
