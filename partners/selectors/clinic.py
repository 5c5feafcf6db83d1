"""Reads of seed 003's clinic (issue #18): centres, clinicians as the public sees them, weekly rules, free slots.

Readings where the seed is silent (notes 2.2):

* **Who sees which centres.** Staff read centres with ``partners.view_centre``;
  patients and providers (accounts that are not staff) read them too, as the
  matrix says, but see **active** centres only. Staff see inactive ones as well.
* **A centre manager's scope** (:func:`centre_scope`): a centre manager who
  holds no platform-wide role (admin, ops manager, super admin) acts only on
  the centres of their ``StaffCentre`` rows; anyone else is not scoped
  (``None``), and what they may do is their permissions alone.
* **Public clinicians**: partners of kind ``clinician``, active and verified,
  with their active centres (the primary one first). ``centreId`` keeps those
  working at that centre (primary or linked) while it is active;
  ``specialization`` matches one of their specialisations case-insensitively,
  in Python over the one page read, so the list stays three queries whatever
  the rows and works the same on SQLite and PostgreSQL.
* **Free slots** are :func:`partners.selectors.agenda.free_slots_of` read in the
  clinician's zone. A deactivated (or unverified) clinician, a deactivated
  centre, or a centre where the clinician does not work offers none (rule CE1),
  and neither does a day before the clinician's today or after the booking
  horizon. :func:`centre_free_slots` answers every clinician of a centre with
  one ``free_slots_of`` call (its three queries) plus one for the clinicians.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from core.errors import DomainError, ErrorCode
from core.types import Id
from partners.errors import PartnerErrorCode
from partners.models import Centre, OnboardingStatus, Partner, PartnerAvailability, PartnerKind, StaffCentre
from partners.selectors import agenda

PLATFORM_ROLES = (Role.ADMIN, Role.OPS_MANAGER, Role.SUPER_ADMIN)


def centre_scope(user: User) -> frozenset[Id] | None:
    """The centres a centre manager runs, or ``None`` for someone not limited to centres."""
    if user.is_superuser or user.has_role(*PLATFORM_ROLES) or not user.has_role(Role.CENTRE_MANAGER):
        return None
    return frozenset(StaffCentre.objects.filter(user=user).values_list("centre_id", flat=True))


def sees_inactive_centres(user: User) -> bool:
    return user.is_staff_member


def centres_for(user: User, *, city: str | None = None) -> QuerySet[Centre]:
    """Centres by name, optionally in one city (case-insensitive); inactive ones for staff only."""
    rows = Centre.objects.all().order_by("name", "pk")
    if not sees_inactive_centres(user):
        rows = rows.filter(is_active=True)
    if city:
        rows = rows.filter(city__iexact=city.strip())
    return rows


def centre_for(user: User, centre_id: Id) -> Centre:
    centre = centres_for(user).filter(pk=centre_id).first()
    if centre is None:
        raise DomainError("Centre not found.", code=ErrorCode.NOT_FOUND, field="id")
    return centre


def public_clinicians_qs() -> QuerySet[Partner]:
    return (
        Partner.objects.filter(kind=PartnerKind.CLINICIAN, is_active=True, onboarding_status=OnboardingStatus.VERIFIED)
        .select_related("user", "primary_centre")
        .prefetch_related(
            Prefetch("centres", Centre.objects.filter(is_active=True).order_by("name"), to_attr="active_centres")
        )
    )


def public_clinicians(*, centre_id: Id | None = None, specialization: str | None = None) -> list[Partner]:
    """Active verified clinicians by name (three queries: partners with users and primary centres, centres)."""
    rows = public_clinicians_qs()
    if centre_id is not None:
        rows = rows.filter(
            Q(primary_centre_id=centre_id, primary_centre__is_active=True)
            | Q(centres__id=centre_id, centres__is_active=True)
        ).distinct()
    found = list(rows.order_by("user__full_name", "pk"))
    if specialization and specialization.strip():
        wanted = specialization.strip().casefold()
        found = [p for p in found if any(str(s).strip().casefold() == wanted for s in p.specialties)]
    return found


def public_clinician(clinician_id: Id) -> Partner:
    found = public_clinicians_qs().filter(pk=clinician_id).first()
    if found is None:
        raise DomainError("Clinician not found.", code=PartnerErrorCode.PARTNER_NOT_FOUND, field="id")
    return found


def clinician_centres(partner: Partner) -> list[Centre]:
    """The clinician's active centres, the primary one first (from the prefetch of :func:`public_clinicians_qs`)."""
    linked: list[Centre] = list(getattr(partner, "active_centres", None) or [])
    primary = partner.primary_centre
    if primary is not None and primary.is_active:
        linked = [primary, *[c for c in linked if c.pk != primary.pk]]
    return linked


def works_at(partner: Partner, centre: Centre) -> bool:
    return partner.primary_centre_id == centre.pk or partner.centres.filter(pk=centre.pk).exists()


def clinician_in_scope(user: User | None, clinician_id: Id, *, lock: bool = False) -> Partner:
    """A clinician (any state) that ``user`` may manage: a centre manager only one working at their centres
    (``None``: no scope, the clinician acting on themself)."""
    rows = Partner.objects.filter(pk=clinician_id, kind=PartnerKind.CLINICIAN).select_related("user", "primary_centre")
    if lock:
        rows = rows.select_for_update(of=("self",))
    scope = centre_scope(user) if user is not None else None
    if scope is not None:
        in_scope = Partner.objects.filter(Q(primary_centre_id__in=scope) | Q(centres__id__in=scope)).values("pk")
        rows = rows.filter(pk__in=in_scope)
    found = rows.first()
    if found is None:
        raise DomainError("Clinician not found.", code=PartnerErrorCode.PARTNER_NOT_FOUND, field="id")
    return found


def rules_of(partner: Partner) -> list[PartnerAvailability]:
    """The clinician's weekly rows, Monday first (a day switched off reads ``isAvailable: false``)."""
    return list(PartnerAvailability.objects.filter(partner=partner).order_by("day_of_week"))


# --- free slots ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DaySlot:
    start: datetime  # UTC
    available: bool


def _clinician_for_slots(clinician_id: Id) -> Partner:
    found = Partner.objects.filter(pk=clinician_id, kind=PartnerKind.CLINICIAN).select_related("user").first()
    if found is None:
        raise DomainError("Clinician not found.", code=PartnerErrorCode.PARTNER_NOT_FOUND, field="clinician_id")
    return found


def _centre_for_slots(centre_id: Id | None) -> Centre | None:
    if centre_id is None:
        return None
    found = Centre.objects.filter(pk=centre_id).first()
    if found is None:
        raise DomainError("Centre not found.", code=ErrorCode.NOT_FOUND, field="centre_id")
    return found


def _offers_slots(partner: Partner, centre: Centre | None, day: date, now: datetime) -> bool:
    """Rule CE1 and the calendar: an active verified clinician, at an active centre they work at, on a day
    from their today up to the booking horizon."""
    if not partner.is_active or partner.onboarding_status != OnboardingStatus.VERIFIED:
        return False
    if centre is not None and (not centre.is_active or not works_at(partner, centre)):
        return False
    today = now.astimezone(agenda.zone_of(partner)).date()
    return today <= day <= agenda.horizon(partner, now)


def clinician_free_slots(
    *, clinician_id: Id, centre_id: Id | None, day: date, now: datetime | None = None
) -> tuple[Partner, list[datetime]]:
    """The clinician's free slot starts (UTC) on their local ``day`` (staff ``/appointments/availability``)."""
    now = now or timezone.now()
    partner = _clinician_for_slots(clinician_id)
    centre = _centre_for_slots(centre_id)
    if not _offers_slots(partner, centre, day, now):
        return partner, []
    return partner, agenda.free_slots_of([partner], first_day=day, last_day=day, now=now)[partner.pk]


def clinician_day_slots(
    *, clinician_id: Id, centre_id: Id | None, day: date, now: datetime | None = None
) -> tuple[Partner, list[DaySlot]]:
    """Every slot the clinician's rules make on their local ``day``, each marked free or not (public list).

    A slot is available when it is one of the free slots; booked, held, blocked, past or within the lead time
    reads ``False``. Nothing about who took a slot is read.
    """
    now = now or timezone.now()
    partner = _clinician_for_slots(clinician_id)
    centre = _centre_for_slots(centre_id)
    if not _offers_slots(partner, centre, day, now):
        return partner, []
    free = set(agenda.free_slots_of([partner], first_day=day, last_day=day, now=now)[partner.pk])
    return partner, [DaySlot(start=s.astimezone(UTC), available=s in free) for s in agenda.day_grid(partner, day)]


def centre_free_slots(centre: Centre, *, day: date, now: datetime | None = None) -> dict[Id, list[datetime]]:
    """Free slot starts of every public clinician working at ``centre`` on ``day`` (four queries in all)."""
    now = now or timezone.now()
    if not centre.is_active:
        return {}
    clinicians: Iterable[Partner] = (
        Partner.objects.filter(kind=PartnerKind.CLINICIAN, is_active=True, onboarding_status=OnboardingStatus.VERIFIED)
        .filter(Q(primary_centre=centre) | Q(centres=centre))
        .distinct()
    )
    return agenda.free_slots_of(list(clinicians), first_day=day, last_day=day, now=now)
