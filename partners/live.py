"""Seed 004's ``availability:updated``: a partner's (specialist's) open slots for a day, live.

Whenever something that decides a partner's free time changes (their hours for
a weekday, a job taken or dropped, switching themselves available), the day it
touches is published after commit, from the worker, as
``{"type": "availability:updated", "data": {"specialist_id", "date",
"available_slots"}}`` to the partner's own ``ws/notifications/`` channel and to
the ``availability.{partner_id}`` group, which any signed-in client joins by
sending ``{"type": "subscribe", "topic": "availability", "specialist_id": ...}``
on its notifications socket (customers watching a partner's calendar).

A save can fire several times in one transaction (an offer, then its
acceptance): the same payload for the same day is sent once within two seconds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, timedelta

from django.core.cache import cache
from django.utils import timezone

from core.events import send_event, user_group
from core.jobs import enqueue_on_commit

EVENT = "availability:updated"
DEDUPE_SECONDS = 2


def availability_group(partner_id) -> str:
    return f"availability.{partner_id}"


def may_follow(partner_id: str) -> bool:
    """Anyone signed in may follow an active, verified partner's calendar (as vendor search shows them)."""
    from partners.models import OnboardingStatus, Partner

    return Partner.objects.filter(pk=partner_id, is_active=True, onboarding_status=OnboardingStatus.VERIFIED).exists()


def next_weekday(day_of_week: int) -> date:
    """The next date (today included) falling on ``day_of_week`` (1 = Monday ... 7 = Sunday)."""
    today = timezone.localdate()
    return today + timedelta(days=(day_of_week - today.isoweekday()) % 7)


def availability_changed(partner_id, days: Iterable[date]) -> None:
    """Publish ``days`` of ``partner_id`` once the current transaction commits (from the worker)."""
    dates = sorted({d.isoformat() for d in days})
    if dates:
        enqueue_on_commit("partners.tasks.publish_availability", str(partner_id), dates)


def publish(partner_id: str, dates: list[str]) -> int:
    """Send the current open slots of each date; returns how many messages went out."""
    from partners.models import Partner
    from partners.slots import open_slots

    partner = Partner.objects.filter(pk=partner_id).first()
    if partner is None:
        return 0
    sent = 0
    for raw in dates:
        day = date.fromisoformat(raw)
        data = {"specialist_id": str(partner.pk), "date": raw, "available_slots": open_slots(partner, day)}
        fingerprint = hashlib.sha256(repr(sorted(data.items())).encode()).hexdigest()[:24]
        if not cache.add(f"partners:availability-sent:{fingerprint}", 1, timeout=DEDUPE_SECONDS):
            continue
        send_event(availability_group(partner.pk), EVENT, data)
        send_event(user_group(partner.user_id), EVENT, data)
        sent += 1
    return sent
