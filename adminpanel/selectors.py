"""Back-office reads: dashboard, analytics, users. Every figure is computed by the database.

Aggregations (``Sum``, ``Count``, ``Avg``, ``Trunc*``) and correlated
subqueries, never Python loops over rows, so each report costs a fixed number
of queries whatever the number of bookings (asserted in
``tests/adminpanel/test_queries.py``; timings in ``benchmarks/``).

Definitions (seed 000 is silent on them):

* **Revenue** is money received for bookings: captured booking payments
  (online and cash) less what was refunded, dated by when it was captured
  (Asia/Kolkata days). ``bookings`` counts the bookings paid for.
* **Partner performance** counts the jobs a partner accepted whose booking
  date falls in the range: completed, cancelled after acceptance, earnings
  recorded in the range and the average customer rating of those jobs.
* **Service popularity** counts booked lines (not cancelled) by booking date.
* **Pincode demand** (seed 002 pincode scaling) groups bookings by the
  address pincode and compares them with the partners serving that pincode:
  ``demand_intensity`` = bookings per partner, ``zone_status`` is
  ``no_coverage`` (no partner), ``high_demand`` (over 10 per partner),
  ``low_demand`` (under 1) or ``optimal``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import (
    Avg,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce, TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

from accounts.roles import STAFF_ROLES
from bookings.models import Booking, BookingService, BookingSource, BookingStatus
from core.errors import DomainError, ErrorCode
from core.models import AuditLog
from partners.models import Partner, PartnerAssignment, PartnerEarning, PartnerPayout, ServiceAreaPincode
from payments.models import PAID_STATUSES, Payment, PaymentStatus

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)
BOOKING_PAYABLE = "bookings.booking"
GROUPS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}
MAX_RANGE_DAYS = 366 * 3
ACCEPTED_STATUSES = ("accepted", "in_transit", "arrived", "completed", "cancelled")


def _money(value) -> float:
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


def _bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return datetime.combine(date_from, time.min, tzinfo=zone), datetime.combine(
        date_to + timedelta(days=1), time.min, tzinfo=zone
    )


# --- revenue ----------------------------------------------------------------------------------


def _booking_payments(start: datetime, end: datetime) -> QuerySet[Payment]:
    return Payment.objects.filter(
        payable_type=BOOKING_PAYABLE, status__in=PAID_STATUSES, captured_at__gte=start, captured_at__lt=end
    )


NET = ExpressionWrapper(F("amount") - F("amount_refunded"), output_field=MONEY)


def revenue(*, date_from: date, date_to: date, group: str = "day") -> dict[str, Any]:
    start, end = _bounds(date_from, date_to)
    rows = _booking_payments(start, end)
    totals = rows.aggregate(revenue=Sum(NET), bookings=Count("payable_id", distinct=True))
    trunc = GROUPS[group]("captured_at", tzinfo=timezone.get_current_timezone())
    breakdown = (
        rows.annotate(period=trunc)
        .values("period")
        .annotate(revenue=Sum(NET), bookings=Count("payable_id", distinct=True))
        .order_by("period")
    )
    total, count = totals["revenue"] or ZERO, totals["bookings"] or 0
    return {
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "group_by": group,
        "total_revenue": _money(total),
        "total_bookings": count,
        "average_order_value": _money(total / count) if count else 0.0,
        "breakdown": [
            {
                "date": timezone.localtime(row["period"]).date().isoformat()
                if isinstance(row["period"], datetime)
                else row["period"].isoformat(),
                "revenue": _money(row["revenue"]),
                "bookings": row["bookings"],
            }
            for row in breakdown
        ],
    }


def revenue_chart(*, days: int = 30) -> dict[str, Any]:
    """The Django admin dashboard's chart: revenue per day for the last ``days`` days, every day present."""
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    report = revenue(date_from=first, date_to=today, group="day")
    by_day = {row["date"]: row["revenue"] for row in report["breakdown"]}
    points = [
        {
            "date": (first + timedelta(days=i)).isoformat(),
            "revenue": by_day.get((first + timedelta(days=i)).isoformat(), 0.0),
        }
        for i in range(days)
    ]
    peak = max((p["revenue"] for p in points), default=0.0) or 1.0
    width, height, gap = 600, 160, 2
    bar = width / days
    for index, point in enumerate(points):
        point["x"] = round(index * bar + gap / 2, 2)
        point["width"] = round(bar - gap, 2)
        point["height"] = round(point["revenue"] / peak * (height - 20), 2)
        point["y"] = round(height - point["height"], 2)
    return {"points": points, "total": report["total_revenue"], "peak": peak, "width": width, "height": height}


# --- dashboard --------------------------------------------------------------------------------


def dashboard() -> dict[str, Any]:
    """Seed 000 admin dashboard: stats, the latest bookings and partners, alerts. Fixed query count."""
    today_start, tomorrow = _bounds(timezone.localdate(), timezone.localdate())
    counts = Booking.objects.aggregate(
        total=Count("id"),
        pending=Count("id", filter=Q(status__in=[BookingStatus.PENDING, BookingStatus.PARTNER_ASSIGNED])),
        confirmed=Count("id", filter=Q(status__in=[BookingStatus.CONFIRMED, BookingStatus.IN_PROGRESS])),
        completed=Count("id", filter=Q(status=BookingStatus.COMPLETED)),
        cancelled=Count("id", filter=Q(status__in=[BookingStatus.CANCELLED, BookingStatus.REFUNDED])),
    )
    money = Payment.objects.filter(payable_type=BOOKING_PAYABLE, status__in=PAID_STATUSES).aggregate(
        total=Sum(NET), today=Sum(NET, filter=Q(captured_at__gte=today_start, captured_at__lt=tomorrow))
    )
    partners = Partner.objects.aggregate(
        total=Count("id"), active=Count("id", filter=Q(is_active=True, onboarding_status="verified"))
    )
    pending_payouts = PartnerEarning.objects.filter(status="pending").aggregate(total=Sum("partner_earning"))["total"]
    payouts_open = PartnerPayout.objects.filter(status__in=["pending", "processing"]).aggregate(
        total=Sum("net_amount")
    )["total"]
    day_ago = timezone.now() - timedelta(hours=24)
    failed_payments = Payment.objects.filter(status=PaymentStatus.FAILED, updated_at__gte=day_ago).count()
    from partners.models import Dispatch  # the manual queue

    waiting = Dispatch.objects.filter(status="manual").count()
    recent_bookings = list(
        Booking.objects.select_related("user")
        .order_by("-created_at")
        .values("id", "booking_number", "status", "payment_status", "grand_total", "booking_date", "user__full_name")[
            :5
        ]
    )
    recent_partners = list(
        Partner.objects.select_related("user")
        .order_by("-created_at")
        .values("id", "partner_code", "user__full_name", "onboarding_status", "is_active", "created_at")[:5]
    )
    return {
        "stats": {
            "total_bookings": counts["total"],
            "pending_bookings": counts["pending"],
            "confirmed_bookings": counts["confirmed"],
            "completed_bookings": counts["completed"],
            "cancelled_bookings": counts["cancelled"],
            "total_revenue": _money(money["total"]),
            "today_revenue": _money(money["today"]),
            "active_partners": partners["active"],
            "total_partners": partners["total"],
            "pending_payouts": _money((pending_payouts or ZERO) + (payouts_open or ZERO)),
        },
        "recent_bookings": [
            {
                "id": str(row["id"]),
                "booking_number": row["booking_number"],
                "customer_name": row["user__full_name"],
                "status": row["status"],
                "payment_status": row["payment_status"],
                "grand_total": _money(row["grand_total"]),
                "booking_date": row["booking_date"].isoformat(),
            }
            for row in recent_bookings
        ],
        "recent_partners": [
            {
                "id": str(row["id"]),
                "partner_code": row["partner_code"],
                "name": row["user__full_name"],
                "status": row["onboarding_status"],
                "is_active": row["is_active"],
                "created_at": row["created_at"].isoformat(),
            }
            for row in recent_partners
        ],
        "alerts": [
            alert
            for alert in (
                {"type": "payment_failed", "count": failed_payments},
                {"type": "bookings_waiting_for_partner", "count": waiting},
            )
            if alert["count"]
        ],
    }


def metrics() -> dict[str, Any]:
    """Seed 003 dashboard metrics (customers, partners, revenue, bookings today / this week / this month)."""
    today = timezone.localdate()
    week_start = today - timedelta(days=today.weekday())
    counts = Booking.objects.aggregate(
        today=Count("id", filter=Q(booking_date=today)),
        week=Count(
            "id", filter=Q(booking_date__gte=week_start, booking_date__lte=today + timedelta(days=6 - today.weekday()))
        ),
        month=Count("id", filter=Q(booking_date__year=today.year, booking_date__month=today.month)),
        customers=Count("user", distinct=True),
    )
    revenue_total = Payment.objects.filter(payable_type=BOOKING_PAYABLE, status__in=PAID_STATUSES).aggregate(
        total=Sum(NET)
    )["total"]
    return {
        "total_customers": counts["customers"],
        "total_partners": Partner.objects.filter(is_active=True).count(),
        "total_revenue": _money(revenue_total),
        "bookings_today": counts["today"],
        "bookings_this_week": counts["week"],
        "bookings_this_month": counts["month"],
    }


def activity(*, hours: int = 24) -> dict[str, Any]:
    """Seed 002 dashboard stats: what staff did lately (from the audit log)."""
    since = timezone.now() - timedelta(hours=hours)
    rows = AuditLog.objects.filter(created_at__gte=since)
    summary = rows.aggregate(total=Count("id"), users=Count("actor", distinct=True))
    top = rows.values("action").annotate(count=Count("id")).order_by("-count", "action")[:5]
    return {
        "total_actions_24h": summary["total"],
        "unique_users_24h": summary["users"],
        "top_actions": [{"action": row["action"], "count": row["count"]} for row in top],
    }


# --- partners, services, sources, pincodes ----------------------------------------------------


def partner_performance(*, date_from: date, date_to: date, partner_id=None, limit: int | None = None) -> list[dict]:
    """One GROUP BY over the accepted jobs, one over the earnings, one for the names: three queries."""
    jobs = PartnerAssignment.objects.filter(
        status__in=ACCEPTED_STATUSES,
        accepted_at__isnull=False,
        booking__booking_date__gte=date_from,
        booking__booking_date__lte=date_to,
    )
    if partner_id:
        jobs = jobs.filter(partner_id=partner_id)
    completed = Q(status="completed")
    rows = (
        jobs.values("partner_id")
        .annotate(
            jobs_total=Count("id"),
            jobs_completed=Count("id", filter=completed),
            jobs_cancelled=Count("id", filter=Q(status="cancelled")),
            revenue_total=Coalesce(Sum("booking__grand_total", filter=completed), Value(ZERO), output_field=MONEY),
            rating_avg=Avg("booking__customer_rating", filter=completed),
        )
        .order_by("-jobs_completed", "-revenue_total", "partner_id")
    )
    rows = list(rows[:limit] if limit else rows)
    ids = [row["partner_id"] for row in rows]
    start, end = _bounds(date_from, date_to)
    earnings = dict(
        PartnerEarning.objects.filter(partner_id__in=ids, created_at__gte=start, created_at__lt=end)
        .order_by()
        .values("partner_id")
        .annotate(total=Sum("partner_earning"))
        .values_list("partner_id", "total")
    )
    who = {
        pk: (code, name)
        for pk, code, name in Partner.objects.filter(pk__in=ids).values_list("pk", "partner_code", "user__full_name")
    }
    return [
        {
            "partner_id": str(row["partner_id"]),
            "partner_code": who.get(row["partner_id"], ("", ""))[0],
            "partner_name": who.get(row["partner_id"], ("", ""))[1],
            "total_bookings": row["jobs_total"],
            "completed_bookings": row["jobs_completed"],
            "cancelled_bookings": row["jobs_cancelled"],
            "total_earnings": _money(earnings.get(row["partner_id"])),
            "total_revenue": _money(row["revenue_total"]),
            "average_rating": round(float(row["rating_avg"]), 2) if row["rating_avg"] is not None else None,
            "cancellation_rate": round(row["jobs_cancelled"] * 100 / row["jobs_total"], 2)
            if row["jobs_total"]
            else 0.0,
        }
        for row in rows
    ]


def service_popularity(*, date_from: date, date_to: date, limit: int | None = None) -> list[dict]:
    rows = (
        BookingService.objects.filter(booking__booking_date__gte=date_from, booking__booking_date__lte=date_to)
        .exclude(booking__status__in=[BookingStatus.CANCELLED, BookingStatus.REFUNDED])
        .values("service_id", "service__name", "service__tier", "service__category__name")
        .annotate(
            bookings=Count("booking", distinct=True),
            units=Sum("quantity"),
            revenue=Sum(ExpressionWrapper(F("unit_price") * F("quantity"), output_field=MONEY)),
            rating=Avg("booking__customer_rating"),
        )
        .order_by("-bookings", "-revenue", "service__name")
    )
    if limit:
        rows = rows[:limit]
    return [
        {
            "service_id": str(row["service_id"]),
            "service_name": row["service__name"],
            "category": row["service__category__name"],
            "tier": row["service__tier"],
            "total_bookings": row["bookings"],
            "quantity": row["units"],
            "total_revenue": _money(row["revenue"]),
            "average_rating": round(float(row["rating"]), 2) if row["rating"] is not None else None,
        }
        for row in rows
    ]


def bookings_by_source(*, date_from: date, date_to: date) -> list[dict]:
    """Bookings made (``created_at``) in the range, by where they were made."""
    start, end = _bounds(date_from, date_to)
    rows = dict(
        Booking.objects.filter(created_at__gte=start, created_at__lt=end)
        .order_by()
        .values_list("source")
        .annotate(n=Count("id"))
    )
    total = sum(rows.values())
    return sorted(
        (
            {
                "source": source,
                "label": label,
                "count": rows.get(source, 0),
                "percentage": round(rows.get(source, 0) * 100 / total, 2) if total else 0.0,
            }
            for source, label in BookingSource.choices
        ),
        key=lambda row: (-row["count"], row["source"]),
    )


def pincode_demand(*, days_back: int = 30, service_type: str | None = None) -> dict[str, Any]:
    since = timezone.localdate() - timedelta(days=days_back)
    bookings = Booking.objects.filter(booking_date__gte=since)
    if service_type:
        bookings = bookings.filter(
            Q(items__service__service_type__iexact=service_type) | Q(items__service__category__key__iexact=service_type)
        ).distinct()
    rows = list(
        bookings.annotate(pincode=KeyTextTransform("pincode", "address_snapshot"))
        .exclude(pincode__isnull=True)
        .order_by()
        .values("pincode")
        .annotate(
            total=Count("id", distinct=True),
            completed=Count("id", filter=Q(status=BookingStatus.COMPLETED), distinct=True),
            pending=Count(
                "id",
                filter=Q(status__in=[BookingStatus.PENDING, BookingStatus.PARTNER_ASSIGNED, BookingStatus.CONFIRMED]),
                distinct=True,
            ),
            cancelled=Count(
                "id", filter=Q(status__in=[BookingStatus.CANCELLED, BookingStatus.REFUNDED]), distinct=True
            ),
        )
    )
    vendors = dict(
        ServiceAreaPincode.objects.filter(pincode__in=[row["pincode"] for row in rows], partner__is_active=True)
        .order_by()
        .values_list("pincode")
        .annotate(n=Count("partner", distinct=True))
    )
    data = []
    for row in rows:
        partners_here = vendors.get(row["pincode"], 0)
        total = row["total"]
        intensity = round(total / partners_here, 2) if partners_here else float(total)
        if not partners_here:
            status = "no_coverage"
        elif intensity > 10:
            status = "high_demand"
        elif intensity < 1:
            status = "low_demand"
        else:
            status = "optimal"
        data.append(
            {
                "pincode": row["pincode"],
                "total_bookings": total,
                "completed_bookings": row["completed"],
                "pending_bookings": row["pending"],
                "cancelled_bookings": row["cancelled"],
                "completion_rate": round(row["completed"] * 100 / total, 2) if total else 0.0,
                "cancellation_rate": round(row["cancelled"] * 100 / total, 2) if total else 0.0,
                "available_vendors": partners_here,
                "demand_intensity": intensity,
                "estimated_wait_time_hours": round(intensity / 10, 1) if partners_here else None,
                "zone_status": status,
                "heat_intensity": min(100.0, round(intensity * 10, 1)),
            }
        )
    data.sort(key=lambda row: (-row["total_bookings"], row["pincode"]))
    return {
        "days_back": days_back,
        "pincodes": data,
        "summary": {
            "total_pincodes": len(data),
            "total_bookings": sum(row["total_bookings"] for row in data),
            "total_vendors": ServiceAreaPincode.objects.filter(partner__is_active=True)
            .values("partner")
            .distinct()
            .count(),
            "high_demand_zones": sum(1 for row in data if row["zone_status"] == "high_demand"),
            "optimal_zones": sum(1 for row in data if row["zone_status"] == "optimal"),
            "no_coverage_zones": sum(1 for row in data if row["zone_status"] == "no_coverage"),
        },
    }


# --- users ------------------------------------------------------------------------------------


def _booking_totals():
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
    *, search: str | None = None, role: str | None = None, is_active: bool | None = None, staff: bool | None = None
) -> QuerySet:
    """People with their booking count and spend (two correlated subqueries; three queries a page)."""
    rows = get_user_model().objects.prefetch_related("groups").annotate(**_booking_totals())
    if search:
        term = search.strip()
        rows = rows.filter(Q(full_name__icontains=term) | Q(email__icontains=term.lower()) | Q(phone__icontains=term))
    if role:
        rows = rows.filter(groups__name=role)
    if is_active is not None:
        rows = rows.filter(is_active=is_active)
    if staff is True:
        rows = rows.filter(Q(is_superuser=True) | Q(groups__name__in=[r.value for r in STAFF_ROLES])).distinct()
    return rows.order_by("-created_at")


def user_detail(user_id) -> tuple[Any, dict[str, Any]]:
    user = (
        get_user_model()
        .objects.prefetch_related("groups", "addresses")
        .annotate(**_booking_totals())
        .filter(pk=user_id)
        .first()
    )
    if user is None:
        raise DomainError("User not found.", code=ErrorCode.NOT_FOUND, field="id", reason="not_found")
    count, spent = user.total_bookings, user.total_spent or ZERO
    stats = {
        "total_bookings": count,
        "total_spent": _money(spent),
        "average_order_value": _money(spent / count) if count else 0.0,
        "cancelled_bookings": Booking.objects.filter(
            user=user, status__in=[BookingStatus.CANCELLED, BookingStatus.REFUNDED]
        ).count(),
    }
    return user, stats


# --- notifications ----------------------------------------------------------------------------


def notification_stats() -> dict[str, Any]:
    from notifications.models import Delivery

    today_start, _ = _bounds(timezone.localdate(), timezone.localdate())
    week_start = today_start - timedelta(days=6)
    week = Delivery.objects.filter(created_at__gte=week_start)
    today = week.filter(created_at__gte=today_start)
    counts = today.aggregate(
        total=Count("id"), sent=Count("id", filter=Q(status="sent")), failed=Count("id", filter=Q(status="failed"))
    )
    finished = counts["sent"] + counts["failed"]
    return {
        "total_sent_today": counts["sent"],
        "total_sent_week": week.filter(status="sent").count(),
        "success_rate_today": round(counts["sent"] * 100 / finished, 2) if finished else 0.0,
        "by_type_today": dict(today.order_by().values_list("event_type").annotate(n=Count("id"))),
        "by_method_today": dict(today.order_by().values_list("channel").annotate(n=Count("id"))),
        "failed_today": counts["failed"],
        "pending_today": counts["total"] - finished,
    }


def business_alerts() -> dict[str, int]:
    """What needs a person now: bookings no partner took (critical when due within two hours), failed messages today."""
    from notifications.models import Delivery
    from partners.models import DispatchStatus

    today_start, _ = _bounds(timezone.localdate(), timezone.localdate())
    waiting = Booking.objects.filter(
        dispatch__status=DispatchStatus.MANUAL, status__in=[BookingStatus.PENDING, BookingStatus.CONFIRMED]
    ).aggregate(
        n=Count("id"),
        soon=Count("id", filter=Q(scheduled_start__lte=timezone.now() + timedelta(hours=2))),
    )
    failed = Delivery.objects.filter(created_at__gte=today_start, status="failed").count()
    return {
        "active_alerts": waiting["n"] + failed,
        "critical_alerts": waiting["soon"],
        "bookings_needing_partner": waiting["n"],
        "failed_deliveries_today": failed,
    }
