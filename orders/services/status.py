"""The one place an order's status is written, who may act on an order, and what its watchers hear.

* ``ORDER_MACHINE`` (``core.statemachine``) holds the allowed moves; ``order_move`` applies one on a locked
  order, writes the timeline entry and sends ``order_status_change`` to ``ws/orders/{order_id}/`` after
  commit. ``publish`` sends any other order event (count updated, step completed...) the same way.
* ``derive_status`` is the workflow-phase rule of ``orders.models``: until the count is approved the order
  is COUNT_APPROVAL_PENDING while a count is open, else its least advanced service; after approval it is
  its least advanced service but never below PICKED_UP.
* Who may act (issue 17's reading of "no enumeration" beside seed 8.1's ``UNAUTHORIZED_VENDOR``):
  a person who may not see the order at all gets 404 ``ORDER_NOT_FOUND``; one who may see it (the
  resident, a society admin, staff) or any vendor, asking for a vendor's action on an order that is not
  theirs, gets 403 ``UNAUTHORIZED_VENDOR``; a vendor or an admin asking for the resident's action gets
  403 ``FORBIDDEN``.

Lock order: a payment's row before its order (the payments layer calls the payable under the payment's
lock), then the order, then its count updates, services and steps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone

from accounts.models import User
from core.errors import DomainError, ErrorCode
from core.events import send_event_on_commit
from core.statemachine import StateMachine, Transition
from orders.errors import OrderErrorCode
from orders.models import CountStatus, CountUpdate, Order, OrderService, OrderStatus, OrderTimeline
from partners.models import Partner, PartnerKind
from societies.scope import is_platform_staff, runs

S = OrderStatus
VIEW_PERMISSION = "orders.view_order"

# The workflow phase in order of progress (the "least advanced service" compares these).
PROGRESS = (
    S.PICKUP_SCHEDULED,
    S.PICKUP_IN_PROGRESS,
    S.COUNT_APPROVAL_PENDING,
    S.PICKED_UP,
    S.PROCESSING_IN_PROGRESS,
    S.READY_FOR_DELIVERY,
    S.DELIVERED,
)
RANK: dict[str, int] = {str(status): index for index, status in enumerate(PROGRESS)}
WORKFLOW = frozenset(PROGRESS[:-1])  # statuses the workflow (steps and count) may move between

ORDER_TRANSITIONS: Mapping[str, frozenset[str]] = {
    **{status: (WORKFLOW | {S.DELIVERED}) - {status} for status in WORKFLOW},
    S.PICKUP_SCHEDULED: (WORKFLOW | {S.DELIVERED, S.CANCELLED}) - {S.PICKUP_SCHEDULED},
    S.DELIVERED: frozenset({S.PAYMENT_RECEIVED, S.CLOSED}),  # CLOSED: an in-app payment captured (V2)
    S.PAYMENT_RECEIVED: frozenset({S.CLOSED, S.DISPUTED}),
    S.DISPUTED: frozenset({S.CLOSED, S.DELIVERED}),  # resolved: paid after all, or not received
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
}

ORDER_MACHINE: StateMachine[Order] = StateMachine(
    model=Order, transitions=ORDER_TRANSITIONS, error_code=OrderErrorCode.INVALID_ORDER_STATUS, thing="order"
)


def order_group(order_id: Any) -> str:
    """The channel-layer group of ``ws/orders/{order_id}/``."""
    return f"order.{order_id}"


def publish(order: Order, event_type: str, data: Mapping[str, Any] | None = None) -> None:
    """Send ``event_type`` to the order's watchers once the current transaction commits."""
    payload = {"order_id": str(order.pk), "order_number": order.order_number, **(data or {})}
    send_event_on_commit(order_group(order.pk), event_type, payload)


def timeline(order: Order, status: str, message: str, *, at: Any = None) -> OrderTimeline:
    return OrderTimeline.objects.create(order=order, status=status, message=message, created_at=at or timezone.now())


def order_move(
    order: Order,
    new: str,
    *,
    message: str,
    changes: Mapping[str, Any] | None = None,
    strict: bool = True,
    at: Any = None,
) -> bool:
    """Move a locked order to ``new`` with a timeline entry and a live event; returns whether it moved."""

    def recorded(moved: Transition[Order]) -> None:
        timeline(order, moved.new, message, at=at)
        publish(order, "order_status_change", {"old_status": moved.old, "new_status": moved.new, "message": message})

    return ORDER_MACHINE.move(order, new, strict=strict, changes=changes, on_change=recorded)


def refuse_status(order: Order, message: str) -> DomainError:
    """422 ``INVALID_ORDER_STATUS`` naming the order's current status (seed 8.1's ``current_status``)."""
    return DomainError(
        message,
        code=OrderErrorCode.INVALID_ORDER_STATUS,
        reason="invalid_status",
        context={"current_status": order.status},
    )


def derive_status(statuses: Iterable[str], *, count_open: bool, count_approved: bool) -> str:
    """The order's workflow-phase status from its services' (see the module docstring)."""
    least: str = min(statuses, key=RANK.__getitem__, default=S.PICKUP_SCHEDULED)
    if not count_approved:
        return S.COUNT_APPROVAL_PENDING if count_open else least
    return least if RANK[least] >= RANK[S.PICKED_UP] else S.PICKED_UP


def recompute_status(order: Order, *, message: str, at: Any = None) -> bool:
    """Bring a locked order in its workflow phase to what its services and count say; returns whether it moved.

    Once the count is approved, services whose count step is done (COUNT_APPROVAL_PENDING) are PICKED_UP.
    An order past the workflow (DELIVERED and after, CANCELLED) is left alone.
    """
    if order.status not in WORKFLOW:
        return False
    approved = order.count_approved_at is not None
    if approved:
        OrderService.objects.filter(order=order, status=S.COUNT_APPROVAL_PENDING).update(status=S.PICKED_UP)
    statuses = list(OrderService.objects.filter(order=order).values_list("status", flat=True))
    open_count = CountUpdate.objects.filter(
        order=order, status__in=[CountStatus.PENDING, CountStatus.QUESTIONED]
    ).exists()
    new = derive_status(statuses, count_open=open_count, count_approved=approved)
    changes = {"delivered_at": at or timezone.now()} if new == S.DELIVERED else None
    return order_move(order, new, message=message, changes=changes, at=at)


# --- who may act ------------------------------------------------------------------------------------


def not_found() -> DomainError:
    return DomainError("Order not found.", code=OrderErrorCode.ORDER_NOT_FOUND, field="order_id")


def sees(user: User, order: Order) -> bool:
    """The order's resident and vendor, staff holding ``orders.view_order`` (platform staff for every society,
    a society admin for the societies they run) may read it."""
    if order.residence.user_id == user.pk or order.partner.user_id == user.pk:
        return True
    return user.has_perm(VIEW_PERMISSION) and (is_platform_staff(user) or runs(user, order.society_id))


def _is_vendor(user: User) -> bool:
    return Partner.objects.filter(user=user, kind=PartnerKind.VENDOR).exists()


def lock_order(order_id: Any) -> Order:
    """The order, locked (with its resident's residence and vendor for the checks), or 404."""
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("residence", "partner", "society")
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        raise not_found()
    return order


def check_vendor(user: User, order: Order) -> None:
    """``user`` is the order's vendor (see the module docstring for the 403 and 404)."""
    if order.partner.user_id == user.pk:
        return
    if sees(user, order) or _is_vendor(user):
        raise DomainError(
            "You are not authorized to act on this order as its vendor.", code=OrderErrorCode.UNAUTHORIZED_VENDOR
        )
    raise not_found()


def check_resident(user: User, order: Order) -> None:
    """``user`` is the resident who placed the order (see the module docstring for the 403 and 404)."""
    if order.residence.user_id == user.pk:
        return
    if sees(user, order):
        raise DomainError("Only the resident who placed this order may do this.", code=ErrorCode.FORBIDDEN)
    raise not_found()
