"""Who can take a job: eligibility and scoring in the database, and the slot filter checkout uses.

A candidate for a job (seed 000 "Auto-Assignment Algorithm", issue #6):

* verified, active and available;
* serves every category and every tier of the booking's services;
* reaches the address: within their own ``service_radius_km`` of it (great
  circle distance from their location) when both have coordinates; when
  either has none, serves the address's pincode that day (seed 002's service
  area pincodes); a slot question with no place at all (checkout prepare
  before an address is chosen) leaves the place out;
* works that day for the whole job (``PartnerAvailability``, local time);
* holds no offered or accepted job whose time, plus the travel buffer,
  overlaps this one;
* rated at least ``PARTNER_MIN_RATING``; unrated partners are eligible.

The score is computed by the database, so choosing among 10,000 partners
reads a handful of rows: each part is between 0 and 1 and weighted by
``DISPATCH_WEIGHTS``: distance (1 at the door, 0 at the edge of the radius,
0.5 when unknown), rating (rating / 5; unrated count as
``PARTNER_NEUTRAL_RATING``), load (1 / (1 + jobs that day)) and reliability
(the acceptance rate: offers accepted of offers answered or expired, 1 before
the first answer; ``partners.services.figures``). Declining an offer lowers
the reliability part; it is not a cancelled job. The reliability weight is
``DISPATCH_WEIGHTS["acceptance"]`` (env ``DISPATCH_WEIGHT_ACCEPTANCE``, or its
older name ``DISPATCH_WEIGHT_CANCELLATION``, which weighted the same part when
it was 1 - the cancellation rate); a settings dict that still says
``"cancellation"`` is read the same way. The parts
are kept on the offer so staff can see why.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ASin, Cast, Coalesce, Cos, Power, Radians, Sin, Sqrt
from django.utils import timezone

from bookings.hooks import SlotRequest
from core.errors import DomainError, ErrorCode
from partners.errors import PartnerErrorCode
from partners.models import (
    BUSY_STATUSES,
    LIVE_STATUSES,
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

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class Job:
    """What a partner must fit: the booking's needs, its time and its place."""

    category_ids: frozenset[int]
    tiers: frozenset[str]
    start: datetime
    end: datetime
    lat: float | None = None
    lng: float | None = None
    pincode: str = ""
    exclude_booking_id: str | None = None

    @property
    def busy_until(self) -> datetime:
        return self.end + timedelta(minutes=settings.PARTNER_TRAVEL_BUFFER_MINUTES)

    @property
    def local_day(self) -> int:
        return timezone.localtime(self.start).isoweekday()


@dataclass(frozen=True)
class Candidate:
    partner: Partner
    score: float
    parts: dict


def _float(expression) -> Cast:
    return Cast(expression, FloatField())


def _distance_km(lat: float, lng: float):
    """Haversine distance from (lat, lng) to the partner's location, as a database expression."""
    dlat = Radians(_float(F("current_lat")) - Value(lat))
    dlng = Radians(_float(F("current_lng")) - Value(lng))
    a = Power(Sin(dlat / 2), 2) + Value(math.cos(math.radians(lat))) * Cos(Radians(_float(F("current_lat")))) * Power(
        Sin(dlng / 2), 2
    )
    return ExpressionWrapper(Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(a)), output_field=FloatField())


REACH_CACHE_KEY = "partners:search-reach-km"


def search_reach_km() -> float:
    """How far to look: the widest service radius any partner has (cached), at most ``PARTNER_MAX_SERVICE_RADIUS_KM``.

    The bounding box of that size is what the location index narrows the
    search to; the exact distance is then checked against each partner's own
    radius. ``partners.services.profiles`` forgets the cached value whenever a
    radius changes.
    """
    reach = cache.get(REACH_CACHE_KEY)
    if reach is None:
        widest = Partner.objects.aggregate(widest=Max("service_radius_km"))["widest"] or 0
        reach = min(widest, settings.PARTNER_MAX_SERVICE_RADIUS_KM)
        cache.set(REACH_CACHE_KEY, reach, timeout=600)
    return float(reach)


def _serves_pincode(pincode: str, day: int):
    return Exists(ServiceAreaPincode.objects.filter(partner_id=OuterRef("pk"), day_of_week=day, pincode=pincode))


def qualified_partners(
    *, category_ids, tiers, lat: float | None, lng: float | None, pincode: str, day: int
) -> QuerySet[Partner]:
    """Partners who may do this kind of job at this place on this weekday (time and load not checked)."""
    rows = Partner.objects.filter(is_active=True, is_available=True, onboarding_status=OnboardingStatus.VERIFIED)
    rows = rows.filter(Q(rating_count=0) | Q(rating__gte=Decimal(str(settings.PARTNER_MIN_RATING))))
    mask = tier_mask(tiers)
    if mask:
        rows = rows.annotate(tier_match=F("tiers").bitand(mask)).filter(tier_match=mask)
    through = Partner.categories.through
    for category_id in sorted(category_ids):
        rows = rows.filter(Exists(through.objects.filter(partner_id=OuterRef("pk"), category_id=category_id)))
    if lat is not None and lng is not None:
        lat, lng = float(lat), float(lng)
        reach = search_reach_km()
        dlat = reach / KM_PER_DEGREE
        dlng = reach / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
        in_box = Q(
            current_lat__range=(Decimal(str(lat - dlat)), Decimal(str(lat + dlat))),
            current_lng__range=(Decimal(str(lng - dlng)), Decimal(str(lng + dlng))),
        )
        rows = rows.annotate(
            distance_km=Case(When(in_box, then=_distance_km(lat, lng)), default=None, output_field=FloatField())
        )
        near = in_box & Q(distance_km__lte=F("service_radius_km"))
        if pincode:  # a partner with no location is found by the pincodes they serve
            near |= Q(current_lat__isnull=True) & _serves_pincode(pincode, day)
        rows = rows.filter(near)
    else:
        rows = rows.annotate(distance_km=Value(None, output_field=FloatField()))
        if pincode:
            rows = rows.filter(_serves_pincode(pincode, day))
        # no place at all (checkout prepare without an address): anyone qualified counts; confirm checks the place
    return rows


def _busy_overlapping(start: datetime, until: datetime, exclude_booking_id=None) -> QuerySet[PartnerAssignment]:
    busy = PartnerAssignment.objects.filter(status__in=BUSY_STATUSES, busy_from__lt=until, busy_until__gt=start)
    if exclude_booking_id:
        busy = busy.exclude(booking_id=exclude_booking_id)
    return busy


def _day_bounds(moment: datetime) -> tuple[datetime, datetime]:
    local = timezone.localtime(moment)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def reliability_weight(weights: dict) -> float:
    """The weight of the acceptance rate in the score (see the module docstring for the two names)."""
    return float(weights.get("acceptance", weights.get("cancellation", 0.0)))


def candidates(
    job: Job, *, exclude_partner_ids=(), only_partner_ids=None, limit: int = 5, check_rules: bool = True
) -> list[Candidate]:
    """The best partners for ``job``, best first, with their score and its parts."""
    day = job.local_day
    local_start, local_end = timezone.localtime(job.start), timezone.localtime(job.end)
    if check_rules:
        rows = qualified_partners(
            category_ids=job.category_ids, tiers=job.tiers, lat=job.lat, lng=job.lng, pincode=job.pincode, day=day
        )
        if local_end.date() != local_start.date():
            return []
        rows = rows.filter(
            Exists(
                PartnerAvailability.objects.filter(
                    partner_id=OuterRef("pk"),
                    day_of_week=day,
                    is_active=True,
                    start_time__lte=local_start.time(),
                    end_time__gte=local_end.time(),
                )
            )
        )
    else:  # staff forcing a partner: only the partner's own time is checked
        rows = Partner.objects.annotate(distance_km=Value(None, output_field=FloatField()))
        if job.lat is not None and job.lng is not None:
            rows = Partner.objects.annotate(
                distance_km=Case(
                    When(current_lat__isnull=False, then=_distance_km(float(job.lat), float(job.lng))),
                    default=None,
                    output_field=FloatField(),
                )
            )
    rows = rows.exclude(
        Exists(_busy_overlapping(job.start, job.busy_until, job.exclude_booking_id).filter(partner_id=OuterRef("pk")))
    )
    if exclude_partner_ids:
        rows = rows.exclude(pk__in=list(exclude_partner_ids))
    if only_partner_ids is not None:
        rows = rows.filter(pk__in=list(only_partner_ids))
    day_start, day_end = _day_bounds(job.start)
    load = (
        PartnerAssignment.objects.filter(
            partner_id=OuterRef("pk"),
            status__in=LIVE_STATUSES,
            busy_from__gte=day_start,
            busy_from__lt=day_end,
        )
        .order_by()
        .values("partner_id")
        .annotate(jobs=Count("id"))
        .values("jobs")
    )
    weights = settings.DISPATCH_WEIGHTS
    neutral = float(settings.PARTNER_NEUTRAL_RATING)
    rows = rows.annotate(
        load=Coalesce(Subquery(load, output_field=IntegerField()), 0),
        part_distance=Case(
            When(distance_km__isnull=True, then=Value(0.5)),
            default=Value(1.0)
            - F("distance_km")
            / Case(When(service_radius_km__gt=0, then=_float(F("service_radius_km"))), default=Value(1.0)),
            output_field=FloatField(),
        ),
        part_rating=Case(
            When(rating_count=0, then=Value(neutral / 5)),
            default=_float(F("rating")) / Value(5.0),
            output_field=FloatField(),
        ),
        part_load=ExpressionWrapper(Value(1.0) / (Value(1.0) + F("load")), output_field=FloatField()),
        part_reliability=ExpressionWrapper(_float(F("acceptance_rate")) / Value(100.0), output_field=FloatField()),
    ).annotate(
        score=ExpressionWrapper(
            Value(weights["distance"]) * F("part_distance")
            + Value(weights["rating"]) * F("part_rating")
            + Value(weights["load"]) * F("part_load")
            + Value(reliability_weight(weights)) * F("part_reliability"),
            output_field=FloatField(),
        )
    )
    chosen = rows.prefetch_related("user").order_by("-score", "partner_code")[:limit]  # users of the chosen only
    return [
        Candidate(
            partner=partner,
            score=round(partner.score, 4),
            parts={
                "distance_km": round(partner.distance_km, 2) if partner.distance_km is not None else None,
                "rating": float(partner.rating) if partner.rating_count else None,
                "jobs_that_day": partner.load,
                "acceptance_rate": float(partner.acceptance_rate),
                "cancellation_rate": float(partner.cancellation_rate),
                "distance": round(partner.part_distance, 4),
                "rating_part": round(partner.part_rating, 4),
                "load": round(partner.part_load, 4),
                "reliability": round(partner.part_reliability, 4),
                "weights": dict(weights),
            },
        )
        for partner in chosen
    ]


SLOTS_VERSION_KEY = "partners:slots-version"
SLOTS_CACHE_SECONDS = 60


def slots_changed() -> None:
    """Something that decides who can take a slot changed (an offer, a job, hours, a partner): forget the answers."""
    try:
        cache.incr(SLOTS_VERSION_KEY)
    except ValueError:  # no version yet
        cache.set(SLOTS_VERSION_KEY, 1, timeout=None)


def slots_with_partner(day: date, slots: list[time], request: SlotRequest) -> list[time]:
    """The slots of ``day`` that at least one qualified partner can take whole.

    Three queries, whose answer is cached for a minute under a version that
    every change to offers, jobs, availability or partners moves on
    (``slots_changed``): checkout confirm usually asks what prepare asked
    moments before, and gets the same answer without building the queries again.
    """
    if not settings.SLOTS_REQUIRE_PARTNER or not slots:
        return slots
    version = cache.get_or_set(SLOTS_VERSION_KEY, 1, timeout=None)
    fingerprint = hashlib.sha256(repr((day, slots, sorted(request.category_ids), sorted(request.tiers),
                                       request.duration_minutes, request.lat, request.lng, request.pincode,
                                       request.exclude_booking_id)).encode()).hexdigest()[:32]  # fmt: skip
    key = f"partners:slots:{version}:{fingerprint}"
    kept = cache.get(key)
    if kept is None:
        kept = _slots_with_partner(day, slots, request)
        cache.set(key, kept, timeout=SLOTS_CACHE_SECONDS)
    return kept


def _slots_with_partner(day: date, slots: list[time], request: SlotRequest) -> list[time]:
    weekday = day.isoweekday()
    qualified = qualified_partners(
        category_ids=request.category_ids,
        tiers=request.tiers,
        lat=request.lat,
        lng=request.lng,
        pincode=request.pincode,
        day=weekday,
    ).values("pk")
    days_rows = PartnerAvailability.objects.filter(day_of_week=weekday, is_active=True, partner__in=qualified)
    windows = list(days_rows.values("start_time", "end_time").annotate(partners=Count("id")).order_by())
    if not windows:
        return []
    zone = timezone.get_current_timezone()
    day_start = datetime.combine(day, time.min, tzinfo=zone)
    busy_rows = _busy_overlapping(day_start, day_start + timedelta(days=1, hours=12), request.exclude_booking_id)
    busy_rows = busy_rows.filter(partner__in=qualified)
    busy: dict = defaultdict(list)
    for partner_id, busy_from, busy_until in busy_rows.values_list("partner_id", "busy_from", "busy_until"):
        busy[partner_id].append((busy_from, busy_until))
    spans = {}
    if busy:
        spans = {
            partner_id: (opens, closes)
            for partner_id, opens, closes in days_rows.filter(partner_id__in=list(busy)).values_list(
                "partner_id", "start_time", "end_time"
            )
        }
    length = timedelta(minutes=request.duration_minutes)
    buffer = timedelta(minutes=settings.PARTNER_TRAVEL_BUFFER_MINUTES)
    kept = []
    for slot in slots:
        start = datetime.combine(day, slot, tzinfo=zone)
        end = start + length
        if end.date() != day:
            continue
        begins, finishes = slot, end.time()
        free = sum(w["partners"] for w in windows if w["start_time"] <= begins and w["end_time"] >= finishes)
        for partner_id, intervals in busy.items():
            if free <= 0:
                break
            span = spans.get(partner_id)
            covers = span is not None and span[0] <= begins and span[1] >= finishes
            if covers and any(start < until and since < end + buffer for since, until in intervals):
                free -= 1
        if free > 0:
            kept.append(slot)
    return kept


def open_slots(partner: Partner, day: date) -> list[str]:
    """One partner's free ``SLOT_MINUTES`` slots on ``day`` (HH:MM), from their hours less their jobs.

    Seed 004's ``available_slots`` (``partners.live``). Two queries. A slot is
    taken when a job (offered or accepted) overlaps it, travel buffer included,
    as in :func:`slots_with_partner`; today's slots that have begun are gone; a
    partner switched off today has none left today.
    """
    if not partner.is_active or partner.onboarding_status != OnboardingStatus.VERIFIED:
        return []
    if day == timezone.localdate() and not partner.is_available:
        return []
    hours = PartnerAvailability.objects.filter(partner=partner, day_of_week=day.isoweekday(), is_active=True).first()
    if hours is None:
        return []
    zone = timezone.get_current_timezone()
    opens, closes = (
        datetime.combine(day, hours.start_time, tzinfo=zone),
        datetime.combine(day, hours.end_time, tzinfo=zone),
    )
    busy = list(_busy_overlapping(opens, closes).filter(partner=partner).values_list("busy_from", "busy_until"))
    step, buffer, now = (
        timedelta(minutes=settings.SLOT_MINUTES),
        timedelta(minutes=settings.PARTNER_TRAVEL_BUFFER_MINUTES),
        timezone.now(),
    )
    slots, start = [], opens
    while start + step <= closes:
        end = start + step
        if start > now and not any(start < until and since < end + buffer for since, until in busy):
            slots.append(timezone.localtime(start, zone).strftime("%H:%M"))
        start = end
    return slots


# --- reads for the API ------------------------------------------------------------------------


def _choice(value: str | None, choices, field: str) -> str | None:
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


def _between(rows: QuerySet, field: str, date_from: date | None, date_to: date | None) -> QuerySet:
    if date_from:
        rows = rows.filter(**{f"{field}__gte": date_from})
    if date_to:
        rows = rows.filter(**{f"{field}__lte": date_to})
    return rows


def partner_of_user(user) -> Partner:
    partner = Partner.objects.select_related("user").filter(user_id=user.pk).first()
    if partner is None:
        raise DomainError("You do not have a partner profile.", code=PartnerErrorCode.NOT_A_PARTNER)
    return partner


def applications_for(user, *, status: str | None = None) -> QuerySet[PartnerApplication]:
    """Every application for onboarding staff; one's own otherwise."""
    status = _choice(status, ApplicationStatus.values, "status")
    rows = PartnerApplication.objects.select_related("partner__user").order_by("-created_at")
    if not user.has_perm("partners.view_partnerapplication"):
        rows = rows.filter(partner__user=user)
    return rows.filter(status=status) if status else rows


def partner_detail(partner_id) -> Partner:
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
    partner_id,
    *,
    status: str | None = None,
    day: date | None = None,
    date_from=None,
    date_to=None,
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


def earnings_of(partner_id, *, status=None, date_from=None, date_to=None) -> QuerySet[PartnerEarning]:
    _date_range(date_from, date_to)
    status = _choice(status, EarningStatus.values, "status")
    rows = PartnerEarning.objects.filter(partner_id=partner_id).select_related("booking").order_by("-created_at")
    if status:
        rows = rows.filter(status=status)
    return _between(rows, "created_at__date", date_from, date_to)


def earnings_totals(rows: QuerySet[PartnerEarning]) -> dict[str, Decimal]:
    """Seed 000's totals over the same filter, in one query."""
    zero = Value(Decimal("0.00"))
    money_field = DecimalField(max_digits=14, decimal_places=2)
    totals = rows.order_by().aggregate(
        total=Coalesce(Sum("partner_earning"), zero, output_field=money_field),
        pending=Coalesce(
            Sum("partner_earning", filter=Q(status__in=[EarningStatus.PENDING, EarningStatus.IN_PAYOUT])),
            zero,
            output_field=money_field,
        ),
        paid=Coalesce(Sum("partner_earning", filter=Q(status=EarningStatus.PAID)), zero, output_field=money_field),
    )
    return {"total_earnings": totals["total"], "pending": totals["pending"], "paid": totals["paid"]}


def payouts_list(*, partner_id=None, status=None, date_from=None, date_to=None) -> QuerySet[PartnerPayout]:
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


def partner_dashboard(partner: Partner) -> dict:
    today = timezone.localdate()
    jobs = PartnerAssignment.objects.filter(partner=partner)
    counts = jobs.aggregate(
        pending=Count("id", filter=Q(status=AssignmentStatus.ASSIGNED)),
        today=Count("id", filter=Q(status__in=LIVE_STATUSES, booking__booking_date=today)),
    )
    upcoming = list(
        partner_jobs(partner.pk)
        .filter(status__in=BUSY_STATUSES, booking__scheduled_start__gte=timezone.now() - timedelta(hours=12))
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
        .filter(completed__gt=0)
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


def vendor_search(*, pincode: str, service_id=None, lat=None, lng=None, with_contact: bool = False) -> dict:
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
                When(current_lat__isnull=False, then=_distance_km(float(lat), float(lng))),
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
