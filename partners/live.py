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

Coalesced per partner (issue #21: under load one publish per change was a third of the worker's backlog): while
a publish of a partner's calendar is queued and has not started, a change to any of its days only adds the day to
the partner's pending set (Redis) and queues nothing, since the queued run reads the slots when it starts and so
publishes the latest. The run takes its "queued" mark and the pending days in one step (MULTI) as it starts,
before it reads anything, so a change committed after that queues another run; the change's own step (add the
days, SET NX the mark) is one MULTI too, so no day falls between the two. A mark whose message was lost lapses
after :data:`QUEUED_SECONDS`; without Redis every change is queued on its own, as before.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from datetime import date, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from core import ratelimit
from core.events import send_event, user_group
from core.jobs import enqueue

EVENT = "availability:updated"
DEDUPE_SECONDS = 2
PUBLISH_TASK = "partners.tasks.publish_availability"
# How long a partner's "publish queued" mark lasts at most: a run that has not started by then (a lost message, or
# a queue this far behind) no longer stops the next change from queueing another.
QUEUED_SECONDS = 120
# The days waiting for a queued run are kept until a run takes them, however far behind the queue is; this only
# bounds what a partner whose every run was lost leaves in Redis.
PENDING_SECONDS = 24 * 60 * 60

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


def _keys(partner_id: str) -> tuple[str, str]:
    """The partner's "a run is queued" mark and set of days waiting for it (on ``REDIS_URL``, as presence)."""
    return f"availability-queued:{partner_id}", f"availability-days:{partner_id}"


def queue_publish(partner_id: str, dates: list[str]) -> bool:
    """Queue a publish of ``dates``, or add them to the one queued and not started; whether a run was queued."""
    mark, pending = _keys(partner_id)
    try:
        pipe = ratelimit.client().pipeline(transaction=True)
        pipe.sadd(pending, *dates)
        pipe.expire(pending, PENDING_SECONDS)
        pipe.set(mark, 1, nx=True, ex=QUEUED_SECONDS)
        fresh = bool(pipe.execute()[-1])
    except Exception:  # Redis cannot be reached: queue the change on its own rather than lose it
        logger.warning("availability of %s: queued without coalescing (Redis failed)", partner_id, exc_info=True)
        fresh = True
    if not fresh:
        return False
    try:
        enqueue(PUBLISH_TASK, partner_id, dates)
    except Exception:
        _clear_mark(mark)  # nothing is queued: the next change must queue a run (which takes these days too)
        raise
    return True


def _clear_mark(mark: str) -> None:
    try:
        ratelimit.client().delete(mark)
    except Exception:  # it lapses after QUEUED_SECONDS
        logger.warning("availability: queued mark %s left to lapse", mark, exc_info=True)


def _take(partner_id: str) -> set[str]:
    """Clear the partner's mark and take the days waiting, in one step."""
    mark, pending = _keys(partner_id)
    try:
        pipe = ratelimit.client().pipeline(transaction=True)
        pipe.delete(mark)
        pipe.smembers(pending)
        pipe.delete(pending)
        members = pipe.execute()[1]
    except Exception:  # the mark lapses after QUEUED_SECONDS; this run still publishes its own days
        logger.warning("availability of %s: queued mark left to lapse", partner_id, exc_info=True)
        return set()
    return {raw.decode() if isinstance(raw, bytes) else str(raw) for raw in members}


def publish(partner_id: str, dates: list[str]) -> int:
    """Send the current open slots of each date, and of each day added while this run was queued; returns how
    many messages went out.

    The partner's mark is cleared and the waiting days taken first, before anything is read: a change committed
    from here on queues another run, and one committed before is in what this run reads.
    """
    from partners.models import Partner
    from partners.slots import open_slots

    days = sorted(set(dates) | _take(partner_id))
    partner = Partner.objects.filter(pk=partner_id).first()
    if partner is None:
        return 0
    sent = 0
    for raw in days:
        day = date.fromisoformat(raw)
        data = {"specialist_id": str(partner.pk), "date": raw, "available_slots": open_slots(partner, day)}
        fingerprint = hashlib.sha256(repr(sorted(data.items())).encode()).hexdigest()[:24]
        if not cache.add(f"partners:availability-sent:{fingerprint}", 1, timeout=DEDUPE_SECONDS):
            continue
        send_event(availability_group(partner.pk), EVENT, data)
        send_event(user_group(partner.user_id), EVENT, data)
        sent += 1
    return sent
