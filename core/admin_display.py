"""Columns of the Django admin's lists, shown the way staff read them: money as rupees with two places."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import admin


def rupees(value: Decimal | int | None) -> str:
    """``Decimal("1180")`` as "₹1,180.00"; no amount as "—"."""
    if value is None:
        return "—"
    return f"-₹{-value:,.2f}" if value < 0 else f"₹{value:,.2f}"


def money(field: str, description: str | None = None) -> Callable[[Any], str]:
    """A ``list_display`` column showing the money ``field`` in rupees, sortable by the field.

    ``list_display = ("booking_number", money("grand_total"), ...)``; the header is ``description``, or the
    field's name in words.
    """

    @admin.display(description=description or field.replace("_", " "), ordering=field)
    def column(row: Any) -> str:
        return rupees(getattr(row, field))

    column.__name__ = column.__qualname__ = field  # the column's CSS class: field-<name>
    return column
