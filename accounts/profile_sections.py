"""Parts of a person's profile that other apps own (seed 001 9.1's ``active_society`` is the societies app's).

accounts imports no app above it; an app that adds to the profile registers a
function ``user -> value`` here in its ``AppConfig.ready()``, and
``ProfileOutput`` shows it. An unregistered section is ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import serializers

from accounts.models import User

SECTIONS: dict[str, Callable[[User], Any]] = {}


def register(name: str, section: Callable[[User], Any]) -> None:
    SECTIONS[name] = section


def value(name: str, user: User) -> Any:
    section = SECTIONS.get(name)
    return section(user) if section is not None else None


class ActiveSocietyOutput(serializers.Serializer):
    """The shape of the ``active_society`` section (documented here, where the profile shows it)."""

    society_id = serializers.IntegerField()
    society_name = serializers.CharField()
    unit_type = serializers.CharField()
    flat_number = serializers.CharField(allow_null=True)
