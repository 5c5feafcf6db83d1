"""Seed 004's ``/users/profile`` shows ``loyalty_points`` and ``total_bookings``, which the bookings app owns and
registers as profile sections (accounts imports no app above it)."""

from __future__ import annotations

import pytest
from django.db import transaction

from accounts.roles import Role
from bookings.models import Booking, BookingStatus
from bookings.services.loyalty import loyalty_adjust
from partners.services.appointments import AppointmentRequest, appointment_create
from tests.appointments import builders
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


def test_the_profile_shows_the_loyalty_balance_and_the_bookings_made():
    person = builders.patient()
    profile = client_for(person).get("/api/v1/users/profile").json()["data"]
    assert (profile["loyalty_points"], profile["total_bookings"]) == (0, 0)

    expert = builders.specialist()
    kept = appointment_create(
        customer=person, request=AppointmentRequest(provider_id=expert.pk, start=builders.slot(expert, days=2))
    )
    lapsed = appointment_create(
        customer=person, request=AppointmentRequest(provider_id=expert.pk, start=builders.slot(expert, days=3))
    )
    Booking.objects.filter(pk=lapsed.pk).update(status=BookingStatus.EXPIRED)
    with transaction.atomic():
        loyalty_adjust(user_id=person.pk, points=120, reason="welcome", actor=make_user(Role.ADMIN))

    profile = client_for(person).get("/api/v1/users/profile").json()["data"]
    assert (profile["loyalty_points"], profile["total_bookings"]) == (120, 1)
    assert kept.user_id == person.pk
