"""Dispatch has a transition table now, and every dispatch status write goes through it."""

import pytest
from django.db import transaction

from core.errors import DomainError
from partners.models import DISPATCH_TRANSITIONS, Dispatch, DispatchStatus
from partners.services import dispatch
from partners.services.common import DISPATCH_STATES
from tests.partners import helpers as h

pytestmark = pytest.mark.django_db


def test_the_table_names_every_dispatch_status():
    assert set(DISPATCH_TRANSITIONS) == set(DispatchStatus.values)
    assert DISPATCH_TRANSITIONS[DispatchStatus.CLOSED] == set()


def test_a_cancelled_bookings_dispatch_is_closed_and_never_reopens():
    h.partner()
    booking = h.booking()
    dispatch.dispatch_booking(booking.pk)
    with transaction.atomic():
        dispatch.on_cancelled(booking.pk)
    row = Dispatch.objects.get(booking=booking)
    assert row.status == DispatchStatus.CLOSED

    with transaction.atomic(), pytest.raises(DomainError) as caught:
        DISPATCH_STATES.move(DISPATCH_STATES.lock(row.pk), DispatchStatus.SEARCHING)

    assert (caught.value.code.value, caught.value.context) == (
        "INVALID_DISPATCH_STATUS",
        {"status": "closed", "requested": "searching"},
    )


def test_the_next_offer_is_the_same_state_entered_again_with_its_count():
    h.partner(at=h.NEAR)
    h.partner(at=h.MID)
    booking = h.booking()
    offer = dispatch.dispatch_booking(booking.pk)
    assert Dispatch.objects.get(booking=booking).attempts == 1

    dispatch.offer_reject(partner=offer.partner, booking_id=booking.pk)

    row = Dispatch.objects.get(booking=booking)
    assert (row.status, row.attempts) == (DispatchStatus.OFFERED, 2)
