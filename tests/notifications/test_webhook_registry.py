"""Outbound webhook event names are registered by the app that emits them; notifications names none."""

from __future__ import annotations

import pytest

from notifications import webhooks

# bookings emits these (partner.* too: a partner's offer and acceptance are booking transitions).
BOOKING_WEBHOOK_EVENTS = [
    "booking.created",
    "booking.confirmed",
    "booking.cancelled",
    "partner.assigned",
    "partner.accepted",
    "booking.completed",
]


def test_bookings_registers_the_events_it_emits_in_order():
    assert webhooks.EVENTS == BOOKING_WEBHOOK_EVENTS


@pytest.fixture
def empty_registry(monkeypatch):
    monkeypatch.setattr(webhooks, "EVENTS", [])
    return webhooks.EVENTS


def test_register_events_refuses_a_name_twice_and_a_malformed_name(empty_registry):
    webhooks.register_events("order.created")

    with pytest.raises(ValueError, match="already registered"):
        webhooks.register_events("order.created")
    with pytest.raises(ValueError, match=r"resource\.action"):
        webhooks.register_events("OrderCreated")

    assert empty_registry == ["order.created"]


def test_only_registered_names_may_be_emitted_or_subscribed_to(empty_registry):
    from core.errors import DomainError

    webhooks.register_events("order.created")

    assert webhooks.check_events(["order.created"]) == ["order.created"]
    with pytest.raises(DomainError, match=r"Unknown events: booking\.created"):
        webhooks.check_events(["booking.created"])
    with pytest.raises(ValueError, match="Unknown webhook event"):
        webhooks.emit("booking.created", {})
