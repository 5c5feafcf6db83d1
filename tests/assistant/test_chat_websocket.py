"""ws/chat/{user_id}/{role}/: a chat_message gets the assistant's chat_response; only the person in a role they hold."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections

from accounts.roles import Role
from accounts.services.tokens import tokens_issue
from config.asgi import application
from partners.models import AssignmentStatus
from tests.assistant import helpers as h
from tests.conftest import make_user
from tests.partners.helpers import partner

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
async def thread_connections():
    yield
    await sync_to_async(connections.close_all)()


async def _open(user, path_user, role):
    token = (await sync_to_async(tokens_issue)(user=user))["access_token"]
    communicator = WebsocketCommunicator(application, f"/ws/chat/{path_user.pk}/{role}/?token={token}")
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    return communicator


async def _closed_with(communicator):
    frame = await communicator.receive_json_from(timeout=5)
    output = await communicator.receive_output(timeout=5)
    await communicator.disconnect()
    return frame, output.get("code")


async def test_a_chat_message_gets_my_pending_jobs():
    me = await sync_to_async(partner)()
    offer = await sync_to_async(h.job)(me, days=1, status=AssignmentStatus.ASSIGNED)
    await sync_to_async(h.job)(await sync_to_async(partner)(), days=1)
    communicator = await _open(me.user, me.user, "vendor")

    await communicator.send_json_to({"type": "chat_message", "message": "What are my pending jobs?"})
    answer = await communicator.receive_json_from(timeout=5)

    assert answer["type"] == "chat_response"
    assert answer["data"]["intent"] == "pending_jobs"
    assert answer["data"]["message"].startswith("You have 1 pending job:")
    assert offer.booking.booking_number in answer["data"]["message"]
    assert [j["booking_number"] for j in answer["data"]["data"]["jobs"]] == [offer.booking.booking_number]
    assert answer["data"]["timestamp"].endswith("Z")
    await communicator.disconnect()


async def test_a_customer_tracks_their_bookings_and_a_bad_frame_keeps_the_socket():
    me = await sync_to_async(make_user)(Role.CUSTOMER)
    mine = await sync_to_async(h.booking)(me)
    communicator = await _open(me, me, "customer")

    await communicator.send_json_to({"type": "chat_message", "message": ""})
    assert (await communicator.receive_json_from(timeout=5))["error"]["code"] == "VALIDATION_ERROR"
    await communicator.send_json_to({"type": "chat_message", "message": "Track my bookings"})
    answer = await communicator.receive_json_from(timeout=5)

    assert answer["data"]["intent"] == "track_bookings"
    assert mine.booking_number in answer["data"]["message"]
    await communicator.disconnect()


async def test_another_persons_channel_closes_with_4403():
    me, other = await sync_to_async(make_user)(Role.CUSTOMER), await sync_to_async(make_user)(Role.CUSTOMER)

    frame, code = await _closed_with(await _open(me, other, "customer"))

    assert (frame["error"]["code"], code) == ("FORBIDDEN", 4403)


async def test_a_role_i_do_not_hold_closes_with_4403_and_an_unknown_one_with_4400():
    me = await sync_to_async(make_user)(Role.CUSTOMER)

    frame, code = await _closed_with(await _open(me, me, "partner"))
    assert (frame["error"]["code"], code) == ("FORBIDDEN", 4403)
    frame, code = await _closed_with(await _open(me, me, "wizard"))
    assert (frame["error"]["code"], code) == ("VALIDATION_ERROR", 4400)


async def test_without_a_token_the_socket_closes_with_4401():
    me = await sync_to_async(make_user)(Role.CUSTOMER)
    communicator = WebsocketCommunicator(application, f"/ws/chat/{me.pk}/customer/")
    connected, _ = await communicator.connect(timeout=5)
    assert connected

    frame, code = await _closed_with(communicator)

    assert (frame["error"]["code"], code) == ("UNAUTHORIZED", 4401)
