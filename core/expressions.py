"""Database expressions that mean the same on PostgreSQL and on the embedded SQLite default.

:func:`real_ratio` divides as real numbers on both. ``Cast(x, DecimalField())`` is exact on PostgreSQL but on
SQLite casts to ``NUMERIC``, which keeps a whole number whole, so ``14 / 3`` gave 4 there (a specialist's 4.67
average showed as 4.00). A double-precision division is exact enough for averages and percentages; wrap it in
``Round(..., 2)``, which PostgreSQL computes on ``numeric`` (Django casts the float for it).
"""

from __future__ import annotations

from typing import Any

from django.db.models import FloatField
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast


def real_ratio(numerator: Any, denominator: Any) -> CombinedExpression:
    """``numerator / denominator`` as a real division on every database."""
    return Cast(numerator, FloatField()) / denominator
