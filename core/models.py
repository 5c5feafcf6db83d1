"""Abstract base models: UUID primary key and timestamps."""

from __future__ import annotations

import uuid

from django.db import models


class TimeStampedModel(models.Model):
    """``created_at`` / ``updated_at``, for tables that keep integer ids (seed 001's categories, societies)."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class BaseModel(TimeStampedModel):
    """UUID key and timestamps: for anything a client could enumerate (people, bookings, payments...)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class IdempotencyKey(TimeStampedModel):
    """A claimed ``X-Idempotency-Key`` and the response it produced (seed 000 table 9, generalised)."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    scope = models.CharField(max_length=80, help_text="user:<id> or ip:<address>")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.BinaryField(default=b"", blank=True)
    response_content_type = models.CharField(max_length=100, default="application/json")
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_unique_per_scope")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} ({self.status})"


class Sequence(models.Model):
    """A named counter for human numbers (``BK-...``, ``PT-NNN``, ``PO-...``); see core.sequences."""

    name = models.CharField(max_length=64, primary_key=True)
    last = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.last}"
