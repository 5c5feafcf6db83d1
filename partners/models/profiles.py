"""Partner profiles, their hours and pincodes, and vendor applications (see ``partners.models``)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from catalog.models import Tier
from core import crypto
from core.models import BaseModel
from partners.validators import DEFAULT_TIMEZONE, validate_timezone

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


class PartnerKind(models.TextChoices):
    """What a partner does: a technician is dispatched to bookings; a vendor serves societies (seed 001); a
    clinician (seed 003) or a specialist (seed 004) is booked by name at a chosen time (issue #18)."""

    TECHNICIAN = "technician", "Technician"
    VENDOR = "vendor", "Vendor"
    CLINICIAN = "clinician", "Clinician"
    SPECIALIST = "specialist", "Specialist"


class IdProofType(models.TextChoices):
    AADHAAR = "AADHAAR", "Aadhaar"
    PAN = "PAN", "PAN card"
    VOTER_ID = "VOTER_ID", "Voter id"
    DRIVING_LICENSE = "DRIVING_LICENSE", "Driving licence"
    PASSPORT = "PASSPORT", "Passport"


class Partner(BaseModel):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partner_profile")
    partner_code = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=16, choices=PartnerKind.choices, default=PartnerKind.TECHNICIAN, db_index=True)
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
    bank_account_holder = models.CharField(max_length=255, blank=True)
    branch_name = models.CharField(max_length=255, blank=True)
    bank_verified = models.BooleanField(default=False, help_text="Set by platform verification; any change resets it.")

    # Seed 001 vendor business fields (2.2.1); the id-proof number is encrypted like the KYC above.
    business_name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True, help_text="Seed 004: what the specialist offers, in their words.")
    store_address = models.TextField(blank=True)
    store_photo_url = models.URLField(max_length=500, blank=True)
    id_proof_type = models.CharField(max_length=20, choices=IdProofType.choices, blank=True)
    id_proof_encrypted = models.TextField(blank=True)
    id_proof_last4 = models.CharField(max_length=4, blank=True)
    id_proof_photo_url = models.URLField(max_length=500, blank=True)
    gst_number = models.CharField(max_length=15, blank=True)
    verified_fields = models.JSONField(default=dict, blank=True, help_text="Seed 001 3.2.2: what the verifier checked.")
    rejection_reason = models.TextField(blank=True)

    # Provider profile of seeds 003 and 004 (notes 2.0): all optional, so technicians and vendors ignore them.
    specialties = models.JSONField(default=list, blank=True, help_text='Seed 003 "specialization", as a list.')
    qualifications = models.JSONField(default=list, blank=True)
    years_of_experience = models.PositiveSmallIntegerField(null=True, blank=True)
    languages = models.JSONField(default=list, blank=True)
    consultation_fee = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Fee or base rate; what is charged comes from the provider's own services.",
    )
    deposit_amount = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Fixed deposit per booking (seed 004); empty = no deposit.",
    )
    timezone = models.CharField(max_length=64, default=DEFAULT_TIMEZONE, validators=[validate_timezone])
    default_session_minutes = models.PositiveSmallIntegerField(default=30, validators=[MinValueValidator(5)])
    primary_centre = models.ForeignKey(
        "partners.Centre", on_delete=models.SET_NULL, null=True, blank=True, related_name="primary_partners"
    )
    centres = models.ManyToManyField("partners.Centre", related_name="partners", blank=True)

    categories = models.ManyToManyField("catalog.Category", related_name="partners", blank=True)
    tiers = models.PositiveSmallIntegerField(default=0, help_text="Bit mask: 1 Minimal, 2 Exclusive, 4 E-Lite.")

    is_active = models.BooleanField(default=True)
    is_available = models.BooleanField(default=True)

    rating = models.DecimalField(max_digits=3, decimal_places=2, default=ZERO)
    rating_count = models.PositiveIntegerField(default=0)
    rating_total = models.PositiveIntegerField(default=0)
    response_minutes = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Seed 004's response time: a running average of minutes from a paid request to the specialist's "
        "confirmation (each new one weighs a fifth); empty before the first.",
    )
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
            models.CheckConstraint(
                condition=models.Q(deposit_amount__isnull=True) | models.Q(deposit_amount__gte=0),
                name="partner_deposit_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(default_session_minutes__gte=5), name="partner_session_at_least_5_minutes"
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
    def id_proof_masked(self) -> str:
        return f"XXXXXXXX{self.id_proof_last4}" if self.id_proof_last4 else ""

    @property
    def aadhar_masked(self) -> str:
        return f"XXXXXXXX{self.aadhar_last4}" if self.aadhar_last4 else ""

    @property
    def pan_masked(self) -> str:
        return f"XXXXXX{self.pan_last4}" if self.pan_last4 else ""

    def set_kyc(
        self,
        *,
        aadhar: str | None = None,
        pan: str | None = None,
        bank_account: str | None = None,
        id_proof: str | None = None,
    ) -> None:
        if id_proof is not None:
            self.id_proof_encrypted, self.id_proof_last4 = crypto.encrypt(id_proof), id_proof[-4:]
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


class VendorService(BaseModel):
    """Seed 001 2.2.3: a service a vendor offers and its turnaround (the vendor-level default)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="vendor_services")
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    turnaround_hours = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "service"], name="vendor_service_once"),
            models.CheckConstraint(condition=models.Q(turnaround_hours__gte=1), name="vendor_turnaround_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.service_id} {self.turnaround_hours}h"
