"""ws/ping/ over the real ASGI application and the Redis channel layer.

The Celery test starts a real worker process on the suite's Redis: the event
it sends must cross from that process to a client connected here, which the
in-memory channel layer could not do.
"""

import os
import subprocess
import sys
import uuid

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings

from config.asgi import application
from core.tasks import broadcast_event


async def connect(path="/ws/ping/", headers=None):
    communicator = WebsocketCommunicator(application, path, headers=headers or [])
    connected, _ = await communicator.connect(timeout=5)
    return communicator, connected


async def test_ping_is_answered_with_pong():
    communicator, connected = await connect()
    assert connected

    await communicator.send_json_to({"type": "ping", "data": {"n": 1}})
    reply = await communicator.receive_json_from(timeout=5)

    assert reply["type"] == "pong"
    assert reply["data"]["echo"] == {"n": 1}
    assert reply["data"]["timestamp"].endswith("Z")
    await communicator.disconnect()


async def test_path_without_trailing_slash_also_connects():
    communicator, connected = await connect("/ws/ping")

    assert connected
    await communicator.disconnect()


@pytest.mark.parametrize("frame", ["not json", "[1, 2]", '{"type": "dance"}'])
async def test_bad_frames_get_an_error_frame_and_the_socket_stays_open(frame):
    communicator, _ = await connect()

    await communicator.send_to(text_data=frame)
    reply = await communicator.receive_json_from(timeout=5)
    await communicator.send_json_to({"type": "ping"})
    pong = await communicator.receive_json_from(timeout=5)

    assert reply["type"] == "error"
    assert reply["error"]["code"] == "INVALID_REQUEST"
    assert pong["type"] == "pong"
    await communicator.disconnect()


async def test_foreign_browser_origin_is_refused():
    communicator, connected = await connect(headers=[(b"origin", b"https://evil.example.net")])

    assert not connected
    await communicator.disconnect()  # as a server does: the refusing consumer ends


async def test_allowed_browser_origin_connects():
    communicator, connected = await connect(headers=[(b"origin", b"http://localhost:8000")])

    assert connected
    await communicator.disconnect()


@pytest.fixture
def celery_worker():
    """A real Celery worker process on the suite's Redis, consuming a queue of its own."""
    queue = f"test-{uuid.uuid4().hex[:10]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    process = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "-Q", queue,
            "--loglevel", "WARNING", "--without-mingle", "--without-gossip", "--without-heartbeat",
        ],
        env=env,
        cwd=settings.BASE_DIR,
    )  # fmt: skip
    yield queue, process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def test_event_sent_from_a_celery_task_reaches_a_connected_client(celery_worker):
    queue, worker = celery_worker
    communicator, connected = await connect()
    assert connected
    marker = uuid.uuid4().hex

    broadcast_event.apply_async(args=["ping", "demo.event", {"marker": marker}], queue=queue)
    event = await communicator.receive_json_from(timeout=60)

    assert event == {"type": "demo.event", "data": {"marker": marker}}
    assert worker.poll() is None, "the event must come from the running worker process"
    await communicator.disconnect()


async def test_a_socket_idle_longer_than_the_redis_read_timeout_still_receives_events():
    """redis-py 8 reads time out after 5 s by default; an idle subscriber must outlive that (see benchmarks/README)."""
    import asyncio

    from channels.layers import get_channel_layer

    communicator, _ = await connect()
    await asyncio.sleep(6.5)

    await get_channel_layer().group_send("ping", {"type": "platform.event", "event": "hello", "data": {"n": 1}})
    message = await communicator.receive_json_from(timeout=5)

    assert message == {"type": "hello", "data": {"n": 1}}
    await communicator.disconnect()


async def test_an_unknown_path_gets_an_error_frame_and_closes_with_4404():
    communicator, connected = await connect("/ws/nowhere/")

    frame = await communicator.receive_json_from(timeout=5)
    closed = await communicator.receive_output(timeout=5)
    await communicator.disconnect()

    assert connected
    assert frame["error"]["code"] == "NOT_FOUND"
    assert closed["code"] == 4404
