"""Earnings on hold (issue #20, seed 002 S7, D4 and E): while a sign-off is pending (later: while a dispute is
open) the booking's ``PartnerEarning`` is ``on_hold``, and payouts and the release of one earning skip it.

* :func:`earning_hold` moves a ``pending`` earning to ``on_hold`` with its ``hold_reason``. An earning already in a
  payout, paid or cancelled is left alone and the outcome says so (the money is on its way: a hold comes too
  late); a booking without an earning (nobody earned on it) is ``no_earning``.
* :func:`earning_hold_release` moves it back to ``pending`` when the reason given is the one holding it.
* One reason at a time (``hold_reason`` is one value): a ``dispute`` hold replaces a ``signature_pending`` one (the
  dispute decides, whatever the sign-off does next), a ``signature_pending`` hold never replaces a ``dispute``,
  and releasing a reason that is not the one holding the earning changes nothing (``other_reason``). A dispute
  resolved while a sign-off is still pending therefore releases the earning; should that matter, the disputes
  slice makes the reason a set.
* ``Partner.pending_payout`` counts what can be paid out: a hold takes the earning's ``payout_value`` off it and a
  release puts it back, so the partner's figure and a payout of "all pending earnings" agree.
* Locks: the partner, then the earning (the order ``payouts.payout_create`` takes). The booking side calls these
  with the booking already locked, so the order everywhere is booking, partner, earning. A payout being created
  at the same moment either took the earning first (the hold then finds it ``in_payout`` and says so) or waits
  for the hold and skips the held earning (its ``status = 'pending'`` filter is re-read after the lock).

Bookings reaches these through ``bookings.hooks.PartnerPort.earning_hold`` / ``earning_release``
(``partners.port``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.types import Id
from partners.models import EarningStatus, HoldReason, Partner, PartnerEarning

# What a hold or a release found and did.
HELD = "held"  # pending → on_hold
ALREADY_HELD = "already_held"  # on hold already (the reason may have been replaced, see the docstring)
RELEASED = "released"  # on_hold → pending
NOT_HELD = "not_held"  # a release of an earning that is not on hold
OTHER_REASON = "other_reason"  # on hold for another reason: left held
NO_EARNING = "no_earning"  # the booking has no earning

# Which reason wins when a second hold comes while one holds the earning.
_RANK: dict[str, int] = {HoldReason.SIGNATURE_PENDING: 1, HoldReason.DISPUTE: 2}


@dataclass(frozen=True)
class HoldOutcome:
    outcome: str  # one of the names above, or the earning's status when it was left alone (in_payout, paid, ...)
    earning: PartnerEarning | None


def earning_lock(booking_id: Id) -> PartnerEarning | None:
    """The booking's earning, locked after its partner (``None`` when there is none)."""
    found = PartnerEarning.objects.filter(booking_id=booking_id).values_list("pk", "partner_id").first()
    if found is None:
        return None
    Partner.objects.select_for_update().filter(pk=found[1]).first()
    return PartnerEarning.objects.select_for_update().get(pk=found[0])


def _check_reason(reason: str) -> None:
    if reason not in HoldReason.values:
        raise ValueError(f"Unknown hold reason {reason!r}.")


def earning_hold(*, booking_id: Id, reason: str) -> HoldOutcome:
    """Put the booking's pending earning on hold for ``reason`` (a ``HoldReason``)."""
    _check_reason(reason)
    with transaction.atomic():
        earning = earning_lock(booking_id)
        if earning is None:
            return HoldOutcome(NO_EARNING, None)
        now = timezone.now()
        if earning.status == EarningStatus.ON_HOLD:
            if _RANK.get(reason, 0) > _RANK.get(earning.hold_reason, 0):
                earning.hold_reason = reason
                earning.save(update_fields=["hold_reason", "updated_at"])
            return HoldOutcome(ALREADY_HELD, earning)
        if earning.status != EarningStatus.PENDING:
            return HoldOutcome(earning.status, earning)  # in a payout, paid or cancelled: too late to hold
        earning.status, earning.hold_reason = EarningStatus.ON_HOLD, reason
        earning.save(update_fields=["status", "hold_reason", "updated_at"])
        Partner.objects.filter(pk=earning.partner_id).update(
            pending_payout=F("pending_payout") - earning.payout_value, updated_at=now
        )
    return HoldOutcome(HELD, earning)


def earning_hold_release(*, booking_id: Id, reason: str) -> HoldOutcome:
    """Lift the hold ``reason`` put on the booking's earning: ``pending`` again, payable by the next payout."""
    _check_reason(reason)
    with transaction.atomic():
        earning = earning_lock(booking_id)
        if earning is None:
            return HoldOutcome(NO_EARNING, None)
        if earning.status != EarningStatus.ON_HOLD:
            return HoldOutcome(NOT_HELD, earning)
        if earning.hold_reason != reason:
            return HoldOutcome(OTHER_REASON, earning)
        earning.status, earning.hold_reason = EarningStatus.PENDING, ""
        earning.save(update_fields=["status", "hold_reason", "updated_at"])
        Partner.objects.filter(pk=earning.partner_id).update(
            pending_payout=F("pending_payout") + earning.payout_value, updated_at=timezone.now()
        )
    return HoldOutcome(RELEASED, earning)
