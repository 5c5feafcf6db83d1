"""What partners earn and how they are paid (seed 000 tables 16 and 17), with the payout transition table."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from core.models import BaseModel
from partners.models.jobs import PartnerAssignment
from partners.models.profiles import ZERO, Partner


class EarningStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    IN_PAYOUT = "in_payout", "In a payout"
    PAID = "paid", "Paid"
    CANCELLED = "cancelled", "Cancelled"
    ON_HOLD = "on_hold", "On hold"  # a sign-off is pending (later: a dispute is open); payouts skip it


class HoldReason(models.TextChoices):
    SIGNATURE_PENDING = "signature_pending", "Sign-off pending"
    DISPUTE = "dispute", "Dispute open"


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
    hold_reason = models.CharField(
        max_length=32, choices=HoldReason.choices, blank=True, help_text="Why the earning is on hold (one at a time)."
    )
    release_date = models.DateField(
        null=True, blank=True, help_text="The first day it may be paid out (completion + EARNING_RELEASE_DAYS)."
    )

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
