"""Parts of a person's profile that other apps own (seed 001 9.1's ``active_society`` is the societies app's).

accounts imports no app above it; an app that adds to the profile registers a
function ``user -> value`` here in its ``AppConfig.ready()``, and
``ProfileOutput`` shows it. An unregistered section is ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import extend_schema_field
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


class ProfileSectionsOutput(serializers.Serializer):
    """The profile's fields that other apps fill in (``accounts.serializers.ProfileOutput`` mixes it in)."""

    active_society = serializers.SerializerMethodField()
    loyalty_points = serializers.SerializerMethodField()
    total_bookings = serializers.SerializerMethodField()

    @extend_schema_field(ActiveSocietyOutput(allow_null=True))
    def get_active_society(self, user: User) -> dict[str, Any] | None:
        """Seed 001 9.1: the resident's active society (the societies app fills it in; null when none)."""
        return value("active_society", user)

    @extend_schema_field(serializers.IntegerField())
    def get_loyalty_points(self, user: User) -> int:
        """Seed 004: the spendable loyalty balance (the bookings app fills it in; 0 without it)."""
        return value("loyalty_points", user) or 0

    @extend_schema_field(serializers.IntegerField())
    def get_total_bookings(self, user: User) -> int:
        """Seed 004: how many bookings the person made (unpaid holds that expired not counted)."""
        return value("total_bookings", user) or 0
