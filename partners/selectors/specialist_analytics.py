"""Seed 004's analytics (issue #19): the specialist dashboard and the platform metrics, each in a fixed
number of queries whatever the data.

Readings taken where the seed is silent:

* **Revenue** is the ``grand_total`` of *completed* bookings (for a specialist: their appointments,
  ``requested_partner`` = them), bucketed by the month of the booking's start: the specialist's own time
  zone for the dashboard (as ``GET /specialists/profile`` does), the platform's ``TIME_ZONE`` for the metrics.
* **Specialist bookings** count every appointment of theirs except unpaid holds (``pending_payment``, and
  ``expired`` ones that were never paid); ``this_month_bookings`` by local start month.
* **Revenue chart**: the last 12 local calendar months, oldest first, the current month last; every month is
  listed, zeros included; ``bookings`` there counts the completed appointments of the month.
* **Top services**: the specialist's services on completed appointments, ranked by revenue, then bookings,
  then name; at most 5; ``revenue`` is the sum of those bookings' ``grand_total``, ``name`` the service's
  current name.
* **Ratings**: ``average_rating``/``total_reviews`` are the partner's maintained ``rating``/``rating_count``
  (hidden reviews excluded by the review service).
* **Response rate**: of the appointments that reached the specialist for confirmation (a ``pending`` status on
  their timeline: paid online, or booked in cash), the percentage the specialist confirmed (a
  ``provider_confirmed`` event), rounded to a whole number; 0 with none.
* **Repeat customers**: of the customers with at least one completed appointment, the percentage with two or
  more, rounded to a whole number; 0 with none.
* **Platform users**: ``total`` every account; ``customers`` those holding the customer role; ``specialists``
  the specialist profiles (``Partner`` kind specialist); ``growth`` the accounts created this and last
  calendar month.
* **Platform bookings**: ``total`` every booking except lapsed unpaid holds (``expired``); ``this_month`` by
  the month of their start; ``completion_rate`` = completed / finished (completed, cancelled, refunded,
  no-show) as a whole percentage; ``average_value`` the mean ``grand_total`` of completed bookings.
* **Commission**: ``commission_earned`` is the sum of every ``PartnerEarning.platform_commission``.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Avg, Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from bookings.models import Booking, BookingEvent, BookingService, BookingStatus
from partners.models import Partner, PartnerEarning, PartnerKind
from partners.selectors import agenda

ZERO = Decimal("0.00")
CHART_MONTHS = 12
TOP_SERVICES = 5
UNPAID_HOLDS = (BookingStatus.PENDING_PAYMENT, BookingStatus.EXPIRED)
FINISHED = (BookingStatus.COMPLETED, BookingStatus.CANCELLED, BookingStatus.REFUNDED, BookingStatus.NO_SHOW)


def _month_back(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _percent(part: int, whole: int) -> int:
    if not whole:
        return 0
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _money(value: Decimal | None) -> Decimal:
    return (value or ZERO).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _local(first: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(first, time.min, tzinfo=zone)


def _this_month(now: datetime, zone: ZoneInfo) -> tuple[date, Q]:
    """The local month of ``now``: its first day and a filter on ``scheduled_start`` inside it."""
    first = now.astimezone(zone).date().replace(day=1)
    return first, Q(scheduled_start__gte=_local(first, zone), scheduled_start__lt=_local(_month_back(first, -1), zone))


def dashboard_of(partner: Partner, *, now: datetime | None = None) -> dict[str, Any]:
    """The specialist dashboard (four queries: overview, chart, top services, repeat customers)."""
    now = now or timezone.now()
    zone = agenda.zone_of(partner)
    this_first, this_month = _this_month(now, zone)
    firsts = [_month_back(this_first, back) for back in range(CHART_MONTHS - 1, -1, -1)]
    mine = Booking.objects.filter(requested_partner=partner)
    completed = Q(status=BookingStatus.COMPLETED)
    reached = Exists(BookingEvent.objects.filter(booking=OuterRef("pk"), new_status="pending"))
    confirmed = Exists(BookingEvent.objects.filter(booking=OuterRef("pk"), action="provider_confirmed"))
    totals = mine.aggregate(
        total_revenue=Sum("grand_total", filter=completed),
        this_month_revenue=Sum("grand_total", filter=completed & this_month),
        total_bookings=Count("pk", filter=~Q(status__in=UNPAID_HOLDS)),
        this_month_bookings=Count("pk", filter=~Q(status__in=UNPAID_HOLDS) & this_month),
        completed_bookings=Count("pk", filter=completed),
        awaiting=Count("pk", filter=Q(reached)),
        answered=Count("pk", filter=Q(reached) & Q(confirmed)),
    )
    by_month = {
        row["month"].astimezone(zone).date(): row
        for row in mine.filter(completed, scheduled_start__gte=_local(firsts[0], zone))
        .annotate(month=TruncMonth("scheduled_start", tzinfo=zone))
        .values("month")
        .annotate(revenue=Sum("grand_total"), bookings=Count("pk"))
        .order_by()
    }
    top = (
        BookingService.objects.filter(booking__requested_partner=partner, booking__status=BookingStatus.COMPLETED)
        .exclude(service__isnull=True)
        .values("service_id", "service__name")
        .annotate(bookings=Count("booking", distinct=True), revenue=Sum("booking__grand_total"))
        .order_by("-revenue", "-bookings", "service__name")[:TOP_SERVICES]
    )
    repeat = (
        mine.filter(completed)
        .values("user_id")
        .annotate(done=Count("pk"))
        .order_by()
        .aggregate(customers=Count("user_id"), repeat=Count("user_id", filter=Q(done__gte=2)))
    )
    response_rate = _percent(totals["answered"], totals["awaiting"])
    rating = partner.rating
    return {
        "overview": {
            "total_revenue": _money(totals["total_revenue"]),
            "this_month_revenue": _money(totals["this_month_revenue"]),
            "total_bookings": totals["total_bookings"],
            "this_month_bookings": totals["this_month_bookings"],
            "completed_bookings": totals["completed_bookings"],
            "average_rating": rating,
            "total_reviews": partner.rating_count,
            "response_rate": response_rate,
        },
        "revenue_chart": [
            {
                "month": first.strftime("%Y-%m"),
                "revenue": _money(by_month[first]["revenue"] if first in by_month else None),
                "bookings": by_month[first]["bookings"] if first in by_month else 0,
            }
            for first in firsts
        ],
        "top_services": [
            {
                "service_id": row["service_id"],
                "name": row["service__name"],
                "bookings": row["bookings"],
                "revenue": _money(row["revenue"]),
            }
            for row in top
        ],
        "customer_satisfaction": {
            "average_rating": rating,
            "response_rate": response_rate,
            "repeat_customers": _percent(repeat["repeat"], repeat["customers"]),
        },
    }


def platform_metrics(*, now: datetime | None = None) -> dict[str, Any]:
    """Platform-wide users, bookings and revenue (four queries: users, specialists, bookings, commission)."""
    now = now or timezone.now()
    zone = ZoneInfo(settings.TIME_ZONE)
    this_first, this_month = _this_month(now, zone)
    this_start, last_start = _local(this_first, zone), _local(_month_back(this_first, 1), zone)
    memberships = User.groups.through._default_manager  # the user-group join table has no typed .objects
    is_customer = Exists(memberships.filter(user_id=OuterRef("pk"), group__name=Role.CUSTOMER.value))
    users = User.objects.aggregate(
        total=Count("pk"),
        customers=Count("pk", filter=Q(is_customer)),
        this_month=Count("pk", filter=Q(created_at__gte=this_start)),
        last_month=Count("pk", filter=Q(created_at__gte=last_start, created_at__lt=this_start)),
    )
    specialists = Partner.objects.filter(kind=PartnerKind.SPECIALIST).count()
    completed = Q(status=BookingStatus.COMPLETED)
    bookings = Booking.objects.exclude(status=BookingStatus.EXPIRED).aggregate(
        total=Count("pk"),
        this_month=Count("pk", filter=this_month),
        completed=Count("pk", filter=completed),
        finished=Count("pk", filter=Q(status__in=FINISHED)),
        average_value=Avg("grand_total", filter=completed),
        revenue=Sum("grand_total", filter=completed),
        revenue_this_month=Sum("grand_total", filter=completed & this_month),
    )
    commission = PartnerEarning.objects.aggregate(total=Sum("platform_commission"))["total"]
    return {
        "users": {
            "total": users["total"],
            "customers": users["customers"],
            "specialists": specialists,
            "growth": {"this_month": users["this_month"], "last_month": users["last_month"]},
        },
        "bookings": {
            "total": bookings["total"],
            "this_month": bookings["this_month"],
            "completion_rate": _percent(bookings["completed"], bookings["finished"]),
            "average_value": _money(bookings["average_value"]),
        },
        "revenue": {
            "total": _money(bookings["revenue"]),
            "this_month": _money(bookings["revenue_this_month"]),
            "commission_earned": _money(commission),
        },
    }
