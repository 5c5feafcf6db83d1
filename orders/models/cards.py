"""Rate cards (seed 001 section 4) and a vendor's per-society services (2.3.1); see ``orders.models``."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

from core.models import TimeStampedModel


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
