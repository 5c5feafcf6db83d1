"""Seed 004's reviews (issue #19): one per completed booking, by its customer (``bookings.services.reviews``)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.models import BaseModel


class Review(BaseModel):
    """Seed 004's review of a completed booking by its customer (one per booking; notes 2.0 "rating").

    ``partner`` is the provider reviewed (the chosen provider of an appointment, else the partner who
    completed the job; empty when there is none). ``is_hidden`` is staff moderation: a hidden review leaves
    the public list and the partner's average. ``Booking.customer_rating``/``customer_feedback`` mirror it
    for older readers.
    """

    booking = models.OneToOneField("bookings.Booking", on_delete=models.CASCADE, related_name="review")
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(blank=True)
    tags = models.JSONField(default=list, blank=True)
    is_hidden = models.BooleanField(default=False, help_text="Hidden by staff: not listed, not in the average.")
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["partner", "-created_at"]),
            models.Index(fields=["customer", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__range=(1, 5)), name="review_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.rating}"
