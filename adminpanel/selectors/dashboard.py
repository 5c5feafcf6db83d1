"""Back-office dashboards: seed 000's (stats, latest bookings and partners, alerts), seed 003's metrics,
seed 002's staff activity, notification delivery stats and business alerts. Fixed query counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from accounts.models import User
from adminpanel.selectors.common import NET, PLATFORM, ZERO, CentreScope, as_money, bounds
from bookings.models import BOOKING_PAYABLE, Booking, BookingStatus
from bookings.staff_scope import staff_bookings
from core.models import AuditLog
from partners.models import Partner, PartnerEarning, PartnerPayout
from payments.models import PAID_STATUSES, Payment, PaymentStatus

# --- dashboard --------------------------------------------------------------------------------


def dashboard(*, viewer: User) -> dict[str, Any]:
    """Seed 000 admin dashboard: stats, the latest bookings and partners, alerts. Fixed query count. The latest
    bookings are those ``viewer`` reaches as staff (``bookings.staff_scope``: a centre manager sees only their
    centres' appointments there; no statement more)."""
    today_start, tomorrow = bounds(timezone.localdate(), timezone.localdate())
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
        staff_bookings(viewer, Booking.objects.select_related("user"))
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
            "total_revenue": as_money(money["total"]),
            "today_revenue": as_money(money["today"]),
            "active_partners": partners["active"],
            "total_partners": partners["total"],
            "pending_payouts": as_money((pending_payouts or ZERO) + (payouts_open or ZERO)),
        },
        "recent_bookings": [
            {
                "id": str(row["id"]),
                "booking_number": row["booking_number"],
                "customer_name": row["user__full_name"],
                "status": row["status"],
                "payment_status": row["payment_status"],
                "grand_total": as_money(row["grand_total"]),
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


def metrics(*, scope: CentreScope = PLATFORM) -> dict[str, Any]:
    """Seed 003 dashboard metrics: customers, partners, revenue, bookings today / this week / this month, and
    appointments (bookings with a chosen provider): their total, their follow-ups and their count per status.

    Readings (seed 003 is silent): every figure counts bookings of any status (the per-status counts show
    how many were cancelled or expired). A follow-up is an appointment whose patient had an earlier
    (by start) COMPLETED appointment with the same provider; the earlier one may be at any centre. Scoped
    to centres (``centreId``): bookings, customers and revenue of those centres, and the active partners
    working there (``Partner.centres`` or their primary centre). Queries: the bookings' counts (follow-ups
    are an EXISTS inside them), the revenue, the partners: three.
    """
    today = timezone.localdate()
    week_start = today - timedelta(days=today.weekday())
    appointment = Q(requested_partner__isnull=False)
    earlier_completed = Booking.objects.filter(
        user=OuterRef("user"),
        requested_partner=OuterRef("requested_partner"),
        status=BookingStatus.COMPLETED,
        scheduled_start__lt=OuterRef("scheduled_start"),
    )
    counts = scope.bookings().aggregate(
        today=Count("id", filter=Q(booking_date=today)),
        week=Count(
            "id", filter=Q(booking_date__gte=week_start, booking_date__lte=today + timedelta(days=6 - today.weekday()))
        ),
        month=Count("id", filter=Q(booking_date__year=today.year, booking_date__month=today.month)),
        customers=Count("user", distinct=True),
        appointments=Count("id", filter=appointment),
        follow_ups=Count("id", filter=appointment & Q(Exists(earlier_completed))),
        **{f"status_{value}": Count("id", filter=appointment & Q(status=value)) for value in BookingStatus.values},
    )
    revenue_total = Payment.objects.filter(
        scope.payments(), payable_type=BOOKING_PAYABLE, status__in=PAID_STATUSES
    ).aggregate(total=Sum(NET))["total"]
    partners = Partner.objects.filter(is_active=True)
    if not scope.is_platform:
        partners = partners.filter(scope.where("centres") | scope.where("primary_centre")).distinct()
    return {
        "total_customers": counts["customers"],
        "total_partners": partners.count(),
        "total_revenue": as_money(revenue_total),
        "bookings_today": counts["today"],
        "bookings_this_week": counts["week"],
        "bookings_this_month": counts["month"],
        "total_appointments": counts["appointments"],
        "total_follow_ups": counts["follow_ups"],
        "appointments_by_status": {value: counts[f"status_{value}"] for value in BookingStatus.values},
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


# --- notifications ----------------------------------------------------------------------------


def notification_stats() -> dict[str, Any]:
    from notifications.models import Delivery

    today_start, _ = bounds(timezone.localdate(), timezone.localdate())
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

    today_start, _ = bounds(timezone.localdate(), timezone.localdate())
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
