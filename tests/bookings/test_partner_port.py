"""Bookings reaches partners through one typed port (bookings.hooks.PartnerPort), registered by the partners app."""

from datetime import date, time

import pytest

from bookings import hooks
from partners.port import BookingPartners


@pytest.fixture
def no_partners_app():
    registered = hooks.partners()
    hooks.unregister()
    yield
    hooks.register(registered)


def test_the_partners_app_registers_its_side_of_the_port_when_it_starts():
    assert isinstance(hooks.partners(), BookingPartners)
    assert not getattr(BookingPartners, "__abstractmethods__", None)  # every question and event is answered


def test_a_port_that_misses_a_method_cannot_be_registered():
    class Partial(hooks.PartnerPort):
        def assignment_requested(self, *, booking_id):
            return None

    with pytest.raises(TypeError, match="abstract"):
        Partial()


def test_without_a_partners_app_every_slot_stands_and_no_booking_shows_a_partner(no_partners_app):
    request = hooks.SlotRequest(category_ids=frozenset({1}), tiers=frozenset({"Minimal"}), duration_minutes=60)
    slots = [time(10), time(11)]

    assert hooks.filter_slots(date(2026, 12, 1), slots, request) == slots
    assert hooks.partner_of(object()) is None
    assert hooks.assigned_users(object()) == []
    hooks.partners().assignment_requested(booking_id="nothing-reacts")
