"""What every back-office report shares: money as the seeds show it, the date range and grouping
of a report, and a range's bounds in Asia/Kolkata days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

from core.errors import DomainError, ErrorCode

ZERO = Decimal("0.00")
MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)
GROUPS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}
MAX_RANGE_DAYS = 366 * 3
NET = ExpressionWrapper(F("amount") - F("amount_refunded"), output_field=MONEY)


def as_money(value: Decimal | None) -> float:
    return float((value or ZERO).quantize(Decimal("0.01")))


# --- inputs -----------------------------------------------------------------------------------


def date_range(date_from: date | None, date_to: date | None, *, required: bool = True) -> tuple[date, date]:
    """Check a report's range: both ends present (when required), not inverted, at most three years."""
    if required:
        for name, value in (("date_from", date_from), ("date_to", date_to)):
            if value is None:
                raise DomainError(
                    f"{name} is required (YYYY-MM-DD).", code=ErrorCode.VALIDATION_ERROR, field=name, reason="required"
                )
    today = timezone.localdate()
    date_to = date_to or today
    date_from = date_from or date_to - timedelta(days=29)
    if date_to < date_from:
        raise DomainError(
            "date_to is before date_from.",
            code=ErrorCode.VALIDATION_ERROR,
            field="date_to",
            reason="inverted_range",
            context={"date_from": date_from.isoformat(), "date_to": date_to.isoformat()},
        )
    if (date_to - date_from).days > MAX_RANGE_DAYS:
        raise DomainError(
            "The range may span three years at most.",
            code=ErrorCode.VALIDATION_ERROR,
            field="date_to",
            reason="range_too_long",
        )
    return date_from, date_to


def group_by(value: str | None) -> str:
    value = value or "day"
    if value not in GROUPS:
        raise DomainError(
            f"Unknown group_by {value!r}. Use day, week or month.",
            code=ErrorCode.VALIDATION_ERROR,
            field="group_by",
            reason="unknown_value",
            context={"allowed": list(GROUPS)},
        )
    return value


def bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return datetime.combine(date_from, time.min, tzinfo=zone), datetime.combine(
        date_to + timedelta(days=1), time.min, tzinfo=zone
    )
