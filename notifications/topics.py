"""Live topics a client may subscribe to on its ``ws/notifications/`` socket, filled in by domain apps.

``notifications`` knows no domain app (DESIGN.md section 1): an app registers
a :class:`Topic` in its ``AppConfig.ready()`` (partners: ``availability``), and
the consumer answers ``{"type": "subscribe", "topic": ..., <id_field>: ...}``
from this registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    name: str
    id_field: str  # the message field naming what to follow, e.g. specialist_id
    group: Callable[[str], str]  # the channel-layer group of one subject
    exists: Callable[[str], bool]  # may this subject be followed? (sync; runs in a thread)


TOPICS: dict[str, Topic] = {}


def register_topic(topic: Topic) -> None:
    TOPICS[topic.name] = topic
