"""Offers and jobs (``PartnerAssignment``) and the per-booking dispatch state, with their transition tables."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.models import BaseModel
from partners.models.profiles import Partner


class AssignmentStatus(models.TextChoices):
    HELD = "held", "Held (time kept at checkout, not offered yet)"
    ASSIGNED = "assigned", "Assigned (offered)"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    EXPIRED = "expired", "Expired (no answer)"
    IN_TRANSIT = "in_transit", "On the way"
    ARRIVED = "arrived", "Arrived"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


# Statuses that hold the partner's time (the exclusion constraint's WHERE) and the booking (one at a time).
# ``held``: checkout confirm kept the partner's time for the booking (issue #23); the partner has not been asked
# yet and does not see it; dispatch turns it into the offer (``assigned``).
BUSY_STATUSES = ("held", "assigned", "accepted", "in_transit", "arrived")
LIVE_STATUSES = (*BUSY_STATUSES, "completed")
# What the partner sees as theirs: every busy status but ``held``.
KNOWN_TO_PARTNER = ("assigned", "accepted", "in_transit", "arrived")

ASSIGNMENT_TRANSITIONS: dict[str, set[str]] = {
    AssignmentStatus.HELD: {AssignmentStatus.ASSIGNED, AssignmentStatus.CANCELLED},
    AssignmentStatus.ASSIGNED: {
        AssignmentStatus.ACCEPTED,
        AssignmentStatus.REJECTED,
        AssignmentStatus.EXPIRED,
        AssignmentStatus.CANCELLED,
    },
    # Staff may mark a job done before the partner reported arriving (partners.services.jobs.job_complete_by_staff);
    # the partner's own completion needs ``arrived`` (a use-case rule, checked there).
    AssignmentStatus.ACCEPTED: {AssignmentStatus.IN_TRANSIT, AssignmentStatus.CANCELLED, AssignmentStatus.COMPLETED},
    AssignmentStatus.IN_TRANSIT: {AssignmentStatus.ARRIVED, AssignmentStatus.COMPLETED},
    AssignmentStatus.ARRIVED: {AssignmentStatus.COMPLETED},
    AssignmentStatus.REJECTED: set(),
    AssignmentStatus.EXPIRED: set(),
    AssignmentStatus.COMPLETED: set(),
    AssignmentStatus.CANCELLED: set(),
}


class PartnerAssignment(BaseModel):
    booking = models.ForeignKey("bookings.Booking", on_delete=models.CASCADE, related_name="assignments")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED)
    dispatch_round = models.PositiveSmallIntegerField(default=1)
    attempt = models.PositiveSmallIntegerField(default=1)
    busy_from = models.DateTimeField()
    busy_until = models.DateTimeField()
    assigned_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="An offer not accepted by then moves on.")
    accepted_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    estimated_arrival = models.DateTimeField(null=True, blank=True)
    in_transit_at = models.DateTimeField(null=True, blank=True)
    actual_arrival = models.DateTimeField(null=True, blank=True)
    service_started_at = models.DateTimeField(null=True, blank=True)
    service_completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    partner_earning = models.DecimalField(max_digits=10, decimal_places=2)
    commission_percentage = models.DecimalField(max_digits=5, decimal_places=2)
    score = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    score_parts = models.JSONField(default=dict, blank=True, help_text="Why this partner: distance, rating, load...")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    forced = models.BooleanField(default=False)

    class Meta:
        ordering = ["-assigned_at"]
        indexes = [
            models.Index(fields=["partner", "status"]),
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["partner", "busy_from"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["booking"], condition=models.Q(status__in=LIVE_STATUSES), name="assignment_one_live_per_booking"
            ),
            models.UniqueConstraint(
                fields=["booking", "partner", "dispatch_round"], name="assignment_partner_once_per_round"
            ),
            models.CheckConstraint(
                condition=models.Q(busy_until__gt=models.F("busy_from")), name="assignment_busy_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} -> {self.partner_id} ({self.status})"


class DispatchStatus(models.TextChoices):
    SEARCHING = "searching", "Looking for a partner"
    OFFERED = "offered", "Offered, waiting for an answer"
    ASSIGNED = "assigned", "Accepted by a partner"
    MANUAL = "manual", "In the manual queue"
    CLOSED = "closed", "Closed (cancelled or done)"


# The dispatch of one booking (partners.services.dispatch): searching for a partner, an offer out, a partner
# on it, the manual queue, or closed. A state may be entered again with new figures (the next offer, a new
# round, another reason for the queue); a closed dispatch (booking cancelled) never reopens.
DISPATCH_TRANSITIONS: dict[str, set[str]] = {
    DispatchStatus.SEARCHING: {
        DispatchStatus.OFFERED,
        DispatchStatus.MANUAL,
        DispatchStatus.ASSIGNED,
        DispatchStatus.CLOSED,
    },
    DispatchStatus.OFFERED: {
        DispatchStatus.ASSIGNED,
        DispatchStatus.MANUAL,
        DispatchStatus.SEARCHING,
        DispatchStatus.CLOSED,
    },
    DispatchStatus.ASSIGNED: {
        DispatchStatus.SEARCHING,
        DispatchStatus.OFFERED,
        DispatchStatus.MANUAL,
        DispatchStatus.CLOSED,
    },
    DispatchStatus.MANUAL: {
        DispatchStatus.SEARCHING,
        DispatchStatus.OFFERED,
        DispatchStatus.ASSIGNED,
        DispatchStatus.CLOSED,
    },
    DispatchStatus.CLOSED: set(),
}


class Dispatch(BaseModel):
    booking = models.OneToOneField("bookings.Booking", on_delete=models.CASCADE, related_name="dispatch")
    status = models.CharField(max_length=16, choices=DispatchStatus.choices, default=DispatchStatus.SEARCHING)
    round = models.PositiveSmallIntegerField(default=1)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Offers made in this round.")
    priority = models.SmallIntegerField(default=5, help_text="Seed 000's queue priority (higher first).")
    reason = models.CharField(max_length=64, blank=True, help_text="Why it is in the manual queue.")
    preferred_partner = models.ForeignKey(Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-priority", "created_at"]
        verbose_name_plural = "dispatches"
        indexes = [models.Index(fields=["status", "-priority", "created_at"])]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.status}"
