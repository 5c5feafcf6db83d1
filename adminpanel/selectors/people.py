"""People for staff: users with their booking count and spend, one user with stats and recent bookings."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.roles import STAFF_ROLES
from adminpanel.selectors.common import MONEY, NET, ZERO, as_money
from bookings import hooks
from bookings.models import BOOKING_PAYABLE, Booking, BookingService, BookingStatus
from bookings.staff_scope import staff_bookings
from core.errors import DomainError, ErrorCode
from core.types import Id
from payments.models import PAID_STATUSES, Payment

# --- users ------------------------------------------------------------------------------------


def _booking_totals() -> dict[str, Any]:
    bookings = Booking.objects.filter(user=OuterRef("pk")).order_by().values("user")
    total_bookings = Subquery(bookings.annotate(n=Count("id")).values("n"), output_field=IntegerField())
    spent = Subquery(
        Payment.objects.filter(user=OuterRef("pk"), payable_type=BOOKING_PAYABLE, status__in=PAID_STATUSES)
        .order_by()
        .values("user")
        .annotate(total=Sum(NET))
        .values("total"),
        output_field=MONEY,
    )
    return {
        "total_bookings": Coalesce(total_bookings, 0),
        "total_spent": Coalesce(spent, Value(ZERO), output_field=MONEY),
    }


def users_list(
    *,
    search: str | None = None,
    role: str | None = None,
    is_active: bool | None = None,
    staff: bool | None = None,
    partner_kind: str | None = None,
) -> QuerySet[User]:
    """People with their booking count and spend (two correlated subqueries; three queries a page).
    ``partner_kind`` keeps the users whose partner profile is of that kind (seed 003 role id 3: clinicians)."""
    rows = get_user_model().objects.prefetch_related("groups").annotate(**_booking_totals())
    if search:
        term = search.strip()
        rows = rows.filter(Q(full_name__icontains=term) | Q(email__icontains=term.lower()) | Q(phone__icontains=term))
    if role:
        rows = rows.filter(groups__name=role)
    if is_active is not None:
        rows = rows.filter(is_active=is_active)
    if partner_kind:
        rows = rows.filter(partner_profile__kind=partner_kind)
    if staff is True:
        rows = rows.filter(Q(is_superuser=True) | Q(groups__name__in=[r.value for r in STAFF_ROLES])).distinct()
    return rows.order_by("-created_at")


def user_detail(user_id: Id) -> tuple[User, dict[str, Any]]:
    user = (
        get_user_model()
        .objects.prefetch_related("groups", "addresses")
        .annotate(**_booking_totals())
        .filter(pk=user_id)
        .first()
    )
    if user is None:
        raise DomainError("User not found.", code=ErrorCode.NOT_FOUND, field="id", reason="not_found")
    count, spent = user.total_bookings, user.total_spent or ZERO  # type: ignore[attr-defined]  # _booking_totals()
    stats = {
        "total_bookings": count,
        "total_spent": as_money(spent),
        "average_order_value": as_money(spent / count) if count else 0.0,
        "cancelled_bookings": Booking.objects.filter(
            user=user, status__in=[BookingStatus.CANCELLED, BookingStatus.REFUNDED]
        ).count(),
    }
    return user, stats


def user_recent_bookings(user: User, *, viewer: User, limit: int = 20) -> QuerySet[Booking]:
    """The user's latest bookings with their services and partner (a fixed number of queries), those ``viewer``
    reaches as staff (``bookings.staff_scope``: a clinic role sees only appointments; no statement more)."""
    rows = staff_bookings(viewer, Booking.objects.filter(user=user))
    return hooks.with_partner(
        rows.prefetch_related(Prefetch("items", queryset=BookingService.objects.order_by("created_at")))
    ).order_by("-created_at")[:limit]
