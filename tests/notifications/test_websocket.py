"""ws/notifications/{user_id}/: own channel only, distinct close codes, live pushes, replay with ?since=, heartbeats."""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections, transaction
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from accounts.roles import Role
from accounts.services.tokens import tokens_issue
from config.asgi import application
from notifications.services import notify
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)

CONTEXT = {"booking_number": "BK-7", "when": "Sat 21 Nov, 10:00 AM", "partner_name": "Asha"}


@pytest.fixture
async def thread_connections():
    yield
    await sync_to_async(connections.close_all)()


def _notify(user, event_type="partner_arrived"):
    with transaction.atomic():
        return notify(event_type, user=user, context=CONTEXT)


async def connect(path: str, headers=None):
    communicator = WebsocketCommunicator(application, path, headers=headers or [])
    connected, _ = await communicator.connect(timeout=5)
    return communicator, connected


async def token_for(user) -> str:
    return (await sync_to_async(tokens_issue)(user=user))["access_token"]


async def closed_with(communicator):
    frame = await communicator.receive_json_from(timeout=5)
    output = await communicator.receive_output(timeout=5)
    await communicator.disconnect()  # as a server does once the consumer closed: the consumer ends
    return frame, output.get("code")


@pytest.mark.usefixtures("thread_connections")
async def test_a_new_notification_reaches_its_owner_at_once():
    person = await sync_to_async(make_user)(Role.CUSTOMER)
    communicator, connected = await connect(f"/ws/notifications/{person.pk}/?token={await token_for(person)}")
    assert connected

    await sync_to_async(_notify)(person)
    message = await communicator.receive_json_from(timeout=5)

    assert message["type"] == "notification:new"
    assert message["data"]["type"] == "partner_arrived"
    assert message["data"]["message"] == "Asha has arrived for booking BK-7."
    await communicator.disconnect()


@pytest.mark.usefixtures("thread_connections")
async def test_the_token_may_come_in_the_authorization_header():
    person = await sync_to_async(make_user)(Role.PARTNER)
    token = await token_for(person)
    communicator, connected = await connect(
        f"/ws/notifications/{person.pk}/", headers=[(b"authorization", f"Bearer {token}".encode())]
    )

    assert connected
    await communicator.send_json_to({"type": "ping"})
    assert (await communicator.receive_json_from(timeout=5))["type"] == "pong"
    await communicator.disconnect()


@pytest.mark.usefixtures("thread_connections")
async def test_joining_another_persons_channel_closes_with_4403():
    me, other = await sync_to_async(make_user)(Role.CUSTOMER), await sync_to_async(make_user)(Role.CUSTOMER)
    communicator, _ = await connect(f"/ws/notifications/{other.pk}/?token={await token_for(me)}")

    frame, code = await closed_with(communicator)

    assert frame["error"]["code"] == "FORBIDDEN"
    assert code == 4403


@pytest.mark.usefixtures("thread_connections")
@pytest.mark.parametrize("token", ["none", "garbage", "expired"])
async def test_missing_bad_or_expired_tokens_close_with_4401(token):
    person = await sync_to_async(make_user)(Role.CUSTOMER)
    if token == "expired":
        access = AccessToken.for_user(person)
        access.set_exp(from_time=timezone.now() - timedelta(hours=1), lifetime=timedelta(minutes=1))
        query = f"?token={access}"
    else:
        query = "" if token == "none" else "?token=garbage"
    communicator, _ = await connect(f"/ws/notifications/{person.pk}/{query}")

    frame, code = await closed_with(communicator)

    assert frame["error"]["code"] == "UNAUTHORIZED"
    assert code == 4401


@pytest.mark.usefixtures("thread_connections")
async def test_reconnecting_with_since_first_receives_what_was_missed():
    person = await sync_to_async(make_user)(Role.CUSTOMER)
    await sync_to_async(_notify)(person, "booking_confirmed")
    since = timezone.now()
    await sync_to_async(_notify)(person, "partner_on_the_way")
    await sync_to_async(_notify)(person, "partner_arrived")

    stamp = since.isoformat().replace("+00:00", "Z")
    communicator, _ = await connect(f"/ws/notifications/{person.pk}/?token={await token_for(person)}&since={stamp}")
    first = await communicator.receive_json_from(timeout=5)
    second = await communicator.receive_json_from(timeout=5)

    assert [first["data"]["type"], second["data"]["type"]] == ["partner_on_the_way", "partner_arrived"]
    assert first["replayed"] is True
    # the consumer answers a ping only once connecting (the replay) is done: nothing more was replayed
    await communicator.send_json_to({"type": "ping"})
    assert (await communicator.receive_json_from(timeout=5))["type"] == "pong"
    await communicator.disconnect()


@pytest.mark.usefixtures("thread_connections")
async def test_a_bad_since_gets_an_error_frame_and_the_connection_stays():
    person = await sync_to_async(make_user)(Role.CUSTOMER)
    communicator, connected = await connect(
        f"/ws/notifications/{person.pk}/?token={await token_for(person)}&since=yesterday"
    )

    frame = await communicator.receive_json_from(timeout=5)
    await communicator.send_json_to({"type": "ping"})

    assert connected
    assert frame["error"]["code"] == "VALIDATION_ERROR"
    assert (await communicator.receive_json_from(timeout=5))["type"] == "pong"
    await communicator.disconnect()


@pytest.mark.usefixtures("thread_connections")
@pytest.mark.parametrize("frame", ["not json", "[1]", '{"type": "subscribe"}'])
async def test_malformed_messages_get_an_error_frame_and_the_connection_stays(frame):
    person = await sync_to_async(make_user)(Role.CUSTOMER)
    communicator, _ = await connect(f"/ws/notifications/{person.pk}/?token={await token_for(person)}")

    await communicator.send_to(text_data=frame)
    error = await communicator.receive_json_from(timeout=5)
    await communicator.send_json_to({"type": "ping"})

    assert error["type"] == "error"
    assert (await communicator.receive_json_from(timeout=5))["type"] == "pong"
    await communicator.disconnect()


@pytest.mark.usefixtures("thread_connections")
async def test_the_server_sends_heartbeats(settings):
    settings.WEBSOCKET_HEARTBEAT_SECONDS = 0.2
    person = await sync_to_async(make_user)(Role.CUSTOMER)
    communicator, _ = await connect(f"/ws/notifications/{person.pk}/?token={await token_for(person)}")

    beat = await communicator.receive_json_from(timeout=3)

    assert beat["type"] == "heartbeat"
    await communicator.disconnect()


@pytest.mark.usefixtures("thread_connections")
async def test_blocking_the_account_closes_its_open_sockets_with_4401():
    from accounts.services.blocking import user_set_active

    person = await sync_to_async(make_user)(Role.CUSTOMER)
    admin = await sync_to_async(make_user)(Role.ADMIN)
    communicator, connected = await connect(f"/ws/notifications/{person.pk}/?token={await token_for(person)}")
    assert connected

    await sync_to_async(user_set_active)(user_id=person.pk, is_active=False, reason="abuse", actor=admin)
    frame, code = await closed_with(communicator)

    assert frame["error"]["code"] == "UNAUTHORIZED"
    assert code == 4401


@pytest.mark.usefixtures("thread_connections")
async def test_status_a_partner_online_then_offline_as_staff_see_it():
    partner = await sync_to_async(make_user)(Role.PARTNER)
    dispatcher = await sync_to_async(make_user)(Role.OPS_MANAGER)
    watcher, _ = await connect(f"/ws/status/{partner.pk}/partner/?token={await token_for(dispatcher)}")
    initial = await watcher.receive_json_from(timeout=5)

    own, connected = await connect(f"/ws/status/{partner.pk}/partner/?token={await token_for(partner)}")
    online = await watcher.receive_json_from(timeout=5)
    await own.disconnect()
    offline = await watcher.receive_json_from(timeout=5)

    assert connected
    assert initial == {
        "type": "status_update",
        "data": {"user_id": str(partner.pk), "is_online": False, "last_seen": None},
    }
    assert online["data"]["is_online"] is True
    assert offline["data"]["is_online"] is False
    assert offline["data"]["last_seen"].endswith("Z")
    await watcher.disconnect()


@pytest.mark.usefixtures("thread_connections")
@pytest.mark.parametrize(
    ("role", "path_role", "code"), [(Role.CUSTOMER, "partner", 4403), (Role.OPS_MANAGER, "wizard", 4400)]
)
async def test_status_refuses_other_peoples_channels_and_unknown_roles(role, path_role, code):
    partner = await sync_to_async(make_user)(Role.PARTNER)
    viewer = await sync_to_async(make_user)(role)

    communicator, _ = await connect(f"/ws/status/{partner.pk}/{path_role}/?token={await token_for(viewer)}")
    frame, closed = await closed_with(communicator)

    assert frame["type"] == "error"
    assert closed == code
