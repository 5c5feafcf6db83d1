"""Reads for the partners API: lists and details the views render, and seed 002's vendor search.

Every list here keeps its query count independent of its size
(``select_related``/``prefetch_related``/aggregates) and checks its filters
(an unknown status is ``INVALID_REQUEST``, an inverted date range
``VALIDATION_ERROR``). Who can take a job lives in ``partners.matching``,
bookable slots in ``partners.slots``, performance and bonus rules in
``partners.performance``.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Case, Count, DecimalField, F, FloatField, Model, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from core.errors import DomainError, ErrorCode
from core.types import Id
from partners.errors import PartnerErrorCode
from partners.matching import distance_from
from partners.models import (
    KNOWN_TO_PARTNER,
    ApplicationStatus,
    AssignmentStatus,
    Dispatch,
    DispatchStatus,
    EarningStatus,
    OnboardingStatus,
    Partner,
    PartnerApplication,
    PartnerAssignment,
    PartnerAvailability,
    PartnerEarning,
    PartnerPayout,
    PayoutStatus,
    ServiceAreaPincode,
    tier_mask,
)

if TYPE_CHECKING:
    from bookings.models import Booking

M = TypeVar("M", bound=Model)


def _choice(value: str | None, choices: Collection[str], field: str) -> str | None:
    if value and value not in choices:
        raise DomainError(
            f"Unknown {field}. Use one of: {', '.join(choices)}.",
            code=ErrorCode.INVALID_REQUEST,
            field=field,
            reason="unknown_value",
        )
    return value or None


def _date_range(date_from: date | None, date_to: date | None) -> None:
    if date_from and date_to and date_to < date_from:
        raise DomainError(
            "date_to is before date_from.", code=ErrorCode.VALIDATION_ERROR, field="date_to", reason="inverted_range"
        )


def _between(rows: QuerySet[M], field: str, date_from: date | None, date_to: date | None) -> QuerySet[M]:
    if date_from:
        rows = rows.filter(**{f"{field}__gte": date_from})
    if date_to:
        rows = rows.filter(**{f"{field}__lte": date_to})
    return rows


def partner_of_user(user: User) -> Partner:
    partner = Partner.objects.select_related("user").filter(user_id=user.pk).first()
    if partner is None:
        raise DomainError("You do not have a partner profile.", code=PartnerErrorCode.NOT_A_PARTNER)
    return partner


def applications_for(user: User, *, status: str | None = None) -> QuerySet[PartnerApplication]:
    """Every application for onboarding staff; one's own otherwise."""
    status = _choice(status, ApplicationStatus.values, "status")
    rows = PartnerApplication.objects.select_related("partner__user").order_by("-created_at")
    if not user.has_perm("partners.view_partnerapplication"):
        rows = rows.filter(partner__user=user)
    return rows.filter(status=status) if status else rows


def partner_detail(partner_id: Id) -> Partner:
    partner = (
        Partner.objects.select_related("user")
        .prefetch_related("categories", "availability")
        .filter(pk=partner_id)
        .first()
    )
    if partner is None:
        raise DomainError("Partner not found.", code=PartnerErrorCode.PARTNER_NOT_FOUND, field="id")
    return partner


def partners_list(*, status: str | None = None, service_category: str | None = None) -> QuerySet[Partner]:
    """Seed 000 admin list: ``status`` is active, inactive or pending (onboarding not finished)."""
    rows = Partner.objects.select_related("user").order_by("partner_code")
    status = _choice(status, ["active", "inactive", "pending", "verified", "rejected"], "status")
    if status == "active":
        rows = rows.filter(is_active=True, onboarding_status=OnboardingStatus.VERIFIED)
    elif status == "inactive":
        rows = rows.filter(is_active=False)
    elif status == "pending":
        rows = rows.filter(onboarding_status__in=[OnboardingStatus.PENDING, OnboardingStatus.SUBMITTED])
    elif status:
        rows = rows.filter(onboarding_status=status)
    if service_category:
        rows = rows.filter(
            Q(categories__key__iexact=service_category) | Q(categories__name__iexact=service_category)
        ).distinct()
    return rows


def partner_jobs(
    partner_id: Id,
    *,
    status: str | None = None,
    day: date | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    taken_only: bool = False,
) -> QuerySet[PartnerAssignment]:
    """A partner's offers and jobs, newest booking first; ``status`` is the assignment's or the booking's.

    ``taken_only`` (the partner's own list) keeps the open offers and the jobs
    the partner took (accepted, by them or by staff); offers they rejected,
    let expire or that were withdrawn before they answered leave the list.
    Staff see the whole offer history.
    """
    _date_range(date_from, date_to)
    rows = (
        PartnerAssignment.objects.filter(partner_id=partner_id)
        .select_related("booking", "partner__user")
        .prefetch_related("booking__items")
        .order_by("-booking__scheduled_start", "-assigned_at")
    )
    if taken_only:
        rows = rows.filter(Q(status=AssignmentStatus.ASSIGNED) | Q(accepted_at__isnull=False))
    if status:
        booking_statuses = ["pending", "partner_assigned", "confirmed", "in_progress", "completed", "cancelled"]
        _choice(status, [*AssignmentStatus.values, *booking_statuses], "status")
        rows = rows.filter(status=status) if status in AssignmentStatus.values else rows.filter(booking__status=status)
    if day:
        rows = rows.filter(booking__booking_date=day)
    return _between(rows, "booking__booking_date", date_from, date_to)


RELEASED = "released"  # seed 002's earning status: handed to a payout (in_payout) or paid


def earnings_of(
    partner_id: Id, *, status: str | None = None, date_from: date | None = None, date_to: date | None = None
) -> QuerySet[PartnerEarning]:
    """A partner's earnings, newest first. ``status`` is one of ours or seed 002's ``released`` (in a payout or
    paid; its ``pending`` and ``on_hold`` are ours)."""
    _date_range(date_from, date_to)
    status = _choice(status, [*EarningStatus.values, RELEASED], "status")
    rows = PartnerEarning.objects.filter(partner_id=partner_id).select_related("booking").order_by("-created_at")
    if status == RELEASED:
        rows = rows.filter(status__in=[EarningStatus.IN_PAYOUT, EarningStatus.PAID])
    elif status:
        rows = rows.filter(status=status)
    return _between(rows, "created_at__date", date_from, date_to)


def earnings_totals(rows: QuerySet[PartnerEarning]) -> dict[str, Decimal]:
    """Seed 000's totals over the same filter, in one query. ``pending`` is what is payable (pending or in a
    payout); ``on_hold`` (a sign-off pending, a dispute open) is shown apart and counted in neither."""
    zero = Value(Decimal("0.00"))
    money_field: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)
    totals = rows.order_by().aggregate(
        total=Coalesce(Sum("partner_earning"), zero, output_field=money_field),
        pending=Coalesce(
            Sum("partner_earning", filter=Q(status__in=[EarningStatus.PENDING, EarningStatus.IN_PAYOUT])),
            zero,
            output_field=money_field,
        ),
        paid=Coalesce(Sum("partner_earning", filter=Q(status=EarningStatus.PAID)), zero, output_field=money_field),
        on_hold=Coalesce(
            Sum("partner_earning", filter=Q(status=EarningStatus.ON_HOLD)), zero, output_field=money_field
        ),
    )
    return {
        "total_earnings": totals["total"],
        "pending": totals["pending"],
        "paid": totals["paid"],
        "on_hold": totals["on_hold"],
    }


def payouts_list(
    *,
    partner_id: Id | None = None,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[PartnerPayout]:
    _date_range(date_from, date_to)
    status = _choice(status, PayoutStatus.values, "status")
    rows = PartnerPayout.objects.select_related("partner__user").order_by("-created_at")
    if partner_id:
        rows = rows.filter(partner_id=partner_id)
    if status:
        rows = rows.filter(status=status)
    return _between(rows, "created_at__date", date_from, date_to)


def assignment_queue(*, status: str | None = None, priority: int | None = None) -> QuerySet[Dispatch]:
    """Seed 000's internal queue: bookings waiting for a partner, manual ones first by default."""
    status = _choice(status, DispatchStatus.values, "status")
    rows = Dispatch.objects.select_related("booking").prefetch_related("booking__items__service__category")
    rows = (
        rows.filter(status=status)
        if status
        else rows.filter(status__in=[DispatchStatus.MANUAL, DispatchStatus.SEARCHING])
    )
    if priority is not None:
        rows = rows.filter(priority=priority)
    return rows.order_by("-priority", "created_at")


def partner_dashboard(partner: Partner) -> dict[str, Any]:
    today = timezone.localdate()
    jobs = PartnerAssignment.objects.filter(partner=partner)
    counts = jobs.aggregate(
        pending=Count("id", filter=Q(status=AssignmentStatus.ASSIGNED)),
        today=Count("id", filter=Q(status__in=[*KNOWN_TO_PARTNER, "completed"], booking__booking_date=today)),
    )
    upcoming = list(
        partner_jobs(partner.pk)
        .filter(status__in=KNOWN_TO_PARTNER, booking__scheduled_start__gte=timezone.now() - timedelta(hours=12))
        .order_by("booking__scheduled_start")[:5]
    )
    recent = list(earnings_of(partner.pk)[:5])
    return {
        "stats": {
            "total_bookings": partner.total_bookings,
            "pending_bookings": counts["pending"],
            "today_bookings": counts["today"],
            "completed_bookings": partner.completed_bookings,
            "total_earnings": partner.total_earnings,
            "pending_payout": partner.pending_payout,
            "rating": float(partner.rating),
        },
        "upcoming_bookings": upcoming,
        "recent_earnings": recent,
    }


def assignment_detail(assignment_id: Id) -> PartnerAssignment:
    """One assignment with its booking and partner, as the job and assignment responses render it."""
    return PartnerAssignment.objects.select_related("booking", "partner__user").get(pk=assignment_id)


def staff_booking(booking_id: Id) -> Booking:
    """A booking as staff see it after assigning a partner: its lines and its partner."""
    from bookings import hooks
    from bookings.models import Booking

    booking: Booking = hooks.with_partner(Booking.objects.prefetch_related("items")).get(pk=booking_id)
    return booking


def availability_of(partner: Partner) -> QuerySet[PartnerAvailability]:
    """Seed 002's availability rows of one partner, Monday first."""
    return PartnerAvailability.objects.filter(partner=partner).select_related("partner__user").order_by("day_of_week")


def vendor_search(
    *,
    pincode: str,
    service_id: Id | None = None,
    lat: float | None = None,
    lng: float | None = None,
    with_contact: bool = False,
) -> dict[str, Any]:
    """Seed 002: verified, active partners serving ``pincode`` (optionally able to do ``service_id``).

    ``distance_km`` and ``travel_time`` (minutes at 25 km/h in town) need the
    caller's ``lat``/``lng``; without them they are null. ``demand_index`` is
    the bookings of the last 30 days at that pincode per serving partner.
    A partner's ``email`` and ``phone`` are given only ``with_contact`` (staff
    who may view partners); anyone else gets them as null, so the seed's
    shape stays and nobody harvests partners' contact details by pincode.
    """
    from bookings.models import Booking
    from catalog.models import Service

    weekday = timezone.localdate().isoweekday()
    rows = Partner.objects.filter(
        is_active=True,
        onboarding_status=OnboardingStatus.VERIFIED,
        pk__in=ServiceAreaPincode.objects.filter(pincode=pincode).values("partner_id"),
    ).select_related("user")
    if service_id:
        service = Service.objects.filter(pk=service_id).only("category_id", "tier").first()
        if service is None:
            raise DomainError("Service not found.", code=ErrorCode.NOT_FOUND, field="service_id")
        rows = rows.annotate(tier_match=F("tiers").bitand(tier_mask([service.tier]))).filter(
            tier_match=tier_mask([service.tier]), categories=service.category_id
        )
    if lat is not None and lng is not None:
        rows = rows.annotate(
            distance_km=Case(
                When(current_lat__isnull=False, then=distance_from(float(lat), float(lng))),
                default=None,
                output_field=FloatField(),
            )
        )
    today_rows = {
        row.partner_id: row
        for row in PartnerAvailability.objects.filter(partner__in=rows.values("pk"), day_of_week=weekday)
    }
    vendors = []
    for partner in rows.order_by("-rating", "partner_code")[:100]:
        today = today_rows.get(partner.pk)
        distance = getattr(partner, "distance_km", None)
        vendors.append(
            {
                "id": str(partner.pk),
                "partner_code": partner.partner_code,
                "name": partner.name,
                "email": partner.user.email if with_contact else None,
                "phone": partner.user.phone if with_contact else None,
                "pincode": pincode,
                "rating": float(partner.rating),
                "total_jobs": partner.completed_bookings,
                "availability": {
                    "day_of_week": today.day_of_week,
                    "start_time": today.start_time,
                    "end_time": today.end_time,
                }
                if today and today.is_active
                else None,
                "travel_time": round(distance / 25 * 60) if distance is not None else None,
                "distance_km": round(distance, 1) if distance is not None else None,
                "primary_service_area": today.primary_pincode if today else "",
            }
        )
    recent = Booking.objects.filter(
        address_snapshot__pincode=pincode, created_at__gte=timezone.now() - timedelta(days=30)
    ).count()
    return {
        "vendors": vendors,
        "total_vendors": len(vendors),
        "pincode": pincode,
        "demand_index": round(recent / len(vendors), 1) if vendors else float(recent),
    }
