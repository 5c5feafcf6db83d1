"""Societies (seed 001 sections 2 and 3): the society, its hierarchy, roster, residences, admins and vendors.

* ``Society`` keeps seed 001's integer id. Its flats or houses are the UNIT
  nodes of its tree (``total_flats``/``total_houses`` are counted, not typed in).
* ``HierarchyNode`` is one tree per society as a materialized path: ``path``
  holds the dotted ids root-first (``"1.2.4"``) and ``level_depth`` the depth
  (root = 1), so "every unit beneath a node" is one indexed ``LIKE 'path.%'``
  and a whole tree is one query. A *group* (3.1.5) is a level-2 node of a group
  type, so a group id is a node id; ``total_floors``/``total_units`` are the
  group's own figures. Node codes are unique among siblings.
* ``RosterEntry`` is the society's list of who lives where (phone, unit); a
  registration is verified automatically only when the server finds its
  (phone, society, unit) here.
* ``Residence`` is a person in a unit: pending, verified or rejected. A person
  has at most one residence per society, one primary and one active (the
  society the app acts in, seed 001 9.1's ``active_society``); partial unique
  indexes hold those rules under concurrency.
* ``SocietyAdminScope`` scopes the ``society_admin`` role to the societies a person
  runs.
* ``VendorAccess`` is a vendor's request to serve a society (the society's own
  approval, separate from the platform's review of the vendor), and
  ``ServiceArea`` where in the society they serve: the whole society (no
  node) or a group, covering every unit beneath it.

Approvals are state machines (``core.statemachine``), the tables below.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import TimeStampedModel


class SocietyType(models.TextChoices):
    APARTMENT = "APARTMENT", "Apartment"
    LAYOUT = "LAYOUT", "Layout"


class SocietyStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "Active"
    INACTIVE = "INACTIVE", "Inactive"


class Society(TimeStampedModel):
    name = models.CharField(max_length=255)
    society_type = models.CharField(max_length=16, choices=SocietyType.choices)
    address = models.TextField(blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=100, blank=True)
    pincode = models.CharField(max_length=6)
    status = models.CharField(max_length=16, choices=SocietyStatus.choices, default=SocietyStatus.ACTIVE)
    has_subscription = models.BooleanField(default=True, help_text="Only subscribed, active societies are found.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "societies"
        indexes = [models.Index(fields=["status", "has_subscription"])]

    def __str__(self) -> str:
        return self.name

    @property
    def unit_type(self) -> str:
        return UnitType.FLAT if self.society_type == SocietyType.APARTMENT else UnitType.HOUSE


class NodeType(models.TextChoices):
    SOCIETY = "SOCIETY", "Society"
    BUILDING = "BUILDING", "Building"
    BLOCK = "BLOCK", "Block"
    TOWER = "TOWER", "Tower"
    WING = "WING", "Wing"
    PHASE = "PHASE", "Phase"
    SECTION = "SECTION", "Section"
    ZONE = "ZONE", "Zone"
    FLOOR = "FLOOR", "Floor"
    UNIT = "UNIT", "Unit"


GROUP_TYPES = frozenset(
    {NodeType.BUILDING, NodeType.BLOCK, NodeType.TOWER, NodeType.WING, NodeType.PHASE, NodeType.SECTION, NodeType.ZONE}
)
GROUP_DEPTH = 2


class HierarchyNode(TimeStampedModel):
    society = models.ForeignKey(Society, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    node_type = models.CharField(max_length=16, choices=NodeType.choices)
    node_code = models.CharField(max_length=50)
    node_name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    level_depth = models.PositiveSmallIntegerField(default=1)
    path = models.CharField(max_length=255, blank=True, help_text="Dotted node ids, root first.")
    display_order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    total_floors = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Groups only.")
    total_units = models.PositiveIntegerField(null=True, blank=True, help_text="Groups only.")

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "node_code"], name="node_code_unique_among_siblings"),
            models.UniqueConstraint(fields=["society"], condition=Q(parent__isnull=True), name="one_root_per_society"),
        ]
        indexes = [
            # "everything beneath a node" is path LIKE 'x.y.%': a pattern index on PostgreSQL (plain elsewhere)
            models.Index(fields=["path"], name="node_path_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["society", "node_type", "is_active"]),
        ]

    def __str__(self) -> str:
        return f"{self.node_name} ({self.node_type})"

    @property
    def is_group(self) -> bool:
        return self.level_depth == GROUP_DEPTH and self.node_type in GROUP_TYPES

    @property
    def ancestor_ids(self) -> list[int]:
        """Root-first ids of the nodes above this one (from the path, no query)."""
        return [int(part) for part in self.path.split(".")[:-1]] if self.path else []


class RosterEntry(TimeStampedModel):
    society = models.ForeignKey(Society, on_delete=models.CASCADE, related_name="roster")
    phone = models.CharField(max_length=20, db_index=True, help_text="E.164, as accounts stores phones.")
    unit = models.ForeignKey(HierarchyNode, on_delete=models.CASCADE, related_name="+")
    suggested_name = models.CharField(max_length=255, blank=True)
    is_primary = models.BooleanField(default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["society_id", "phone"]
        verbose_name_plural = "roster entries"
        constraints = [models.UniqueConstraint(fields=["society", "phone", "unit"], name="roster_entry_once")]

    def __str__(self) -> str:
        return f"{self.phone} @ {self.unit_id}"


class UnitType(models.TextChoices):
    FLAT = "FLAT", "Flat"
    HOUSE = "HOUSE", "House"


class ApprovalStatus(models.TextChoices):
    """Seed 001's verification of residents and approval of vendors (by the society and by the platform)."""

    PENDING = "PENDING", "Pending"
    VERIFIED = "VERIFIED", "Verified"
    APPROVED = "APPROVED", "Approved"
    REJECTED = "REJECTED", "Rejected"


RESIDENCE_TRANSITIONS: dict[str, set[str]] = {
    ApprovalStatus.PENDING: {ApprovalStatus.VERIFIED, ApprovalStatus.REJECTED},
}
VENDOR_ACCESS_TRANSITIONS: dict[str, set[str]] = {
    ApprovalStatus.PENDING: {ApprovalStatus.APPROVED, ApprovalStatus.REJECTED},
    # A rejected vendor may ask again (seed 001 2.2.4 reading): the row goes back to pending.
    ApprovalStatus.REJECTED: {ApprovalStatus.PENDING},
}


class Residence(TimeStampedModel):
    """Seed 001's "resident": a person in one unit of a society (``resident_id`` is this row's id)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="residences")
    society = models.ForeignKey(Society, on_delete=models.PROTECT, related_name="residences")
    unit = models.ForeignKey(HierarchyNode, on_delete=models.PROTECT, related_name="residences")
    unit_type = models.CharField(max_length=8, choices=UnitType.choices)
    verification_status = models.CharField(
        max_length=10,
        choices=[
            (s.value, s.label) for s in (ApprovalStatus.PENDING, ApprovalStatus.VERIFIED, ApprovalStatus.REJECTED)
        ],
        default=ApprovalStatus.PENDING,
    )
    is_primary = models.BooleanField(default=False)
    is_active = models.BooleanField(default=False, help_text="The person's active society (one per person).")
    notes = models.TextField(blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.TextField(blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-is_primary", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "society"], name="one_residence_per_society"),
            models.UniqueConstraint(fields=["user"], condition=Q(is_primary=True), name="one_primary_residence"),
            models.UniqueConstraint(fields=["user"], condition=Q(is_active=True), name="one_active_society"),
        ]
        indexes = [models.Index(fields=["society", "verification_status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.society_id} ({self.verification_status})"


class SocietyAdminScope(TimeStampedModel):
    """A society admin's scope: the societies they run (the ``society_admin`` role says what they may do)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="society_scopes")
    society = models.ForeignKey(Society, on_delete=models.CASCADE, related_name="admins")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "society"], name="society_admin_once")]

    def __str__(self) -> str:
        return f"{self.user_id} runs {self.society_id}"


class VendorAccess(TimeStampedModel):
    """A vendor's request to serve a society and the society admin's decision (seed 001 2.2.4, 3.1.3-3.1.4)."""

    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="society_access")
    society = models.ForeignKey(Society, on_delete=models.CASCADE, related_name="vendor_access")
    approval_status = models.CharField(
        max_length=10,
        choices=[
            (s.value, s.label) for s in (ApprovalStatus.PENDING, ApprovalStatus.APPROVED, ApprovalStatus.REJECTED)
        ],
        default=ApprovalStatus.PENDING,
    )
    requested_at = models.DateTimeField()
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "vendor access"
        ordering = ["requested_at"]
        constraints = [models.UniqueConstraint(fields=["partner", "society"], name="vendor_access_once")]
        indexes = [models.Index(fields=["society", "approval_status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.partner_id} -> {self.society_id} ({self.approval_status})"


class AssignmentType(models.TextChoices):
    SOCIETY = "SOCIETY", "Whole society"
    GROUP = "GROUP", "Group"


class ServiceArea(TimeStampedModel):
    """Where in a society a vendor serves: the whole society (``node`` empty) or one group and all beneath it."""

    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="service_areas")
    society = models.ForeignKey(Society, on_delete=models.CASCADE, related_name="service_areas")
    assignment_type = models.CharField(max_length=8, choices=AssignmentType.choices)
    node = models.ForeignKey(HierarchyNode, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "society"], condition=Q(node__isnull=True), name="service_area_society_once"
            ),
            models.UniqueConstraint(fields=["partner", "society", "node"], name="service_area_group_once"),
            models.CheckConstraint(
                condition=(Q(assignment_type="SOCIETY") & Q(node__isnull=True))
                | (Q(assignment_type="GROUP") & Q(node__isnull=False)),
                name="service_area_type_matches_node",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} in {self.society_id}: {self.node_id or 'all'}"

    @property
    def assigned_at(self):
        return self.created_at
