"""Writes of seed 003's clinic (issue #18): centres, clinicians and their weekly rules.

Rules and the readings taken where the seed is silent (notes 2.2, docs/permissions.md "Matrix (appointments)"):

* **Centres.** A name is unique in its city whatever its case (``409 CONFLICT``
  naming ``name``); the time zone is an IANA name (``422`` naming
  ``timezone``). A centre manager (``partners.selectors.clinic.centre_scope``)
  updates only the centres they run (another centre is ``404``) and, as the
  matrix says, neither creates nor toggles centres (``403``) even though the
  role holds ``partners.add_centre``. A centre is deleted only while it has no
  future live appointment (pending payment, pending or confirmed, starting
  after now: ``409`` reason ``has_future_appointments``); one with past
  appointments keeps them (bookings protect their centre), so it is ``409``
  reason ``has_history``: deactivate it instead.
* **Clinicians.** Creating one creates the account (phone E.164 and email
  unique: ``409 PHONE_ALREADY_EXISTS`` / ``EMAIL_ALREADY_EXISTS``, the accounts
  app's codes) with the ``specialist`` role (docs/permissions.md maps seed
  003's CLINICIAN to it), a verified ``Partner`` of kind ``clinician`` in the
  primary centre's zone unless a ``timezone`` is given, and their own catalog
  service "Consultation" (price = the fee, length = the session length). A
  password is optional (without one the clinician signs in by OTP) and meets
  the password rules when given. A centre manager must name a primary centre
  they run (another is ``404``). Changing the fee or the session length
  changes the consultation service too; bookings already made keep their
  price. Deleting is soft (``is_active`` false): no new slots, appointments
  kept.
* **Weekly rules** (``PUT /clinicians/{id}/availability``) replace the whole
  week in one transaction under the clinician's row lock: one
  ``PartnerAvailability`` row per listed day (``isAvailable: false`` keeps the
  row switched off), days not listed are removed. Errors name the field in
  snake_case as the serializer's own errors do (``availability_rules.N.start_time``
  for a bad time): an unknown day ``availability_rules.N.day_of_week``, a
  repeated day the same, an end not after the start
  ``availability_rules.N.end_time``. Staff with
  ``partners.manage_clinicians`` (scoped) or the clinician themself may set
  them; then the slot caches move on and the next week's days are published.
Staff writes are audited (``partners.services.auditing``); a clinician's own change is not.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from accounts.errors import AccountErrorCode
from accounts.models import User
from accounts.roles import Role
from accounts.services.passwords import validate_new_password
from accounts.services.roles import user_add_role
from accounts.validators import normalize_email
from bookings.models import Booking, BookingStatus
from catalog.models import Category, Service
from core import audit
from core.errors import DomainError, ErrorCode
from core.types import Id
from partners import freeslots
from partners.live import availability_changed
from partners.models import Centre, OnboardingStatus, Partner, PartnerAvailability, PartnerKind
from partners.selectors import agenda
from partners.selectors.clinic import centre_scope, clinician_in_scope
from partners.services.auditing import partner_state, staff_change, staff_created
from partners.services.common import lock_partner
from partners.services.profiles import new_partner_code
from partners.slots import slots_changed
from partners.validators import DEFAULT_TIMEZONE, validate_timezone

LIVE_STATUSES = (BookingStatus.PENDING_PAYMENT, BookingStatus.PENDING, BookingStatus.CONFIRMED)
CONSULTATION = "Consultation"
DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
CENTRE_FIELDS = ("name", "city", "address", "phone", "email", "timezone")
USER_FIELDS = (("full_name", "full_name"), ("phone", "phone"), ("email", "email"), ("profile_picture_url", "photo_url"))


def _check_zone(zone: str) -> None:
    try:
        validate_timezone(zone)
    except ValidationError as exc:
        raise DomainError(
            f"{zone} is not an IANA time zone, e.g. Asia/Kolkata.",
            code=ErrorCode.VALIDATION_ERROR,
            field="timezone",
            reason="invalid_timezone",
        ) from exc


# --- centres ------------------------------------------------------------------------------------------


def _centre_locked(actor: User, centre_id: Id) -> Centre:
    rows = Centre.objects.select_for_update().filter(pk=centre_id)
    scope = centre_scope(actor)
    if scope is not None:
        rows = rows.filter(pk__in=scope)
    centre = rows.first()
    if centre is None:
        raise DomainError("Centre not found.", code=ErrorCode.NOT_FOUND, field="id")
    return centre


def _save_centre(centre: Centre) -> None:
    duplicate = DomainError(
        "A centre with this name exists in this city.", code=ErrorCode.CONFLICT, field="name", reason="duplicate"
    )
    if Centre.objects.filter(city__iexact=centre.city, name__iexact=centre.name).exclude(pk=centre.pk).exists():
        raise duplicate
    try:
        with transaction.atomic():
            centre.save()
    except IntegrityError as exc:  # a concurrent create of the same name
        raise duplicate from exc


def centre_create(*, data: dict[str, Any], actor: User) -> Centre:
    if centre_scope(actor) is not None:
        raise DomainError("A centre manager cannot create centres.", code=ErrorCode.FORBIDDEN)
    zone = data.get("timezone") or DEFAULT_TIMEZONE
    _check_zone(zone)
    centre = Centre(**{key: data[key] for key in CENTRE_FIELDS if key in data and key != "timezone"}, timezone=zone)
    with transaction.atomic():
        _save_centre(centre)
        staff_created(centre, action="create_centre", actor=actor)
    return centre


def centre_update(*, centre_id: Id, data: dict[str, Any], actor: User) -> Centre:
    if "timezone" in data:
        _check_zone(data["timezone"])
    with transaction.atomic():
        centre = _centre_locked(actor, centre_id)
        with staff_change(centre, action="update_centre", actor=actor):
            for key in CENTRE_FIELDS:
                if key in data:
                    setattr(centre, key, data[key])
            if "is_active" in data and centre_scope(actor) is None:
                centre.is_active = data["is_active"]
            _save_centre(centre)
    slots_changed()
    return centre


def centre_toggle(*, centre_id: Id, actor: User) -> Centre:
    if centre_scope(actor) is not None:
        raise DomainError("A centre manager cannot switch centres on or off.", code=ErrorCode.FORBIDDEN)
    with transaction.atomic():
        centre = _centre_locked(actor, centre_id)
        with staff_change(centre, action="toggle_centre", actor=actor):
            centre.is_active = not centre.is_active
            centre.save(update_fields=["is_active", "updated_at"])
    slots_changed()
    return centre


def centre_delete(*, centre_id: Id, actor: User, now: datetime | None = None) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        centre = _centre_locked(actor, centre_id)
        upcoming = Booking.objects.filter(centre=centre, status__in=LIVE_STATUSES, scheduled_start__gt=now).count()
        if upcoming:
            raise DomainError(
                "This centre has upcoming appointments; cancel or move them first.",
                code=ErrorCode.CONFLICT,
                reason="has_future_appointments",
                context={"upcoming_appointments": upcoming},
            )
        gone = {key: {"old": value, "new": None} for key, value in audit.snapshot(centre).items()}
        audit.record(action="delete_centre", resource_type="centre", resource_id=centre.pk, actor=actor, changes=gone)
        try:
            with transaction.atomic():
                centre.delete()
        except (ProtectedError, IntegrityError) as exc:
            raise DomainError(
                "This centre has past appointments and is kept with them; deactivate it instead.",
                code=ErrorCode.CONFLICT,
                reason="has_history",
            ) from exc


# --- clinicians ---------------------------------------------------------------------------------------


def _primary_centre(actor: User, centre_id: Id | None) -> Centre | None:
    scope = centre_scope(actor)
    if centre_id is None:
        if scope is not None:
            raise DomainError(
                "Choose one of your centres.",
                code=ErrorCode.VALIDATION_ERROR,
                field="primary_centre_id",
                reason="required",
            )
        return None
    centre = Centre.objects.filter(pk=centre_id).first()
    if centre is None or (scope is not None and centre.pk not in scope):
        raise DomainError("Centre not found.", code=ErrorCode.NOT_FOUND, field="primary_centre_id")
    return centre


def _check_contacts(*, phone: str | None, email: str | None, user_id: Id | None = None) -> None:
    for field, value, code in (
        ("phone", phone, AccountErrorCode.PHONE_ALREADY_EXISTS),
        ("email", email, AccountErrorCode.EMAIL_ALREADY_EXISTS),
    ):
        taken = User.objects.filter(**{field: value})
        if user_id is not None:
            taken = taken.exclude(pk=user_id)
        if value and taken.exists():
            raise DomainError(
                f"This {field} is already registered with another account.",
                code=code,
                field=field,
                reason="already_exists",
            )


def _consultation_category() -> Category:
    found = (
        Category.objects.filter(key="CONSULTATION").first()
        or Category.objects.filter(name__iexact=CONSULTATION).first()
    )
    if found is None:
        found, _ = Category.objects.get_or_create(key="CONSULTATION", defaults={"name": CONSULTATION})
    return found


def _consultation_of(partner: Partner) -> Service | None:
    return Service.objects.filter(partner=partner, name__iexact=CONSULTATION).order_by("created_at").first()


def _set_consultation(partner: Partner, *, fee: Decimal, minutes: int) -> None:
    service = _consultation_of(partner)
    if service is None:
        service = Service(
            category=_consultation_category(),
            partner=partner,
            name=CONSULTATION,
            service_key="CONSULTATION",
            service_type=CONSULTATION,
        )
    service.product_cost = service.market_price = fee
    service.duration_minutes = minutes
    service.save()


def _apply_profile(partner: Partner, data: dict[str, Any]) -> None:
    for source, target in (
        ("specialization", "specialties"),
        ("qualification", "qualifications"),
        ("years_of_experience", "years_of_experience"),
        ("languages", "languages"),
        ("consultation_fee", "consultation_fee"),
        ("duration_minutes", "default_session_minutes"),
    ):
        if source in data:
            setattr(partner, target, data[source])
    if data.get("timezone"):
        _check_zone(data["timezone"])
        partner.timezone = data["timezone"]


def clinician_create(*, data: dict[str, Any], actor: User) -> Partner:
    centre = _primary_centre(actor, data.get("primary_centre_id"))
    email = normalize_email(data.get("email")) or None
    _check_contacts(phone=data["phone"], email=email)
    if data.get("password"):
        validate_new_password(data["password"], user=User(email=email, full_name=data["full_name"]))
    with transaction.atomic():
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=email, phone=data["phone"], password=data.get("password") or None, full_name=data["full_name"]
                )
        except IntegrityError:  # a concurrent create with the same phone or email
            _check_contacts(phone=data["phone"], email=email)
            raise
        user.photo_url = data.get("profile_picture_url") or ""
        user.save(update_fields=["photo_url"])
        user_add_role(user=user, role=Role.SPECIALIST)
        partner = Partner(
            user=user,
            partner_code=new_partner_code(),
            kind=PartnerKind.CLINICIAN,
            onboarding_status=OnboardingStatus.VERIFIED,
            verified_at=timezone.now(),
            verified_by=actor,
            primary_centre=centre,
            timezone=centre.timezone if centre else DEFAULT_TIMEZONE,
        )
        _apply_profile(partner, data)
        partner.save()
        if centre is not None:
            partner.centres.add(centre)
        _set_consultation(partner, fee=partner.consultation_fee or Decimal(0), minutes=partner.default_session_minutes)
        staff_created(partner, action="create_clinician", actor=actor, state=partner_state)
    return partner


def clinician_update(*, clinician_id: Id, data: dict[str, Any], actor: User) -> Partner:
    with transaction.atomic():
        partner = clinician_in_scope(actor, clinician_id, lock=True)
        user = partner.user
        with staff_change(partner, action="update_clinician", actor=actor, state=partner_state):
            if "email" in data:
                data["email"] = normalize_email(data["email"]) or None
            _check_contacts(phone=data.get("phone"), email=data.get("email"), user_id=user.pk)
            for source, target in USER_FIELDS:
                if source in data:
                    setattr(user, target, data[source])
            user.save()
            if "primary_centre_id" in data:
                partner.primary_centre = _primary_centre(actor, data["primary_centre_id"])
                if partner.primary_centre is not None:
                    partner.centres.add(partner.primary_centre)
            _apply_profile(partner, data)
            if "is_active" in data:
                partner.is_active = data["is_active"]
            partner.save()
            if "consultation_fee" in data or "duration_minutes" in data:
                _set_consultation(
                    partner, fee=partner.consultation_fee or Decimal(0), minutes=partner.default_session_minutes
                )
    slots_changed()
    return partner


def clinician_set_active(*, clinician_id: Id, actor: User, active: bool | None = None) -> Partner:
    """``active`` False: the soft delete; None: the toggle."""
    with transaction.atomic():
        partner = clinician_in_scope(actor, clinician_id, lock=True)
        action = "delete_clinician" if active is False else "toggle_clinician"
        with staff_change(partner, action=action, actor=actor):
            partner.is_active = (not partner.is_active) if active is None else active
            partner.save(update_fields=["is_active", "updated_at"])
    slots_changed()
    return partner


# --- weekly rules -------------------------------------------------------------------------------------


def _rule_error(message: str, index: int, field: str, reason: str) -> DomainError:
    return DomainError(
        message, code=ErrorCode.VALIDATION_ERROR, field=f"availability_rules.{index}.{field}", reason=reason
    )


def _weekly_rows(rules: list[dict[str, Any]]) -> dict[int, tuple[time, time, bool]]:
    rows: dict[int, tuple[time, time, bool]] = {}
    for index, rule in enumerate(rules):
        name = str(rule["day_of_week"]).strip().upper()
        if name not in DAYS:
            raise _rule_error(
                f"{rule['day_of_week']!r} is not a day (MONDAY to SUNDAY).", index, "day_of_week", "unknown_day"
            )
        day = DAYS.index(name) + 1
        if day in rows:
            raise _rule_error(f"{name} is given twice.", index, "day_of_week", "duplicate_day")
        start, end = rule["start_time"], rule["end_time"]
        try:
            freeslots.validate_rules([freeslots.WeeklyRule(day=day, start=start, end=end)])
        except ValueError as exc:
            raise _rule_error(str(exc), index, "end_time", "ends_before_start") from exc
        rows[day] = (start, end, bool(rule.get("is_available", True)))
    return rows


def _may_set_rules(user: User, clinician_id: Id) -> bool:
    """Whether ``user`` is that clinician (their own rules need no staff permission)."""
    own = getattr(user, "partner_profile", None)
    return own is not None and str(own.pk) == str(clinician_id)


def clinician_set_rules(*, clinician_id: Id, rules: list[dict[str, Any]], user: User) -> list[PartnerAvailability]:
    week = _weekly_rows(rules)
    own = _may_set_rules(user, clinician_id)
    if not own and not user.has_perm("partners.manage_clinicians"):
        raise DomainError("You may not change this clinician's hours.", code=ErrorCode.FORBIDDEN)
    with transaction.atomic():
        partner = clinician_in_scope(None if own else user, clinician_id)
        lock_partner(partner.pk)
        with staff_change(
            partner, action="update_clinician_availability", actor=None if own else user, state=partner_state
        ):
            PartnerAvailability.objects.filter(partner=partner).exclude(day_of_week__in=list(week)).delete()
            existing = {row.day_of_week: row for row in PartnerAvailability.objects.filter(partner=partner)}
            for day, (start, end, active) in week.items():
                row = existing.get(day) or PartnerAvailability(partner=partner, day_of_week=day)
                row.start_time, row.end_time, row.is_active = start, end, active
                row.save()
        slots_changed()
        today = timezone.now().astimezone(agenda.zone_of(partner)).date()
        availability_changed(partner.pk, [today + timedelta(days=n) for n in range(7)])
    return list(PartnerAvailability.objects.filter(partner=partner).order_by("day_of_week"))
