"""Slots: which start times can still be booked, and the cache that keeps the answer cheap.

Checkout offers a slot only when at least one qualified partner can take the
whole job then (``slots_with_partner``, the filter ``bookings.hooks`` asks
through ``partners.receivers``); seed 004's live calendar shows one partner's
free slots of a day (``open_slots``, published by ``partners.live``). Both use
the rules of ``partners.matching`` (who qualifies, what time is busy). Answers
are cached for a minute under a version number that ``slots_changed`` moves on
whenever an offer, a job, working hours or a partner changes, so a stale answer
never outlives the change that made it stale.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from bookings.hooks import SlotRequest
from partners.matching import busy_overlapping, qualified_partners
from partners.models import OnboardingStatus, Partner, PartnerAvailability

SLOTS_VERSION_KEY = "partners:slots-version"
SLOTS_CACHE_SECONDS = 60


def slots_changed() -> None:
    """Something that decides who can take a slot changed (an offer, a job, hours, a partner): forget the answers."""
    try:
        cache.incr(SLOTS_VERSION_KEY)
    except ValueError:  # no version yet
        cache.set(SLOTS_VERSION_KEY, 1, timeout=None)


def slots_version() -> int:
    """The version ``slots_changed`` moves on (seed 004's search answers are cached under it too)."""
    return int(cache.get_or_set(SLOTS_VERSION_KEY, 1, timeout=None) or 1)


def slots_with_partner(day: date, slots: list[time], request: SlotRequest) -> list[time]:
    """The slots of ``day`` that at least one qualified partner can take whole.

    Three queries, whose answer is cached for a minute under a version that
    every change to offers, jobs, availability or partners moves on
    (``slots_changed``): checkout confirm usually asks what prepare asked
    moments before, and gets the same answer without building the queries again.
    """
    if not settings.SLOTS_REQUIRE_PARTNER or not slots:
        return slots
    version = slots_version()
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
    busy_rows = busy_overlapping(day_start, day_start + timedelta(days=1, hours=12), request.exclude_booking_id)
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
    busy = list(busy_overlapping(opens, closes).filter(partner=partner).values_list("busy_from", "busy_until"))
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
