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
from django.core.exceptions import ImproperlyConfigured

from core.testservices import _free_port
from core.webserver import least_used_cpu, pins_cpus, spreads

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
def server(request):
    """``python -m core.webserver`` with two workers on a free port, until it answers (the environment's
    additions as the test's parameter)."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "core.webserver", "tests.core.pid_app:app", "--workers", "2", "--host", "127.0.0.1",
         "--port", str(port), "--lifespan", "off", "--no-access-log", "--log-level", "warning"],
        cwd=settings.BASE_DIR, start_new_session=True,
        env={**os.environ, "WEB_PIN_CPUS": "false", **getattr(request, "param", {})},  # off, whatever .env says
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


def after_killing(port: int, dead: int) -> collections.Counter:
    """Kill worker ``dead``; which processes answer once its replacement does."""
    os.kill(dead, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while True:
        try:
            pids = answered_by(port, CONNECTIONS) if listeners(port) == 2 else collections.Counter()
        except OSError:  # a connection the kernel gave the dead worker's socket as it closed
            pids = collections.Counter()
        if len(pids) == 2 and dead not in pids:
            return pids
        assert time.monotonic() < deadline, f"no replacement worker answered: {pids}"
        time.sleep(0.5)


def test_a_worker_that_dies_is_replaced_by_one_listening_on_its_own_socket(server):
    before = answered_by(server, CONNECTIONS)
    pids = after_killing(server, next(iter(before)))

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


def pinned_cpus(pids) -> dict[int, set[int]]:
    return {pid: os.sched_getaffinity(pid) for pid in pids}


CPUS = os.sched_getaffinity(0)


@pytest.mark.parametrize("server", [{"WEB_PIN_CPUS": "1"}], indirect=True)
def test_with_pinning_each_worker_runs_on_a_cpu_of_its_own_and_a_replacement_takes_the_freed_one(server):
    pids = answered_by(server, CONNECTIONS)
    cpus = pinned_cpus(pids)
    if len(CPUS) < 2:  # nothing to choose from: left as they are
        assert all(allowed == CPUS for allowed in cpus.values()), cpus
        return
    assert all(len(allowed) == 1 for allowed in cpus.values()), cpus
    assert set.union(*cpus.values()) == set(sorted(CPUS)[:2]), cpus  # one each, not both on the first

    dead = next(iter(pids))
    now = after_killing(server, dead)
    (replacement,) = set(now) - set(pids)
    assert os.sched_getaffinity(replacement) == cpus[dead]  # the CPU the dead worker left


def test_without_pinning_the_workers_may_run_anywhere(server):
    cpus = pinned_cpus(answered_by(server, CONNECTIONS))

    assert all(allowed == CPUS for allowed in cpus.values()), cpus


class _Made:
    def __init__(self, cpu, exitcode=None):
        self.cpu = cpu
        self.process = type("P", (), {"exitcode": exitcode})()


def test_the_least_used_cpu_is_chosen_and_a_dead_workers_cpu_is_free(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {2, 5, 7})

    assert least_used_cpu([]) == 2
    assert least_used_cpu([_Made(2)]) == 5
    assert least_used_cpu([_Made(2), _Made(5)]) == 7
    assert least_used_cpu([_Made(2), _Made(5), _Made(7)]) == 2  # more workers than CPUs: shared, evenly
    assert least_used_cpu([_Made(2), _Made(5, exitcode=-9), _Made(7)]) == 5  # the dead one's
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3})
    assert least_used_cpu([]) is None  # one CPU: nothing to pin


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("on", True), ("", False), ("0", False)])
def test_pinning_is_off_unless_asked_for(monkeypatch, value, expected):
    monkeypatch.setenv("WEB_PIN_CPUS", value)

    assert pins_cpus() is expected


def test_a_pinning_value_neither_true_nor_false_stops_the_server(monkeypatch):
    monkeypatch.setenv("WEB_PIN_CPUS", "ture")

    with pytest.raises(ImproperlyConfigured, match="WEB_PIN_CPUS"):
        pins_cpus()
