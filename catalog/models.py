"""Categories (seed 001 5.1) and services (seed 000 table 3 plus seed 001's key, turnaround and pricing model).

Categories keep the integer ids seed 001 shows; services have UUIDs, as seed
000's bookings reference them. A category's name is unique whatever its case:
seed 000 names a service's category by that name ("Nail"), and the catalog
groups services under it, so two "Nail" categories would be one group.

A service belongs to one category and one tier; its price is ``product_cost``
(what the customer pays) and ``market_price`` (what it would cost elsewhere,
shown as savings). A service with a ``partner`` is that provider's own (a clinician's consultation, a
specialist's service, issue #18); without one it is the platform catalogue's.

``WorkflowTemplate`` and ``WorkflowStep`` are a service's steps (seed 001 7.1): what a vendor does to an
order's items of that service, in order, and the order status each completed step gives the service. A
service has at most one default template; an order copies its steps when it is placed, so editing a
template never changes orders already running. ``catalog.workflows`` holds the default templates (ironing,
washing + ironing, dry cleaning and a generic one), each ending in a delivery step that needs a photo.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower

from core.models import BaseModel, TimeStampedModel

KEY = RegexValidator(r"^[A-Z][A-Z0-9_]*$", "Use UPPER_SNAKE_CASE, e.g. WASHING_IRONING.")


class Category(TimeStampedModel):
    key = models.CharField(max_length=50, unique=True, validators=[KEY])
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    icon_url = models.URLField(max_length=500, blank=True)
    color_hex = models.CharField(max_length=7, blank=True, validators=[RegexValidator(r"^#[0-9A-Fa-f]{6}$")])
    is_live = models.BooleanField(default=True, help_text='Off: shown as "Coming Soon" and not bookable.')
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name_plural = "categories"
        constraints = [models.UniqueConstraint(Lower("name"), name="category_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


class Tier(models.TextChoices):
    MINIMAL = "Minimal", "Minimal"
    EXCLUSIVE = "Exclusive", "Exclusive"
    E_LITE = "E-Lite", "E-Lite"


class PricingModel(models.TextChoices):
    FIXED = "fixed", "Fixed price per service"
    PER_ITEM = "per_item", "Per item"
    PER_KG = "per_kg", "Per kilogram"
    PER_HOUR = "per_hour", "Per hour"


class Service(BaseModel):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=255)
    service_key = models.CharField(max_length=50, validators=[KEY], help_text="Seed 001's key, e.g. IRONING.")
    description = models.TextField(blank=True)
    service_type = models.CharField(max_length=100, help_text='"Clean up", "Facial", "Bleach"...')
    tier = models.CharField(max_length=16, choices=Tier.choices, default=Tier.MINIMAL)
    product_cost = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    market_price = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    duration_minutes = models.PositiveIntegerField(default=60, validators=[MinValueValidator(5)])
    default_turnaround_hours = models.PositiveIntegerField(null=True, blank=True)
    pricing_model = models.CharField(max_length=16, choices=PricingModel.choices, default=PricingModel.FIXED)
    image_url = models.URLField(max_length=500, blank=True)
    is_active = models.BooleanField(default=True)
    display_order = models.PositiveSmallIntegerField(default=0)
    # A provider's own bookable service (issue #18); null = the platform catalogue. A string reference:
    # catalog sits below partners and never imports it.
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="own_services"
    )

    class Meta:
        ordering = ["category__display_order", "display_order", "name"]
        indexes = [models.Index(fields=["category", "tier"]), models.Index(fields=["is_active"])]
        constraints = [
            # The platform catalogue has one service per key and tier; each provider has its own keys.
            models.UniqueConstraint(
                fields=["category", "service_key", "tier"],
                condition=models.Q(partner__isnull=True),
                name="service_key_unique_per_tier",
            ),
            models.UniqueConstraint(
                fields=["partner", "category", "service_key", "tier"],
                condition=models.Q(partner__isnull=False),
                name="service_key_unique_per_provider",
            ),
            models.CheckConstraint(condition=models.Q(product_cost__gte=0), name="service_cost_not_negative"),
            models.CheckConstraint(
                condition=models.Q(market_price__isnull=True) | models.Q(market_price__gte=models.F("product_cost")),
                name="service_market_price_not_below_cost",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WorkflowStepStatus(models.TextChoices):
    """The order status a completed step gives its service (seed 001 7.1 ``order_status_on_complete``)."""

    PICKUP_IN_PROGRESS = "PICKUP_IN_PROGRESS"
    COUNT_APPROVAL_PENDING = "COUNT_APPROVAL_PENDING"
    PICKED_UP = "PICKED_UP"
    PROCESSING_IN_PROGRESS = "PROCESSING_IN_PROGRESS"
    READY_FOR_DELIVERY = "READY_FOR_DELIVERY"
    DELIVERED = "DELIVERED"


class WorkflowTemplate(TimeStampedModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="workflow_templates")
    name = models.CharField(max_length=120)
    is_default = models.BooleanField(default=True)

    class Meta:
        ordering = ["service_id", "-is_default", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["service"], condition=models.Q(is_default=True), name="workflow_one_default_per_service"
            )
        ]

    def __str__(self) -> str:
        return self.name


class WorkflowStep(models.Model):
    template = models.ForeignKey(WorkflowTemplate, on_delete=models.CASCADE, related_name="steps")
    step_key = models.CharField(max_length=40)
    step_name = models.CharField(max_length=120)
    step_order = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    is_required = models.BooleanField(default=True)
    requires_photo = models.BooleanField(default=False)
    estimated_duration_minutes = models.PositiveIntegerField(default=15)
    order_status_on_complete = models.CharField(max_length=32, choices=WorkflowStepStatus.choices)

    class Meta:
        ordering = ["template_id", "step_order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "step_order"], name="workflow_step_order_once"),
            models.UniqueConstraint(fields=["template", "step_key"], name="workflow_step_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.step_order}. {self.step_name}"
