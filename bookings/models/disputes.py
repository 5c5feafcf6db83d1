"""Disputes (issue #20, seed 002): a customer who is not satisfied with a job, the messages, the resolution.

A ``Dispute`` is opened by the booking's customer (or by refusing the sign-off) and moves along
``DISPUTE_TRANSITIONS``: open → in_progress (a mediator takes it, or staff write in it) → resolved → closed, with
escalation from any state before resolution. While it is active the partner's earning for the booking is on
hold; the resolution (full or partial refund through the payments layer, a revisit, or no action) reduces the
earning to match and releases it. ``DisputeMessage`` rows are the conversation between the customer, the
partner and the mediator, with an optional attachment and a read mark for the person it was written to;
``system`` messages record each transition. The rules are in ``bookings.services.disputes``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bookings.errors import BookingErrorCode
from core.models import BaseModel
from core.statemachine import StateMachine


class DisputeType(models.TextChoices):
    QUALITY_ISSUE = "quality_issue", "Quality of the work"
    PAYMENT_DISPUTE = "payment_dispute", "Payment"
    SIGNATURE_REFUSAL = "signature_refusal", "Sign-off refused"
    DAMAGE = "damage", "Damage"
    NO_SHOW = "no_show", "Partner did not come"
    OTHER = "other", "Other"


class DisputeSeverity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class DisputeStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "Being mediated"
    ESCALATED = "escalated", "Escalated"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


ACTIVE_DISPUTE_STATUSES = (DisputeStatus.OPEN, DisputeStatus.IN_PROGRESS, DisputeStatus.ESCALATED)

DISPUTE_TRANSITIONS: dict[str, set[str]] = {
    DisputeStatus.OPEN: {DisputeStatus.IN_PROGRESS, DisputeStatus.ESCALATED, DisputeStatus.RESOLVED},
    DisputeStatus.IN_PROGRESS: {DisputeStatus.ESCALATED, DisputeStatus.RESOLVED},
    DisputeStatus.ESCALATED: {DisputeStatus.IN_PROGRESS, DisputeStatus.RESOLVED},
    DisputeStatus.RESOLVED: {DisputeStatus.CLOSED},
    DisputeStatus.CLOSED: set(),
}


class DisputeResolution(models.TextChoices):
    FULL_REFUND = "full_refund", "Full refund"
    PARTIAL_REFUND = "partial_refund", "Partial refund"
    REVISIT = "revisit", "Revisit by the partner"
    NO_ACTION = "no_action", "No action"


class Dispute(BaseModel):
    booking = models.ForeignKey("bookings.Booking", on_delete=models.PROTECT, related_name="disputes")
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="disputes")
    vendor = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="disputes"
    )
    signature = models.ForeignKey(
        "bookings.BookingSignature", on_delete=models.SET_NULL, null=True, blank=True, related_name="disputes"
    )
    dispute_type = models.CharField(max_length=20, choices=DisputeType.choices)
    severity = models.CharField(max_length=8, choices=DisputeSeverity.choices, default=DisputeSeverity.MEDIUM)
    status = models.CharField(max_length=12, choices=DisputeStatus.choices, default=DisputeStatus.OPEN)
    title = models.CharField(max_length=200)
    description = models.TextField()
    evidence = models.JSONField(default=dict, blank=True)
    assigned_mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    resolution_type = models.CharField(max_length=16, choices=DisputeResolution.choices, blank=True)
    resolution_notes = models.TextField(blank=True)
    resolution_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    refund = models.ForeignKey("payments.Refund", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"]), models.Index(fields=["vendor", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["booking"],
                condition=models.Q(status__in=["open", "in_progress", "escalated"]),
                name="dispute_one_active_per_booking",
            ),
            models.CheckConstraint(
                condition=models.Q(resolution_amount__isnull=True) | models.Q(resolution_amount__gte=0),
                name="dispute_resolution_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_DISPUTE_STATUSES


class DisputeMessageType(models.TextChoices):
    TEXT = "text", "Text"
    IMAGE = "image", "Image"
    FILE = "file", "File"
    SYSTEM = "system", "System"


class DisputeMessage(BaseModel):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for the platform's own (system) messages.",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: written to everyone in the dispute.",
    )
    message_type = models.CharField(max_length=8, choices=DisputeMessageType.choices, default=DisputeMessageType.TEXT)
    content = models.TextField(blank=True)
    attachment = models.FileField(upload_to="disputes/%Y/%m/%d/", blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_content_type = models.CharField(max_length=64, blank=True)
    is_read = models.BooleanField(default=False, help_text="Read by the person it was written to.")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["dispute", "created_at"])]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.message_type}"


DISPUTE_STATES = StateMachine(
    model=Dispute,
    transitions=DISPUTE_TRANSITIONS,
    error_code=BookingErrorCode.INVALID_DISPUTE_STATUS,
    thing="dispute",
    refuse_repeats=True,
)
