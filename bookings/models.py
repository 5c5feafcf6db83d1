"""Bookings tables: seed 000 tables 5, 6, 13, 14 and 15, plus a timeline.

Prices on a booking are a snapshot taken at confirm (the catalog may change
later); the address is copied too, so editing or deleting an address never
rewrites where a past job happened. ``BOOKING_TRANSITIONS`` is the booking
state machine (DESIGN.md section 1).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from bookings.errors import BookingErrorCode
from core.models import BaseModel
from core.statemachine import StateMachine

ZERO = Decimal("0.00")
# What the payments layer calls a booking (payments.registry).
BOOKING_PAYABLE = "bookings.booking"


class BookingStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PARTNER_ASSIGNED = "partner_assigned", "Partner assigned"
    CONFIRMED = "confirmed", "Confirmed"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    REFUNDED = "refunded", "Refunded"


BOOKING_TRANSITIONS: dict[str, set[str]] = {
    BookingStatus.PENDING: {BookingStatus.PARTNER_ASSIGNED, BookingStatus.CONFIRMED, BookingStatus.CANCELLED},
    BookingStatus.PARTNER_ASSIGNED: {BookingStatus.CONFIRMED, BookingStatus.PENDING, BookingStatus.CANCELLED},
    BookingStatus.CONFIRMED: {BookingStatus.IN_PROGRESS, BookingStatus.PENDING, BookingStatus.CANCELLED},
    BookingStatus.IN_PROGRESS: {BookingStatus.COMPLETED},
    BookingStatus.COMPLETED: set(),
    BookingStatus.CANCELLED: {BookingStatus.REFUNDED},
    BookingStatus.REFUNDED: set(),
}


class PaymentMode(models.TextChoices):
    CASH = "cash", "Cash"
    ONLINE = "online", "Online"


class BookingPaymentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PAID = "paid", "Paid"
    FAILED = "failed", "Failed"
    PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"
    REFUNDED = "refunded", "Refunded"


class BookingSource(models.TextChoices):
    APP = "app", "App"
    WEB = "web", "Web"
    TELEGRAM = "telegram", "Telegram"
    FRONT_DESK = "front_desk", "Front desk"
    ADMIN = "admin", "Admin"


class CancelledBy(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    PARTNER = "partner", "Partner"
    SYSTEM = "system", "System"
    ADMIN = "admin", "Admin"


class Booking(BaseModel):
    booking_number = models.CharField(max_length=20, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings")
    address = models.ForeignKey(
        "accounts.Address", on_delete=models.SET_NULL, null=True, blank=True, related_name="bookings"
    )
    address_snapshot = models.JSONField(default=dict, help_text="The address as it was when the booking was made.")
    booking_date = models.DateField()
    booking_time = models.TimeField()
    scheduled_start = models.DateTimeField(db_index=True)
    scheduled_end = models.DateTimeField()
    status = models.CharField(max_length=20, choices=BookingStatus.choices, default=BookingStatus.PENDING)
    source = models.CharField(max_length=16, choices=BookingSource.choices, default=BookingSource.APP)
    assignment_priority = models.IntegerField(default=0)
    auto_assignment_enabled = models.BooleanField(default=True)
    payment_method = models.CharField(max_length=8, choices=PaymentMode.choices)
    payment_status = models.CharField(
        max_length=20, choices=BookingPaymentStatus.choices, default=BookingPaymentStatus.PENDING
    )
    total_price = models.DecimalField(max_digits=10, decimal_places=2, help_text="Subtotal before discount and tax.")
    savings = models.DecimalField(max_digits=10, decimal_places=2, default=ZERO)
    discount = models.DecimalField(max_digits=10, decimal_places=2, default=ZERO)
    tax = models.DecimalField(max_digits=10, decimal_places=2)
    grand_total = models.DecimalField(max_digits=10, decimal_places=2)
    partner_payout = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    promo_code = models.CharField(max_length=50, blank=True)
    cancellation_policy_accepted = models.BooleanField(default=False)
    customer_notes = models.TextField(blank=True, help_text="Seed 004: notes for the partner.")
    contact_name = models.CharField(max_length=150, blank=True)
    contact_phone = models.CharField(max_length=16, blank=True)
    contact_email = models.EmailField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=16, choices=CancelledBy.choices, blank=True)
    cancellation_reason = models.TextField(blank=True)
    cancellation_fee = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    refund_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    customer_rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    customer_feedback = models.TextField(blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the appointment reminder went out (the periodic scan sends one)."
    )

    class Meta:
        ordering = ["-booking_date", "-booking_time"]
        indexes = [
            models.Index(fields=["user", "-booking_date"]),
            models.Index(fields=["status", "booking_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(customer_rating__isnull=True) | models.Q(customer_rating__range=(1, 5)),
                name="booking_rating_1_to_5",
            ),
            models.CheckConstraint(condition=models.Q(grand_total__gte=0), name="booking_total_not_negative"),
        ]

    def __str__(self) -> str:
        return self.booking_number


class BookingService(BaseModel):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="items")
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=255, help_text="The service's name when booked.")
    quantity = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    market_price = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    duration_minutes = models.PositiveIntegerField()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.name}"


class BookingEvent(BaseModel):
    """The booking's timeline: every status change and notable action, by whom."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    old_status = models.CharField(max_length=20, blank=True)
    new_status = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.action}"


class DiscountType(models.TextChoices):
    PERCENTAGE = "percentage", "Percentage"
    FIXED = "fixed", "Fixed amount"


class PromoCode(BaseModel):
    code = models.CharField(max_length=50, unique=True, help_text="Stored upper-case; matched case-insensitively.")
    description = models.CharField(max_length=255, blank=True)
    discount_type = models.CharField(max_length=16, choices=DiscountType.choices)
    discount_value = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    min_order_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    max_discount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    usage_limit = models.PositiveIntegerField(null=True, blank=True, help_text="Uses per customer.")
    total_usage_limit = models.PositiveIntegerField(null=True, blank=True, help_text="Uses in all.")
    used_count = models.PositiveIntegerField(default=0)
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_usage_limit__isnull=True)
                | models.Q(used_count__lte=models.F("total_usage_limit")),
                name="promo_used_within_total_limit",
            ),
            models.CheckConstraint(
                condition=~models.Q(discount_type="percentage") | models.Q(discount_value__lte=100),
                name="promo_percentage_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class PromoCodeUsage(BaseModel):
    promo_code = models.ForeignKey(PromoCode, on_delete=models.PROTECT, related_name="usages")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="promo_usage")
    discount_amount = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["promo_code", "user"])]

    def __str__(self) -> str:
        return f"{self.promo_code_id} by {self.user_id}"


class ContactStatus(models.TextChoices):
    NEW = "new", "New"
    READ = "read", "Read"
    REPLIED = "replied", "Replied"
    RESOLVED = "resolved", "Resolved"


class ContactSubmission(BaseModel):
    name = models.CharField(max_length=255)
    email = models.EmailField()
    phone = models.CharField(max_length=16, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    message = models.TextField()
    status = models.CharField(max_length=16, choices=ContactStatus.choices, default=ContactStatus.NEW)
    admin_notes = models.TextField(blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.subject or self.message[:40]} ({self.status})"


# Every booking status write goes through this (bookings.services.lifecycle.booking_transition). A move to the
# same status is a recorded step (a partner arriving leaves the booking confirmed but is on its timeline).
BOOKING_STATES = StateMachine(
    model=Booking,
    transitions=BOOKING_TRANSITIONS,
    error_code=BookingErrorCode.INVALID_BOOKING_STATUS,
    thing="booking",
    record_steps=True,
)
