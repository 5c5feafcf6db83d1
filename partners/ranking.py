"""The candidate ranking of ``partners.matching.candidates`` as one parameterised statement (PostgreSQL).

``candidates`` asks this module whenever the database is PostgreSQL and the rules are checked (dispatch,
checkout's hold, staff's eligibility check); SQLite (the embedded default) and staff forcing a partner keep the
ORM query. The rules and the score are the same, term for term, as the ORM version's (``matching`` documents
them): the SQL below is written with the same expressions and the same parameters, so PostgreSQL computes the
same floats and the order is identical (``tests/partners`` compare the two). What changes is the cost:

* no query is built in Python per call (the ORM's compile of the annotated query was most of a checkout
  confirm's Python time); the statement text is made once per shape (place or none, pincode, excluded or
  only ids) and cached;
* the place is narrowed by a GiST index on ``partner_earth(current_lat, current_lng)`` (``cube`` and
  ``earthdistance``, migration ``0013``) with ``earth_box``; the great-circle distance that decides and scores
  is still the haversine of ``matching.distance_from``;
* the categories are a pre-filter on ``partners_partner.category_ids`` (a sorted array kept by a trigger on
  the categories table, migration ``0013``) instead of one index probe per category and partner;
* a partner's jobs that day (the load) are counted once, not once per score term, and only for the partners
  found: an index probe each (``partner``, ``busy_from``), as is the check that nobody is busy then (the
  exclusion constraint's GiST index), so the cost follows the partners in reach, not every job ever held.
"""

# ruff: noqa: S608 - the statements are put together from fixed text only; every value is a parameter
from __future__ import annotations

import math
import time
import uuid
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection
from django.db.models import prefetch_related_objects
from django.db.models.base import DEFERRED
from django.utils import timezone

from partners.models import BUSY_STATUSES, LIVE_STATUSES, OnboardingStatus, Partner, tier_mask

if TYPE_CHECKING:
    from partners.matching import Candidate, Job

# earth() is 6,378,168 m; the haversine uses 6,371 km: an earth_box this much wider holds every partner the
# haversine finds within the radius (with room for rounding).
EARTH_BOX_MARGIN = 6378.168 / 6371.0 * 1.002

_DISTANCE = (
    "(%(two_r)s * ASIN(SQRT((POWER(SIN((RADIANS((p.current_lat)::double precision - %(lat)s) / %(two)s)), %(two)s)"
    " + ((%(cos_lat)s * COS(RADIANS((p.current_lat)::double precision)))"
    " * POWER(SIN((RADIANS((p.current_lng)::double precision - %(lng)s) / %(two)s)), %(two)s))))))"
)
_IN_BOX = "(p.current_lat BETWEEN %(lat_min)s AND %(lat_max)s AND p.current_lng BETWEEN %(lng_min)s AND %(lng_max)s)"
_LOCATED = (
    "partner_earth(p.current_lat, p.current_lng) <@ earth_box(ll_to_earth(%(lat)s, %(lng)s), %(box_m)s)"
    f" AND {_IN_BOX} AND {_DISTANCE} <= (p.service_radius_km)::double precision"
)
_SERVES_PINCODE = (
    "EXISTS (SELECT 1 FROM partners_serviceareapincode s"
    " WHERE s.partner_id = p.id AND s.day_of_week = %(day)s AND s.pincode = %(pincode)s)"
)
_NEAREST_COLUMNS = ", ".join(
    f"p.{column}"
    for column in ("id", "partner_code", "service_radius_km", "rating_count", "rating", "acceptance_rate", "is_active",
                   "is_available", "onboarding_status", "category_ids", "tiers", "current_lat", "current_lng")
)  # fmt: skip
# The exclusion constraint's own WHERE (migration 0010), as literal text: a partial index serves a query only
# when the planner can prove the query's condition implies the index's, which it does for equal constants.
_BUSY = "b.status IN ({})".format(", ".join(f"'{status}'" for status in BUSY_STATUSES))
# A day's live jobs, as literal text too: a list parameter costs psycopg a Python pass over it on every ranking.
_LIVE = "l.status IN ({})".format(", ".join(f"'{status}'" for status in LIVE_STATUSES))
_KNN = "partner_earth(p.current_lat, p.current_lng) <-> ll_to_earth(%(lat)s, %(lng)s)"


# What checkout's hold reads of a partner (``lean``): the rest of the row stays deferred.
_LEAN_COLUMNS = ("id", "user_id", "partner_code", "kind", "rating", "rating_count", "acceptance_rate",
                 "cancellation_rate", "current_lat", "current_lng", "service_radius_km", "is_active", "is_available",
                 "onboarding_status", "tiers")  # fmt: skip


@cache
def _statement(
    *, place: bool, pincode: bool, tiers: bool, exclude: bool, only: bool, nearest: bool, lean: bool = False
) -> str:
    """The ranking's SQL for one shape of question (named parameters: ``ranked`` gives them).

    ``nearest``: only the ``%(nearest)s`` qualified partners nearest the address (the GiST index's
    nearest-neighbour order) and those found by the pincode are scored; the answer says how far the farthest
    of them is (``knn_max``, chord metres) and how many there were (``knn_count``), for ``ranked`` to prove
    nobody farther can beat the chosen."""
    names = [field.column for field in Partner._meta.concrete_fields if not lean or field.column in _LEAN_COLUMNS]
    columns = ", ".join(f'p."{name}"' for name in names)
    rules = [
        "p.is_active AND p.is_available AND p.onboarding_status = %(verified)s",
        "(p.rating_count = %(zero)s OR p.rating >= %(min_rating)s)",
        "p.category_ids @> %(categories)s::bigint[]",
        # one index probe per partner found (OFFSET 0 keeps each EXISTS a probe by p.id, whatever the
        # statistics say, rather than a join that reads the whole day's or the whole time's rows)
        "EXISTS (SELECT 1 FROM partners_partneravailability w WHERE w.partner_id = p.id"
        " AND w.day_of_week = %(day)s AND w.is_active AND w.start_time <= %(from)s AND w.end_time >= %(to)s"
        " OFFSET 0)",
        # nobody busy then: the exclusion constraint's GiST index (its WHERE is _BUSY)
        f"NOT EXISTS (SELECT 1 FROM partners_partnerassignment b WHERE b.partner_id = p.id AND {_BUSY}"
        " AND tstzrange(b.busy_from, b.busy_until, '[)') && tstzrange(%(start)s, %(until)s, '[)')"
        " AND NOT (b.booking_id = %(booking)s) OFFSET 0)",
    ]
    if tiers:
        rules.append("(p.tiers & %(mask)s) = %(mask)s")
    if exclude:
        rules.append("NOT (p.id = ANY(%(exclude)s::uuid[]))")
    if only:
        rules.append("p.id = ANY(%(only)s::uuid[])")
    distance = f"CASE WHEN {_IN_BOX} THEN {_DISTANCE} ELSE NULL END" if place else "NULL::double precision"
    select = (
        "SELECT p.id, p.partner_code, p.service_radius_km, p.rating_count, p.rating, p.acceptance_rate,"
        f" {distance} AS distance_km FROM partners_partner p"
    )
    where = " AND ".join(rules)
    head, knn = "", "NULL::double precision AS knn_max, NULL::bigint AS knn_count"
    if not place:
        found = f"{select} WHERE {where}{f' AND {_SERVES_PINCODE}' if pincode else ''} OFFSET 0"
    elif nearest:  # the partners nearest the address, qualified or not, in the GiST index's order
        head = (
            f"WITH nearest AS MATERIALIZED (SELECT {_NEAREST_COLUMNS}, {_KNN} AS knn FROM partners_partner p"
            " ORDER BY knn LIMIT %(nearest)s)"
        )
        knn = "(SELECT MAX(knn) FROM nearest) AS knn_max, (SELECT COUNT(knn) FROM nearest) AS knn_count"
        located = _LOCATED.split(" AND ", 1)[1]  # the index did the finding
        found = f"({select.replace('FROM partners_partner p', 'FROM nearest p')} WHERE {where} AND {located})"
        if pincode:
            found += f" UNION ALL ({select} WHERE {where} AND p.current_lat IS NULL AND {_SERVES_PINCODE})"
    else:
        near = f"({_LOCATED}) OR (p.current_lat IS NULL AND {_SERVES_PINCODE})" if pincode else _LOCATED
        found = f"{select} WHERE {where} AND ({near}) OFFSET 0"
    return f"""{head}
SELECT {columns}, {", ".join(f"r.{name}" for name in _SCORED[:-2])},
  {knn}
FROM (
  SELECT t.*,
    ((((%(w_distance)s * t.part_distance) + (%(w_rating)s * t.part_rating)) + (%(w_load)s * t.part_load))
      + (%(w_reliability)s * t.part_reliability)) AS score
  FROM (
    SELECT n.id, n.partner_code, n.distance_km, n.load,
      CASE WHEN n.distance_km IS NULL THEN %(half)s ELSE (%(one)s - (n.distance_km / CASE WHEN n.service_radius_km
        > %(zero)s THEN (n.service_radius_km)::double precision ELSE %(one)s END)) END AS part_distance,
      CASE WHEN n.rating_count = %(zero)s THEN %(neutral)s ELSE ((n.rating)::double precision / %(five)s) END
        AS part_rating,
      (%(one)s / (%(one)s + n.load)) AS part_load,
      ((n.acceptance_rate)::double precision / %(hundred)s) AS part_reliability
    FROM (
      SELECT k.*, (SELECT COUNT(*) FROM partners_partnerassignment l WHERE l.partner_id = k.id
        AND {_LIVE} AND l.busy_from >= %(day_start)s AND l.busy_from < %(day_end)s) AS load
      FROM ({found}) k
      OFFSET 0
    ) n
  ) t
  ORDER BY score DESC, t.partner_code ASC
  LIMIT %(limit)s
) r
JOIN partners_partner p ON p.id = r.id
ORDER BY r.score DESC, r.partner_code ASC"""


def _uuids(ids: Iterable[Any]) -> list[uuid.UUID]:
    return [value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)) for value in ids]


# The nearest partners scored first, then more, before the whole reach is scored.
NEAREST_STEPS = (64, 256, 2048)


def ranked(
    job: Job,
    *,
    reach_km: float,
    exclude_partner_ids: Iterable[Any] = (),
    only_partner_ids: Iterable[Any] | None = None,
    limit: int,
    day_bounds: tuple[Any, Any],
    with_users: bool = True,
    lean: bool = False,
) -> list[Candidate]:
    """The best ``limit`` candidates, as ``matching.candidates`` ranks them.

    With an address, the nearest qualified partners are scored first (64, then 256, then 2,048): a partner farther
    than all of them scores at most ``_best_possible`` at that distance (every other part at its maximum), so
    when the last one chosen scores more than that, nobody farther can be chosen and the answer is final.
    Otherwise (or when the reach is capped below some partner's own radius, or a weight is negative, or the
    table holds no more partners than the second step) the whole reach is scored."""
    from partners.matching import EARTH_RADIUS_KM, KM_PER_DEGREE, Candidate, reliability_weight

    place = job.lat is not None and job.lng is not None
    mask = tier_mask(job.tiers)
    excluded = _uuids(exclude_partner_ids)
    only = _uuids(only_partner_ids) if only_partner_ids is not None else None
    weights = settings.DISPATCH_WEIGHTS
    neutral = float(settings.PARTNER_NEUTRAL_RATING)
    local_start, local_end = timezone.localtime(job.start), timezone.localtime(job.end)
    params: dict[str, Any] = {
        "w_distance": weights["distance"], "w_rating": weights["rating"], "w_load": weights["load"],
        "w_reliability": reliability_weight(weights), "half": 0.5, "one": 1.0, "zero": 0, "neutral": neutral / 5,
        "five": 5.0, "hundred": 100.0,
        "day_start": day_bounds[0], "day_end": day_bounds[1],
        "verified": OnboardingStatus.VERIFIED.value, "min_rating": Decimal(str(settings.PARTNER_MIN_RATING)),
        "categories": sorted(job.category_ids), "mask": mask, "day": job.local_day, "pincode": job.pincode,
        "from": local_start.time(), "to": local_end.time(),
        "until": job.busy_until, "start": job.start,
        "booking": _uuids([job.exclude_booking_id or uuid.UUID(int=0)])[0],
        "exclude": excluded, "only": only, "limit": limit,
    }  # fmt: skip
    capped = reach_km >= settings.PARTNER_MAX_SERVICE_RADIUS_KM
    if place:
        lat, lng = float(job.lat), float(job.lng)  # type: ignore[arg-type]
        dlat = reach_km / KM_PER_DEGREE
        dlng = reach_km / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
        params.update(
            lat=lat, lng=lng, two_r=2 * EARTH_RADIUS_KM, two=2, cos_lat=math.cos(math.radians(lat)),
            lat_min=Decimal(str(lat - dlat)), lat_max=Decimal(str(lat + dlat)),
            lng_min=Decimal(str(lng - dlng)), lng_max=Decimal(str(lng + dlng)),
            # the lat/lng box's corners reach sqrt(2) times its half-width: a partner whose own radius goes
            # beyond the (capped) reach is found there, as by the ORM query
            box_m=reach_km * (math.sqrt(2) if capped else 1.0) * EARTH_BOX_MARGIN * 1000,
        )  # fmt: skip
    shape = {"place": place, "pincode": bool(job.pincode), "tiers": bool(mask), "exclude": bool(excluded),
             "only": only is not None, "lean": lean}  # fmt: skip
    nearest_first = place and not capped and reach_km > 0 and min(params[w] for w in _WEIGHTS) >= 0
    # a table of at most the second step's size is scored whole at once: one statement, never more work
    steps = NEAREST_STEPS if nearest_first and _partner_rows() > max(NEAREST_STEPS[:2]) else ()
    for nearest in steps:
        partners = _partners(_statement(**shape, nearest=True), {**params, "nearest": nearest}, lean=lean)
        seen = partners[0].knn_count if partners else 0  # type: ignore[attr-defined]
        if seen < nearest:  # every qualified partner within reach was scored
            break
        farthest = _haversine_km_of_chord(partners[0].knn_max)  # type: ignore[attr-defined]
        if len(partners) == limit and partners[-1].score > _best_possible(params, farthest, reach_km) + 1e-9:  # type: ignore[attr-defined]
            break
    else:
        partners = _partners(_statement(**shape, nearest=False), params, lean=lean)
    if with_users:
        prefetch_related_objects(partners, "user")
    return [_candidate(partner, weights, Candidate) for partner in partners]


def _partners(sql: str, params: dict[str, Any], *, lean: bool) -> list[Partner]:
    """The ranked partners, with the ranking's columns on each (as ``Partner.objects.raw`` gives them).

    The lean columns (checkout's hold, on every confirm) need no conversion, so their rows become instances
    directly: ``raw`` spent about 1.3 ms per confirm mapping columns and adapting values in Python."""
    if not lean:
        return list(Partner.objects.raw(sql, params))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    partners = []
    blank = [DEFERRED] * len(Partner._meta.concrete_fields)
    for row in rows:
        values = blank.copy()
        for position, value in zip(_LEAN_POSITIONS, row, strict=False):
            values[position] = value
        partner = Partner.from_db(connection.alias, (), values)  # every column given (deferred or not)
        for name, value in zip(_SCORED, row[len(_LEAN_POSITIONS) :], strict=True):
            setattr(partner, name, value)
        partners.append(partner)
    return partners


# The ranking's own columns after the partner's, in the statement's order (``cursor.description`` would build
# them again on every call).
_SCORED = ("distance_km", "load", "part_distance", "part_rating", "part_load", "part_reliability", "score",
           "knn_max", "knn_count")  # fmt: skip

# Where each lean column (in the statement's order, the model's) stands among the model's columns.
_LEAN_POSITIONS = [i for i, field in enumerate(Partner._meta.concrete_fields) if field.column in _LEAN_COLUMNS]


_ROWS: dict[str, float] = {}
ROWS_SECONDS = 600


def _partner_rows() -> float:
    """About how many partners there are (PostgreSQL's estimate, read once per ``ROWS_SECONDS`` per process):
    a table no bigger than the second nearest step is scored whole at once."""
    now = time.monotonic()
    if _ROWS.get("until", 0.0) < now:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'partners_partner'::regclass")
            _ROWS["rows"] = float(cursor.fetchone()[0])
        _ROWS["until"] = now + ROWS_SECONDS
    return _ROWS["rows"]


_WEIGHTS = ("w_distance", "w_rating", "w_load", "w_reliability")


def _haversine_km_of_chord(chord_m: float) -> float:
    """The least haversine distance (km) of a partner whose earth point is ``chord_m`` metres away, or farther."""
    from partners.matching import EARTH_RADIUS_KM

    angle = 2 * math.asin(min(1.0, chord_m / (2 * 6378168.0)))
    return EARTH_RADIUS_KM * angle * (1 - 1e-9)


def _best_possible(params: dict[str, Any], distance_km: float, reach_km: float) -> float:
    """The highest score a partner this far away could have: no jobs that day, rated 5 (or the neutral
    rating, whichever is higher), every offer accepted, and the widest radius there is."""
    return (
        params["w_distance"] * max(0.0, 1.0 - distance_km / reach_km)
        + params["w_rating"] * max(1.0, params["neutral"])
        + params["w_load"] * 1.0
        + params["w_reliability"] * 1.0
    )


def _candidate(partner: Partner, weights: dict, candidate_class: Any) -> Candidate:
    row: Any = partner  # the ranking's columns ride on the instance, as the ORM's annotations do
    distance_km = None if row.distance_km is None else float(row.distance_km)
    return candidate_class(
        partner=partner,
        score=round(float(row.score), 4),
        parts={
            "distance_km": round(distance_km, 2) if distance_km is not None else None,
            "rating": float(partner.rating) if partner.rating_count else None,
            "jobs_that_day": row.load,
            "acceptance_rate": float(partner.acceptance_rate),
            "cancellation_rate": float(partner.cancellation_rate),
            "distance": round(float(row.part_distance), 4),
            "rating_part": round(float(row.part_rating), 4),
            "load": round(float(row.part_load), 4),
            "reliability": round(float(row.part_reliability), 4),
            "weights": dict(weights),
        },
    )
