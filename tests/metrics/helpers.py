"""Reading ``GET /metrics`` in tests: the samples as a dict, and how much one moved across a block."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families
from rest_framework.test import APIClient

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: APIClient | None = None) -> Samples:
    """Every sample of ``/metrics`` (asked from 127.0.0.1, the test client's address), by name and labels."""
    response = (client or APIClient()).get("/metrics")
    assert response.status_code == 200, response.content
    text = response.content.decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)
