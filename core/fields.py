"""Serializer fields shared by every app.

Coordinates: phones serialise a latitude as a binary double (JavaScript's and
Kotlin's ``22.582600000000003``), with more digits than any column keeps. A
DRF ``DecimalField`` refuses that ("no more than 8 decimal places"), so a
partner app could never report its location. :class:`LatitudeField` and
:class:`LongitudeField` accept any JSON number (or numeric string) in range and
round it half-up to the stored precision (8 places, about a millimetre);
out-of-range values, ``NaN`` and infinities stay 422 ``VALIDATION_ERROR``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rest_framework import serializers

COORDINATE_PLACES = 8


class CoordinateField(serializers.DecimalField):
    """A decimal degree, rounded to the column's precision instead of refused."""

    bound: int = 180

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("coerce_to_string", False)
        super().__init__(
            max_digits=COORDINATE_PLACES + 3,
            decimal_places=COORDINATE_PLACES,
            min_value=Decimal(-self.bound),
            max_value=Decimal(self.bound),
            **kwargs,
        )

    def validate_precision(self, value: Decimal) -> Decimal:
        # Check the range before rounding: a huge value would overflow the quantize below.
        if value > self.bound:
            self.fail("max_value", max_value=self.bound)
        if value < -self.bound:
            self.fail("min_value", min_value=-self.bound)
        return value.quantize(Decimal(1).scaleb(-COORDINATE_PLACES), rounding=ROUND_HALF_UP)


class LatitudeField(CoordinateField):
    bound = 90


class LongitudeField(CoordinateField):
    bound = 180
