"""The notification catalogue is filled by the apps that send the events; notifications declares only its own."""

from __future__ import annotations

import pytest

from bookings import notifications as booking_notifications
from notifications import catalogue
from notifications.catalogue import CUSTOMER, EventType
from notifications.models import Channel
from orders import notifications as order_notifications
from partners import notifications as partner_notifications
from societies import notifications as society_notifications

BOOKING_EVENTS = {
    "booking_created",
    "partner_assigned",
    "booking_confirmed",
    "partner_on_the_way",
    "partner_arrived",
    "booking_completed",
    "booking_cancelled",
    "payment_succeeded",
    "payment_failed",
    "refund_processed",
    "appointment_reminder",
    "appointment_booked",
    "appointment_confirmed",
    "appointment_cancelled",
    "appointment_rescheduled",
    "payment_link",
    "signature_request",
    "signatures_expired",
    "dispute_opened",
    "dispute_update",
    "dispute_message",
}
PARTNER_EVENTS = {
    "job_offered",
    "offer_expired",
    "payout_processed",
    "bonus_alert",
    "booking_needs_partner",
    "vendor_verified",
    "vendor_rejected",
}
SOCIETY_EVENTS = {"residence_verified", "residence_rejected", "vendor_society_approved", "vendor_society_rejected"}
ORDER_EVENTS = {
    "society_order_received",
    "society_order_placed",
    "society_order_pickup_reminder",
    "society_order_cancelled",
    "society_order_count_updated",
    "society_order_count_questioned",
    "society_order_count_approved",
    "society_order_step_completed",
    "society_order_delivered",
    "society_order_payment_marked",
    "society_order_closed",
    "society_order_disputed",
    "society_order_dispute_resolved",
}


def test_each_app_registers_its_own_events_and_notifications_only_the_generic_ones():
    assert {spec.key for spec in booking_notifications.EVENTS} == BOOKING_EVENTS
    assert {spec.key for spec in partner_notifications.EVENTS} == PARTNER_EVENTS
    assert {spec.key for spec in society_notifications.EVENTS} == SOCIETY_EVENTS
    assert {spec.key for spec in order_notifications.EVENTS} == ORDER_EVENTS
    assert {spec.key for spec in catalogue.GENERIC_EVENTS} == {"promotion", "otp"}
    everything = BOOKING_EVENTS | PARTNER_EVENTS | SOCIETY_EVENTS | ORDER_EVENTS | {"promotion", "otp"}
    assert set(catalogue.EVENTS) == everything


def test_categories_cover_the_events_registered_for_them():
    assert catalogue.events_in("booking_confirmations") == ["booking_confirmed", "appointment_confirmed"]
    assert catalogue.events_in("reminders") == ["appointment_reminder", "society_order_pickup_reminder"]
    assert catalogue.events_in("promotions") == ["promotion"]
    assert catalogue.events_in("messages") == ["society_order_count_questioned"]


@pytest.fixture
def empty_catalogue(monkeypatch):
    monkeypatch.setattr(catalogue, "EVENTS", {})
    return catalogue.EVENTS


def test_register_event_refuses_an_unknown_category(empty_catalogue):
    chat = EventType("chat", (CUSTOMER,), (Channel.PUSH,), "Chat", "{text}", category="chats")

    with pytest.raises(ValueError, match="category that is not registered"):
        catalogue.register_event(chat)

    assert empty_catalogue == {}


def test_register_event_refuses_a_key_twice(empty_catalogue):
    chat = EventType("chat", (CUSTOMER,), (Channel.PUSH,), "Chat", "{text}", category="messages")
    catalogue.register_event(chat)

    with pytest.raises(ValueError, match="already registered"):
        catalogue.register_event(EventType("chat", (CUSTOMER,), (Channel.SMS,), "Chat", "{text}"))

    assert catalogue.event("chat") is chat
