"""Staff reports on disputes and vendor onboarding (issue #20, seed 002 "Analytics"), aggregated in SQL.

* **Dispute analytics** (``GET /analytics/disputes?days=30``): the disputes opened in the last ``days`` days
  (by ``created_at``): how many, by status and by type (every status and type listed, zero when none),
  ``average_resolution_time_hours`` from opening to ``resolved_at`` over those resolved (null when none), and
  ``resolution_rate`` = resolved or closed / all, in percent (0.0 when none). Two queries, whatever the count.
* **Vendor onboarding analytics** (``GET /analytics/vendor-onboarding``): every ``PartnerApplication``: how
  many, by status (all four listed), ``average_review_time_days`` from ``submitted_at`` to ``reviewed_at`` over
  those reviewed after being submitted (null when none), and ``approval_rate`` = approved / (approved +
  rejected), in percent (0.0 when none decided). Two queries.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F
from django.utils import timezone

from bookings.models import Dispute, DisputeStatus, DisputeType
from partners.models import ApplicationStatus, PartnerApplication

SECONDS_PER_HOUR, SECONDS_PER_DAY = 3600, 86400


def _rate(part: int, whole: int) -> float:
    return round(part * 100 / whole, 1) if whole else 0.0


def _average(rows: Any, start: str, end: str) -> timedelta | None:
    span = ExpressionWrapper(F(end) - F(start), output_field=DurationField())
    found: timedelta | None = rows.filter(**{f"{start}__isnull": False, f"{end}__isnull": False}).aggregate(
        span=Avg(span)
    )["span"]
    return found


def dispute_analytics(*, days: int = 30) -> dict[str, Any]:
    rows = Dispute.objects.filter(created_at__gte=timezone.now() - timedelta(days=days)).order_by()
    by_status = dict.fromkeys(DisputeStatus.values, 0)
    by_type = dict.fromkeys(DisputeType.values, 0)
    for status, kind, n in rows.values_list("status", "dispute_type").annotate(n=Count("id")):
        by_status[status] += n
        by_type[kind] += n
    total = sum(by_status.values())
    span = _average(rows, "created_at", "resolved_at")
    return {
        "days": days,
        "total_disputes": total,
        "by_status": by_status,
        "by_type": by_type,
        "average_resolution_time_hours": round(span.total_seconds() / SECONDS_PER_HOUR, 1) if span else None,
        "resolution_rate": _rate(by_status[DisputeStatus.RESOLVED] + by_status[DisputeStatus.CLOSED], total),
    }


def vendor_onboarding_analytics() -> dict[str, Any]:
    rows = PartnerApplication.objects.order_by()
    by_status = dict.fromkeys(ApplicationStatus.values, 0)
    by_status.update(dict(rows.values_list("status").annotate(n=Count("id"))))
    span = _average(rows, "submitted_at", "reviewed_at")
    approved, rejected = by_status[ApplicationStatus.APPROVED], by_status[ApplicationStatus.REJECTED]
    return {
        "total_applications": sum(by_status.values()),
        "by_status": by_status,
        "average_review_time_days": round(span.total_seconds() / SECONDS_PER_DAY, 1) if span else None,
        "approval_rate": _rate(approved, approved + rejected),
    }
