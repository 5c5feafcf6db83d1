"""What every back-office report shares: money as the seeds show it, the date range and grouping
of a report, a range's bounds in Asia/Kolkata days, and which centres a report covers.

Centres (seed 003 "Analytics": ``centreId`` on every report):

* A report covers every booking, or only bookings whose ``Booking.centre`` is one of some centres
  (:class:`CentreScope`). A booking with no centre (seed 000's at-home jobs, online sessions) is in
  the platform's figures only.
* ``centreId`` (or ``centre_id``) asks for one centre; an unknown one is 404 ``not_found``.
* A centre manager (role ``centre_manager``, their centres being their ``StaffCentre`` rows) who holds no
  role that reads analytics platform-wide gets their own centres when they name none, and 404
  ``not_your_centre`` for a centre that is not theirs (seed 003 RBAC: "a centre manager only for their
  centre"). A centre manager with no centre sees empty reports. Superusers and the other analytics roles
  (admin, finance, operations manager) read any centre or all of them.
* Payments reach their booking through ``payable_id``, the booking id as text: a scoped report keeps the
  payments whose ``payable_id`` is in a subquery of the scoped bookings' ids (never a list in Python).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import CharField, DecimalField, Exists, ExpressionWrapper, F, Func, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek, TruncYear
from django.utils import timezone

from accounts.models import User
from accounts.roles import ROLE_PERMISSIONS, Role
from bookings.models import Booking
from core.errors import DomainError, ErrorCode
from partners.models import Centre, StaffCentre

ZERO = Decimal("0.00")
MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)
GROUPS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth, "year": TruncYear}
ANALYTICS_PERMISSION = "adminpanel.view_analytics"
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
            f"Unknown group_by {value!r}. Use day, week, month or year.",
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


# --- centres ----------------------------------------------------------------------------------


class UuidText(Func):
    """A UUID column as ``str(uuid)`` (36 characters, lower case), the way ``Payment.payable_id`` holds a
    booking's id. PostgreSQL's text form of a uuid is exactly that; SQLite stores 32 hex digits, so the
    dashes go back in."""

    arity = 1
    template = "CAST(%(expressions)s AS text)"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        pieces = [f"substr({sql}, {start}, {length})" for start, length in ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))]
        return "lower(" + " || '-' || ".join(pieces) + ")", list(params) * len(pieces)


@dataclass(frozen=True)
class CentreScope:
    """The bookings a report covers: all (``centres`` is None) or those at ``centres`` (ids, or a subquery
    of ids)."""

    centres: tuple[uuid.UUID, ...] | QuerySet[Any, Any] | None = None

    @property
    def is_platform(self) -> bool:
        return self.centres is None

    def where(self, path: str = "centre") -> Q:
        """A filter on the booking's centre reached through ``path`` (``centre``, ``booking__centre``)."""
        return Q() if self.centres is None else Q(**{f"{path}__in": self.centres})

    def bookings(self) -> QuerySet[Booking]:
        return Booking.objects.filter(self.where())

    def payments(self) -> Q:
        """A filter on ``Payment`` rows: paid for one of the scope's bookings (a subquery of their ids as text)."""
        if self.centres is None:
            return Q()
        ids = self.bookings().order_by().annotate(key=UuidText("id")).values("key")
        return Q(payable_id__in=ids)


PLATFORM = CentreScope()


def _centre_bound(user: User) -> bool:
    """A centre manager holding no role that reads analytics platform-wide (one query: their roles)."""
    if user.is_superuser:
        return False
    roles = user.role_names
    if Role.CENTRE_MANAGER.value not in roles:
        return False
    wide = {
        role.value
        for role, granted in ROLE_PERMISSIONS.items()
        if ANALYTICS_PERMISSION in granted and role != Role.CENTRE_MANAGER
    }
    return not roles & wide


def centre_scope(user: User, centre_id: uuid.UUID | None) -> CentreScope:
    """Which centres ``user``'s report covers (the rules are in the module docstring). At most one query for a
    named centre (it exists, and whether it is the user's), none otherwise beyond the user's roles."""
    bound = _centre_bound(user)
    if centre_id is None:
        return CentreScope(StaffCentre.objects.filter(user=user).values("centre_id")) if bound else PLATFORM
    mine = Exists(StaffCentre.objects.filter(user=user, centre=OuterRef("pk")))
    found = list(Centre.objects.filter(pk=centre_id).annotate(mine=mine).values_list("mine", flat=True))
    if not found:
        raise DomainError(
            "Centre not found.",
            code=ErrorCode.NOT_FOUND,
            field="centre_id",
            reason="not_found",
            context={"centre_id": str(centre_id)},
        )
    if bound and not found[0]:
        raise DomainError(
            "Centre not found among the centres you run.",
            code=ErrorCode.NOT_FOUND,
            field="centre_id",
            reason="not_your_centre",
            context={"centre_id": str(centre_id)},
        )
    return CentreScope((centre_id,))
