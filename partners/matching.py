"""Matching: who can take a job, and how well; the engine behind dispatch, the slot filter and staff assignment.

This module answers one question with database queries: given a ``Job`` (a
booking's categories, tiers, time and place), which partners qualify and how
do they rank? ``candidates`` returns the best ones with their score and its
parts; ``qualified_partners`` is the part of the rules that does not depend on
time, shared with ``partners.slots``; ``job_for`` turns a booking into a
``Job``.

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

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    Count,
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
    Value,
    When,
)
from django.db.models.functions import ASin, Cast, Coalesce, Cos, Power, Radians, Sin, Sqrt
from django.utils import timezone

from bookings.models import Booking
from core import snapshot
from partners import ranking
from partners.models import (
    BUSY_STATUSES,
    LIVE_STATUSES,
    OnboardingStatus,
    Partner,
    PartnerAssignment,
    PartnerAvailability,
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


def distance_from(lat: float, lng: float):
    """Haversine distance from (lat, lng) to the partner's location, as a database expression."""
    dlat = Radians(_float(F("current_lat")) - Value(lat))
    dlng = Radians(_float(F("current_lng")) - Value(lng))
    a = Power(Sin(dlat / 2), 2) + Value(math.cos(math.radians(lat))) * Cos(Radians(_float(F("current_lat")))) * Power(
        Sin(dlng / 2), 2
    )
    return ExpressionWrapper(Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(a)), output_field=FloatField())


REACH_CACHE_KEY = snapshot.shared("partners:search-reach-km")


def search_reach_km() -> float:
    """How far to look: the widest service radius any partner has (cached), at most ``PARTNER_MAX_SERVICE_RADIUS_KM``.

    The bounding box of that size is what the location index narrows the
    search to; the exact distance is then checked against each partner's own
    radius. ``partners.services.profiles`` forgets the cached value whenever a
    radius changes.
    """
    reach = snapshot.read(REACH_CACHE_KEY)  # once per request, with the other shared values
    if reach is None:
        widest = Partner.objects.aggregate(widest=Max("service_radius_km"))["widest"] or 0
        reach = min(widest, settings.PARTNER_MAX_SERVICE_RADIUS_KM)
        snapshot.keep(REACH_CACHE_KEY, reach, 600)
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
            distance_km=Case(When(in_box, then=distance_from(lat, lng)), default=None, output_field=FloatField())
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


def busy_overlapping(start: datetime, until: datetime, exclude_booking_id=None) -> QuerySet[PartnerAssignment]:
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
    job: Job,
    *,
    exclude_partner_ids=(),
    only_partner_ids=None,
    limit: int = 5,
    check_rules: bool = True,
    with_users: bool = True,
    lean: bool = False,
) -> list[Candidate]:
    """The best partners for ``job``, best first, with their score and its parts (``with_users``: their users
    fetched too). On PostgreSQL the same rules and score run as one cached statement (``partners.ranking``);
    ``lean``: only the columns checkout's hold reads are fetched there, the rest of each row is deferred."""
    day = job.local_day
    local_start, local_end = timezone.localtime(job.start), timezone.localtime(job.end)
    if check_rules and connection.vendor == "postgresql":
        if local_end.date() != local_start.date():
            return []
        reach = search_reach_km() if job.lat is not None and job.lng is not None else 0.0
        return ranking.ranked(
            job,
            reach_km=reach,
            exclude_partner_ids=exclude_partner_ids,
            only_partner_ids=only_partner_ids,
            limit=limit,
            day_bounds=_day_bounds(job.start),
            with_users=with_users,
            lean=lean,
        )
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
                    When(current_lat__isnull=False, then=distance_from(float(job.lat), float(job.lng))),
                    default=None,
                    output_field=FloatField(),
                )
            )
    rows = rows.exclude(
        Exists(busy_overlapping(job.start, job.busy_until, job.exclude_booking_id).filter(partner_id=OuterRef("pk")))
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
    chosen = rows.order_by("-score", "partner_code")[:limit]
    if with_users:
        chosen = chosen.prefetch_related("user")  # users of the chosen only
    return [
        Candidate(
            partner=partner,
            score=round(partner.score, 4),
            parts={
                # annotated in each branch of the query above, which the plugin cannot follow
                "distance_km": round(partner.distance_km, 2) if partner.distance_km is not None else None,  # type: ignore[attr-defined]
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


def job_for(booking: Booking) -> Job:
    items = list(booking.items.select_related("service"))
    address = booking.address_snapshot or {}
    return Job(
        category_ids=frozenset(item.service.category_id for item in items),
        tiers=frozenset(item.service.tier for item in items),
        start=booking.scheduled_start,
        end=booking.scheduled_end,
        lat=address.get("lat"),
        lng=address.get("lng"),
        pincode=address.get("pincode") or "",
        exclude_booking_id=str(booking.pk),
    )
