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
