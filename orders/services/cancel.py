"""Cancelling a society order before pickup (issue 17; the seed only implies it: 0.3's "Cannot cancel
delivered order", C16).

* Who: the order's resident (``reason`` optional) or the order's vendor (``reason`` required: 422 on
  ``reason`` when blank). Reading where the issue is silent: a society admin may NOT cancel (the seed gives
  admins no order action but resolving disputes; the resident or the vendor can always cancel before
  pickup themselves), so an admin or platform staff who may see the order gets 403 ``FORBIDDEN``; another
  vendor 403 ``UNAUTHORIZED_VENDOR``; anyone else 404 ``ORDER_NOT_FOUND`` (``orders.services.status``).
* When: before pickup, i.e. while the order is PICKUP_SCHEDULED and no workflow step of it is completed;
  later (or a second cancel) is 422 ``INVALID_ORDER_STATUS`` with the current status. Status is checked
  before the vendor's reason.
* What: ``cancelled_at``/``cancelled_by``/``cancellation_reason`` are set and the order moves to CANCELLED
  through ``status.order_move`` (timeline entry and ``order_status_change`` after commit) on the locked
  order; the other party is notified (``society_order_cancelled`` with the reason). The order's workflow
  rows stay as they were (nothing was done); the scans skip a CANCELLED order by its status.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.errors import DomainError, ErrorCode
from orders import notify
from orders.models import Order, OrderStatus, OrderStep, StepStatus
from orders.services import status

RESIDENT, VENDOR = "resident", "vendor"


def _party(user: User, order: Order) -> str:
    """``resident`` or ``vendor``; else the 403/404 of the module docstring."""
    if order.residence.user_id == user.pk:
        return RESIDENT
    if order.partner.user_id == user.pk:
        return VENDOR
    if status.sees(user, order):
        raise DomainError("Only the order's resident or vendor may cancel it.", code=ErrorCode.FORBIDDEN)
    status.check_vendor(user, order)  # another vendor: 403 UNAUTHORIZED_VENDOR; anyone else: 404
    raise status.not_found()


def cancellable(order: Order) -> bool:
    """Before pickup: PICKUP_SCHEDULED with no workflow step completed."""
    if order.status != OrderStatus.PICKUP_SCHEDULED:
        return False
    return not OrderStep.objects.filter(order_service__order=order, status=StepStatus.COMPLETED).exists()


def order_cancel(*, user: User, order_id: Any, reason: str = "") -> Order:
    """Cancel ``order_id`` as its resident or vendor (module docstring); returns the cancelled order."""
    reason = reason.strip()
    with transaction.atomic():
        order = status.lock_order(order_id)
        party = _party(user, order)
        if not cancellable(order):
            raise status.refuse_status(order, "An order can be cancelled only before pickup.")
        if party == VENDOR and not reason:
            raise DomainError(
                "Tell the resident why you cancel the order.",
                code=ErrorCode.VALIDATION_ERROR,
                field="reason",
                reason="required",
            )
        now = timezone.now()
        who = "the resident" if party == RESIDENT else "the vendor"
        status.order_move(
            order,
            OrderStatus.CANCELLED,
            message=(f"Cancelled by {who}" + (f": {reason}" if reason else ""))[:255],
            changes={"cancelled_at": now, "cancelled_by": user, "cancellation_reason": reason},
            at=now,
        )
        notify.tell(
            "society_order_cancelled",
            order,
            to=[VENDOR if party == RESIDENT else RESIDENT],
            reason=f"Reason: {reason}" if reason else "",
        )
    return order
