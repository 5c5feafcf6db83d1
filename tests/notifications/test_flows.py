"""The booking flow tells each person what concerns them: inbox entries and live events."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections

from accounts.roles import Role
from accounts.services.addresses import address_create
from accounts.services.tokens import tokens_issue
from config.asgi import application
from notifications.models import Notification
from partners.services.dispatch import dispatch_booking, offer_accept
from payments.gateways import get_gateway
from tests.conftest import client_for, make_user
from tests.partners import helpers
from tests.partners.test_checkout_dispatch import confirm, prepare


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


def _checkout_online() -> tuple:
    """A customer books online through checkout (a partner nearby); the booking waits for its payment."""
    shopper = make_user(Role.CUSTOMER, full_name="Sia Shopper")
    address = address_create(
        user=shopper,
        data={"name": "Home", "address_line1": "Sector V", "city": "Kolkata", "state": "West Bengal",
              "pincode": helpers.PINCODE, "lat": float(helpers.HOME[0]), "lng": float(helpers.HOME[1])},
    )  # fmt: skip
    partner = helpers.partner()
    preview = prepare(shopper, address, helpers.service())
    response = confirm(shopper, preview, address, preview["available_time_slots"][0], method="online")
    assert response.status_code == 201, response.json()
    return shopper, partner, response.json()["data"]


def _pay(shopper, order_id: str) -> dict:
    """The customer pays at the (offline test) gateway and the app verifies the payment, as the app does."""
    paid = get_gateway().simulate_checkout(order_id, succeed=True)
    paid.pop("status")
    response = client_for(shopper).post("/api/v1/payments/verify", paid, format="json")
    assert response.status_code == 200, response.json()
    return response.json()["data"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("thread_connections")
async def test_the_customer_gets_seed_004_status_and_payment_events_on_their_own_channel(celery_eager):
    shopper, partner, checkout = await sync_to_async(_checkout_online)()
    booking_id = checkout["booking"]["id"]
    token = (await sync_to_async(tokens_issue)(user=shopper))["access_token"]
    communicator = WebsocketCommunicator(application, f"/ws/notifications/{shopper.pk}/?token={token}")
    assert (await communicator.connect(timeout=5))[0]

    # paid online: payments tells the booking, which is then offered to the partner (who accepts)
    verified = await sync_to_async(_pay)(shopper, checkout["payment"]["razorpay_order_id"])
    await sync_to_async(offer_accept)(partner=partner, booking_id=booking_id)
    frames = [await communicator.receive_json_from(timeout=5) for _ in range(6)]

    changes = [f["data"] for f in frames if f["type"] == "booking:status_changed"]
    assert [(c["old_status"], c["new_status"]) for c in changes] == [
        ("pending", "partner_assigned"),
        ("partner_assigned", "confirmed"),
    ]
    assert {c["booking_id"] for c in changes} == {booking_id}
    assert "updated_at" in changes[0]
    [payment] = [f["data"] for f in frames if f["type"] == "payment:status_changed"]
    assert payment == {
        "payment_id": verified["payment_id"],
        "booking_id": booking_id,
        "status": "success",
        "amount": f"{checkout['booking']['grand_total']:.2f}",
    }
    kinds = [f["data"]["type"] for f in frames if f["type"] == "notification:new"]
    assert kinds == ["payment_succeeded", "partner_assigned", "booking_confirmed"]
    await communicator.disconnect()
