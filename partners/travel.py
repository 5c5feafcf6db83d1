"""Travel time between pincodes (issue #20, seed 002 SC): where a pincode is, and how long the road between two takes.

A pincode's place is its centroid: first the table the platform ships
(``core/data/pincodes.csv`` through ``core.pincodes``: the demo pincodes and a few
dozen city pincodes, approximate), else the mean of the coordinates the platform knows there
(customers' saved addresses with that pincode, then partners who serve it), else
unknown (``None``; the API answers 422 naming the field). A derived centroid is
cached like a travel time.

The trip: the straight-line (haversine) distance in km x ``TRAVEL_ROAD_FACTOR``
(roads are not straight) / ``TRAVEL_SPEED_KMH`` (25 km/h in town, what vendor
search assumes) x the traffic factor of the local hour the trip starts in
(``TRAVEL_TRAFFIC``: ``(from hour, to hour, factor)`` bands, 1.0 outside them),
rounded up to whole minutes. A pair of pincodes is symmetric, so the answer of one
pair and hour band is cached both ways for ``TRAVEL_CACHE_SECONDS`` in Django's
cache (Redis in production); ``cached`` tells whether it came from there.
``STATS`` counts this process's hits and misses (the benchmark's hit rate).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache as memoise

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg

from accounts.models import Address
from core import pincodes
from partners.models import Partner, ServiceAreaPincode

__all__ = [
    "STATS",
    "TravelStats",
    "TravelTime",
    "centroid",
    "distance_km",
    "shipped_centroids",
    "traffic_multiplier",
    "travel_time",
    "travel_times",
    "trip_minutes",
]

EARTH_RADIUS_KM = 6371.0
Point = tuple[float, float]


@dataclass(frozen=True)
class TravelTime:
    from_pincode: str
    to_pincode: str
    duration_minutes: int
    distance_km: float
    estimated_traffic_multiplier: float
    cached: bool


@dataclass
class TravelStats:
    """Cache hits and misses of travel times in this process (reset with ``reset``)."""

    hits: int = 0
    misses: int = 0

    def reset(self) -> None:
        self.hits = self.misses = 0

    @property
    def hit_rate(self) -> float:
        asked = self.hits + self.misses
        return self.hits / asked if asked else 0.0


STATS = TravelStats()


@memoise
def shipped_centroids() -> dict[str, Point]:
    """The pincode table the platform ships (``core.pincodes``): pincode → (lat, lng), read once per process."""
    return {pincode: (place.lat, place.lng) for pincode, place in pincodes.shipped().items()}


def _derived_centroid(pincode: str) -> Point | None:
    """The mean of known coordinates at ``pincode``: saved addresses, else the partners serving it."""
    addresses = Address.objects.filter(pincode=pincode, lat__isnull=False, lng__isnull=False)
    mean = addresses.aggregate(lat=Avg("lat"), lng=Avg("lng"))
    if mean["lat"] is None:
        serving = ServiceAreaPincode.objects.filter(pincode=pincode).values("partner_id")
        partners = Partner.objects.filter(pk__in=serving, current_lat__isnull=False, current_lng__isnull=False)
        mean = partners.aggregate(lat=Avg("current_lat"), lng=Avg("current_lng"))
    if mean["lat"] is None or mean["lng"] is None:
        return None
    return float(mean["lat"]), float(mean["lng"])


def centroid(pincode: str) -> Point | None:
    """Where ``pincode`` is (the shipped table, else derived from known coordinates and cached); ``None``: unknown."""
    shipped = shipped_centroids().get(pincode)
    if shipped is not None:
        return shipped
    key = f"travel:centroid:{pincode}"
    kept = cache.get(key)
    if kept is not None:
        return (float(kept[0]), float(kept[1])) if kept else None
    derived = _derived_centroid(pincode)
    cache.set(key, list(derived) if derived else [], timeout=settings.TRAVEL_CACHE_SECONDS)
    return derived


def distance_km(a: Point, b: Point) -> float:
    """The great-circle (haversine) distance between two points, in km."""
    lat1, lng1, lat2, lng2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def _band(hour: int) -> int:
    """The index of the ``TRAVEL_TRAFFIC`` band ``hour`` falls in; -1 outside every band."""
    for index, (since, until, _factor) in enumerate(settings.TRAVEL_TRAFFIC):
        if since <= hour < until:
            return index
    return -1


def traffic_multiplier(hour: int) -> float:
    """The traffic factor of a local hour (0-23): its band's, 1.0 outside the peaks."""
    band = _band(hour)
    return float(settings.TRAVEL_TRAFFIC[band][2]) if band >= 0 else 1.0


def trip_minutes(km: float, hour: int) -> int:
    """Minutes on the road for ``km`` of straight line, starting at local ``hour``: km x road / speed x traffic."""
    hours = km * settings.TRAVEL_ROAD_FACTOR / settings.TRAVEL_SPEED_KMH * traffic_multiplier(hour)
    return math.ceil(round(hours * 60, 6))


def _key(from_pincode: str, to_pincode: str, hour: int) -> str:
    first, second = sorted((from_pincode, to_pincode))
    return f"travel:time:{first}:{second}:{_band(hour)}"


def _computed(from_pincode: str, to_pincode: str, hour: int) -> tuple[int, float, float] | None:
    start, end = centroid(from_pincode), centroid(to_pincode)
    if start is None or end is None:
        return None
    km = round(distance_km(start, end), 2)
    return trip_minutes(km, hour), km, traffic_multiplier(hour)


def travel_times(trips: Iterable[tuple[str, str, int]]) -> dict[tuple[str, str, int], TravelTime | None]:
    """Many trips ``(from, to, hour)`` at once: one cache read (``get_many``) and one write of what was missing.

    A day's slots ask a few pincodes at a few hours; asking them one by one costs a cache round trip each, which
    is more than the arithmetic. Hits and misses count once per cache key."""
    asked: dict[str, list[tuple[str, str, int]]] = {}
    for trip in trips:
        asked.setdefault(_key(*trip), []).append(trip)
    kept = cache.get_many(list(asked))
    answers: dict[tuple[str, str, int], TravelTime | None] = {}
    fresh: dict[str, list[float]] = {}
    for key, same in asked.items():
        value = kept.get(key)
        cached = value is not None
        if cached:
            STATS.hits += 1
        else:
            STATS.misses += 1
            value = _computed(*same[0])
            if value is not None:
                fresh[key] = list(value)
        for from_pincode, to_pincode, hour in same:
            answers[(from_pincode, to_pincode, hour)] = (
                None
                if value is None
                else TravelTime(from_pincode, to_pincode, int(value[0]), float(value[1]), float(value[2]), cached)
            )
    if fresh:
        cache.set_many(fresh, timeout=settings.TRAVEL_CACHE_SECONDS)
    return answers


def travel_time(from_pincode: str, to_pincode: str, *, hour: int) -> TravelTime | None:
    """The trip between two pincodes starting at local ``hour``; ``None`` when either pincode's place is unknown.

    Cached per unordered pair and traffic band: the same answer for 08:00 and 10:00 (one peak band), and for
    A → B and B → A.
    """
    key = _key(from_pincode, to_pincode, hour)
    kept = cache.get(key)
    if kept is not None:
        STATS.hits += 1
        minutes, km, factor = kept
        return TravelTime(from_pincode, to_pincode, int(minutes), float(km), float(factor), cached=True)
    STATS.misses += 1
    value = _computed(from_pincode, to_pincode, hour)
    if value is None:
        return None
    cache.set(key, list(value), timeout=settings.TRAVEL_CACHE_SECONDS)
    return TravelTime(from_pincode, to_pincode, *value, cached=False)
