"""Proof of service (issue #20, seed 002): before/after photos of a booking and the customer's sign-off.

``BookingPhoto``: an image the booking's partner (or staff) took before or after the job, stored through
Django's storage API (``var/media`` in the embedded default, S3-compatible storage in production), checked and
re-encoded without its metadata (``core.images``), with a thumbnail. ``BookingSignature``: the partner asks the
customer to sign the job off; the customer signs within ``SIGNATURE_HOURS`` with a satisfaction rating (or
refuses, which opens a dispute); ``signature_hash`` is reproducible from the stored fields. The rules are in
``bookings.services.photos`` and ``bookings.services.signatures``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from bookings.errors import BookingErrorCode
from core.models import BaseModel
from core.statemachine import StateMachine


class PhotoType(models.TextChoices):
    BEFORE = "before", "Before the job"
    AFTER = "after", "After the job"


class BookingPhoto(BaseModel):
    booking = models.ForeignKey("bookings.Booking", on_delete=models.CASCADE, related_name="photos")
    image_type = models.CharField(max_length=8, choices=PhotoType.choices)
    image = models.ImageField(upload_to="photos/%Y/%m/%d/", width_field="width", height_field="height")
    thumbnail = models.ImageField(upload_to="photos/thumbs/%Y/%m/%d/", blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size_bytes = models.PositiveIntegerField(default=0, help_text="The stored (re-encoded) image's size.")
    content_type = models.CharField(max_length=32, blank=True)
    description = models.CharField(max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["booking", "image_type"])]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.image_type}"


class SignatureStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the customer"
    SIGNED = "signed", "Signed"
    EXPIRED = "expired", "Expired unsigned"
    REFUSED = "refused", "Refused by the customer"


SIGNATURE_TRANSITIONS: dict[str, set[str]] = {
    SignatureStatus.PENDING: {SignatureStatus.SIGNED, SignatureStatus.EXPIRED, SignatureStatus.REFUSED},
    SignatureStatus.SIGNED: set(),
    SignatureStatus.EXPIRED: set(),
    SignatureStatus.REFUSED: set(),
}


class BookingSignature(BaseModel):
    booking = models.ForeignKey("bookings.Booking", on_delete=models.CASCADE, related_name="signatures")
    status = models.CharField(max_length=8, choices=SignatureStatus.choices, default=SignatureStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    satisfaction_rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    satisfaction_comments = models.TextField(blank=True)
    signature_image = models.ImageField(upload_to="signatures/%Y/%m/%d/", blank=True)
    signature_hash = models.CharField(max_length=64, blank=True, help_text="SHA-256 hex of the signed fields.")

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["booking"],
                condition=models.Q(status="pending"),
                name="signature_one_pending_per_booking",
            ),
            models.CheckConstraint(
                condition=models.Q(satisfaction_rating__isnull=True) | models.Q(satisfaction_rating__range=(1, 5)),
                name="signature_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.status}"


SIGNATURE_STATES = StateMachine(
    model=BookingSignature,
    transitions=SIGNATURE_TRANSITIONS,
    error_code=BookingErrorCode.INVALID_SIGNATURE_STATUS,
    thing="signature",
    refuse_repeats=True,
)
