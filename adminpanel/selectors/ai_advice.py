"""Dispute advice and the vendor bonus analysis: heuristics over the platform's data (issue #20, seed 002).

Every answer says ``"method": "heuristic"`` and, in ``based_on``, what it read; three queries each at most.

**Dispute advice** (``dispute_advice``): *similar cases* are other disputes of the same ``dispute_type``,
resolved or closed with a resolution, on bookings whose grand total is within half to twice this one's.

* ``recommended_action``: their most common resolution (ties: full refund, partial refund, revisit, no action);
  without any, :data:`DEFAULT_ACTIONS` for the type. ``confidence``: that resolution's share of the similar
  cases x min(1, cases ÷ 5); 0.25 with no case.
* ``suggested_amount``: a full refund is the booking's grand total; a partial refund the similar partial
  refunds' average share of their booking's total x this total (half when they name no amount); none for a
  revisit or no action. The resolution service still caps any refund at what is refundable.
* Escalation: severity (low 1 … critical 4) + the partner's earlier disputes that ended in a refund (at most 3)
  + 1 if it has been open over 48 hours + 1 if the partner has another active dispute; ``should_escalate`` from
  :data:`ESCALATE_AT` points, for a dispute not already escalated or settled.

**Vendor bonus** (``vendor_bonus``): the partner's jobs booked in the last ``days`` days. Points as the bonus
standings count them (``partners.performance``: 10 per completed job, 5 per five-star rating) plus 5 per
on-time arrival, split as the seed shows: ``quality_bonus`` (completed jobs without a dispute x 10),
``efficiency_bonus`` (on-time arrivals x 5) and ``customer_satisfaction_bonus`` (five-star ratings x 5);
``predicted_bonus`` is their sum at :data:`RUPEES_PER_POINT`. ``performance_score`` (0-10) = 10 x (0.4 x
completion + 0.3 x on-time + 0.3 x average rating ÷ 5) - 0.5 per dispute, one decimal.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, DecimalField, ExpressionWrapper, F, Q
from django.utils import timezone

from adminpanel.selectors.ai_reports import HEURISTIC
from bookings.errors import BookingErrorCode
from bookings.models import Dispute, DisputeResolution, DisputeStatus, DisputeType
from core.errors import DomainError
from core.types import Id
from partners.models import AssignmentStatus, Partner, PartnerAssignment
from partners.performance import BONUS_PER_FIVE_STAR, BONUS_PER_JOB

SETTLED = (DisputeStatus.RESOLVED, DisputeStatus.CLOSED)
ACTIVE = (DisputeStatus.OPEN, DisputeStatus.IN_PROGRESS, DisputeStatus.ESCALATED)
ACTION_ORDER = [choice.value for choice in DisputeResolution]
REFUNDS = (DisputeResolution.FULL_REFUND, DisputeResolution.PARTIAL_REFUND)
DEFAULT_ACTIONS = {
    DisputeType.NO_SHOW: DisputeResolution.FULL_REFUND,
    DisputeType.DAMAGE: DisputeResolution.PARTIAL_REFUND,
    DisputeType.PAYMENT_DISPUTE: DisputeResolution.PARTIAL_REFUND,
    DisputeType.QUALITY_ISSUE: DisputeResolution.REVISIT,
    DisputeType.SIGNATURE_REFUSAL: DisputeResolution.REVISIT,
    DisputeType.OTHER: DisputeResolution.NO_ACTION,
}
SEVERITY_POINTS = {"low": 1, "medium": 2, "high": 3, "critical": 4}
ESCALATE_AT = 5
ON_TIME_POINTS = 5
RUPEES_PER_POINT = Decimal("1.00")
SHARE: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=6)


def _money(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01")))


def _escalation(dispute: Dispute) -> dict[str, Any]:
    history = (
        Dispute.objects.filter(vendor_id=dispute.vendor_id)
        .exclude(pk=dispute.pk)
        .aggregate(
            refunded=Count("id", filter=Q(status__in=SETTLED, resolution_type__in=REFUNDS)),
            active=Count("id", filter=Q(status__in=ACTIVE)),
        )
        if dispute.vendor_id
        else {"refunded": 0, "active": 0}
    )
    factors = [f"{dispute.severity}_severity"]
    score = SEVERITY_POINTS.get(dispute.severity, 2) + min(history["refunded"], 3)
    factors.append("vendor_repeat_disputes" if history["refunded"] else "vendor_first_dispute")
    if timezone.now() - dispute.created_at > timedelta(hours=48):
        score, factors = score + 1, [*factors, "open_over_48_hours"]
    if history["active"]:
        score, factors = score + 1, [*factors, "vendor_has_other_active_disputes"]
    open_to_escalate = dispute.status in (DisputeStatus.OPEN, DisputeStatus.IN_PROGRESS)
    return {
        "should_escalate": open_to_escalate and score >= ESCALATE_AT,
        "escalation_score": float(score),
        "factors": factors,
    }


def dispute_advice(dispute_id: Id) -> dict[str, Any]:
    dispute = Dispute.objects.select_related("booking").filter(pk=dispute_id).first()
    if dispute is None:
        raise DomainError(
            "Dispute not found.", code=BookingErrorCode.DISPUTE_NOT_FOUND, field="dispute_id", reason="not_found"
        )
    total = dispute.booking.grand_total
    share = ExpressionWrapper(F("resolution_amount") / F("booking__grand_total"), output_field=SHARE)
    similar = list(
        Dispute.objects.filter(
            dispute_type=dispute.dispute_type,
            status__in=SETTLED,
            booking__grand_total__gte=total / 2,
            booking__grand_total__lte=total * 2,
        )
        .exclude(resolution_type="")
        .exclude(pk=dispute.pk)
        .order_by()
        .values_list("resolution_type")
        .annotate(n=Count("id"), share=Avg(share, filter=Q(booking__grand_total__gt=0)))
    )
    cases = sum(n for _, n, _ in similar)
    if similar:
        action, n, avg_share = min(similar, key=lambda row: (-row[1], ACTION_ORDER.index(row[0])))
        confidence = round(n / cases * min(1.0, cases / 5), 2)
        reasoning = (
            f"{n} of {cases} resolved {dispute.dispute_type} disputes on bookings of ₹{_money(total / 2):.2f}"
            f"-₹{_money(total * 2):.2f} ended in {action}."
        )
    else:
        action, avg_share, confidence = DEFAULT_ACTIONS[DisputeType(dispute.dispute_type)], None, 0.25
        reasoning = f"No similar resolved case; {action} is the usual answer to a {dispute.dispute_type} dispute."
    amount = None
    if action == DisputeResolution.FULL_REFUND:
        amount = _money(total)
    elif action == DisputeResolution.PARTIAL_REFUND:
        amount = _money(total * (Decimal(avg_share) if avg_share is not None else Decimal("0.5")))
    return {
        "dispute_id": str(dispute.pk),
        "resolution_analysis": {
            "recommended_action": str(action),
            "confidence": confidence,
            "reasoning": reasoning,
            "suggested_amount": amount,
            "similar_cases": cases,
        },
        "escalation_analysis": _escalation(dispute),
        "method": HEURISTIC,
        "based_on": (
            "Resolved disputes of the same type on bookings of a similar amount, and the partner's dispute history."
        ),
    }


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def vendor_bonus(*, partner: Partner, days: int = 30) -> dict[str, Any]:
    since = timezone.now() - timedelta(days=days)
    taken = [AssignmentStatus.ACCEPTED, AssignmentStatus.IN_TRANSIT, AssignmentStatus.ARRIVED, "completed"]
    done = Q(status=AssignmentStatus.COMPLETED)
    stats = PartnerAssignment.objects.filter(partner=partner, booking__scheduled_start__gte=since).aggregate(
        accepted=Count(
            "id", filter=Q(status__in=taken) | Q(status=AssignmentStatus.CANCELLED, accepted_at__isnull=False)
        ),
        completed=Count("id", filter=done),
        arrivals=Count("id", filter=Q(actual_arrival__isnull=False)),
        on_time=Count("id", filter=Q(actual_arrival__isnull=False, actual_arrival__lte=F("booking__scheduled_start"))),
        five_stars=Count("id", filter=done & Q(booking__customer_rating=5)),
        rating=Avg("booking__customer_rating", filter=done),
    )
    disputes = Dispute.objects.filter(vendor=partner, created_at__gte=since).count()
    completion, on_time = _rate(stats["completed"], stats["accepted"]), _rate(stats["on_time"], stats["arrivals"])
    rating = float(stats["rating"]) if stats["rating"] is not None else None
    raw = 10 * (0.4 * completion + 0.3 * on_time + 0.3 * (rating or 0) / 5) - 0.5 * disputes
    points = {
        "quality_bonus": max(0, stats["completed"] - disputes) * BONUS_PER_JOB,
        "efficiency_bonus": stats["on_time"] * ON_TIME_POINTS,
        "customer_satisfaction_bonus": stats["five_stars"] * BONUS_PER_FIVE_STAR,
    }
    breakdown = {name: _money(value * RUPEES_PER_POINT) for name, value in points.items()}
    suggestions = []
    if stats["arrivals"] and on_time < 0.9:
        suggestions.append(f"Arrive on time: {stats['on_time']} of {stats['arrivals']} arrivals were on time.")
    if rating is not None and rating < 4.5:
        suggestions.append(f"Raise the average rating from {rating:.1f} to 4.5.")
    if stats["accepted"] and completion < 0.9:
        suggestions.append(f"Complete the jobs you accept: {stats['completed']} of {stats['accepted']} completed.")
    if disputes:
        suggestions.append(f"Avoid disputes: {disputes} opened on your jobs.")
    return {
        "vendor_bonus_analysis": {
            "vendor_id": str(partner.pk),
            "vendor_name": partner.name,
            "days": days,
            "performance_score": round(min(10.0, max(0.0, raw)), 1),
            "predicted_bonus": _money(sum((Decimal(str(v)) for v in breakdown.values()), Decimal("0"))),
            "bonus_points": stats["completed"] * BONUS_PER_JOB + stats["five_stars"] * BONUS_PER_FIVE_STAR,
            "bonus_breakdown": breakdown,
            "figures": {
                "jobs_accepted": stats["accepted"],
                "jobs_completed": stats["completed"],
                "arrivals": stats["arrivals"],
                "on_time_arrivals": stats["on_time"],
                "five_star_ratings": stats["five_stars"],
                "average_rating": round(rating, 2) if rating is not None else None,
                "disputes": disputes,
            },
            "improvement_suggestions": suggestions,
        },
        "method": HEURISTIC,
        "based_on": f"The partner's jobs booked in the last {days} days, their ratings, arrivals and disputes.",
    }
