"""``platform_websocket_connections``: up while a socket is open, back down when it closes."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from core.consumers import NOT_AUTHENTICATED
from tests.metrics.helpers import scrape, value

pytestmark = pytest.mark.django_db(transaction=True)

GAUGE = "platform_websocket_connections"


async def gauge(consumer: str) -> float:
    return value(await sync_to_async(scrape)(), GAUGE, consumer=consumer)


async def test_a_connection_raises_the_gauge_and_its_disconnect_lowers_it():
    start = await gauge("PingConsumer")
    first = WebsocketCommunicator(application, "/ws/ping/")
    second = WebsocketCommunicator(application, "/ws/ping/")
    assert (await first.connect(timeout=5))[0]
    assert (await second.connect(timeout=5))[0]
    assert await gauge("PingConsumer") == start + 2
    await first.disconnect()
    assert await gauge("PingConsumer") == start + 1
    await second.disconnect()
    assert await gauge("PingConsumer") == start


async def test_a_socket_closed_by_the_server_is_counted_down_too():
    start = await gauge("NotificationConsumer")
    communicator = WebsocketCommunicator(application, "/ws/notifications/00000000-0000-0000-0000-000000000000/")
    assert (await communicator.connect(timeout=5))[0]  # accepted, then closed: no token
    await communicator.receive_json_from(timeout=5)
    assert (await communicator.receive_output(timeout=5)).get("code") == NOT_AUTHENTICATED
    await communicator.disconnect()
    assert await gauge("NotificationConsumer") == start
