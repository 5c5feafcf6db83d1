"""ws/orders/{order_id}/: who may follow an order live, and what they hear after a status change commits."""

from __future__ import annotations

from contextlib import suppress

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections, transaction

from accounts.roles import Role
from accounts.services.tokens import tokens_issue
from config.asgi import application
from orders.models import Order, OrderStatus
from orders.services import status
from tests.conftest import make_user
from tests.orders.builders import answer, seed_count, seed_order
from tests.orders.helpers import neighbourhood, placed
from tests.societies.helpers import apartment, society_admin

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def thread_connections():
    """The async tests reach the database from the sync_to_async thread: close its connection afterwards."""
    yield
    await sync_to_async(connections.close_all)()


@pytest.fixture
def order():
    society, resident, partner = neighbourhood()
    return placed(society, resident, partner)


async def connect(order_id, user=None, token=None):
    if user is not None:
        token = (await sync_to_async(tokens_issue)(user=user))["access_token"]
    path = f"/ws/orders/{order_id}/" + (f"?token={token}" if token else "")
    communicator = WebsocketCommunicator(application, path)
    connected, _ = await communicator.connect(timeout=5)
    return communicator, connected


async def closed_with(communicator):
    frame = await communicator.receive_json_from(timeout=5)  # the error frame
    output = await communicator.receive_output(timeout=5)
    await communicator.disconnect()  # as a server does once the consumer closed: the consumer ends
    return frame["error"]["code"], output.get("code")


async def pong(communicator) -> bool:
    await communicator.send_json_to({"type": "ping"})
    return (await communicator.receive_json_from(timeout=5))["type"] == "pong"


async def heard_until(communicator, event_type: str, most: int = 5) -> dict:
    """The first ``event_type`` message, skipping the others the order's group heard before it."""
    for _ in range(most):
        message = await communicator.receive_json_from(timeout=10)
        if message["type"] == event_type:
            return message
    raise AssertionError(f"no {event_type} in the first {most} messages")


def cancel(order_id):
    """A status change as the services make it: order_move on the locked order, the event after commit."""
    with transaction.atomic():
        locked = status.lock_order(order_id)
        status.order_move(locked, OrderStatus.CANCELLED, message="Cancelled by the resident")


@pytest.mark.usefixtures("thread_connections")
async def test_the_resident_hears_a_status_change_once_it_commits(order):
    resident = await sync_to_async(lambda: order.residence.user)()
    communicator, connected = await connect(order.pk, user=resident)
    assert connected
    assert await pong(communicator)

    await sync_to_async(cancel)(order.pk)
    message = await communicator.receive_json_from(timeout=10)

    assert message["type"] == "order_status_change"
    assert message["data"]["order_id"] == str(order.pk)
    assert message["data"]["order_number"] == order.order_number
    assert (message["data"]["old_status"], message["data"]["new_status"]) == ("PICKUP_SCHEDULED", "CANCELLED")
    await communicator.disconnect()


@pytest.mark.usefixtures("thread_connections")
async def test_nothing_is_heard_of_a_change_rolled_back(order):
    resident = await sync_to_async(lambda: order.residence.user)()
    communicator, _ = await connect(order.pk, user=resident)

    def cancel_then_fail():
        with suppress(RuntimeError), transaction.atomic():
            status.order_move(status.lock_order(order.pk), OrderStatus.CANCELLED, message="x")
            raise RuntimeError("rolled back")
        return Order.objects.get(pk=order.pk).status

    assert await sync_to_async(cancel_then_fail)() == OrderStatus.PICKUP_SCHEDULED
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


@pytest.mark.usefixtures("thread_connections")
async def test_the_vendor_the_society_admin_and_staff_may_join(order):
    vendor = await sync_to_async(lambda: order.partner.user)()
    admin = await sync_to_async(society_admin)(order.society)
    support = await sync_to_async(make_user)(Role.SUPPORT)

    for person in (vendor, admin, support):
        communicator, connected = await connect(order.pk, user=person)
        assert connected
        assert await pong(communicator), person
        await communicator.disconnect()


@pytest.mark.usefixtures("thread_connections")
async def test_the_vendor_hears_the_change_too(order):
    vendor = await sync_to_async(lambda: order.partner.user)()
    communicator, _ = await connect(order.pk, user=vendor)
    assert await pong(communicator)

    await sync_to_async(cancel)(order.pk)

    assert (await communicator.receive_json_from(timeout=10))["data"]["new_status"] == "CANCELLED"
    await communicator.disconnect()


@pytest.mark.usefixtures("thread_connections")
async def test_strangers_are_refused_with_4403(order):
    stranger = await sync_to_async(make_user)(Role.CUSTOMER)
    other_admin = await sync_to_async(lambda: society_admin(apartment(towers=1, floors=1, flats=1)))()
    _, neighbour, other_vendor = await sync_to_async(neighbourhood)()

    for person in (stranger, other_admin, neighbour, other_vendor.user):
        communicator, _ = await connect(order.pk, user=person)
        assert await closed_with(communicator) == ("FORBIDDEN", 4403), person


@pytest.mark.usefixtures("thread_connections")
async def test_an_unknown_order_is_refused_like_a_strangers(order):
    resident = await sync_to_async(lambda: order.residence.user)()
    communicator, _ = await connect("00000000-0000-0000-0000-000000000000", user=resident)

    assert await closed_with(communicator) == ("FORBIDDEN", 4403)


@pytest.mark.usefixtures("thread_connections")
async def test_no_token_or_a_bad_one_closes_with_4401(order):
    anonymous, _ = await connect(order.pk)
    garbage, _ = await connect(order.pk, token="not-a-jwt")

    assert await closed_with(anonymous) == ("UNAUTHORIZED", 4401)
    assert await closed_with(garbage) == ("UNAUTHORIZED", 4401)


@pytest.mark.usefixtures("thread_connections")
async def test_the_resident_hears_the_count_and_the_vendor_hears_the_question():
    world = await sync_to_async(seed_order)()
    resident, _ = await connect(world.order.pk, user=world.resident)
    vendor, _ = await connect(world.order.pk, user=await sync_to_async(lambda: world.vendor.user)())
    assert await pong(resident)
    assert await pong(vendor)

    assert (await sync_to_async(seed_count)(world)).status_code == 200
    updated = await heard_until(resident, "count_updated")

    assert updated["data"]["order_id"] == str(world.order.pk)
    assert updated["data"]["status"] == "PENDING"
    assert updated["data"]["count_comparison"]["updated"] == {"total_items": 13, "total_amount": 355.0}

    question = "I don't think there are that many shirts"
    assert (await sync_to_async(answer)(world, "QUESTION", message=question)).status_code == 200
    questioned = await heard_until(vendor, "count_questioned")

    assert questioned["data"]["order_id"] == str(world.order.pk)
    assert (questioned["data"]["status"], questioned["data"]["message"]) == ("COUNT_APPROVAL_PENDING", question)
    await resident.disconnect()
    await vendor.disconnect()
