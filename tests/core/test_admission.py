"""A server process runs at most ``WEB_ACTIVE_REQUESTS`` requests at once; a wait on an outside service lets
another run (``core.admission``). Real threads, as a2wsgi runs the WSGI application."""

import io
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import responses
from django.db import transaction
from django.test import override_settings

from core.admission import admitted, outside
from payments.gateways.razorpay_gateway import RazorpayGateway

WAIT = 10  # seconds: far more than any step needs; a test that blocks fails instead of hanging


class Probe:
    """A WSGI application that counts the requests inside it and runs each request's ``step``."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.inside = 0
        self.most = 0
        self.order: list[str] = []

    def __call__(self, environ, start_response):
        with self.lock:
            self.inside += 1
            self.most = max(self.most, self.inside)
            self.order.append(f"start {environ['name']}")
        try:
            environ["step"]()
        finally:
            with self.lock:
                self.inside -= 1
                self.order.append(f"end {environ['name']}")
        start_response("200 OK", [])
        return [b"ok"]


def call(app, name, step=lambda: time.sleep(0.02)):
    return app({"name": name, "step": step}, lambda status, headers: None)


def test_no_more_than_the_limit_run_at_once():
    probe = Probe()
    app = admitted(probe, limit=2)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda n: call(app, str(n)), range(16)))

    assert answers == [[b"ok"]] * 16
    assert probe.most == 2


def test_a_request_waiting_outside_lets_another_run():
    probe = Probe()
    app = admitted(probe, limit=1)
    second_done = threading.Event()

    def waits_on_a_provider():
        with outside():
            assert second_done.wait(WAIT), "the second request never ran while the first waited outside"

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(call, app, "first", waits_on_a_provider)
        time.sleep(0.05)  # the first is inside, waiting outside
        pool.submit(call, app, "second").result(timeout=WAIT)
        second_done.set()
        first.result(timeout=WAIT)

    assert probe.order.index("end second") < probe.order.index("end first")


def test_the_turn_is_taken_again_after_the_wait():
    probe = Probe()
    app = admitted(probe, limit=1)
    counts = []

    def outside_then_inside():
        with outside():
            time.sleep(0.02)
        counts.append(app.turns._semaphore._value)  # the turn is held again: none left

    call(app, "only", outside_then_inside)

    assert counts == [0]
    assert app.turns._semaphore._value == 1  # and given back with the answer


@pytest.mark.django_db(transaction=True)
def test_a_request_in_a_transaction_keeps_its_turn():
    """It may hold row locks that the requests with a turn wait for: it must not queue for a turn again."""
    probe = Probe()
    app = admitted(probe, limit=1)
    released = threading.Event()

    def in_a_transaction():
        with transaction.atomic(), outside():
            released.wait(0.3)  # a second request would run here if the turn had been given away

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(call, app, "first", in_a_transaction)
        time.sleep(0.05)
        second = pool.submit(call, app, "second")
        first.result(timeout=WAIT)
        second.result(timeout=WAIT)

    assert probe.most == 1
    assert probe.order == ["start first", "end first", "start second", "end second"]


@responses.activate
def test_a_razorpay_call_waits_outside():
    """Razorpay's order call gives the request's turn to another for as long as Razorpay takes."""
    probe = Probe()
    app = admitted(probe, limit=1)
    second_done = threading.Event()

    def slow_razorpay(request):
        assert second_done.wait(WAIT), "no request ran while Razorpay was answering"
        return 200, {}, '{"id": "order_1", "amount": 100, "currency": "INR", "status": "created"}'

    responses.add_callback(responses.POST, "https://api.razorpay.com/v1/orders", callback=slow_razorpay)
    gateway = RazorpayGateway(key_id="rzp_test_x", key_secret="secret", webhook_secret="hook")

    def creates_an_order():
        gateway.create_order(amount_paise=100, currency="INR", receipt="r1", notes={})

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(call, app, "first", creates_an_order)
        time.sleep(0.05)
        pool.submit(call, app, "second").result(timeout=WAIT)
        second_done.set()
        first.result(timeout=WAIT)

    assert probe.order.index("end second") < probe.order.index("end first")


class SlowBody:
    """A request body that arrives only once ``arrived`` is set (a client sending slowly)."""

    def __init__(self, body: bytes, arrived: threading.Event) -> None:
        self.body, self.arrived = body, arrived

    def read(self, size=-1):
        assert self.arrived.wait(WAIT), "the body never arrived"
        return self.body


def test_a_request_still_receiving_its_body_does_not_hold_a_turn():
    probe = Probe()
    app = admitted(probe, limit=1, buffer_bytes=1024)
    arrived = threading.Event()
    bodies = []
    slow = {"name": "slow", "step": lambda: bodies.append(slow["wsgi.input"].read()), "CONTENT_LENGTH": "7"}
    slow["wsgi.input"] = SlowBody(b'{"a":1}', arrived)

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(app, slow, lambda status, headers: None)
        time.sleep(0.05)  # its body is still on its way
        pool.submit(call, app, "quick").result(timeout=WAIT)
        arrived.set()
        first.result(timeout=WAIT)

    assert probe.order == ["start quick", "end quick", "start slow", "end slow"]
    assert bodies == [b'{"a":1}']  # the application reads the whole body, from memory


def test_a_body_larger_than_the_buffer_is_read_in_the_request():
    probe = Probe()
    app = admitted(probe, limit=1, buffer_bytes=4)
    upload = io.BytesIO(b"0123456789")
    read = []
    environ = {"name": "upload", "CONTENT_LENGTH": "10", "wsgi.input": upload}
    environ["step"] = lambda: read.append(environ["wsgi.input"].read())

    app(environ, lambda status, headers: None)

    assert environ["wsgi.input"] is upload  # streamed, as Django reads an upload
    assert read == [b"0123456789"]


def test_work_outside_a_server_request_neither_gives_nor_takes_a_turn():
    """A Celery task or a shell calling Razorpay holds no turn: it must not give away a request's."""
    app = admitted(Probe(), limit=1)
    app.turns.take()  # a request holds the only turn

    def a_task():
        with outside():
            inside = app.turns._semaphore._value
        return inside, app.turns._semaphore._value

    try:
        with ThreadPoolExecutor(1) as pool:
            assert pool.submit(a_task).result(timeout=WAIT) == (0, 0)
    finally:
        app.turns.give_back()
    assert app.turns._semaphore._value == 1


@override_settings(WEB_ACTIVE_REQUESTS=3)
def test_the_served_application_admits_web_active_requests():
    from config import asgi

    http = asgi._http_application()
    wsgi = getattr(http, "application", http)  # ServeStatic wraps it when static files are collected
    assert wsgi.app.turns.limit == 3


def test_no_limit_when_the_setting_is_zero():
    probe = Probe()
    assert admitted(probe, limit=0) is probe
