"""A partner's figures: the jobs they took and how they answer offers (issue 14 item 8).

Jobs, not offers:

* ``total_bookings`` counts jobs: an offer the partner accepted, or a job staff
  gave them (``manual.assign_manually``, binding at once). An offer alone is
  not a job, so declining one changes no job figure.
* ``completed_bookings`` counts jobs done (``jobs._record_earning``).
* ``cancelled_bookings`` counts jobs the partner had taken that ended undone
  after acceptance: the booking was cancelled, or staff moved the job to
  another partner (what staff do when the partner cannot come; partners have
  no "drop" button). ``cancellation_rate`` = cancelled / total jobs, in
  percent; staff see it, and it is no longer part of the dispatch score.
* A rescheduled job is not a cancellation: the booking goes back to dispatch
  and its partner is asked first, so the job is given back
  (``total_bookings`` - 1) and counted again only if they take it again.

Offers:

* ``offers_accepted``, ``offers_rejected`` and ``offers_expired`` are the
  partner's answers; letting an offer expire is an answer. An offer withdrawn
  before they answered (the booking was cancelled or rescheduled, or staff
  assigned someone) counts in none, and a staff assignment is not an offer.
* ``acceptance_rate`` = accepted / (accepted + rejected + expired), in
  percent, and 100 until the partner's first answer: nothing is held against a
  new partner, as an unrated partner gets the neutral rating. It is the
  reliability part of the dispatch score (``partners.matching.candidates``).

Every change is one ``UPDATE`` with ``F()`` expressions, the rates included
(the right-hand sides of an ``UPDATE`` read the row as it was before it), so
concurrent writers never lose a count and a rate never disagrees with its
counts. Migration 0003 recomputed existing partners' figures by these rules
from their assignments.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Greatest, NullIf, Round
from django.utils import timezone

from core.expressions import real_ratio
from core.types import Id
from partners.models import HUNDRED, ZERO, AssignmentStatus, Partner

RATE: DecimalField[Decimal, Decimal] = DecimalField(max_digits=5, decimal_places=2)
OFFER_COUNTERS: dict[str, str] = {
    AssignmentStatus.ACCEPTED: "offers_accepted",
    AssignmentStatus.REJECTED: "offers_rejected",
    AssignmentStatus.EXPIRED: "offers_expired",
}
RESCHEDULED = "rescheduled"  # ``common.release_live``'s reason when a booking moves


def _percent(part: Combinable, whole: Combinable, *, empty: Decimal) -> Coalesce:
    """``part * 100 / whole`` to 2 places, ``empty`` when ``whole`` is 0: a database expression."""
    ratio = real_ratio(part * Value(100), NullIf(whole, Value(0)))
    return Coalesce(Round(ratio, 2, output_field=RATE), Value(empty), output_field=RATE)


def _update(partner_id: Id, fields: dict[str, Any]) -> None:
    Partner.objects.filter(pk=partner_id).update(**fields, updated_at=timezone.now())


def _job_taken() -> dict[str, Any]:
    total = F("total_bookings") + 1
    return {"total_bookings": total, "cancellation_rate": _percent(F("cancelled_bookings"), total, empty=ZERO)}


def figures_offer_answered(*, partner_id: Id, answer: str) -> None:
    """The partner accepted, rejected or let an offer expire; accepting also counts the job."""
    counter = OFFER_COUNTERS[answer]
    accepted = F("offers_accepted") + (1 if answer == AssignmentStatus.ACCEPTED else 0)
    answered = F("offers_accepted") + F("offers_rejected") + F("offers_expired") + 1
    fields = {counter: F(counter) + 1, "acceptance_rate": _percent(accepted, answered, empty=HUNDRED)}
    if answer == AssignmentStatus.ACCEPTED:
        fields.update(_job_taken())
    _update(partner_id, fields)


def figures_job_assigned(*, partner_id: Id) -> None:
    """Staff gave the partner a job (no offer, so the acceptance rate stays)."""
    _update(partner_id, _job_taken())


def figures_job_released(*, partner_id: Id, reason: str) -> None:
    """A job the partner had taken was taken off them: cancelled, or given back when the booking moved."""
    if reason == RESCHEDULED:
        total = Greatest(F("total_bookings") - 1, Value(0))
        fields: dict[str, Any] = {
            "total_bookings": total,
            "cancellation_rate": _percent(F("cancelled_bookings"), total, empty=ZERO),
        }
    else:
        cancelled = F("cancelled_bookings") + 1
        fields = {
            "cancelled_bookings": cancelled,
            "cancellation_rate": _percent(cancelled, F("total_bookings"), empty=ZERO),
        }
    _update(partner_id, fields)
