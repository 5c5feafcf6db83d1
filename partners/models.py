"""Partners tables: seed 000 tables 4, 7, 16 and 17, seed 002's availability by day and vendor applications.

* ``Partner`` is the profile on a user account (``PT-NNN``). KYC numbers and
  the bank account are stored encrypted (``core.crypto``) with a keyed hash
  for uniqueness and the last digits for display; the API only ever shows
  them masked. Aggregates (rating, counts, earnings) are kept with ``F()``
  updates by the services; the job and offer figures (``total_bookings``
  counts jobs, not offers; ``acceptance_rate`` is how the partner answers
  offers) are defined in ``partners.services.figures``. Tiers are a bit mask
  so that "serves every tier this booking needs" is one indexed comparison on
  every database.
* ``PartnerAvailability`` is seed 002's per-day row (ISO days, 1 = Monday);
  seed 000's ``working_hours`` ``{"start", "end", "days"}`` is written as one
  row per listed day. ``ServiceAreaPincode`` indexes the rows' pincodes.
* ``PartnerAssignment`` is one offer of a booking to a partner and, once
  accepted, the job (seed 000 table 7). A booking has at most one live
  assignment (partial unique index); a partner is offered a booking at most
  once per dispatch round (unique index); and on PostgreSQL an exclusion
  constraint over ``(partner, [busy_from, busy_until))`` of live assignments
  makes two overlapping jobs for one partner impossible (migration 0002).
* ``Dispatch`` is the per-booking state of the engine (round, attempts,
  manual queue, priority): the internal assignment queue reads it.
* ``PartnerEarning`` and ``PartnerPayout``: seed 000 tables 16 and 17.
  ``ASSIGNMENT_TRANSITIONS`` and ``PAYOUT_TRANSITIONS`` are the state machines.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from catalog.models import Tier
from core import crypto
from core.models import BaseModel

ZERO = Decimal("0.00")
HUNDRED = Decimal("100.00")
TIER_BITS = {Tier.MINIMAL: 1, Tier.EXCLUSIVE: 2, Tier.E_LITE: 4}


def tier_mask(tiers) -> int:
    mask = 0
    for tier in tiers:
        mask |= TIER_BITS[tier]
    return mask


class OnboardingStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUBMITTED = "submitted", "Submitted"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"


class Partner(BaseModel):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partner_profile")
    partner_code = models.CharField(max_length=20, unique=True)
    address = models.TextField(blank=True)
    aadhar_encrypted = models.TextField(blank=True)
    aadhar_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    aadhar_last4 = models.CharField(max_length=4, blank=True)
    pan_encrypted = models.TextField(blank=True)
    pan_last4 = models.CharField(max_length=4, blank=True)
    bank_account_encrypted = models.TextField(blank=True)
    bank_account_last4 = models.CharField(max_length=4, blank=True)
    bank_account_length = models.PositiveSmallIntegerField(default=0)
    ifsc_code = models.CharField(max_length=11, blank=True)
    bank_name = models.CharField(max_length=255, blank=True)
    upi_id = models.CharField(max_length=100, blank=True)

    categories = models.ManyToManyField("catalog.Category", related_name="partners", blank=True)
    tiers = models.PositiveSmallIntegerField(default=0, help_text="Bit mask: 1 Minimal, 2 Exclusive, 4 E-Lite.")

    is_active = models.BooleanField(default=True)
    is_available = models.BooleanField(default=True)

    rating = models.DecimalField(max_digits=3, decimal_places=2, default=ZERO)
    rating_count = models.PositiveIntegerField(default=0)
    rating_total = models.PositiveIntegerField(default=0)
    total_bookings = models.PositiveIntegerField(default=0)
    completed_bookings = models.PositiveIntegerField(default=0)
    cancelled_bookings = models.PositiveIntegerField(default=0)
    cancellation_rate = models.DecimalField(max_digits=5, decimal_places=2, default=ZERO)
    offers_accepted = models.PositiveIntegerField(default=0)
    offers_rejected = models.PositiveIntegerField(default=0)
    offers_expired = models.PositiveIntegerField(default=0, help_text="Offers left unanswered until they expired.")
    acceptance_rate = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=HUNDRED,
        help_text="Offers accepted of offers answered or expired, in percent (100 before the first answer).",
    )
    total_earnings = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    pending_payout = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)

    current_lat = models.DecimalField(max_digits=10, decimal_places=8, null=True, blank=True)
    current_lng = models.DecimalField(max_digits=11, decimal_places=8, null=True, blank=True)
    service_radius_km = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    last_seen_at = models.DateTimeField(null=True, blank=True)

    onboarding_status = models.CharField(
        max_length=16, choices=OnboardingStatus.choices, default=OnboardingStatus.PENDING
    )
    verification_documents = models.JSONField(default=dict, blank=True)
    onboarding_notes = models.TextField(blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["partner_code"]
        indexes = [
            models.Index(fields=["is_active", "is_available", "onboarding_status"]),
            models.Index(fields=["current_lat", "current_lng"]),
            models.Index(fields=["-rating"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(current_lat__isnull=True) | models.Q(current_lat__gte=-90, current_lat__lte=90),
                name="partner_lat_range",
            ),
            models.CheckConstraint(
                condition=models.Q(current_lng__isnull=True) | models.Q(current_lng__gte=-180, current_lng__lte=180),
                name="partner_lng_range",
            ),
            models.CheckConstraint(condition=models.Q(rating__gte=0, rating__lte=5), name="partner_rating_0_to_5"),
            models.CheckConstraint(
                condition=models.Q(acceptance_rate__gte=0, acceptance_rate__lte=100),
                name="partner_acceptance_rate_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner_code} {self.name}"

    @property
    def name(self) -> str:
        return self.user.full_name

    @property
    def service_tiers(self) -> list[str]:
        return [tier for tier, bit in TIER_BITS.items() if self.tiers & bit]

    @property
    def bank_account_masked(self) -> str:
        if not self.bank_account_last4:
            return ""
        return "X" * max(self.bank_account_length - 4, 0) + self.bank_account_last4

    @property
    def aadhar_masked(self) -> str:
        return f"XXXXXXXX{self.aadhar_last4}" if self.aadhar_last4 else ""

    @property
    def pan_masked(self) -> str:
        return f"XXXXXX{self.pan_last4}" if self.pan_last4 else ""

    def set_kyc(self, *, aadhar: str | None = None, pan: str | None = None, bank_account: str | None = None) -> None:
        if aadhar is not None:
            self.aadhar_encrypted, self.aadhar_hash = crypto.encrypt(aadhar), crypto.lookup_hash(aadhar)
            self.aadhar_last4 = aadhar[-4:]
        if pan is not None:
            self.pan_encrypted, self.pan_last4 = crypto.encrypt(pan.upper()), pan[-4:].upper()
        if bank_account is not None:
            self.bank_account_encrypted = crypto.encrypt(bank_account)
            self.bank_account_last4, self.bank_account_length = bank_account[-4:], len(bank_account)


class PartnerAvailability(BaseModel):
    """Seed 002: when and where a partner works on one day of the week (1 = Monday ... 7 = Sunday)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="availability")
    day_of_week = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(7)])
    start_time = models.TimeField()
    end_time = models.TimeField()
    is_active = models.BooleanField(default=True)
    primary_pincode = models.CharField(max_length=10, blank=True)
    service_area_pincodes = models.JSONField(default=list, blank=True)
    preferred_buffer_minutes = models.PositiveSmallIntegerField(default=15)

    class Meta:
        ordering = ["day_of_week"]
        verbose_name_plural = "partner availability"
        constraints = [
            models.UniqueConstraint(fields=["partner", "day_of_week"], name="availability_one_row_per_day"),
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")), name="availability_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(day_of_week__range=(1, 7)), name="availability_day_1_to_7"),
        ]
        indexes = [models.Index(fields=["day_of_week", "is_active", "start_time", "end_time"])]

    def __str__(self) -> str:
        return f"{self.partner_id} day {self.day_of_week} {self.start_time}-{self.end_time}"


class ServiceAreaPincode(models.Model):
    """One pincode a partner serves on one day (kept by the availability service from the rows above)."""

    availability = models.ForeignKey(PartnerAvailability, on_delete=models.CASCADE, related_name="pincodes")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    day_of_week = models.PositiveSmallIntegerField()
    pincode = models.CharField(max_length=10)

    class Meta:
        indexes = [models.Index(fields=["pincode", "day_of_week"])]

    def __str__(self) -> str:
        return self.pincode


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class PartnerApplication(BaseModel):
    """Seed 002: a vendor application, reviewed by an onboarding manager."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="applications")
    application_type = models.CharField(max_length=32, default="new_vendor")
    full_name = models.CharField(max_length=255)
    primary_service_category = models.CharField(max_length=100, blank=True)
    documents = models.JSONField(default=dict, blank=True, help_text='{"aadhar": "url", "pan": "url", ...}')
    status = models.CharField(max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.status})"

    @property
    def is_complete(self) -> bool:
        return bool(self.full_name and self.primary_service_category and self.documents)


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", "Assigned (offered)"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    EXPIRED = "expired", "Expired (no answer)"
    IN_TRANSIT = "in_transit", "On the way"
    ARRIVED = "arrived", "Arrived"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


# Statuses that hold the partner's time (the exclusion constraint's WHERE) and the booking (one at a time).
BUSY_STATUSES = ("assigned", "accepted", "in_transit", "arrived")
LIVE_STATUSES = (*BUSY_STATUSES, "completed")

ASSIGNMENT_TRANSITIONS: dict[str, set[str]] = {
    AssignmentStatus.ASSIGNED: {
        AssignmentStatus.ACCEPTED,
        AssignmentStatus.REJECTED,
        AssignmentStatus.EXPIRED,
        AssignmentStatus.CANCELLED,
    },
    # Staff may mark a job done before the partner reported arriving (partners.services.jobs.job_complete_by_staff);
    # the partner's own completion needs ``arrived`` (a use-case rule, checked there).
    AssignmentStatus.ACCEPTED: {AssignmentStatus.IN_TRANSIT, AssignmentStatus.CANCELLED, AssignmentStatus.COMPLETED},
    AssignmentStatus.IN_TRANSIT: {AssignmentStatus.ARRIVED, AssignmentStatus.COMPLETED},
    AssignmentStatus.ARRIVED: {AssignmentStatus.COMPLETED},
    AssignmentStatus.REJECTED: set(),
    AssignmentStatus.EXPIRED: set(),
    AssignmentStatus.COMPLETED: set(),
    AssignmentStatus.CANCELLED: set(),
}


class PartnerAssignment(BaseModel):
    booking = models.ForeignKey("bookings.Booking", on_delete=models.CASCADE, related_name="assignments")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED)
    dispatch_round = models.PositiveSmallIntegerField(default=1)
    attempt = models.PositiveSmallIntegerField(default=1)
    busy_from = models.DateTimeField()
    busy_until = models.DateTimeField()
    assigned_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="An offer not accepted by then moves on.")
    accepted_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    estimated_arrival = models.DateTimeField(null=True, blank=True)
    in_transit_at = models.DateTimeField(null=True, blank=True)
    actual_arrival = models.DateTimeField(null=True, blank=True)
    service_started_at = models.DateTimeField(null=True, blank=True)
    service_completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    partner_earning = models.DecimalField(max_digits=10, decimal_places=2)
    commission_percentage = models.DecimalField(max_digits=5, decimal_places=2)
    score = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    score_parts = models.JSONField(default=dict, blank=True, help_text="Why this partner: distance, rating, load...")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    forced = models.BooleanField(default=False)

    class Meta:
        ordering = ["-assigned_at"]
        indexes = [
            models.Index(fields=["partner", "status"]),
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["partner", "busy_from"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["booking"], condition=models.Q(status__in=LIVE_STATUSES), name="assignment_one_live_per_booking"
            ),
            models.UniqueConstraint(
                fields=["booking", "partner", "dispatch_round"], name="assignment_partner_once_per_round"
            ),
            models.CheckConstraint(
                condition=models.Q(busy_until__gt=models.F("busy_from")), name="assignment_busy_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} -> {self.partner_id} ({self.status})"


class DispatchStatus(models.TextChoices):
    SEARCHING = "searching", "Looking for a partner"
    OFFERED = "offered", "Offered, waiting for an answer"
    ASSIGNED = "assigned", "Accepted by a partner"
    MANUAL = "manual", "In the manual queue"
    CLOSED = "closed", "Closed (cancelled or done)"


# The dispatch of one booking (partners.services.dispatch): searching for a partner, an offer out, a partner
# on it, the manual queue, or closed. A state may be entered again with new figures (the next offer, a new
# round, another reason for the queue); a closed dispatch (booking cancelled) never reopens.
DISPATCH_TRANSITIONS: dict[str, set[str]] = {
    DispatchStatus.SEARCHING: {
        DispatchStatus.OFFERED,
        DispatchStatus.MANUAL,
        DispatchStatus.ASSIGNED,
        DispatchStatus.CLOSED,
    },
    DispatchStatus.OFFERED: {
        DispatchStatus.ASSIGNED,
        DispatchStatus.MANUAL,
        DispatchStatus.SEARCHING,
        DispatchStatus.CLOSED,
    },
    DispatchStatus.ASSIGNED: {
        DispatchStatus.SEARCHING,
        DispatchStatus.OFFERED,
        DispatchStatus.MANUAL,
        DispatchStatus.CLOSED,
    },
    DispatchStatus.MANUAL: {
        DispatchStatus.SEARCHING,
        DispatchStatus.OFFERED,
        DispatchStatus.ASSIGNED,
        DispatchStatus.CLOSED,
    },
    DispatchStatus.CLOSED: set(),
}


class Dispatch(BaseModel):
    booking = models.OneToOneField("bookings.Booking", on_delete=models.CASCADE, related_name="dispatch")
    status = models.CharField(max_length=16, choices=DispatchStatus.choices, default=DispatchStatus.SEARCHING)
    round = models.PositiveSmallIntegerField(default=1)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Offers made in this round.")
    priority = models.SmallIntegerField(default=5, help_text="Seed 000's queue priority (higher first).")
    reason = models.CharField(max_length=64, blank=True, help_text="Why it is in the manual queue.")
    preferred_partner = models.ForeignKey(Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-priority", "created_at"]
        verbose_name_plural = "dispatches"
        indexes = [models.Index(fields=["status", "-priority", "created_at"])]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.status}"


class EarningStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    IN_PAYOUT = "in_payout", "In a payout"
    PAID = "paid", "Paid"
    CANCELLED = "cancelled", "Cancelled"


class PartnerEarning(BaseModel):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="earnings")
    booking = models.OneToOneField("bookings.Booking", on_delete=models.PROTECT, related_name="partner_earning_row")
    assignment = models.OneToOneField(PartnerAssignment, on_delete=models.PROTECT, related_name="earning")
    booking_amount = models.DecimalField(max_digits=10, decimal_places=2, help_text="Booking total before tax.")
    commission_percentage = models.DecimalField(max_digits=5, decimal_places=2, help_text="The partner's share.")
    partner_earning = models.DecimalField(max_digits=10, decimal_places=2)
    platform_commission = models.DecimalField(max_digits=10, decimal_places=2)
    tax = models.DecimalField(max_digits=10, decimal_places=2, default=ZERO)
    cash_collected = models.DecimalField(
        max_digits=10, decimal_places=2, default=ZERO, help_text="What the partner took in cash from the customer."
    )
    payout = models.ForeignKey(
        "PartnerPayout", on_delete=models.SET_NULL, null=True, blank=True, related_name="earnings"
    )
    status = models.CharField(max_length=16, choices=EarningStatus.choices, default=EarningStatus.PENDING)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["partner", "status", "-created_at"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.partner_earning} ({self.status})"

    @property
    def payout_value(self) -> Decimal:
        """What this earning adds to a payout: the earning, less the platform's part of cash the partner kept."""
        return self.partner_earning - self.cash_collected


class PayoutStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PROCESSING = "processing", "Processing"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"


PAYOUT_TRANSITIONS: dict[str, set[str]] = {
    PayoutStatus.PENDING: {PayoutStatus.PROCESSING, PayoutStatus.COMPLETED, PayoutStatus.FAILED},
    PayoutStatus.PROCESSING: {PayoutStatus.COMPLETED, PayoutStatus.FAILED},
    PayoutStatus.COMPLETED: set(),
    PayoutStatus.FAILED: set(),
}


class PayoutMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", "Bank transfer"
    UPI = "upi", "UPI"


class PartnerPayout(BaseModel):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="payouts")
    payout_number = models.CharField(max_length=20, unique=True)
    total_amount = models.DecimalField(max_digits=12, decimal_places=2, help_text="The earnings paid out.")
    commission_deduction = models.DecimalField(
        max_digits=12, decimal_places=2, default=ZERO, help_text="The platform's part of cash the partner collected."
    )
    net_amount = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=16, choices=PayoutStatus.choices, default=PayoutStatus.PENDING)
    payment_method = models.CharField(max_length=16, choices=PayoutMethod.choices, default=PayoutMethod.BANK_TRANSFER)
    bank_transaction_id = models.CharField(max_length=255, blank=True)
    upi_transaction_id = models.CharField(max_length=255, blank=True)
    notes = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    processed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    failure_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["partner", "-created_at"]), models.Index(fields=["status"])]
        constraints = [models.CheckConstraint(condition=models.Q(net_amount__gte=0), name="payout_net_not_negative")]

    def __str__(self) -> str:
        return self.payout_number
