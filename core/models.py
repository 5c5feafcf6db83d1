"""Abstract base models (UUID key, timestamps) and the platform-wide tables: idempotency keys,
sequences, system settings and the audit log."""

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


class SystemSetting(models.Model):
    """One runtime setting staff may change (seed 000 System Settings); read through core.system_settings.

    Lives in ``core`` rather than ``adminpanel`` because every app reads these
    values and the apps below ``adminpanel`` must not import it (DESIGN.md
    section 1). A missing row means "the deployment's default" from
    ``config/settings`` (the environment).
    """

    key = models.CharField(max_length=64, primary_key=True)
    value = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")

    def bulk_update(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")


class AuditLog(models.Model):
    """One staff write (seed 000 table 19, seed 002 edit history): who, what, before and after, from where.

    Append-only: the model and its queryset refuse updates and deletes, and on
    PostgreSQL a trigger refuses ``UPDATE``, ``DELETE`` and ``TRUNCATE`` from
    any client (migration ``0004``), but for a person's erasure (``core.audit.erase``,
    migration ``0005``: their values in ``changes``, their name, email, IP and user
    agent as an actor). Written by ``core.audit`` only. In
    ``core`` because every app's Django admin and services write it.
    """

    class Via(models.TextChoices):
        API = "api", "Admin API"
        ADMIN_SITE = "admin_site", "Django admin"
        SYSTEM = "system", "System"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor_name = models.CharField(max_length=255, blank=True, help_text="The actor's name when they acted.")
    actor_email = models.CharField(max_length=255, blank=True)
    actor_role = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=100)
    resource_type = models.CharField(max_length=50)
    resource_id = models.CharField(max_length=64, blank=True)
    changes = models.JSONField(default=dict, blank=True, help_text='{"field": {"old": ..., "new": ...}}')
    via = models.CharField(max_length=16, choices=Via.choices, default=Via.API)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["actor", "-created_at"], name="audit_actor_created"),
            models.Index(fields=["resource_type", "resource_id"], name="audit_resource"),
            models.Index(fields=["-created_at"], name="audit_created"),
            models.Index(fields=["action", "-created_at"], name="audit_action_created"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.resource_type} {self.resource_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")
