"""The runtime settings catalog reads (``core.system_settings``), registered in ``CatalogConfig.ready``.

The tax rate belongs to the one pricing module (``catalog.pricing``), which
every booking and order total goes through.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from core import system_settings
from core.system_settings import Definition

DEFINITIONS = (
    Definition(
        "tax_rate",
        "decimal",
        lambda: Decimal(str(settings.GST_RATE_PERCENT)),
        "GST charged on bookings.",
        Decimal("0"),
        Decimal("100"),
        "%",
        position=80,
    ),
)


def register() -> None:
    system_settings.register(*DEFINITIONS)
