"""core.webserver: each uvicorn worker accepts on a listening socket of its own (SO_REUSEPORT), so a burst of
keep-alive connections spreads over the workers instead of going to whichever woke first; a worker that dies is
replaced by one that binds its own socket too. Real processes on a real port."""

import collections
import http.client
import os
import signal
import subprocess
import sys
import time

import pytest
import uvicorn
from django.conf import settings

from core.testservices import _free_port
from core.webserver import spreads

CONNECTIONS = 64


def listeners(port: int) -> int:
    """How many listening TCP sockets the system has on ``port`` (a socket shared by processes counts once)."""
    with open("/proc/net/tcp") as table:
        rows = [row.split() for row in table.read().splitlines()[1:]]
    return sum(1 for row in rows if row[1].endswith(f":{port:04X}") and row[3] == "0A")


def answered_by(port: int, connections: int) -> collections.Counter:
    """Open ``connections`` connections at once, then send a request on each: which process answered each."""
    clients = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(connections)]
    try:
        for client in clients:
            client.connect()
        pids: collections.Counter = collections.Counter()
        for client in clients:
            client.request("GET", "/")
            pids[int(client.getresponse().read())] += 1
        return pids
    finally:
        for client in clients:
            client.close()


@pytest.fixture
def server():
    """``python -m core.webserver`` with two workers on a free port, until it answers."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "core.webserver", "tests.core.pid_app:app", "--workers", "2", "--host", "127.0.0.1",
         "--port", str(port), "--lifespan", "off", "--no-access-log", "--log-level", "warning"],
        cwd=settings.BASE_DIR, env={**os.environ}, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while listeners(port) < 2:
        assert process.poll() is None, "the server exited"
        assert time.monotonic() < deadline, "the workers never listened"
        time.sleep(0.2)
    yield port
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_each_worker_listens_on_its_own_socket_and_a_burst_spreads_over_both(server):
    assert listeners(server) == 2  # plain uvicorn: one socket, shared

    pids = answered_by(server, CONNECTIONS)

    assert len(pids) == 2, pids
    # a fair hash splits 64 connections 32/32 on average; fewer than 12 on one side has odds below one in a million
    assert min(pids.values()) >= 12, pids


def test_a_worker_that_dies_is_replaced_by_one_listening_on_its_own_socket(server):
    before = answered_by(server, CONNECTIONS)
    dead = next(iter(before))
    os.kill(dead, signal.SIGKILL)

    deadline = time.monotonic() + 60
    while True:
        try:
            pids = answered_by(server, CONNECTIONS) if listeners(server) == 2 else {}
        except OSError:  # a connection the kernel gave the dead worker's socket as it closed
            pids = {}
        if len(pids) == 2 and dead not in pids:
            break
        assert time.monotonic() < deadline, f"no replacement worker answered: {pids}"
        time.sleep(0.5)

    assert listeners(server) == 2
    assert set(pids) - set(before), "the replacement is a new process"


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"workers": 2, "port": 8000}, sys.platform == "linux"),
        ({"workers": 1, "port": 8000}, False),  # one process: nothing to spread
        ({"workers": 2, "port": 0}, False),  # each worker would get a port of its own
        ({"workers": 2, "uds": "/tmp/web.sock"}, False),
        ({"workers": 2, "port": 8000, "reload": True}, False),
    ],
)
def test_plain_uvicorn_where_a_socket_per_worker_does_not_apply(options, expected):
    assert spreads(uvicorn.Config("tests.core.pid_app:app", **options)) is expected
