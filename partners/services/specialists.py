"""Writes of seed 004's specialist self-service (issue #19): profile, own services, blocked time.

Rules and the readings taken where the seed is silent (notes 2.3, rules SP1-SP3):

* **Profile** (``PUT /specialists/profile``). ``business_name``, ``specialties``, ``base_rate`` (=
  ``consultation_fee``), ``deposit_amount`` and ``availability`` may be sent, each optional.
  ``description`` is ``Partner.description``. ``availability.timezone``
  must be an IANA name (``422`` naming ``availability.timezone``). ``availability.working_hours``
  (``{monday: {start, end}, ...}``) replaces the whole week: days not listed have no hours; a day whose
  end is not after its start is ``422`` naming ``availability.working_hours.<day>.end``. The rows are
  replaced in one transaction under the partner's row lock; afterwards the slot caches move on and the
  next seven local days are published (``availability:updated``), as ``partners.services.clinic`` does.
* **Services (SP1, SP2).** Only the owner's rows (another's is ``404``). The category is given by id, key
  or name; an unknown one is ``422`` naming ``category``. ``duration`` is minutes, a positive multiple
  of 15 (``422`` naming ``duration``); ``price`` > 0 sets ``product_cost`` and ``market_price``. The
  ``service_key`` is generated from the name (upper snake case), with a number added when the
  specialist already has that key. Deleting a service that a booking line references deactivates it
  (``is_active`` false) instead, and the answer says so.
* **Blocks.** ``end`` after ``start`` (``422`` naming ``end_date_time``). ``recurring`` repeats the block
  weekly at the same local wall times up to ``recur_until`` (inclusive; default: 52 weeks after the first
  start's local date; before that date is ``422`` naming ``recur_until``). A block over a live appointment
  (a busy assignment of a pending-payment, pending or confirmed booking), in any occurrence, is ``409
  BOOKING_CONFLICT`` with the booking ids. Creating and deleting publish the local days they touch
  (those within the booking horizon).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bookings.errors import BookingErrorCode
from bookings.models import BookingService, BookingStatus
from catalog.models import Category, Service
from core.errors import DomainError, ErrorCode
from core.types import Id
from partners.live import availability_changed
from partners.models import BUSY_STATUSES, Partner, PartnerAssignment, PartnerAvailability, PartnerTimeOff
from partners.selectors import agenda
from partners.selectors.specialists import DAY_NAMES, own_block, own_service
from partners.services.common import lock_partner
from partners.slots import slots_changed
from partners.validators import validate_timezone

LIVE_STATUSES = (BookingStatus.PENDING_PAYMENT, BookingStatus.PENDING, BookingStatus.CONFIRMED)
DURATION_STEP = 15
DEFAULT_REPEAT_WEEKS = 52


def _invalid(message: str, field: str, reason: str) -> DomainError:
    return DomainError(message, code=ErrorCode.VALIDATION_ERROR, field=field, reason=reason)


def _published(partner: Partner, days: list[date] | None = None) -> None:
    slots_changed()
    if days is None:
        today = timezone.now().astimezone(agenda.zone_of(partner)).date()
        days = [today + timedelta(days=n) for n in range(7)]
    availability_changed(partner.pk, days)


# --- profile ------------------------------------------------------------------------------------------


def _week(hours: dict[str, Any]) -> dict[int, tuple[time, time]]:
    rows: dict[int, tuple[time, time]] = {}
    for name, window in hours.items():
        day = name.strip().lower()
        if day not in DAY_NAMES:
            raise _invalid(
                f"{name!r} is not a day (monday to sunday).", f"availability.working_hours.{name}", "unknown_day"
            )
        start, end = window["start"], window["end"]
        if end <= start:
            raise _invalid(
                f"On {day} the end must be after the start.",
                f"availability.working_hours.{day}.end",
                "ends_before_start",
            )
        rows[DAY_NAMES.index(day) + 1] = (start, end)
    return rows


def profile_update(*, partner: Partner, data: dict[str, Any]) -> Partner:
    availability = data.get("availability") or {}
    zone = availability.get("timezone")
    if zone is not None:
        try:
            validate_timezone(zone)
        except ValidationError as exc:
            raise _invalid(
                f"{zone} is not an IANA time zone, e.g. America/New_York.", "availability.timezone", "invalid_timezone"
            ) from exc
    week = _week(availability["working_hours"]) if "working_hours" in availability else None
    with transaction.atomic():
        lock_partner(partner.pk)
        partner.refresh_from_db()
        for source, target in (
            ("business_name", "business_name"),
            ("description", "description"),
            ("specialties", "specialties"),
            ("base_rate", "consultation_fee"),
            ("deposit_amount", "deposit_amount"),
        ):
            if source in data:
                setattr(partner, target, data[source])
        if zone is not None:
            partner.timezone = zone
        partner.save()
        if week is not None:
            PartnerAvailability.objects.filter(partner=partner).delete()
            PartnerAvailability.objects.bulk_create(
                PartnerAvailability(partner=partner, day_of_week=day, start_time=start, end_time=end)
                for day, (start, end) in sorted(week.items())
            )
        if week is not None or zone is not None:
            _published(partner)
    return partner


# --- services -----------------------------------------------------------------------------------------


def _category(value: str) -> Category:
    value = str(value).strip()
    found = None
    if value.isdigit():
        found = Category.objects.filter(pk=int(value)).first()
    found = (
        found
        or Category.objects.filter(key__iexact=value.replace(" ", "_").replace("-", "_")).first()
        or Category.objects.filter(name__iexact=value).first()
    )
    if found is None:
        raise _invalid(f"There is no category {value!r}.", "category", "unknown_category")
    return found


def _check_duration(minutes: int) -> None:
    if minutes <= 0 or minutes % DURATION_STEP:
        raise _invalid(f"The duration is minutes, a positive multiple of {DURATION_STEP}.", "duration", "bad_duration")


def _new_key(partner: Partner, name: str) -> str:
    base = re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_")[:40]
    if not base or not base[0].isalpha():
        base = f"S_{base}"[:40]
    taken = set(
        Service.objects.filter(partner=partner, service_key__startswith=base).values_list("service_key", flat=True)
    )
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}_{n}"
    return key


def _apply(service: Service, data: dict[str, Any]) -> None:
    if "category" in data:
        service.category = _category(data["category"])
    if "duration" in data:
        _check_duration(data["duration"])
        service.duration_minutes = data["duration"]
    if "price" in data:
        service.product_cost = service.market_price = data["price"]
    for field in ("name", "description", "is_active"):
        if field in data:
            setattr(service, field, data[field])


def service_create(*, partner: Partner, data: dict[str, Any]) -> Service:
    service = Service(partner=partner, service_type=data["name"][:100])
    _apply(service, data)
    with transaction.atomic():
        lock_partner(partner.pk)
        service.service_key = _new_key(partner, data["name"])
        service.save()
    return service


def service_update(*, partner: Partner, service_id: Id, data: dict[str, Any]) -> Service:
    with transaction.atomic():
        service = own_service(partner, service_id)
        _apply(service, data)
        service.save()
    return service


def service_delete(*, partner: Partner, service_id: Id) -> bool:
    """Delete the service, or deactivate it when a booking references it; True when it was deleted."""
    with transaction.atomic():
        service = own_service(partner, service_id)
        if BookingService.objects.filter(service=service).exists():
            service.is_active = False
            service.save(update_fields=["is_active", "updated_at"])
            return False
        service.delete()
    return True


# --- blocks -------------------------------------------------------------------------------------------


def _occurrences(start: datetime, end: datetime, zone: ZoneInfo, until: date | None) -> list[tuple[datetime, datetime]]:
    """The block's UTC intervals: the first, then weekly at the same local wall times up to ``until``."""
    out = [(start, end)]
    if until is None:
        return out
    wall_start, wall_end = start.astimezone(zone).replace(tzinfo=None), end.astimezone(zone).replace(tzinfo=None)
    week = 1
    while (wall_start + timedelta(weeks=week)).date() <= until:
        shift = timedelta(weeks=week)
        out.append(((wall_start + shift).replace(tzinfo=zone), (wall_end + shift).replace(tzinfo=zone)))
        week += 1
    return out


def block_create(*, partner: Partner, data: dict[str, Any], now: datetime | None = None) -> PartnerTimeOff:
    start, end = data["start_date_time"], data["end_date_time"]
    if end <= start:
        raise _invalid("The end must be after the start.", "end_date_time", "ends_before_start")
    zone = agenda.zone_of(partner)
    until = None
    if data.get("recurring"):
        until = data.get("recur_until") or start.astimezone(zone).date() + timedelta(weeks=DEFAULT_REPEAT_WEEKS)
        if until < start.astimezone(zone).date():
            raise _invalid("recurUntil is before the first block.", "recur_until", "before_start")
    spans = _occurrences(start, end, zone, until)
    with transaction.atomic():
        lock_partner(partner.pk)
        live = PartnerAssignment.objects.filter(
            partner=partner,
            status__in=BUSY_STATUSES,
            booking__status__in=LIVE_STATUSES,
            busy_from__lt=spans[-1][1],
            busy_until__gt=spans[0][0],
        ).values_list("booking_id", "busy_from", "busy_until")
        clashes = sorted({str(b) for b, b_from, b_until in live if any(s < b_until and e > b_from for s, e in spans)})
        if clashes:
            raise DomainError(
                "This time holds appointments; cancel or move them first.",
                code=BookingErrorCode.BOOKING_CONFLICT,
                reason="has_appointments",
                context={"booking_ids": clashes},
            )
        block = PartnerTimeOff.objects.create(
            partner=partner, starts_at=start, ends_at=end, reason=data.get("reason", ""), weekly_until=until
        )
        _published(partner, _days_of(partner, spans, now=now))
    return block


def _days_of(partner: Partner, spans: list[tuple[datetime, datetime]], *, now: datetime | None = None) -> list[date]:
    """The local days the intervals touch, up to the booking horizon."""
    zone = agenda.zone_of(partner)
    last = agenda.horizon(partner, now or timezone.now())
    days: set[date] = set()
    for start, end in spans:
        day = start.astimezone(zone).date()
        while day <= min(end.astimezone(zone).date(), last):
            days.add(day)
            day += timedelta(days=1)
    return sorted(days)


def block_delete(*, partner: Partner, block_id: Id) -> None:
    with transaction.atomic():
        lock_partner(partner.pk)
        block = own_block(partner, block_id)
        spans = _occurrences(block.starts_at, block.ends_at, agenda.zone_of(partner), block.weekly_until)
        block.delete()
        _published(partner, _days_of(partner, spans))
