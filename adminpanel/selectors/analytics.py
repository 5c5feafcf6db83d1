"""Back-office reports: revenue, partner performance, service popularity, bookings by source, pincode demand.

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

Revenue, partner performance (and top partners) and bookings by source take a
:class:`~adminpanel.selectors.common.CentreScope` (seed 003 ``centreId``): only bookings at those centres,
their payments, their jobs and earnings. Revenue groups by day, week, month or year (seed 003 ``period``);
a week or year point is dated by its first day.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Avg, Count, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.utils import timezone

from adminpanel.selectors.common import GROUPS, MONEY, NET, PLATFORM, ZERO, CentreScope, as_money, bounds
from bookings.models import BOOKING_PAYABLE, Booking, BookingService, BookingSource, BookingStatus
from core.types import Id
from partners.models import Partner, PartnerAssignment, PartnerEarning, ServiceAreaPincode
from payments.models import PAID_STATUSES, Payment

ACCEPTED_STATUSES = ("accepted", "in_transit", "arrived", "completed", "cancelled")


# --- revenue ----------------------------------------------------------------------------------


def _booking_payments(start: datetime, end: datetime, scope: CentreScope) -> QuerySet[Payment]:
    return Payment.objects.filter(
        scope.payments(),
        payable_type=BOOKING_PAYABLE,
        status__in=PAID_STATUSES,
        captured_at__gte=start,
        captured_at__lt=end,
    )


def revenue(*, date_from: date, date_to: date, group: str = "day", scope: CentreScope = PLATFORM) -> dict[str, Any]:
    start, end = bounds(date_from, date_to)
    rows = _booking_payments(start, end, scope)
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
        "total_revenue": as_money(total),
        "total_bookings": count,
        "average_order_value": as_money(total / count) if count else 0.0,
        "breakdown": [
            {
                "date": timezone.localtime(row["period"]).date().isoformat()
                if isinstance(row["period"], datetime)
                else row["period"].isoformat(),
                "revenue": as_money(row["revenue"]),
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


# --- partners, services, sources, pincodes ----------------------------------------------------


def partner_performance(
    *,
    date_from: date,
    date_to: date,
    partner_id: Id | None = None,
    limit: int | None = None,
    scope: CentreScope = PLATFORM,
) -> list[dict[str, Any]]:
    """One GROUP BY over the accepted jobs, one over the earnings, one for the names: three queries. Scoped to
    centres, both the jobs and the earnings are those of bookings at the centres."""
    jobs = PartnerAssignment.objects.filter(
        scope.where("booking__centre"),
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
    top = list(rows[:limit] if limit else rows)
    ids = [row["partner_id"] for row in top]
    start, end = bounds(date_from, date_to)
    earnings = dict(
        PartnerEarning.objects.filter(
            scope.where("booking__centre"), partner_id__in=ids, created_at__gte=start, created_at__lt=end
        )
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
            "total_earnings": as_money(earnings.get(row["partner_id"])),
            "total_revenue": as_money(row["revenue_total"]),
            "average_rating": round(float(row["rating_avg"]), 2) if row["rating_avg"] is not None else None,
            "cancellation_rate": round(row["jobs_cancelled"] * 100 / row["jobs_total"], 2)
            if row["jobs_total"]
            else 0.0,
        }
        for row in top
    ]


def service_popularity(*, date_from: date, date_to: date, limit: int | None = None) -> list[dict[str, Any]]:
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
            "total_revenue": as_money(row["revenue"]),
            "average_rating": round(float(row["rating"]), 2) if row["rating"] is not None else None,
        }
        for row in rows
    ]


def bookings_by_source(*, date_from: date, date_to: date, scope: CentreScope = PLATFORM) -> list[dict[str, Any]]:
    """Bookings made (``created_at``) in the range, by where they were made."""
    start, end = bounds(date_from, date_to)
    rows = dict(
        scope.bookings()
        .filter(created_at__gte=start, created_at__lt=end)
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
