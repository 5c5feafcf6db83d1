"""Society orders (seed 001 6.1-6.4, 8): the order, its lines, its history, count updates, disputes and
the resident's rating; see ``orders.models``."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.models import BaseModel


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


class PaymentType(models.TextChoices):
    MANUAL = "MANUAL"  # the vendor collects and marks it received (8.1)
    IN_APP = "IN_APP"  # V2: paid through the payments layer; a capture closes the order


class OrderPaymentMethod(models.TextChoices):
    UPI = "UPI"
    CASH = "CASH"
    CARD = "CARD"
    OTHER = "OTHER"
    ONLINE = "ONLINE"  # V2 in-app


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
    # count (6.3-6.4): set when the resident (or the 2-hour scan) approves the vendor's count
    count_approved_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # payment (8.1-8.3 and V2)
    payment_type = models.CharField(max_length=8, choices=PaymentType.choices, default=PaymentType.MANUAL)
    payment_method = models.CharField(max_length=8, choices=OrderPaymentMethod.choices, blank=True)
    payment_notes = models.CharField(max_length=500, blank=True)
    payment_received_at = models.DateTimeField(null=True, blank=True)
    auto_close_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # cancellation before pickup
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancellation_reason = models.CharField(max_length=500, blank=True)
    pickup_reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["partner", "status", "created_at"]),
            models.Index(fields=["society", "status", "created_at"]),
            models.Index(fields=["status", "auto_close_at"], name="order_auto_close_due"),
            models.Index(fields=["status", "pickup_datetime"], name="order_pickup_due"),
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


class CountStatus(models.TextChoices):
    PENDING = "PENDING"  # waiting for the resident; the 2-hour scan approves it at approval_deadline
    QUESTIONED = "QUESTIONED"  # the resident asked; no auto-approval until the vendor's next count
    APPROVED = "APPROVED"
    SUPERSEDED = "SUPERSEDED"  # the vendor counted again before an answer


class CountUpdate(models.Model):
    """A vendor's count of an order (seed 001 6.3) and the resident's answer (6.4).

    ``lines`` is the whole order after the update (listed lines merged into the current ones:
    ``[{service_id, rate_card_item_id, item_name, quantity, unit_price}]``); the order's own lines are
    rewritten from it on approval. ``original_*`` are the order's figures before this count.
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="count_updates")
    status = models.CharField(max_length=12, choices=CountStatus.choices, default=CountStatus.PENDING)
    lines = models.JSONField(default=list)
    original_items = models.PositiveIntegerField()
    original_amount = models.DecimalField(max_digits=12, decimal_places=2)
    total_items = models.PositiveIntegerField()
    total_amount = models.DecimalField(max_digits=12, decimal_places=2)
    vendor_notes = models.CharField(max_length=1000, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    approval_deadline = models.DateTimeField()
    question = models.CharField(max_length=1000, blank=True)
    questioned_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the 2-hour scan approved it.",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(status__in=["PENDING", "QUESTIONED"]),
                name="count_update_one_open_per_order",
            )
        ]
        indexes = [models.Index(fields=["status", "approval_deadline"], name="count_update_due")]

    def __str__(self) -> str:
        return f"Count of {self.order_id}: {self.total_items} items {self.status}"


class DisputeReason(models.TextChoices):
    PAYMENT_NOT_MADE = "PAYMENT_NOT_MADE"
    WRONG_AMOUNT = "WRONG_AMOUNT"
    WRONG_METHOD = "WRONG_METHOD"
    OTHER = "OTHER"


class DisputeStatus(models.TextChoices):
    OPEN = "OPEN"
    RESOLVED = "RESOLVED"


class DisputeResolution(models.TextChoices):
    PAYMENT_CONFIRMED = "PAYMENT_CONFIRMED"  # the resident did pay: the order closes
    PAYMENT_NOT_RECEIVED = "PAYMENT_NOT_RECEIVED"  # back to DELIVERED; the vendor collects again


class OrderDispute(BaseModel):
    """A resident's dispute of a marked payment (seed 001 8.3), resolved by a society admin."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="disputes")
    reason = models.CharField(max_length=20, choices=DisputeReason.choices)
    details = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=DisputeStatus.choices, default=DisputeStatus.OPEN)
    raised_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    resolution = models.CharField(max_length=24, choices=DisputeResolution.choices, blank=True)
    resolution_notes = models.TextField(blank=True)
    resolved_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(fields=["order"], condition=models.Q(status="OPEN"), name="order_dispute_one_open")
        ]
        indexes = [models.Index(fields=["status", "raised_at"])]

    def __str__(self) -> str:
        return f"Dispute of {self.order_id} ({self.status})"


class OrderRating(BaseModel):
    """The resident's rating of a delivered order (once), which feeds the vendor's average (5.3)."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="rating")
    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="order_ratings")
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    review = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="order_rating_1_to_5")
        ]
        indexes = [models.Index(fields=["partner", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.rating}/5 for {self.order_id}"
