"""The runtime settings partners reads (``core.system_settings``), registered in ``PartnersConfig.ready``.

The platform's commission (a partner earns the rest of a booking's amount
before tax) and how long a partner has to accept an offered job.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from core import system_settings
from core.system_settings import Definition

DEFINITIONS = (
    Definition(
        "commission_percentage",
        "decimal",
        lambda: Decimal("100") - Decimal(str(settings.PARTNER_COMMISSION_PERCENTAGE)),
        "The platform's share of a booking's amount before tax; the partner earns the rest.",
        Decimal("0"),
        Decimal("100"),
        "%",
        position=10,
    ),
    Definition(
        "partner_assignment_timeout",
        "int",
        lambda: settings.PARTNER_ASSIGNMENT_TIMEOUT_MINUTES,
        "Minutes a partner has to accept an offered job.",
        1,
        24 * 60,
        "minutes",
        position=50,
    ),
)


def register() -> None:
    system_settings.register(*DEFINITIONS)
