"""The booking flow tells each person what concerns them: inbox entries and live events."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections

from accounts.services.tokens import tokens_issue
from config.asgi import application
from notifications.models import Notification
from partners.services.dispatch import dispatch_booking, offer_accept
from tests.partners import helpers


@pytest.fixture
async def thread_connections():
    yield
    await sync_to_async(connections.close_all)()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("thread_connections")
async def test_an_offered_partner_gets_booking_new_and_the_job_offer_notification_live():
    partner = await sync_to_async(helpers.partner)()
    booking = await sync_to_async(helpers.booking)()
    token = (await sync_to_async(tokens_issue)(user=partner.user))["access_token"]
    communicator = WebsocketCommunicator(application, f"/ws/notifications/{partner.user_id}/?token={token}")
    assert (await communicator.connect(timeout=5))[0]

    await sync_to_async(dispatch_booking)(booking.pk)
    frames = [await communicator.receive_json_from(timeout=5) for _ in range(2)]

    by_type = {frame["type"]: frame["data"] for frame in frames}
    assert by_type["booking:new"]["booking_id"] == str(booking.pk)
    assert by_type["notification:new"]["type"] == "job_offered"
    assert "Accept within 15 minutes" in by_type["notification:new"]["message"]
    await communicator.disconnect()


@pytest.mark.django_db
def test_offer_accept_and_cancel_tell_the_customer_and_the_partner(customer):
    partner = helpers.partner()
    booking = helpers.booking(customer)
    dispatch_booking(booking.pk)
    offer_accept(partner=partner, booking_id=booking.pk)

    from bookings.services.lifecycle import booking_cancel

    booking_cancel(user=customer, booking_id=booking.pk, reason="changed my mind")

    assert list(
        Notification.objects.filter(user=customer).order_by("created_at").values_list("event_type", flat=True)
    ) == [
        "partner_assigned",
        "booking_confirmed",
        "booking_cancelled",
    ]
    assert list(
        Notification.objects.filter(user=partner.user).order_by("created_at").values_list("event_type", flat=True)
    ) == ["job_offered", "booking_cancelled"]
    confirmed = Notification.objects.get(user=customer, event_type="booking_confirmed")
    assert partner.name in confirmed.message
    assert confirmed.data["booking_id"] == str(booking.pk)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("thread_connections")
async def test_the_customer_gets_seed_004_status_and_payment_events_on_their_own_channel():
    from decimal import Decimal

    from bookings.payable import BookingPayable
    from payments.registry import PaymentEvent

    partner = await sync_to_async(helpers.partner)()
    booking = await sync_to_async(helpers.booking)()
    token = (await sync_to_async(tokens_issue)(user=booking.user))["access_token"]
    communicator = WebsocketCommunicator(application, f"/ws/notifications/{booking.user_id}/?token={token}")
    assert (await communicator.connect(timeout=5))[0]

    await sync_to_async(dispatch_booking)(booking.pk)
    await sync_to_async(offer_accept)(partner=partner, booking_id=booking.pk)
    event = PaymentEvent(
        payable_type="booking",
        payable_id=str(booking.pk),
        payment_id="pay_123",
        kind="booking",
        old_status="created",
        new_status="success",
        amount=Decimal("1180.00"),
        amount_refunded=Decimal("0"),
    )
    await sync_to_async(BookingPayable().on_payment_event)(event)
    frames = [await communicator.receive_json_from(timeout=5) for _ in range(6)]

    changes = [f["data"] for f in frames if f["type"] == "booking:status_changed"]
    assert [(c["old_status"], c["new_status"]) for c in changes] == [
        ("pending", "partner_assigned"),
        ("partner_assigned", "confirmed"),
    ]
    assert changes[0]["booking_id"] == str(booking.pk)
    assert "updated_at" in changes[0]
    [payment] = [f["data"] for f in frames if f["type"] == "payment:status_changed"]
    assert payment == {"payment_id": "pay_123", "booking_id": str(booking.pk), "status": "success", "amount": "1180.00"}
    kinds = [f["data"]["type"] for f in frames if f["type"] == "notification:new"]
    assert kinds == ["partner_assigned", "booking_confirmed", "payment_succeeded"]
    await communicator.disconnect()
