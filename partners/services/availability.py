"""When and where a partner works, and whether they take jobs right now.

* Seed 000 ``working_hours`` ``{"start": "08:00", "end": "20:00", "days": [1..7]}``
  (ISO days, 1 = Monday) becomes one ``PartnerAvailability`` row per listed
  day; days not listed are switched off; pincodes already set on a day are kept.
* Seed 002 day rows (``day_of_week``, times, pincodes, buffer) are written one
  at a time; the pincode index (``ServiceAreaPincode``) is rebuilt with them.
* Seed 000 ``PATCH /partner/availability``: available or not, the current
  location, and ``last_seen_at``.
* Seed 000 ``PATCH /admin/partners/:id/availability``: staff switch a partner
  available or not and set their hours in one transaction, audited with
  before and after (:func:`partner_availability_set`). A staff change is not
  the partner being seen: ``last_seen_at`` stays.
Hours that end before (or when) they start are refused: a shift over midnight
is two rows.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.errors import DomainError, ErrorCode
from core.types import Id
from partners.errors import PartnerErrorCode
from partners.live import availability_changed
from partners.models import Partner, PartnerAvailability, ServiceAreaPincode
from partners.services.auditing import partner_state, staff_change
from partners.slots import slots_changed


def _check_hours(start: time, end: time, field: str) -> None:
    if end <= start:
        raise DomainError(
            "Working hours must end after they start.",
            code=ErrorCode.VALIDATION_ERROR,
            field=field,
            reason="ends_before_start",
            context={"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")},
        )


def _index_pincodes(rows: list[PartnerAvailability]) -> None:
    ServiceAreaPincode.objects.filter(availability__in=rows).delete()
    ServiceAreaPincode.objects.bulk_create(
        [
            ServiceAreaPincode(availability=row, partner_id=row.partner_id, day_of_week=row.day_of_week, pincode=code)
            for row in rows
            for code in sorted({*row.service_area_pincodes, *([row.primary_pincode] if row.primary_pincode else [])})
        ]
    )


def availability_set_working_hours(*, partner: Partner, working_hours: dict[str, Any]) -> list[PartnerAvailability]:
    start, end, days = working_hours["start"], working_hours["end"], sorted(set(working_hours["days"]))
    _check_hours(start, end, "working_hours")
    with transaction.atomic():
        existing = {
            row.day_of_week: row for row in PartnerAvailability.objects.select_for_update().filter(partner=partner)
        }
        rows = []
        for day in range(1, 8):
            row = existing.get(day)
            if day in days:
                if row is None:
                    row = PartnerAvailability(partner=partner, day_of_week=day)
                row.start_time, row.end_time, row.is_active = start, end, True
                row.save()
                rows.append(row)
            elif row is not None and row.is_active:
                row.is_active = False
                row.save(update_fields=["is_active", "updated_at"])
        _index_pincodes(rows)
    return rows


def availability_set_day(*, partner: Partner, data: dict[str, Any]) -> PartnerAvailability:
    """Seed 002: create or replace the row of one weekday."""
    _check_hours(data["start_time"], data["end_time"], "end_time")
    pincodes = [str(code).strip() for code in data.get("service_area_pincodes", [])]
    with transaction.atomic():
        row, _ = PartnerAvailability.objects.select_for_update().get_or_create(
            partner=partner,
            day_of_week=data["day_of_week"],
            defaults={"start_time": data["start_time"], "end_time": data["end_time"]},
        )
        row.start_time, row.end_time = data["start_time"], data["end_time"]
        row.is_active = data.get("is_active", True)
        row.primary_pincode = data.get("primary_pincode", "")
        row.service_area_pincodes = pincodes
        row.preferred_buffer_minutes = data.get("preferred_buffer_minutes", row.preferred_buffer_minutes)
        row.save()
        _index_pincodes([row])
    return row


def working_hours_of(partner: Partner) -> dict[str, Any] | None:
    """Seed 000's shape, read back from the day rows (the earliest start and latest end of the active days)."""
    rows = [row for row in partner.availability.all() if row.is_active]
    if not rows:
        return None
    return {
        "start": min(row.start_time for row in rows).strftime("%H:%M"),
        "end": max(row.end_time for row in rows).strftime("%H:%M"),
        "days": sorted(row.day_of_week for row in rows),
    }


def availability_set_status(
    *,
    partner: Partner,
    is_available: bool | None = None,
    lat: Decimal | float | None = None,
    lng: Decimal | float | None = None,
    seen: bool = True,
) -> Partner:
    """The partner's own switch (``seen``: their app is alive, ``last_seen_at`` moves) or a staff member's."""
    fields: dict[str, Any] = {"updated_at": timezone.now()}
    if seen:
        fields["last_seen_at"] = fields["updated_at"]
    if is_available is not None:
        fields["is_available"] = is_available
    if (lat is None) != (lng is None):
        raise DomainError(
            "Send current_lat and current_lng together.",
            code=ErrorCode.VALIDATION_ERROR,
            field="current_lng" if lng is None else "current_lat",
            reason="incomplete_location",
        )
    if lat is not None:
        fields["current_lat"], fields["current_lng"] = lat, lng
    Partner.objects.filter(pk=partner.pk).update(**fields)
    slots_changed()
    if is_available is not None and is_available != partner.is_available:
        availability_changed(partner.pk, [timezone.localdate()])
    partner.refresh_from_db()
    return partner


def partner_availability_set(
    *,
    partner_id: Id,
    is_available: bool | None = None,
    working_hours: dict[str, Any] | None = None,
    actor: User | None = None,
) -> Partner:
    """Staff set whether a partner takes jobs and their working hours (one transaction, audited)."""
    with transaction.atomic():
        partner = Partner.objects.select_for_update().select_related("user").filter(pk=partner_id).first()
        if partner is None:
            raise DomainError("Partner not found.", code=PartnerErrorCode.PARTNER_NOT_FOUND, field="id")
        with staff_change(partner, action="update_partner_availability", actor=actor, state=partner_state):
            if is_available is not None:
                availability_set_status(partner=partner, is_available=is_available, seen=False)
            if working_hours:
                availability_set_working_hours(partner=partner, working_hours=working_hours)
    return partner
