"""Centres, their managers' scope and providers' time off (issue #18; notes 2.0, see ``partners.models``).

* ``Centre`` is where a clinician sees patients (seed 003): name, city,
  address, contact and its IANA time zone. A centre's name is unique in its
  city whatever its case. Providers link to centres through
  ``Partner.primary_centre`` and ``Partner.centres``.
* ``StaffCentre`` is a centre manager's scope: the centres they run (the
  ``centre_manager`` role says what they may do), as ``societies.SocietyAdminScope`` is a society admin's.
* ``MedicalNote`` is a clinician's note on a patient, append-only (seed 003).
* ``PartnerTimeOff`` is blocked time ``[starts_at, ends_at)``; with
  ``weekly_until`` it repeats every 7 days at the same local wall times up to
  that date inclusive. ``as_freeslot()`` hands it to ``partners.freeslots``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from accounts.validators import validate_e164
from core.models import BaseModel, TimeStampedModel
from partners import freeslots
from partners.models.profiles import Partner
from partners.validators import DEFAULT_TIMEZONE, validate_timezone


class Centre(BaseModel):
    name = models.CharField(max_length=255)
    city = models.CharField(max_length=100)
    address = models.TextField(blank=True)
    phone = models.CharField(
        max_length=16, blank=True, validators=[validate_e164], help_text="E.164, e.g. +919876543210."
    )
    email = models.EmailField(blank=True)
    timezone = models.CharField(max_length=64, default=DEFAULT_TIMEZONE, validators=[validate_timezone])
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["city", "is_active"])]
        # Seed 003 "Clinicians": create, update, deactivate clinicians and set their weekly rules (a centre
        # manager for their own centres only), apart from the platform-wide partner admin.
        permissions = [("manage_clinicians", "Can manage clinicians and their availability")]
        constraints = [
            models.UniqueConstraint(Lower("city"), Lower("name"), name="centre_name_unique_per_city_ci"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"


class StaffCentre(TimeStampedModel):
    """A centre manager's scope: one centre they run."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="centre_scopes")
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="staff")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "centre"], name="staff_centre_once")]

    def __str__(self) -> str:
        return f"{self.user_id} runs {self.centre_id}"


class PartnerTimeOff(BaseModel):
    """A provider's blocked time, once or weekly until ``weekly_until`` (inclusive, the provider's local dates)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="time_off")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=255, blank=True)
    weekly_until = models.DateField(null=True, blank=True, help_text="Repeat weekly up to this date; empty = once.")

    class Meta:
        ordering = ["starts_at"]
        verbose_name_plural = "partner time off"
        indexes = [models.Index(fields=["partner", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="time_off_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        repeat = f" weekly until {self.weekly_until}" if self.weekly_until else ""
        return f"{self.partner_id} off {self.starts_at:%Y-%m-%d %H:%M}-{self.ends_at:%H:%M}{repeat}"

    def as_freeslot(self) -> freeslots.TimeOff:
        return freeslots.TimeOff(start=self.starts_at, end=self.ends_at, weekly_until=self.weekly_until)


class MedicalNote(BaseModel):
    """Seed 003 ``POST /patients/{id}/notes``: a clinician's (or an admin's) note on a patient.

    Append-only: the services create notes and nothing edits or deletes them (the admin shows them
    read-only, and every note is in the audit log). Never shown to the patient.
    """

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="medical_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.PROTECT, null=True, blank=True, related_name="medical_notes"
    )
    note = models.TextField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["patient", "-created_at"])]

    def __str__(self) -> str:
        return f"Note on {self.patient_id} by {self.author_id}"
