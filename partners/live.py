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

Coalesced (issue #21: under load one publish per change was a third of the worker's backlog): while a publish of
a partner's day is queued and has not started, another change to that day queues nothing more, since the queued
run reads the slots when it starts and so publishes the latest. The "queued" mark (a cache ``add``, Redis SET NX)
is cleared as the run starts, before it reads anything, so a change committed after that queues another run; a
mark whose message was lost lapses after :data:`QUEUED_SECONDS`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from datetime import date, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from core.events import send_event, user_group
from core.jobs import enqueue

EVENT = "availability:updated"
DEDUPE_SECONDS = 2
PUBLISH_TASK = "partners.tasks.publish_availability"
# How long a "publish queued" mark lasts at most: a run that has not started by then (a lost message, or a queue
# this far behind) no longer stops the next change from queueing another.
QUEUED_SECONDS = 120

logger = logging.getLogger(__name__)


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
    """Publish ``days`` of ``partner_id`` once the current transaction commits (from the worker, coalesced)."""
    dates = sorted({d.isoformat() for d in days})
    if dates:
        transaction.on_commit(lambda: queue_publish(str(partner_id), dates))


def _queued_keys(partner_id: str, dates: list[str]) -> list[str]:
    return [f"partners:availability-queued:{partner_id}:{raw}" for raw in dates]


def queue_publish(partner_id: str, dates: list[str]) -> list[str]:
    """Queue a publish of the ``dates`` that have none queued and not started; returns the dates queued."""
    keys = _queued_keys(partner_id, dates)
    try:
        fresh = [raw for raw, key in zip(dates, keys, strict=True) if cache.add(key, 1, timeout=QUEUED_SECONDS)]
    except Exception:  # the cache cannot be reached: queue them all rather than lose a change
        logger.warning("availability of %s: queued without coalescing (the cache failed)", partner_id, exc_info=True)
        fresh = dates
    if not fresh:
        return fresh
    try:
        enqueue(PUBLISH_TASK, partner_id, fresh)
    except Exception:
        _clear_marks(partner_id, fresh)  # nothing is queued for them: the next change must queue again
        raise
    return fresh


def _clear_marks(partner_id: str, dates: list[str]) -> None:
    try:
        cache.delete_many(_queued_keys(partner_id, dates))
    except Exception:  # they lapse after QUEUED_SECONDS
        logger.warning("availability of %s: queued marks left to lapse", partner_id, exc_info=True)


def publish(partner_id: str, dates: list[str]) -> int:
    """Send the current open slots of each date; returns how many messages went out.

    The run's "queued" marks are cleared first, before anything is read: a change committed from here on queues
    another run, and one committed before is in what this run reads.
    """
    from partners.models import Partner
    from partners.slots import open_slots

    _clear_marks(partner_id, dates)
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
