"""Seed 001 8.3, a resident disputes a marked payment, and its resolution by a society admin (the seed
has none; issue 17: "payment confirmed → closed; not received → back to delivered, vendor notified").

Rules, and the readings taken where the seed is silent:

* **Raise** (``dispute_raise``): the owning resident only (``status.check_resident``: 403 ``FORBIDDEN``
  for the vendor or an admin, 404 for anyone who may not see the order). Allowed only while the order is
  PAYMENT_RECEIVED and strictly before ``auto_close_at`` (422 ``INVALID_ORDER_STATUS`` otherwise, with the
  current status and the deadline); a second dispute while one is OPEN is 409 ``DISPUTE_ALREADY_OPEN``
  (the partial unique constraint ``order_dispute_one_open`` backs the check made under the order's lock).
  The order becomes DISPUTED, which freezes the auto-close; the vendor and the society's admins hear
  ``society_order_disputed``. ``dispute_reason`` is PAYMENT_NOT_MADE, WRONG_AMOUNT, WRONG_METHOD or OTHER.
* **Resolve** (``dispute_resolve``): someone holding ``orders.change_orderdispute`` who is platform staff
  or a society admin of the order's society (``societies.scope.runs``); anyone else gets 404
  ``DISPUTE_NOT_FOUND`` (no enumeration). PAYMENT_CONFIRMED closes the order (``closed_at``) and settles
  the vendor's record; PAYMENT_NOT_RECEIVED puts it back to DELIVERED with its payment fields cleared,
  fails the vendor's record and reverses its ledger pair (``orders.payable``), so the vendor marks it
  again when paid. Resident and vendor hear ``society_order_dispute_resolved``. A resolved dispute is
  422 ``INVALID_DISPUTE_STATUS`` (a dispute's state machine: OPEN → RESOLVED).
* **List** (``disputes_for``): the disputes of the societies a society admin runs (platform staff: all),
  optionally of one society (``society_for_staff``: 404 unknown, 403 outside the scope) and one status;
  newest first. Needs ``orders.view_orderdispute`` (403 ``FORBIDDEN`` without it).

Lock order: the vendor's pending payment record, then the order, then the dispute.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from core.errors import DomainError, ErrorCode
from core.statemachine import StateMachine
from orders import payable
from orders.errors import OrderErrorCode
from orders.models import DisputeReason, DisputeResolution, DisputeStatus, OrderDispute, OrderStatus
from orders.notify import tell
from orders.services import status
from societies.scope import is_platform_staff, runs, scoped_societies, society_for_staff

S = OrderStatus
RESOLVE_PERMISSION = "orders.change_orderdispute"
VIEW_PERMISSION = "orders.view_orderdispute"

REASONS = {
    DisputeReason.PAYMENT_NOT_MADE: "payment not made",
    DisputeReason.WRONG_AMOUNT: "wrong amount",
    DisputeReason.WRONG_METHOD: "wrong payment method",
    DisputeReason.OTHER: "other",
}
OUTCOMES = {
    DisputeResolution.PAYMENT_CONFIRMED: "the payment is confirmed and the order is closed",
    DisputeResolution.PAYMENT_NOT_RECEIVED: "the payment was not received; the order awaits payment again",
}


DISPUTE_MACHINE: StateMachine[OrderDispute] = StateMachine(
    model=OrderDispute,
    transitions={DisputeStatus.OPEN: frozenset({DisputeStatus.RESOLVED}), DisputeStatus.RESOLVED: frozenset()},
    error_code=OrderErrorCode.INVALID_DISPUTE_STATUS,
    thing="dispute",
    refuse_repeats=True,
)


def _choice(value: str, choices: Any, field: str) -> None:
    if value not in choices.values:
        raise DomainError(
            f"{field} is one of {', '.join(choices.values)}.",
            code=ErrorCode.VALIDATION_ERROR,
            field=field,
            reason="invalid_choice",
        )


def dispute_raise(*, user: User, order_id: Any, reason: str, details: str = "") -> OrderDispute:
    """Seed 001 8.3 (see the module's rules); returns the OPEN dispute."""
    _choice(reason, DisputeReason, "dispute_reason")
    with transaction.atomic():
        order = status.lock_order(order_id)
        status.check_resident(user, order)
        if order.status == S.DISPUTED or OrderDispute.objects.filter(order=order, status=DisputeStatus.OPEN).exists():
            raise DomainError(
                "A dispute about this order's payment is already open.", code=OrderErrorCode.DISPUTE_ALREADY_OPEN
            )
        now = timezone.now()
        if order.status != S.PAYMENT_RECEIVED or order.auto_close_at is None or not now < order.auto_close_at:
            raise DomainError(
                "A payment can be disputed only after the vendor marks it received and before the order closes.",
                code=OrderErrorCode.INVALID_ORDER_STATUS,
                reason="invalid_status",
                context={
                    "current_status": order.status,
                    "dispute_deadline": timezone.localtime(order.auto_close_at).isoformat()
                    if order.auto_close_at
                    else None,
                },
            )
        dispute = OrderDispute.objects.create(
            order=order, reason=reason, details=details, raised_by=user, raised_at=now
        )
        status.order_move(
            order, S.DISPUTED, message=f"Payment disputed by the resident ({REASONS[DisputeReason(reason)]})", at=now
        )
        tell("society_order_disputed", order, to=["vendor", "society_admins"], reason=REASONS[DisputeReason(reason)])
        status.publish(order, "payment_disputed", {"dispute_id": str(dispute.pk), "dispute_reason": reason})
    return dispute


def may_resolve(user: User, society_id: int) -> bool:
    return user.has_perm(RESOLVE_PERMISSION) and (is_platform_staff(user) or runs(user, society_id))


def _not_found() -> DomainError:
    return DomainError("Dispute not found.", code=OrderErrorCode.DISPUTE_NOT_FOUND, field="dispute_id")


def dispute_resolve(*, user: User, dispute_id: Any, resolution: str, notes: str = "") -> OrderDispute:
    """Resolve an OPEN dispute (see the module's rules); returns it RESOLVED."""
    _choice(resolution, DisputeResolution, "resolution")
    found = OrderDispute.objects.select_related("order").filter(pk=dispute_id).first()
    if found is None or not may_resolve(user, found.order.society_id):
        raise _not_found()
    with transaction.atomic():
        records = payable.lock_vendor_payments(found.order_id)
        order = status.lock_order(found.order_id)
        dispute = OrderDispute.objects.select_for_update().get(pk=found.pk)
        if dispute.status != DisputeStatus.OPEN:
            raise DomainError(
                "This dispute is already resolved.",
                code=OrderErrorCode.INVALID_DISPUTE_STATUS,
                field="dispute_id",
                reason="already_resolved",
                context={"status": dispute.status, "resolution": dispute.resolution},
            )
        if order.status != S.DISPUTED:
            raise status.refuse_status(order, "Only a disputed order's dispute can be resolved.")
        now = timezone.now()
        DISPUTE_MACHINE.move(
            dispute,
            DisputeStatus.RESOLVED,
            changes={"resolution": resolution, "resolution_notes": notes, "resolved_by": user, "resolved_at": now},
        )
        words = OUTCOMES[DisputeResolution(resolution)]
        if resolution == DisputeResolution.PAYMENT_CONFIRMED:
            status.order_move(order, S.CLOSED, message=f"Dispute resolved: {words}", changes={"closed_at": now}, at=now)
            payable.vendor_payment_settle(records)
        else:
            status.order_move(
                order,
                S.DELIVERED,
                message=f"Dispute resolved: {words}",
                changes={
                    "payment_method": "",
                    "payment_notes": "",
                    "payment_received_at": None,
                    "auto_close_at": None,
                },
                at=now,
            )
            payable.vendor_payment_reverse(records, reason=f"Dispute {dispute.pk} resolved: payment not received")
        tell("society_order_dispute_resolved", order, to=["resident", "vendor"], resolution=words)
        status.publish(
            order,
            "dispute_resolved",
            {
                "dispute_id": str(dispute.pk),
                "resolution": resolution,
                "resolved_at": timezone.localtime(now).isoformat(),
            },
        )
    return dispute


def with_rows() -> QuerySet[OrderDispute]:
    """Disputes with what a row of the list shows (one query for any number of them)."""
    return OrderDispute.objects.select_related(
        "order__society", "order__partner", "order__residence__user", "order__residence__unit", "resolved_by"
    )


def disputes_for(*, user: User, society_id: int | None = None, dispute_status: str = "") -> QuerySet[OrderDispute]:
    """The disputes ``user`` may review (see the module's rules), newest first, with what a row shows."""
    if not user.has_perm(VIEW_PERMISSION):
        raise DomainError("You may not review order disputes.", code=ErrorCode.FORBIDDEN, reason="no_permission")
    rows = with_rows()
    if society_id is not None:
        rows = rows.filter(order__society=society_for_staff(user, society_id, VIEW_PERMISSION))
    else:
        scope = scoped_societies(user)
        if scope is not None:
            rows = rows.filter(order__society_id__in=scope)
    if dispute_status:
        rows = rows.filter(status=dispute_status)
    return rows.order_by("-raised_at", "pk")
