"""Seed 001 6.3-6.4: the vendor's count of an order, the resident's answer, and the 2-hour auto-approval.

**Count update** (``count_update``, the order's vendor only: 403 ``UNAUTHORIZED_VENDOR``):

* ``actual_items`` lists only the lines that CHANGED; every line not listed keeps its quantity (the seed's
  example: 11 items / 335 -> 13 / 355, difference +2 / +20). Lines are matched by ``rate_card_item_id``
  against the order's current lines, which are the base of every count: a recount after a QUESTION
  restates its changes against the order, not against the count it replaces (each count is complete on its
  own and the comparison's ``original`` is always the order as placed).
* A listed line already in the order keeps the price it was ordered at (its snapshot), whatever the card
  says now; its ``service_id`` must be the line's (422 ``actual_items.N.service_id``). Quantity 0 removes
  it. A ``rate_card_item_id`` not in the order adds a line at the vendor's PUBLISHED price in the order's
  society; an item not on that published card (or not of that service) is 422
  ``actual_items.N.rate_card_item_id``. Reading the seed's silence: an added line must be of a service the
  order already has (422 ``actual_items.N.service_id``, reason ``service_not_in_order``), because a new
  service would need its own workflow; a line listed twice is 422; quantity < 0 is 422 (the serializer);
  at least one line must remain (422 ``actual_items``). ``item_name`` is informative: the snapshot's name
  is kept. An empty ``actual_items`` says "nothing changed".
* Allowed while the count is not approved and the order is PICKUP_SCHEDULED, PICKUP_IN_PROGRESS or
  COUNT_APPROVAL_PENDING, else 422 ``INVALID_ORDER_STATUS``. A new count supersedes the open one
  (PENDING or QUESTIONED -> SUPERSEDED) and starts a new 2-hour window: ``approval_deadline`` = now + 2 h.
* The count is stored whole in ``CountUpdate.lines``; the order's own lines change only on approval. The
  order becomes COUNT_APPROVAL_PENDING (``status.recompute_status``), the resident is notified and the
  order's watchers get ``count_updated``. Every count writes one timeline entry.
* If the count changes nothing, it is approved at once by the system (the seed is silent; the notes'
  reading): ``final_price`` = the estimated price, the order goes on to PICKED_UP, nobody is asked.

**Answer** (``count_answer``, the owning resident only: 403 ``FORBIDDEN`` for the vendor or an admin),
only while a count is open (PENDING or QUESTIONED), else 422 ``INVALID_ORDER_STATUS``:

* APPROVE: see "Approval" below (a questioned count may still be approved).
* QUESTION (the reading issue 17 takes): needs a non-blank ``message`` (422 ``message``). The count becomes
  QUESTIONED with ``question``/``questioned_at``, the order stays COUNT_APPROVAL_PENDING, the auto-approval
  PAUSES (the scan takes only PENDING counts) until the vendor's next count (a new PENDING count with a
  new 2-hour window). The vendor is notified with the message. Asking again while questioned replaces the
  question and notifies the vendor again.

**Approval** (``_approve``: ONE function for the resident's APPROVE, the scan and an unchanged count), on
the locked order and its locked open count: the order's ``OrderItem`` rows are rewritten from the count
(quantities and totals updated, removed lines deleted, added lines created with their snapshot price and
the delivery days of the order's lines of that service); a service left without lines loses its workflow
rows (``OrderService``) and ``expected_delivery_date`` is recomputed from the remaining lines (pickup's IST
date + the largest delivery days). ``actual_item_count``, ``final_price`` (2 places) and
``count_approved_at`` are set, the count is APPROVED with ``decided_at``/``decided_by`` (None: the
system), then ``status.recompute_status`` moves the order to PICKED_UP (or further when its services
are ahead) with one timeline entry saying who approved. The vendor is notified (not for an unchanged
count: the vendor made it) and the watchers get ``count_approved``.

**Scan** (``auto_approve_due``, every 5 minutes from ``orders.tasks``; never a countdown): counts PENDING
with ``approval_deadline <= now`` (the deadline itself is due). Each order is taken in its own transaction
with ``select_for_update(skip_locked=True)`` on the ORDER first (a resident answering holds it: skipped,
the next run sees the answer), then its count is locked and re-checked (still PENDING and due). At most
``BATCH`` per run, oldest deadline first. Running it twice approves nothing the second time.

Lock order (``orders.services.status``): the order, then its count updates.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.errors import DomainError, ErrorCode
from orders import notify, selectors
from orders.models import CountStatus, CountUpdate, Order, OrderItem, OrderService, OrderStatus
from orders.services import status

APPROVAL_WINDOW = timedelta(hours=2)
AUTO_APPROVE_IN = "2 hours"
BATCH = 500
CENT = Decimal("0.01")
OPEN = (CountStatus.PENDING, CountStatus.QUESTIONED)
COUNTABLE = frozenset(
    {OrderStatus.PICKUP_SCHEDULED, OrderStatus.PICKUP_IN_PROGRESS, OrderStatus.COUNT_APPROVAL_PENDING}
)
APPROVE, QUESTION = "APPROVE", "QUESTION"
BY_RESIDENT = "Count approved by the resident"
BY_SCAN = "Count approved automatically: no answer within 2 hours"
UNCHANGED = "Count matches the order; approved automatically"

Line = dict[str, Any]  # {service_id, rate_card_item_id, item_name, quantity, unit_price} (CountUpdate.lines)


def _invalid(message: str, field: str, reason: str) -> DomainError:
    return DomainError(message, code=ErrorCode.VALIDATION_ERROR, field=field, reason=reason)


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def totals(lines: list[Line]) -> tuple[int, Decimal]:
    """(items, amount) of ``lines``."""
    items = sum(int(line["quantity"]) for line in lines)
    amount = sum((Decimal(line["unit_price"]) * int(line["quantity"]) for line in lines), Decimal("0"))
    return items, _money(amount)


def comparison(count: CountUpdate) -> dict[str, Any]:
    """6.3's ``count_comparison`` (money as JSON numbers)."""
    return {
        "original": {"total_items": count.original_items, "total_amount": float(count.original_amount)},
        "updated": {"total_items": count.total_items, "total_amount": float(count.total_amount)},
        "difference": {
            "items": count.total_items - count.original_items,
            "amount": float(count.total_amount - count.original_amount),
        },
    }


def open_count(order: Order) -> CountUpdate | None:
    """The order's open (PENDING or QUESTIONED) count, locked; call with the order locked."""
    return CountUpdate.objects.select_for_update().filter(order=order, status__in=OPEN).first()


def _current(order: Order) -> dict[int, Line]:
    """The order's lines by ``rate_card_item_id`` (two rows of one item are one line)."""
    lines: dict[int, Line] = {}
    for item in OrderItem.objects.filter(order=order):
        line = lines.get(item.rate_card_item_id)
        if line is not None:
            line["quantity"] += item.quantity
            continue
        lines[item.rate_card_item_id] = {
            "service_id": str(item.service_id),
            "rate_card_item_id": item.rate_card_item_id,
            "item_name": item.item_name,
            "quantity": item.quantity,
            "unit_price": str(item.unit_price),
        }
    return lines


def _published(order: Order) -> dict[int, Line]:
    """The items of the vendor's published cards in the order's society (empty if it no longer serves it)."""
    partner = selectors.serving(order.society).filter(pk=order.partner_id).first()
    if partner is None:
        return {}
    return {item["item_id"]: item for card in selectors.vendor_view(partner).cards for item in card.published_items}


def _merged(order: Order, current: dict[int, Line], listed: list[dict[str, Any]]) -> list[Line]:
    """The order's lines with the listed changes applied (see the module docstring)."""
    lines = {rid: dict(line) for rid, line in current.items()}
    services = {line["service_id"] for line in current.values()}
    published: dict[int, Line] | None = None
    seen: set[int] = set()
    for index, row in enumerate(listed):
        rid, service_id, field = row["rate_card_item_id"], str(row["service_id"]), f"actual_items.{index}"
        if rid in seen:
            raise _invalid("List each item once.", f"{field}.rate_card_item_id", "duplicate")
        seen.add(rid)
        line = lines.get(rid)
        if line is not None:
            if line["service_id"] != service_id:
                raise _invalid("This item is ordered under another service.", f"{field}.service_id", "service_mismatch")
            line["quantity"] = row["quantity"]
            continue
        if published is None:
            published = _published(order)
        item = published.get(rid)
        if item is None or item["service_id"] != service_id:
            raise _invalid(
                "This item is not on the vendor's published rate card for that service.",
                f"{field}.rate_card_item_id",
                "not_on_card",
            )
        if service_id not in services:
            raise _invalid(
                "A count may add items only to services already in the order.",
                f"{field}.service_id",
                "service_not_in_order",
            )
        lines[rid] = {
            "service_id": service_id,
            "rate_card_item_id": rid,
            "item_name": item["item_name"],
            "quantity": row["quantity"],
            "unit_price": str(_money(Decimal(item["price_per_piece"]))),
        }
    kept = [line for line in lines.values() if line["quantity"] > 0]
    if not kept:
        raise _invalid("At least one item must remain in the order.", "actual_items", "nothing_left")
    return kept


def _same(current: dict[int, Line], lines: list[Line]) -> bool:
    return {rid: line["quantity"] for rid, line in current.items()} == {
        line["rate_card_item_id"]: line["quantity"] for line in lines
    }


def count_update(*, user: User, order_id: Any, data: dict[str, Any]) -> CountUpdate:
    """Seed 001 6.3 (see the module docstring): the vendor's count; returns the new count update."""
    with transaction.atomic():
        order = status.lock_order(order_id)
        status.check_vendor(user, order)
        if order.count_approved_at is not None or order.status not in COUNTABLE:
            raise status.refuse_status(order, "The count can be updated only from pickup until it is approved.")
        current = _current(order)
        lines = _merged(order, current, data.get("actual_items") or [])
        now = timezone.now()
        previous = open_count(order)
        if previous is not None:
            previous.status, previous.decided_at = CountStatus.SUPERSEDED, now
            previous.save(update_fields=["status", "decided_at"])
        original_items, original_amount = totals(list(current.values()))
        total_items, total_amount = totals(lines)
        count = CountUpdate.objects.create(
            order=order,
            lines=lines,
            original_items=original_items,
            original_amount=original_amount,
            total_items=total_items,
            total_amount=total_amount,
            vendor_notes=data.get("vendor_notes", ""),
            created_by=user,
            created_at=now,
            approval_deadline=now + APPROVAL_WINDOW,
        )
        publish_data = {"count_comparison": comparison(count), "approval_deadline": _when(count.approval_deadline)}
        if _same(current, lines):
            status.publish(order, "count_updated", publish_data | {"status": CountStatus.APPROVED})
            _approve(order, count, by=None, message=UNCHANGED, tell_vendor=False)
            return count
        message = f"Count updated: {total_items} items, ₹{total_amount}. Awaiting resident approval"
        if not status.recompute_status(order, message=message, at=now):
            status.timeline(order, order.status, message, at=now)
        notify.tell(
            "society_order_count_updated",
            order,
            to=["resident"],
            total_items=total_items,
            total_amount=str(total_amount),
            deadline=notify.when(count.approval_deadline),
        )
        status.publish(order, "count_updated", publish_data | {"status": CountStatus.PENDING})
    return count


def _when(value: datetime) -> str:
    return timezone.localtime(value).isoformat()


def _rewrite_items(order: Order, lines: list[Line]) -> None:
    """The order's ``OrderItem`` rows become ``lines`` (see "Approval" in the module docstring)."""
    items = list(OrderItem.objects.filter(order=order))
    days = {str(item.service_id): item.delivery_days for item in items}
    wanted = {line["rate_card_item_id"]: line for line in lines}
    kept: set[int] = set()
    gone: list[int] = []
    changed: list[OrderItem] = []
    for item in items:
        line = wanted.get(item.rate_card_item_id)
        if line is None or item.rate_card_item_id in kept:
            gone.append(item.pk)
            continue
        kept.add(item.rate_card_item_id)
        if item.quantity != line["quantity"]:
            item.quantity = line["quantity"]
            item.total_price = _money(item.unit_price * item.quantity)
            changed.append(item)
    OrderItem.objects.filter(pk__in=gone).delete()
    OrderItem.objects.bulk_update(changed, ["quantity", "total_price"])
    OrderItem.objects.bulk_create(
        OrderItem(
            order=order,
            service_id=line["service_id"],
            rate_card_item_id=rid,
            item_name=line["item_name"],
            quantity=line["quantity"],
            unit_price=Decimal(line["unit_price"]),
            total_price=_money(Decimal(line["unit_price"]) * line["quantity"]),
            delivery_days=days[line["service_id"]],
        )
        for rid, line in wanted.items()
        if rid not in kept
    )
    remaining = {line["service_id"] for line in lines}
    OrderService.objects.filter(order=order).exclude(service_id__in=remaining).delete()
    slowest = max(days[service_id] for service_id in remaining)
    order.expected_delivery_date = timezone.localdate(order.pickup_datetime) + timedelta(days=slowest)


def _approve(order: Order, count: CountUpdate, *, by: User | None, message: str, tell_vendor: bool = True) -> None:
    """Approve ``count`` (open, locked) of the locked ``order``: the one approval path (module docstring)."""
    now = timezone.now()
    _rewrite_items(order, count.lines)
    order.actual_item_count = count.total_items
    order.final_price = _money(count.total_amount)
    order.count_approved_at = now
    order.save(
        update_fields=["actual_item_count", "final_price", "count_approved_at", "expected_delivery_date", "updated_at"]
    )
    count.status, count.decided_at, count.decided_by = CountStatus.APPROVED, now, by
    count.save(update_fields=["status", "decided_at", "decided_by"])
    if not status.recompute_status(order, message=message, at=now):
        status.timeline(order, order.status, message, at=now)
    if tell_vendor:
        notify.tell(
            "society_order_count_approved",
            order,
            to=["vendor"],
            total_items=count.total_items,
            total_amount=str(order.final_price),
        )
    status.publish(
        order,
        "count_approved",
        {
            "status": order.status,
            "final_price": float(order.final_price),
            "actual_item_count": order.actual_item_count,
            "count_approved_at": _when(now),
            "approved_by": "RESIDENT" if by is not None else "SYSTEM",
        },
    )


def count_answer(*, user: User, order_id: Any, action: str, message: str = "") -> Order:
    """Seed 001 6.4 (see the module docstring): the resident approves or questions the open count."""
    with transaction.atomic():
        order = status.lock_order(order_id)
        status.check_resident(user, order)
        count = open_count(order)
        if count is None:
            raise status.refuse_status(order, "There is no count waiting for your answer.")
        if action == APPROVE:
            _approve(order, count, by=user, message=BY_RESIDENT)
        elif action == QUESTION:
            _question(order, count, message.strip())
        else:
            raise _invalid("The action is APPROVE or QUESTION.", "action", "invalid_choice")
    return order


def _question(order: Order, count: CountUpdate, message: str) -> None:
    if not message:
        raise _invalid("Say what you question about the count.", "message", "required")
    now = timezone.now()
    count.status, count.question, count.questioned_at = CountStatus.QUESTIONED, message, now
    count.save(update_fields=["status", "question", "questioned_at"])
    status.timeline(order, "COUNT_QUESTIONED", "The resident questioned the count", at=now)
    notify.tell("society_order_count_questioned", order, to=["vendor"], message=message)
    status.publish(order, "count_questioned", {"status": order.status, "message": message, "questioned_at": _when(now)})


def question_of(order: Order) -> CountUpdate | None:
    """The order's questioned count, if any (for the answer to QUESTION)."""
    return CountUpdate.objects.filter(order=order, status=CountStatus.QUESTIONED).first()


def auto_approve_due(*, now: datetime | None = None) -> int:
    """The 2-hour scan (module docstring): approve the due PENDING counts; returns how many it approved."""
    now = now or timezone.now()
    due = (
        CountUpdate.objects.filter(status=CountStatus.PENDING, approval_deadline__lte=now)
        .order_by("approval_deadline", "pk")
        .values_list("order_id", flat=True)[:BATCH]
    )
    approved = 0
    for order_id in list(due):
        with transaction.atomic():
            order = (
                Order.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("residence", "partner", "society")
                .filter(pk=order_id)
                .first()
            )
            if order is None:
                continue
            count = (
                CountUpdate.objects.select_for_update()
                .filter(order=order, status=CountStatus.PENDING, approval_deadline__lte=now)
                .first()
            )
            if count is None:
                continue
            _approve(order, count, by=None, message=BY_SCAN)
            approved += 1
    return approved
