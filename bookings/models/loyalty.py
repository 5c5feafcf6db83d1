"""Seed 004's loyalty points (issue #19): an account per customer and its append-only log
(``bookings.services.loyalty``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.models import BaseModel


class LoyaltyTier(models.TextChoices):
    BRONZE = "bronze", "Bronze"
    SILVER = "silver", "Silver"
    GOLD = "gold", "Gold"


class LoyaltyAccount(BaseModel):
    """Seed 004: a customer's points (``bookings.services.loyalty``). balance + reserved == earned - spent."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="loyalty_account")
    balance = models.PositiveIntegerField(default=0)
    reserved = models.PositiveIntegerField(default=0)
    total_earned = models.PositiveIntegerField(default=0)
    total_spent = models.PositiveIntegerField(default=0)
    tier = models.CharField(max_length=8, choices=LoyaltyTier.choices, default=LoyaltyTier.BRONZE)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(balance__gte=0) & models.Q(reserved__gte=0), name="loyalty_never_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(total_earned=models.F("balance") + models.F("reserved") + models.F("total_spent")),
                name="loyalty_balance_is_earned_less_spent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.balance} points"


class LoyaltyKind(models.TextChoices):
    EARNED = "earned", "Earned"
    REDEEMED = "redeemed", "Redeemed"
    RESERVED = "reserved", "Reserved"
    RELEASED = "released", "Released"
    REVERSED = "reversed", "Reversed"
    ADJUSTED = "adjusted", "Adjusted"


class LoyaltyTransaction(BaseModel):
    """Append-only: one row per change of a loyalty account, keyed so a replay never applies twice."""

    account = models.ForeignKey(LoyaltyAccount, on_delete=models.PROTECT, related_name="transactions")
    kind = models.CharField(max_length=10, choices=LoyaltyKind.choices)
    points = models.IntegerField(help_text="Signed: what it did to the spendable balance (redeemed: the spend).")
    reason = models.CharField(max_length=255, blank=True)
    booking = models.ForeignKey("bookings.Booking", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    idempotency_key = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["account", "-created_at"]), models.Index(fields=["booking", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.points}"
