"""Rate cards (seed 001 section 4) and society orders (6.1-6.2).

* ``RateCard`` is unique per (vendor, society, category) (seed C7: one card per parent category per
  society). Its items are the draft the vendor edits. Publishing copies them into ``published_items``, a
  snapshot, and stamps ``published_at``: residents and orders read only the snapshot, so an edit after
  publishing (which sets ``is_published`` back to false: "requires republish") never changes what
  residents see or pay until the vendor publishes again (issue 17's reading of 4.3).
* ``RateCardItem`` is one priced line of a service (``item_name`` unique per service within the card).
* ``SocietyVendorService`` is a service a vendor offers in one society, with that society's turnaround
  (seed C8: ``partners.VendorService`` holds the vendor-level defaults, these rows the per-society
  offer of 2.3.1). Copying services to another society (2.3.1, ``orders.services.copy``) writes them.
* ``Order`` (seed 001 6.1-6.2): a resident's order from a society vendor. Its ``OrderItem`` lines keep the
  published snapshot's name and price and the service's delivery days when ordered; ``OrderTimeline`` is
  its history. Count updates, workflow progress, manual payments and disputes join it with the rest of
  issue 17.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

from core.models import BaseModel, TimeStampedModel


class RateCard(TimeStampedModel):
    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="rate_cards")
    society = models.ForeignKey("societies.Society", on_delete=models.CASCADE, related_name="rate_cards")
    category = models.ForeignKey("catalog.Category", on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(default=True)
    is_published = models.BooleanField(
        default=False, help_text="False while the draft differs from what was published."
    )
    published_at = models.DateTimeField(null=True, blank=True, help_text="When residents last got a version.")
    published_items = models.JSONField(default=list, blank=True, help_text="What residents see and order from.")

    class Meta:
        ordering = ["society_id", "category_id"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "society", "category"], name="rate_card_once_per_category")
        ]
        indexes = [models.Index(fields=["society", "published_at"])]

    def __str__(self) -> str:
        return f"Rate card {self.pk} of {self.partner_id} in {self.society_id}"

    @property
    def is_live(self) -> bool:
        """Residents see a version of it (it was published at least once and is active)."""
        return self.is_active and self.published_at is not None


class RateCardItem(TimeStampedModel):
    rate_card = models.ForeignKey(RateCard, on_delete=models.CASCADE, related_name="items")
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    item_name = models.CharField(max_length=120)
    description = models.CharField(max_length=500, blank=True)
    price_per_piece = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    display_order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["display_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["rate_card", "service", "item_name"], name="rate_card_item_name_once"),
            models.CheckConstraint(condition=models.Q(price_per_piece__gt=0), name="rate_card_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.item_name} ₹{self.price_per_piece}"


class SocietyVendorService(TimeStampedModel):
    """A service a vendor offers in one society and its turnaround there (seed 001 2.3.1, C8)."""

    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="society_services")
    society = models.ForeignKey("societies.Society", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    turnaround_hours = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["society_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "society", "service"], name="society_vendor_service_once"),
            models.CheckConstraint(
                condition=models.Q(turnaround_hours__gte=1), name="society_vendor_turnaround_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.service_id} in {self.society_id} {self.turnaround_hours}h"


class OrderStatus(models.TextChoices):
    """Seed 001's order statuses (2.6-2.8)."""

    PICKUP_SCHEDULED = "PICKUP_SCHEDULED"
    PICKUP_IN_PROGRESS = "PICKUP_IN_PROGRESS"
    COUNT_APPROVAL_PENDING = "COUNT_APPROVAL_PENDING"
    PICKED_UP = "PICKED_UP"
    PROCESSING_IN_PROGRESS = "PROCESSING_IN_PROGRESS"
    READY_FOR_DELIVERY = "READY_FOR_DELIVERY"
    DELIVERED = "DELIVERED"
    PAYMENT_RECEIVED = "PAYMENT_RECEIVED"
    CLOSED = "CLOSED"
    DISPUTED = "DISPUTED"
    CANCELLED = "CANCELLED"


class Order(BaseModel):
    """A resident's order from a society vendor (seed 001 6.1); ``order_number`` is ORD + IST date + 6 digits."""

    order_number = models.CharField(max_length=20, unique=True)
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="society_orders")
    residence = models.ForeignKey("societies.Residence", on_delete=models.PROTECT, related_name="orders")
    society = models.ForeignKey("societies.Society", on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(max_length=24, choices=OrderStatus.choices, default=OrderStatus.PICKUP_SCHEDULED)
    pickup_datetime = models.DateTimeField()
    pickup_address = models.TextField(blank=True)
    resident_notes = models.TextField(blank=True)
    estimated_item_count = models.PositiveIntegerField()
    estimated_price = models.DecimalField(max_digits=12, decimal_places=2)
    actual_item_count = models.PositiveIntegerField(null=True, blank=True)
    final_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    discount_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    expected_delivery_date = models.DateField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["partner", "status", "created_at"]),
            models.Index(fields=["society", "status", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.order_number


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    rate_card_item_id = models.PositiveIntegerField(help_text="The item of the published snapshot ordered from.")
    item_name = models.CharField(max_length=120)
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    total_price = models.DecimalField(max_digits=12, decimal_places=2)
    delivery_days = models.PositiveSmallIntegerField(help_text="ceil(turnaround hours / 24) when ordered.")

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gte=1), name="order_item_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.item_name} x{self.quantity}"


class OrderTimeline(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="timeline")
    status = models.CharField(max_length=32)
    message = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.status}"
