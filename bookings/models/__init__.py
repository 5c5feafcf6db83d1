"""Bookings tables: seed 000 tables 5, 6, 13, 14 and 15, plus a timeline.

Prices on a booking are a snapshot taken at confirm (the catalog may change
later); the address is copied too, so editing or deleting an address never
rewrites where a past job happened. ``BOOKING_TRANSITIONS`` is the booking
state machine (DESIGN.md section 1).

An *appointment* (issue #18, seeds 003 and 004) is a booking with
``requested_partner`` set: the customer chose the provider (a clinician or a
specialist) and the time, so it is never dispatched. It carries where it
happens (``session_type``: online, at a ``centre``, at home), its unpaid hold
(``hold_expires_at``), the provider's fixed ``deposit_amount``, the meeting
link of an online session and the specialist's notes (seed 004).

Reviews (``bookings.models.reviews``) and loyalty points (``bookings.models.loyalty``) live in their own
modules of this package; everything is importable from ``bookings.models``.
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
    PENDING_PAYMENT = "pending_payment", "Held, waiting for payment"
    PENDING = "pending", "Pending"
    PARTNER_ASSIGNED = "partner_assigned", "Partner assigned"
    CONFIRMED = "confirmed", "Confirmed"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    REFUNDED = "refunded", "Refunded"
    NO_SHOW = "no_show", "No-show"
    EXPIRED = "expired", "Expired (hold not paid)"


# Appointments (a chosen provider, issue #18) start as an unpaid hold (``pending_payment``) that payment moves to
# ``pending`` (the specialist confirms) or ``confirmed``, and that expires unpaid; a confirmed appointment is
# completed or a no-show without the dispatched job's ``in_progress`` (bookings.policy and the appointment
# services say who may take which step).
BOOKING_TRANSITIONS: dict[str, set[str]] = {
    BookingStatus.PENDING_PAYMENT: {
        BookingStatus.PENDING,
        BookingStatus.CONFIRMED,
        BookingStatus.CANCELLED,
        BookingStatus.EXPIRED,
    },
    BookingStatus.PENDING: {BookingStatus.PARTNER_ASSIGNED, BookingStatus.CONFIRMED, BookingStatus.CANCELLED},
    BookingStatus.PARTNER_ASSIGNED: {BookingStatus.CONFIRMED, BookingStatus.PENDING, BookingStatus.CANCELLED},
    BookingStatus.CONFIRMED: {
        BookingStatus.IN_PROGRESS,
        BookingStatus.PENDING,
        BookingStatus.CANCELLED,
        BookingStatus.COMPLETED,
        BookingStatus.NO_SHOW,
    },
    BookingStatus.IN_PROGRESS: {BookingStatus.COMPLETED},
    BookingStatus.COMPLETED: set(),
    BookingStatus.CANCELLED: {BookingStatus.REFUNDED},
    BookingStatus.REFUNDED: set(),
    BookingStatus.NO_SHOW: set(),
    BookingStatus.EXPIRED: {BookingStatus.REFUNDED},
}


class PaymentMode(models.TextChoices):
    CASH = "cash", "Cash"
    ONLINE = "online", "Online"


class BookingPaymentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DEPOSIT_PAID = "deposit_paid", "Deposit paid"
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


class SessionType(models.TextChoices):
    AT_HOME = "at_home", "At home"
    ONLINE = "online", "Online"
    IN_PERSON = "in_person", "In person (at a centre)"


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
    # Appointments: a provider the customer chose (issue #18). Empty for a dispatched booking.
    requested_partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    centre = models.ForeignKey(
        "partners.Centre", on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    session_type = models.CharField(max_length=16, choices=SessionType.choices, default=SessionType.AT_HOME)
    provider_confirms = models.BooleanField(
        default=False, help_text="Seed 004: a paid appointment waits in pending until the specialist confirms it."
    )
    hold_expires_at = models.DateTimeField(
        null=True, blank=True, help_text="An unpaid hold (pending_payment) frees its slot at this time."
    )
    deposit_amount = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, help_text="The provider's fixed deposit, if any."
    )
    meeting_link = models.URLField(max_length=500, blank=True)
    meeting_provider = models.CharField(max_length=32, blank=True)
    meeting_event_id = models.CharField(max_length=255, blank=True)
    meeting_created_at = models.DateTimeField(null=True, blank=True)
    preparation_notes = models.TextField(blank=True)
    completion_notes = models.TextField(blank=True)
    deliverables = models.JSONField(default=list, blank=True)
    loyalty_discount = models.DecimalField(
        max_digits=10, decimal_places=2, default=ZERO, help_text="Seed 004: loyalty points reserved or spent on it."
    )
    # seed 002 (issue #20): the partner's notes, the scheduling estimates and the dynamic price quoted
    vendor_notes = models.TextField(blank=True)
    estimated_duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    travel_time_to_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    travel_time_from_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    buffer_before_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    buffer_after_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    surge_multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.00"))
    dynamic_price_breakdown = models.JSONField(default=dict, blank=True, help_text="The price as quoted.")

    class Meta:
        ordering = ["-booking_date", "-booking_time"]
        indexes = [
            models.Index(fields=["user", "-booking_date"]),
            models.Index(fields=["status", "booking_date"]),
            models.Index(fields=["status", "hold_expires_at"]),
            models.Index(fields=["requested_partner", "scheduled_start"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(customer_rating__isnull=True) | models.Q(customer_rating__range=(1, 5)),
                name="booking_rating_1_to_5",
            ),
            models.CheckConstraint(condition=models.Q(grand_total__gte=0), name="booking_total_not_negative"),
            models.CheckConstraint(
                condition=~models.Q(session_type="in_person") | models.Q(centre__isnull=False),
                name="booking_in_person_has_centre",
            ),
        ]

    @property
    def is_appointment(self) -> bool:
        """Booked with a provider the customer chose (no dispatch)."""
        return self.requested_partner_id is not None

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

# Tables kept in their own modules (the booking's own module stays under 400 lines); importable from here.
from bookings.models.disputes import (  # noqa: E402
    DISPUTE_STATES,
    Dispute,
    DisputeMessage,
    DisputeMessageType,
    DisputeResolution,
    DisputeSeverity,
    DisputeStatus,
    DisputeType,
)
from bookings.models.loyalty import LoyaltyAccount, LoyaltyKind, LoyaltyTier, LoyaltyTransaction  # noqa: E402
from bookings.models.proof import (  # noqa: E402
    SIGNATURE_STATES,
    BookingPhoto,
    BookingSignature,
    PhotoType,
    SignatureStatus,
)
from bookings.models.reviews import Review  # noqa: E402

__all__ = [
    "BOOKING_PAYABLE",
    "BOOKING_STATES",
    "BOOKING_TRANSITIONS",
    "DISPUTE_STATES",
    "SIGNATURE_STATES",
    "ZERO",
    "Booking",
    "BookingEvent",
    "BookingPaymentStatus",
    "BookingPhoto",
    "BookingService",
    "BookingSignature",
    "BookingSource",
    "BookingStatus",
    "CancelledBy",
    "ContactStatus",
    "ContactSubmission",
    "DiscountType",
    "Dispute",
    "DisputeMessage",
    "DisputeMessageType",
    "DisputeResolution",
    "DisputeSeverity",
    "DisputeStatus",
    "DisputeType",
    "LoyaltyAccount",
    "LoyaltyKind",
    "LoyaltyTier",
    "LoyaltyTransaction",
    "PaymentMode",
    "PhotoType",
    "PromoCode",
    "PromoCodeUsage",
    "Review",
    "SessionType",
    "SignatureStatus",
]
