"""Workflow progress of an order (seed 001 7.2-7.3); see ``orders.models``."""

from __future__ import annotations

from django.db import models


class StepStatus(models.TextChoices):
    PENDING = "PENDING"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"


class OrderService(models.Model):
    """One service of an order and where its workflow stands (``service_status`` in 6.2)."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="services")
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(
        "catalog.WorkflowTemplate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=24, default="PICKUP_SCHEDULED")
    current_step_order = models.PositiveSmallIntegerField(default=1)
    total_steps = models.PositiveSmallIntegerField()
    ready_at = models.DateTimeField(null=True, blank=True, help_text="When it became READY_FOR_DELIVERY.")

    class Meta:
        ordering = ["order_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["order", "service"], name="order_service_once")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.service_id} {self.status}"


class OrderStep(models.Model):
    """A step of an order's service, copied from its template when the order was placed."""

    order_service = models.ForeignKey(OrderService, on_delete=models.CASCADE, related_name="steps")
    step_key = models.CharField(max_length=40)
    step_name = models.CharField(max_length=120)
    step_order = models.PositiveSmallIntegerField()
    is_required = models.BooleanField(default=True)
    requires_photo = models.BooleanField(default=False)
    estimated_duration_minutes = models.PositiveIntegerField(default=15)
    order_status_on_complete = models.CharField(max_length=32)
    status = models.CharField(max_length=12, choices=StepStatus.choices, default=StepStatus.PENDING)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    photos = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    signature_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["order_service_id", "step_order"]
        constraints = [models.UniqueConstraint(fields=["order_service", "step_order"], name="order_step_order_once")]

    def __str__(self) -> str:
        return f"{self.order_service_id} {self.step_order}. {self.step_name} {self.status}"
