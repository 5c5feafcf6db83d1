"""The runtime settings accounts reads (``core.system_settings``), registered in ``AccountsConfig.ready``."""

from __future__ import annotations

from django.conf import settings

from core import system_settings
from core.system_settings import Definition

DEFINITIONS = (
    Definition(
        "otp_expiry_minutes",
        "int",
        lambda: max(1, settings.OTP_TTL_SECONDS // 60),
        "Minutes a one-time code stays valid.",
        1,
        60,
        "minutes",
        position=60,
    ),
)


def register() -> None:
    system_settings.register(*DEFINITIONS)
