"""Default workflow templates (seed 001 7.1), as data, and the one function that gives a service its default.

``DEFAULTS`` is keyed by ``Service.service_key``:

* ``IRONING`` is seed 7.1's "Standard Ironing Workflow" exactly: pickup (15 min, PICKUP_IN_PROGRESS),
  count (10 min, photo, COUNT_APPROVAL_PENDING), iron (60 min, PROCESSING_IN_PROGRESS), quality_check
  (10 min, READY_FOR_DELIVERY), deliver (15 min, photo, DELIVERED).
* ``WASHING_IRONING``: pickup, count, wash, iron, quality_check, deliver (7.2 lists the first five; seed
  C15: every template ends in a delivery step, so an order can reach DELIVERED).
* ``DRY_CLEANING``: pickup, count, inspect, dry_clean, quality_check, deliver: "Dry Clean" is step 4 as
  6.2's example shows it (current step 4 while PROCESSING_IN_PROGRESS), so our reading puts an
  inspection of the garments (stains, damage) at step 3.
* ``GENERIC`` serves any other service key: pickup, count, process, quality_check, deliver.

Readings where the seed is silent: the minutes of steps other than ironing's are our estimates; only
the count and delivery steps need a photo (the two 7.1 marks); every step is required.

:func:`ensure_default_workflow` is an idempotent get-or-create of a service's default template (the
database allows one default per service; two callers at once end with one template, the loser reading
the winner's row after its insert fails). ``catalog.demo`` calls it for the demo laundry services and
``orders`` calls it for every service of a new order, inside the order's transaction, so a service that
never had a template still works. A default template that staff emptied of steps gets the default steps
again. Templates are never changed here once they have steps: editing one is staff's call, and orders
copy their steps when placed, so an edit never changes an order already running.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from catalog.models import Service, WorkflowStep, WorkflowTemplate
from catalog.models import WorkflowStepStatus as W


@dataclass(frozen=True)
class StepSpec:
    key: str
    name: str
    minutes: int
    status: str
    photo: bool = False
    required: bool = True


@dataclass(frozen=True)
class TemplateSpec:
    name: str
    steps: tuple[StepSpec, ...]


PICKUP = StepSpec("pickup", "Pickup Items", 15, W.PICKUP_IN_PROGRESS)
COUNT = StepSpec("count", "Count Items", 10, W.COUNT_APPROVAL_PENDING, photo=True)
QUALITY = StepSpec("quality_check", "Quality Check", 10, W.READY_FOR_DELIVERY)
DELIVER = StepSpec("deliver", "Deliver Items", 15, W.DELIVERED, photo=True)
IRON = StepSpec("iron", "Iron Items", 60, W.PROCESSING_IN_PROGRESS)

GENERIC = "GENERIC"
DEFAULTS: dict[str, TemplateSpec] = {
    "IRONING": TemplateSpec("Standard Ironing Workflow", (PICKUP, COUNT, IRON, QUALITY, DELIVER)),
    "WASHING_IRONING": TemplateSpec(
        "Standard Washing + Ironing Workflow",
        (PICKUP, COUNT, StepSpec("wash", "Wash Items", 180, W.PROCESSING_IN_PROGRESS), IRON, QUALITY, DELIVER),
    ),
    "DRY_CLEANING": TemplateSpec(
        "Standard Dry Cleaning Workflow",
        (
            PICKUP,
            COUNT,
            StepSpec("inspect", "Inspect Garments", 30, W.PROCESSING_IN_PROGRESS),
            StepSpec("dry_clean", "Dry Clean", 1440, W.PROCESSING_IN_PROGRESS),
            StepSpec("quality_check", "Quality Check", 15, W.READY_FOR_DELIVERY),
            DELIVER,
        ),
    ),
    GENERIC: TemplateSpec(
        "Standard Workflow",
        (PICKUP, COUNT, StepSpec("process", "Process Items", 120, W.PROCESSING_IN_PROGRESS), QUALITY, DELIVER),
    ),
}


def spec_for(service_key: str) -> TemplateSpec:
    """The default template of a service key (``GENERIC`` for a key with none of its own)."""
    return DEFAULTS.get(service_key, DEFAULTS[GENERIC])


def _add_steps(template: WorkflowTemplate, spec: TemplateSpec) -> None:
    WorkflowStep.objects.bulk_create(
        WorkflowStep(
            template=template,
            step_key=step.key,
            step_name=step.name,
            step_order=order,
            is_required=step.required,
            requires_photo=step.photo,
            estimated_duration_minutes=step.minutes,
            order_status_on_complete=step.status,
        )
        for order, step in enumerate(spec.steps, start=1)
    )


def ensure_default_workflow(service: Service) -> WorkflowTemplate:
    """The service's default template, created from ``DEFAULTS`` when it has none (idempotent, race-safe)."""
    spec = spec_for(service.service_key)
    template = WorkflowTemplate.objects.filter(service=service, is_default=True).first()
    if template is None:
        try:
            with transaction.atomic():
                template = WorkflowTemplate.objects.create(service=service, name=spec.name, is_default=True)
                _add_steps(template, spec)
                return template
        except IntegrityError:  # another transaction made it first: read theirs
            template = WorkflowTemplate.objects.get(service=service, is_default=True)
    if not template.steps.exists():
        try:
            with transaction.atomic():
                _add_steps(template, spec)
        except IntegrityError:  # filled at the same moment by another caller
            pass
    return template
