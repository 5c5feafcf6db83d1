"""Performance: a partner's seed 002 performance summary and the bonus standings, computed from their jobs.

Both read the same aggregates over a partner's assignments (jobs accepted,
completed, dropped after acceptance, arrivals and on-time arrivals, five-star
ratings) and apply the same rules: completion, on-time and dispute rates, a
gold/silver/bronze tier and bonus points. ``partner_performance`` answers the
partner app's ``/partner/performance`` for one partner; ``bonus_standings``
ranks every active, verified partner in one query for the bonus alerts
(``partners.services.bonus``). The acceptance rate itself is kept on the
partner by ``partners.services.figures``.
"""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils import timezone

from partners.models import AssignmentStatus, OnboardingStatus, Partner, PartnerAssignment

BONUS_PER_JOB, BONUS_PER_FIVE_STAR = 10, 5


def _performance_counts() -> dict:
    """Aggregates over a partner's assignments (usable per partner, or grouped by partner)."""
    taken = [AssignmentStatus.ACCEPTED, AssignmentStatus.IN_TRANSIT, AssignmentStatus.ARRIVED, "completed"]
    dropped = Q(status=AssignmentStatus.CANCELLED, accepted_at__isnull=False)
    return {
        "accepted": Count("id", filter=Q(status__in=taken) | dropped),
        "completed": Count("id", filter=Q(status=AssignmentStatus.COMPLETED)),
        "dropped": Count("id", filter=dropped),
        "arrivals": Count("id", filter=Q(actual_arrival__isnull=False)),
        "on_time": Count(
            "id", filter=Q(actual_arrival__isnull=False, actual_arrival__lte=F("booking__scheduled_start"))
        ),
        "five_stars": Count("id", filter=Q(status=AssignmentStatus.COMPLETED, booking__customer_rating=5)),
    }


def _rate(part: int, whole: int) -> float:
    return round(part * 100 / whole, 1) if whole else 0.0


def _tier(rating: float | None, completion: float) -> str:
    if rating is not None and rating >= 4.5 and completion >= 90:
        return "gold"
    if (rating is None or rating >= 4.0) and completion >= 75:
        return "silver"
    return "bronze"


def _bonus_points(stats: dict) -> int:
    return stats["completed"] * BONUS_PER_JOB + stats["five_stars"] * BONUS_PER_FIVE_STAR


def partner_performance(partner: Partner) -> dict:
    """Seed 002's performance summary, computed now from the partner's jobs.

    completion rate: completed jobs / accepted jobs (accepted, on the way,
    arrived or completed); acceptance rate: offers accepted of offers answered
    or expired (``partners.services.figures``); on-time rate: arrivals no
    later than the booked start, of all arrivals; dispute rate: cancelled after acceptance / accepted;
    tier: gold (rating >= 4.5 and completion >= 90 %), silver (>= 4.0 and
    >= 75 %), else bronze; bonus points: 10 per completed job plus 5 per
    five-star rating.
    """
    stats = PartnerAssignment.objects.filter(partner=partner).aggregate(**_performance_counts())
    completion = _rate(stats["completed"], stats["accepted"])
    rating = float(partner.rating) if partner.rating_count else None
    return {
        "id": str(partner.pk),
        "vendor": str(partner.pk),
        "vendor_name": partner.name,
        "avg_rating": rating,
        "completion_rate": completion,
        "on_time_rate": _rate(stats["on_time"], stats["arrivals"]),
        "acceptance_rate": float(partner.acceptance_rate),
        "dispute_rate": _rate(stats["dropped"], stats["accepted"]),
        "tier": _tier(rating, completion),
        "bonus_points": _bonus_points(stats),
        "last_calculated": timezone.now(),
    }


def bonus_standings() -> list[dict]:
    """Every active, verified partner with a completed job: bonus points, jobs and tier, in one query.

    The same rules as :func:`partner_performance` (seed 002's bonus alerts).
    """
    rows = (
        PartnerAssignment.objects.filter(partner__is_active=True, partner__onboarding_status=OnboardingStatus.VERIFIED)
        .order_by()
        .values("partner_id", "partner__user_id", "partner__rating", "partner__rating_count")
        .annotate(**_performance_counts())
        .filter(completed__gt=0)  # type: ignore[misc]  # annotated by _performance_counts(), unseen by the plugin
    )
    standings = []
    for row in rows:
        rating = float(row["partner__rating"]) if row["partner__rating_count"] else None
        standings.append(
            {
                "partner_id": row["partner_id"],
                "user_id": row["partner__user_id"],
                "completed": row["completed"],
                "bonus_points": _bonus_points(row),
                "tier": _tier(rating, _rate(row["completed"], row["accepted"])),
            }
        )
    return standings
