"""Field validators for partners' tables (issue #18): a provider's or a centre's IANA time zone."""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError

DEFAULT_TIMEZONE = "Asia/Kolkata"


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_timezone(value: str) -> None:
    """Refuse anything but an IANA zone name ("Asia/Kolkata", "America/New_York"); free-slot arithmetic reads it."""
    if value not in _zones():
        raise ValidationError(
            "%(value)s is not an IANA time zone, e.g. Asia/Kolkata.", code="invalid_timezone", params={"value": value}
        )
