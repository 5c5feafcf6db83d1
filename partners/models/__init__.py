"""Partners tables: seed 000 tables 4, 7, 16 and 17, seed 002's availability by day and vendor applications,
seed 001's vendors (``kind = vendor``, their business fields and ``VendorService``).

* ``Partner`` is the profile on a user account (``PT-NNN``). KYC numbers and
  the bank account are stored encrypted (``core.crypto``) with a keyed hash
  for uniqueness and the last digits for display; the API only ever shows
  them masked. Aggregates (rating, counts, earnings) are kept with ``F()``
  updates by the services; the job and offer figures (``total_bookings``
  counts jobs, not offers; ``acceptance_rate`` is how the partner answers
  offers) are defined in ``partners.services.figures``. Tiers are a bit mask
  so that "serves every tier this booking needs" is one indexed comparison on
  every database.
* ``PartnerAvailability`` is seed 002's per-day row (ISO days, 1 = Monday);
  seed 000's ``working_hours`` ``{"start", "end", "days"}`` is written as one
  row per listed day. ``ServiceAreaPincode`` indexes the rows' pincodes.
* ``PartnerAssignment`` is one offer of a booking to a partner and, once
  accepted, the job (seed 000 table 7). A booking has at most one live
  assignment (partial unique index); a partner is offered a booking at most
  once per dispatch round (unique index); and on PostgreSQL an exclusion
  constraint over ``(partner, [busy_from, busy_until))`` of live assignments
  makes two overlapping jobs for one partner impossible (migration 0002).
* ``Dispatch`` is the per-booking state of the engine (round, attempts,
  manual queue, priority): the internal assignment queue reads it.
* ``Centre``, ``StaffCentre`` (a centre manager's scope) and ``PartnerTimeOff`` (blocked time, once or
  weekly) serve providers booked by name, clinicians and specialists (issue #18, ``centres``), with
  ``MedicalNote`` (a clinician's append-only note on a patient).
* ``PartnerEarning`` and ``PartnerPayout``: seed 000 tables 16 and 17.
  ``ASSIGNMENT_TRANSITIONS``, ``DISPATCH_TRANSITIONS`` and ``PAYOUT_TRANSITIONS`` are the state
  machines' tables (``core.statemachine``).

The tables live in four modules by use case (``profiles``, ``centres``, ``jobs``, ``money``), each table beside its
model; everything is importable from ``partners.models`` as before.
"""

from partners.models.centres import Centre, MedicalNote, PartnerTimeOff, StaffCentre
from partners.models.jobs import (
    ASSIGNMENT_TRANSITIONS,
    BUSY_STATUSES,
    DISPATCH_TRANSITIONS,
    KNOWN_TO_PARTNER,
    LIVE_STATUSES,
    AssignmentStatus,
    Dispatch,
    DispatchStatus,
    PartnerAssignment,
)
from partners.models.money import (
    PAYOUT_TRANSITIONS,
    EarningStatus,
    HoldReason,
    PartnerEarning,
    PartnerPayout,
    PayoutMethod,
    PayoutStatus,
)
from partners.models.profiles import (
    HUNDRED,
    TIER_BITS,
    ZERO,
    ApplicationStatus,
    IdProofType,
    OnboardingStatus,
    Partner,
    PartnerApplication,
    PartnerAvailability,
    PartnerKind,
    ServiceAreaPincode,
    VendorService,
    tier_mask,
)

__all__ = [
    "ASSIGNMENT_TRANSITIONS",
    "BUSY_STATUSES",
    "DISPATCH_TRANSITIONS",
    "HUNDRED",
    "KNOWN_TO_PARTNER",
    "LIVE_STATUSES",
    "PAYOUT_TRANSITIONS",
    "TIER_BITS",
    "ZERO",
    "ApplicationStatus",
    "AssignmentStatus",
    "Centre",
    "Dispatch",
    "DispatchStatus",
    "EarningStatus",
    "HoldReason",
    "IdProofType",
    "MedicalNote",
    "OnboardingStatus",
    "Partner",
    "PartnerApplication",
    "PartnerAssignment",
    "PartnerAvailability",
    "PartnerEarning",
    "PartnerKind",
    "PartnerPayout",
    "PartnerTimeOff",
    "PayoutMethod",
    "PayoutStatus",
    "ServiceAreaPincode",
    "StaffCentre",
    "VendorService",
    "tier_mask",
]
