"""The Prometheus side: ops/prometheus's scrape config and alert rules parse, name only metrics that exist, and
docker-compose runs Prometheus with them; multiprocess mode adds up the counts of several processes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from prometheus_client import Metric

from core import metrics

ROOT = Path(__file__).resolve().parents[2]
OPS = ROOT / "ops" / "prometheus"
ALERTS = {
    "PaymentFailureRateHigh": "platform_payments_total",
    "BookingsSentToManualQueue": "platform_dispatch_outcomes_total",
    "HighServerErrorRate": "platform_http_errors_total",
    "CeleryQueueBacklog": "platform_celery_queue_length",
}


def series_names() -> set[str]:
    """Every series name the exporter can show, with the suffixes of each type."""
    suffixes = {"counter": ("_total", "_created"), "histogram": ("_bucket", "_count", "_sum", "_created")}
    families: list[Metric] = [
        family
        for metric in (metrics.REQUESTS, metrics.LATENCY, metrics.ERRORS, metrics.TASKS, metrics.PAYMENTS)
        for family in metric.describe()
    ]
    families += [*metrics.DISPATCH.describe(), *metrics.WEBSOCKETS.describe(), *metrics.QueueCollector().collect()]
    return {family.name + suffix for family in families for suffix in suffixes.get(family.type, ("",))}


def test_every_alert_of_seed_000_is_there_and_names_only_metrics_that_exist():
    rules = {
        rule["alert"]: rule
        for group in yaml.safe_load((OPS / "alerts.yml").read_text())["groups"]
        for rule in group["rules"]
    }
    known = series_names()
    assert set(ALERTS) <= set(rules)
    for name, metric in ALERTS.items():
        assert metric in rules[name]["expr"], name
    for name, rule in rules.items():
        assert rule["labels"]["severity"] in {"warning", "critical"}, name
        assert rule["annotations"]["summary"], name
        used = set(re.findall(r"\bplatform_[a-z_]+\b", rule["expr"]))
        assert used <= known, (name, used - known)
    assert {"platform_payments_total", "platform_http_request_duration_seconds_bucket"} <= known


def test_the_scrape_config_reads_web_metrics_with_the_token_and_loads_the_rules():
    config = yaml.safe_load((OPS / "prometheus.yml").read_text())
    [job] = config["scrape_configs"]
    assert job["metrics_path"] == "/metrics"
    assert job["static_configs"] == [{"targets": ["web:8000"]}]
    assert job["authorization"] == {"type": "Bearer", "credentials_file": "/tmp/metrics-token"}
    assert config["rule_files"] == ["/etc/prometheus/alerts.yml"]


def test_docker_compose_runs_prometheus_with_these_files_and_the_token():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    prometheus = services["prometheus"]
    assert re.fullmatch(r"prom/prometheus:v\d+\.\d+\.\d+", prometheus["image"])  # pinned
    assert "./ops/prometheus:/etc/prometheus:ro" in prometheus["volumes"]
    assert "/tmp/metrics-token" in prometheus["command"][0]
    assert "9090:9090" in prometheus["ports"]
    for name in ("web", "worker"):  # one multiprocess directory for both, so /metrics counts the worker's tasks
        environment = services[name]["environment"]
        assert environment["PROMETHEUS_MULTIPROC_DIR"] == "/run/metrics"
        assert "METRICS_TOKEN" in environment
        assert environment["METRICS_ALLOWED_NETWORKS"] == ""  # the address is spoofable behind --proxy-headers
        assert "metrics-multiproc:/run/metrics" in services[name]["volumes"]
    assert "web" in services["web"]["environment"]["DJANGO_ALLOWED_HOSTS"]


COUNT_AND_EXIT = """
from core import metrics
metrics.PAYMENTS.labels(outcome="captured").inc()
metrics.websocket_opened("PingConsumer")
"""

COUNT_AND_SHOW = """
from core import metrics
metrics.queue_lengths = lambda: {"celery": 0}  # no broker in this process
metrics.PAYMENTS.labels(outcome="captured").inc()
metrics.websocket_opened("PingConsumer")
print(metrics.exposition()[0].decode())
"""


def test_multiprocess_mode_adds_up_every_process_and_forgets_the_sockets_of_one_that_exited(tmp_path):
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([sys.executable, "-c", COUNT_AND_EXIT], cwd=ROOT, env=env, check=True, timeout=60)
    shown = subprocess.run(
        [sys.executable, "-c", COUNT_AND_SHOW],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    ).stdout
    assert 'platform_payments_total{outcome="captured"} 2.0' in shown  # both processes' counts
    assert 'platform_websocket_connections{consumer="PingConsumer"} 1.0' in shown  # only the live process's socket
    assert 'platform_celery_queue_length{queue="celery"} 0.0' in shown
    assert any(name.startswith("counter_") for name in os.listdir(tmp_path))
