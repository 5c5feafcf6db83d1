"""Seed 001 7.2-7.3: each service of an order walks its workflow steps; the vendor completes them one by one.

Placing an order (``create_steps``, inside ``order_create``'s transaction):

* Every ordered service gets its default template (``catalog.workflows.ensure_default_workflow``, so a
  service that never had one still works) and one ``OrderService`` (PICKUP_SCHEDULED, step 1 of
  ``total_steps``) whose ``OrderStep`` rows copy the template's steps, numbered 1..n in the template's
  order (a staff template with gaps in its numbering still gives 7.2's ``current_step_order /
  total_steps``). Editing a template later never changes an order already placed.
* Reading of "the next step starts at once" for the first step: step 1 of every service is IN_PROGRESS
  from the moment the order is placed (``started_at`` = the order's ``created_at``), so the pickup's
  ``duration_minutes`` runs from the order to the pickup.

Completing a step (``step_complete``, the order's vendor only: 403 ``UNAUTHORIZED_VENDOR`` / 404):

* The order is locked, then the service's row, then the step (``orders.services.status``'s lock order),
  so two completions of one step end with one success and one 422.
* The order must still be in its workflow (not CANCELLED, not DELIVERED or later): else 422
  ``INVALID_ORDER_STATUS`` (reason ``invalid_status``). A service the order does not have is 404
  ``NOT_FOUND`` on ``service_id``.
* Only the service's current IN_PROGRESS step: a step of another service or of no service of this order
  (reason ``not_a_step_of_this_service``), a completed one (``already_completed``) or a later one
  (``not_current_step``) is 422 ``INVALID_ORDER_STATUS`` on ``step_id``. Steps cannot be skipped, even
  ones marked not required (the seed has no skip action).
* A step after the service's ``count`` step is refused while the order's count is not approved
  (``count_approved_at`` null): 422 ``INVALID_ORDER_STATUS`` reason ``count_not_approved``. A template
  with no count step gates the steps that complete into PROCESSING_IN_PROGRESS or later instead.
* A step that ``requires_photo`` with no photos is 422 ``VALIDATION_ERROR`` on ``photos``.
* Completing stamps ``completed_at``/``completed_by``, keeps photos, notes and signature, and gives the
  service the step's ``order_status_on_complete`` (COUNT_APPROVAL_PENDING becomes PICKED_UP when the
  count is already approved; READY_FOR_DELIVERY stamps ``ready_at``). The next step starts at once
  (``started_at`` = this ``completed_at``) and becomes ``current_step_order``; after the last step
  ``current_step_order`` stays at ``total_steps``. ``duration_minutes`` = whole minutes from start to
  completion (floor: 10:30 to 10:35:59 is 5).
* ``status.recompute_status`` then derives the order's status (its least advanced service; DELIVERED
  only when every service is). An order reaching DELIVERED with no ``final_price`` (its count never
  approved through a count update: the count helper sets it on approval) takes the estimate:
  ``final_price = estimated_price`` and ``actual_item_count = estimated_item_count``.
* After commit the watchers of ``ws/orders/{id}/`` get ``step_completed``; the resident is told of each
  completed step (``society_order_step_completed``) and, when the order becomes DELIVERED, also of the
  delivery (``society_order_delivered`` with the final price). ``notification_sent`` says whether the
  step notification was written.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import User
from catalog.models import Service, WorkflowStep, WorkflowTemplate
from catalog.workflows import ensure_default_workflow
from core.errors import DomainError, ErrorCode
from orders.errors import OrderErrorCode
from orders.models import Order, OrderItem, OrderService, OrderStatus, OrderStep, StepStatus
from orders.notify import tell
from orders.services import status

S = OrderStatus
PROCESSING = frozenset({S.PROCESSING_IN_PROGRESS, S.READY_FOR_DELIVERY, S.DELIVERED})  # what waits for the count


# --- placing an order ---------------------------------------------------------------------------------


def _template_steps(service_ids: list[Any]) -> dict[Any, tuple[WorkflowTemplate, list[WorkflowStep]]]:
    """Each service's default template and its steps (created from the defaults where missing)."""
    found = {
        t.service_id: (t, list(t.steps.all()))
        for t in WorkflowTemplate.objects.filter(service_id__in=service_ids, is_default=True).prefetch_related("steps")
    }
    missing = [pk for pk in service_ids if not found.get(pk, (None, []))[1]]
    for service in Service.objects.filter(pk__in=missing):
        template = ensure_default_workflow(service)
        found[service.pk] = (template, list(template.steps.all()))
    return found


def create_steps(order: Order) -> list[OrderService]:
    """One ``OrderService`` per ordered service with its steps copied from the template; step 1 starts now."""
    service_ids = list(
        dict.fromkeys(OrderItem.objects.filter(order=order).order_by("pk").values_list("service_id", flat=True))
    )
    templates = _template_steps(service_ids)
    rows = OrderService.objects.bulk_create(
        OrderService(
            order=order,
            service_id=pk,
            template=templates[pk][0],
            status=S.PICKUP_SCHEDULED,
            current_step_order=1,
            total_steps=len(templates[pk][1]),
        )
        for pk in service_ids
    )
    steps = []
    for row in rows:
        for position, step in enumerate(templates[row.service_id][1], start=1):
            first = position == 1
            steps.append(
                OrderStep(
                    order_service=row,
                    step_key=step.step_key,
                    step_name=step.step_name,
                    step_order=position,
                    is_required=step.is_required,
                    requires_photo=step.requires_photo,
                    estimated_duration_minutes=step.estimated_duration_minutes,
                    order_status_on_complete=step.order_status_on_complete,
                    status=StepStatus.IN_PROGRESS if first else StepStatus.PENDING,
                    started_at=order.created_at if first else None,
                )
            )
    OrderStep.objects.bulk_create(steps)
    return list(rows)


# --- reading progress ---------------------------------------------------------------------------------


def progress_for(*, user: User, order_id: Any) -> Order:
    """The order with its items, services and steps (a fixed number of queries), if ``user`` may see it."""
    order = (
        Order.objects.select_related("partner__user", "residence__user", "society")
        .prefetch_related(
            "items",
            Prefetch("services", queryset=OrderService.objects.select_related("service").prefetch_related("steps")),
        )
        .filter(pk=order_id)
        .first()
    )
    if order is None or not status.sees(user, order):
        raise status.not_found()
    return order


def progress_percentage(row: OrderService, steps: list[OrderStep]) -> int:
    """round(current_step_order / total_steps * 100), half up (seed 7.2: 4/5 → 80); 100 once all are done."""
    if not row.total_steps or all(step.status == StepStatus.COMPLETED for step in steps):
        return 100
    return int(row.current_step_order * 100 / row.total_steps + 0.5)


def duration_minutes(step: OrderStep) -> int | None:
    if step.started_at is None or step.completed_at is None:
        return None
    return int((step.completed_at - step.started_at).total_seconds() // 60)


# --- completing a step --------------------------------------------------------------------------------


def _refuse_step(order: Order, message: str, reason: str, current: OrderStep | None) -> DomainError:
    return DomainError(
        message,
        code=OrderErrorCode.INVALID_ORDER_STATUS,
        field="step_id",
        reason=reason,
        context={
            "current_status": order.status,
            "current_step_id": current.pk if current else None,
            "current_step_order": current.step_order if current else None,
        },
    )


def _gated_by_count(step: OrderStep, steps: list[OrderStep]) -> bool:
    """Whether ``step`` comes after the count (needs it approved): see the module docstring."""
    count = next((s for s in steps if s.step_key == "count"), None)
    if count is not None:
        return step.step_order > count.step_order
    return step.order_status_on_complete in PROCESSING


def _check_step(order: Order, step: OrderStep | None, steps: list[OrderStep]) -> OrderStep:
    current = next((s for s in steps if s.status == StepStatus.IN_PROGRESS), None)
    if step is None:
        raise _refuse_step(order, "This step is not a step of this service.", "not_a_step_of_this_service", current)
    if step.status == StepStatus.COMPLETED:
        raise _refuse_step(order, f"{step.step_name} is already completed.", "already_completed", current)
    if step.status != StepStatus.IN_PROGRESS:
        raise _refuse_step(order, "Only the current step of a service can be completed.", "not_current_step", current)
    if order.count_approved_at is None and _gated_by_count(step, steps):
        raise _refuse_step(
            order, "The resident has not approved the count yet; processing waits for it.", "count_not_approved", step
        )
    return step


def _finish(order: Order, row: OrderService, step: OrderStep, data: Mapping[str, Any], by: User, now: datetime) -> None:
    photos = list(data.get("photos") or [])
    if step.requires_photo and not photos:
        raise DomainError(
            f"{step.step_name} needs at least one photo.",
            code=ErrorCode.VALIDATION_ERROR,
            field="photos",
            reason="photo_required",
        )
    step.status = StepStatus.COMPLETED
    step.completed_at = now
    step.completed_by = by
    step.photos = photos
    step.notes = data.get("notes") or ""
    step.signature_url = data.get("signature_url") or ""
    step.save(update_fields=["status", "completed_at", "completed_by", "photos", "notes", "signature_url"])
    new = step.order_status_on_complete
    if new == S.COUNT_APPROVAL_PENDING and order.count_approved_at is not None:
        new = S.PICKED_UP
    row.status = new
    if new == S.READY_FOR_DELIVERY and row.ready_at is None:
        row.ready_at = now


def step_complete(*, user: User, order_id: Any, service_id: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    """Seed 001 7.3 (see the module's rules); returns the answer's ``data``."""
    with transaction.atomic():
        order = status.lock_order(order_id)
        status.check_vendor(user, order)
        if order.status not in status.WORKFLOW:
            raise status.refuse_status(order, f"Steps can no longer be completed on a {order.status} order.")
        row = (
            OrderService.objects.select_for_update()
            .select_related("service")
            .filter(order=order, service_id=service_id)
            .first()
        )
        if row is None:
            raise DomainError(
                "This order has no such service.", code=ErrorCode.NOT_FOUND, field="service_id", reason="not_found"
            )
        steps = list(OrderStep.objects.select_for_update().filter(order_service=row).order_by("step_order"))
        asked = next((s for s in steps if s.pk == data["step_id"]), None)
        step = _check_step(order, asked, steps)
        now = timezone.now()
        _finish(order, row, step, data, user, now)
        following = next((s for s in steps if s.step_order > step.step_order), None)
        if following is not None:
            following.status = StepStatus.IN_PROGRESS
            following.started_at = now
            following.save(update_fields=["status", "started_at"])
            row.current_step_order = following.step_order
        row.save(update_fields=["status", "ready_at", "current_step_order"])
        service_name = row.service.name
        status.recompute_status(order, message=f"{service_name}: {step.step_name} completed", at=now)
        delivered = order.status == S.DELIVERED
        if delivered and order.final_price is None:
            order.final_price = order.estimated_price
            order.actual_item_count = order.estimated_item_count
            order.save(update_fields=["final_price", "actual_item_count", "updated_at"])
        told = tell(
            "society_order_step_completed",
            order,
            to=["resident"],
            service_name=service_name,
            step_name=step.step_name,
        )
        if delivered:
            tell("society_order_delivered", order, to=["resident"], final_price=f"{order.final_price:.2f}")
        result = {
            "order_id": str(order.pk),
            "service_id": str(row.service_id),
            "completed_step": {
                "step_id": step.pk,
                "step_name": step.step_name,
                "completed_at": timezone.localtime(now).isoformat(),
                "duration_minutes": duration_minutes(step),
            },
            "next_step": None
            if following is None
            else {
                "step_id": following.pk,
                "step_name": following.step_name,
                "step_order": following.step_order,
                "status": following.status,
                "started_at": timezone.localtime(now).isoformat(),
            },
            "service_status": row.status,
            "order_status": order.status,
            "is_final_step": following is None,
            "notification_sent": told > 0,
        }
        status.publish(
            order,
            "step_completed",
            {k: result[k] for k in ("service_id", "completed_step", "next_step", "service_status", "order_status")},
        )
    return result
