"""Prometheus metrics (issue #21), served at ``GET /metrics`` (``core.metrics_view``) by prometheus-client.

Every name starts with ``platform_``:

- ``platform_http_requests_total`` (counter; ``method``, ``route``, ``status``): every response, counted by
  ``core.middleware.RequestLogMiddleware``;
- ``platform_http_request_duration_seconds`` (histogram; ``method``, ``route``): the time inside Django;
- ``platform_http_errors_total`` (counter; ``method``, ``route``, ``kind`` = ``4xx`` / ``5xx``): responses of
  400 and up;
- ``platform_celery_tasks_total`` (counter; ``task``, ``outcome`` = ``succeeded`` / ``failed`` / ``retried``):
  Celery's ``task_success``, ``task_failure`` and ``task_retry`` signals;
- ``platform_celery_queue_length`` (gauge; ``queue``): read from the Redis broker at each scrape (the lists of
  every priority step added up); ``platform_celery_broker_up`` (gauge): 1 when that read worked, else 0;
- ``platform_payments_total`` (counter; ``outcome`` = ``captured`` / ``failed``): a payment reaching
  ``success`` / ``failed`` (``payments.models.PAYMENT_STATES``);
- ``platform_dispatch_outcomes_total`` (counter; ``outcome`` = ``offered`` / ``accepted`` / ``rejected`` /
  ``expired`` / ``manual``): an offer made (the dispatch reaching ``offered``), answered or left to expire (the
  assignment reaching ``accepted``, ``rejected``, ``expired``), a booking sent to the manual queue;
- ``platform_websocket_connections`` (gauge; ``consumer``): open sockets, from ``accept`` to disconnect
  (``core.consumers.PlatformConsumer``, the base of every consumer).

``route`` is the URL pattern that answered (``api/v1/bookings/<uuid:booking_id>``), never the raw path;
``<unmatched>`` when no pattern did. Payment and dispatch outcomes are counted when the state machine's move
commits (``core.statemachine.StateMachine.move`` calls :func:`count_transition`), so a rolled-back move is
not counted. Payment success rate: ``rate(platform_payments_total{outcome="captured"}[15m]) /
rate(platform_payments_total[15m])``.

Several processes (``uvicorn --workers=4``, Celery's prefork children, the worker container) each count on
their own. With ``PROMETHEUS_MULTIPROC_DIR`` set (before the process starts) prometheus-client writes every
value to a file in that directory, and ``/metrics`` adds up the files of all processes sharing it (gauges of
WebSocket connections count live processes only). The directory must be empty when the processes start
(docker-compose mounts a fresh tmpfs volume shared by ``web`` and ``worker``); files are named by host and
pid, so containers sharing it do not collide. Without the variable each process serves its own registry.
"""

from __future__ import annotations

import atexit
import logging
import os
import socket
from collections.abc import Iterator
from typing import Any

from celery import current_app
from celery.signals import task_failure, task_retry, task_success
from django.db import transaction
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, values
from prometheus_client import generate_latest as _generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def _process_id() -> str:
    """Host and pid: containers sharing the directory have pids of their own (``_`` splits the file name)."""
    return f"{socket.gethostname()}-{os.getpid()}".replace("_", "-")


if MULTIPROC_DIR:
    values.ValueClass = values.MultiProcessValue(_process_id)

REQUESTS = Counter(
    "platform_http_requests", "HTTP responses by route, method and status.", ["method", "route", "status"]
)
LATENCY = Histogram(
    "platform_http_request_duration_seconds",
    "Time spent answering an HTTP request, by route and method.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
ERRORS = Counter(
    "platform_http_errors", "HTTP error responses (4xx, 5xx) by route and method.", ["method", "route", "kind"]
)
TASKS = Counter("platform_celery_tasks", "Celery task runs by task name and outcome.", ["task", "outcome"])
PAYMENTS = Counter("platform_payments", "Payments captured or failed.", ["outcome"])
DISPATCH = Counter(
    "platform_dispatch_outcomes", "Dispatch outcomes: offers and their answers, the manual queue.", ["outcome"]
)
WEBSOCKETS = Gauge(
    "platform_websocket_connections",
    "Open WebSocket connections by consumer.",
    ["consumer"],
    multiprocess_mode="livesum",
)

# (state machine, state reached) -> (counter, outcome label)
TRANSITIONS: dict[tuple[str, str], tuple[Counter, str]] = {
    ("payment", "success"): (PAYMENTS, "captured"),
    ("payment", "failed"): (PAYMENTS, "failed"),
    ("dispatch", "offered"): (DISPATCH, "offered"),
    ("dispatch", "manual"): (DISPATCH, "manual"),
    ("assignment", "accepted"): (DISPATCH, "accepted"),
    ("assignment", "rejected"): (DISPATCH, "rejected"),
    ("assignment", "expired"): (DISPATCH, "expired"),
}
UNMATCHED = "<unmatched>"


def count_transition(machine: str, new: str) -> None:
    """A row of ``machine`` moved to ``new``: count it once the transaction commits (if that move is counted)."""
    counted = TRANSITIONS.get((machine, new))
    if counted is not None:
        counter, outcome = counted
        transaction.on_commit(lambda: counter.labels(outcome=outcome).inc())


def observe_request(request: Any, status: int, seconds: float) -> None:
    match = getattr(request, "resolver_match", None)
    route = (match.route or match.view_name) if match is not None else ""
    method = request.method if request.method in KNOWN_METHODS else "other"
    labels = {"method": method, "route": route or UNMATCHED}
    REQUESTS.labels(status=str(status), **labels).inc()
    LATENCY.labels(**labels).observe(seconds)
    if status >= 400:
        ERRORS.labels(kind="5xx" if status >= 500 else "4xx", **labels).inc()


KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def websocket_opened(consumer: str) -> None:
    WEBSOCKETS.labels(consumer=consumer).inc()


def websocket_closed(consumer: str) -> None:
    WEBSOCKETS.labels(consumer=consumer).dec()


def _task_name(sender: Any) -> str:
    return str(getattr(sender, "name", sender) or "unknown")


@task_success.connect(weak=False)
def _task_succeeded(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(task=_task_name(sender), outcome="succeeded").inc()


@task_failure.connect(weak=False)
def _task_failed(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(task=_task_name(sender), outcome="failed").inc()


@task_retry.connect(weak=False)
def _task_retried(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(task=_task_name(sender), outcome="retried").inc()


def queue_lengths() -> dict[str, int]:
    """Messages waiting in each Celery queue: the broker's Redis lists, every priority step of each."""
    with current_app.connection_for_read() as conn:
        channel = conn.default_channel
        client = channel.client
        steps = getattr(channel, "priority_steps", [0])
        return {
            queue: sum(int(client.llen(channel._q_for_pri(queue, step))) for step in steps)
            for queue in current_app.amqp.queues
        }


class QueueCollector(Collector):
    """Reads the queue lengths when Prometheus scrapes (nothing is stored between scrapes)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        length = GaugeMetricFamily(
            "platform_celery_queue_length", "Messages waiting in a Celery queue.", labels=["queue"]
        )
        up = GaugeMetricFamily("platform_celery_broker_up", "1 when the broker's queues could be read.")
        try:
            for queue, depth in queue_lengths().items():
                length.add_metric([queue], depth)
            up.add_metric([], 1)
        except Exception:  # the broker is down: say so rather than fail the scrape
            logger.exception("could not read the Celery queue lengths")
            up.add_metric([], 0)
        yield length
        yield up


def exposition() -> tuple[bytes, str]:
    """The text Prometheus reads: this process's registry, or every process's files in multiprocess mode."""
    registry = CollectorRegistry()
    if MULTIPROC_DIR:
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    body = _generate_latest(registry)
    body += _generate_latest(_queue_registry())
    return body, CONTENT_TYPE_LATEST


def _queue_registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(QueueCollector())
    return registry


if MULTIPROC_DIR:  # a live-gauge file of a process that has exited must not count its sockets

    @atexit.register
    def _process_ended() -> None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(_process_id())
