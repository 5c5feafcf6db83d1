"""What bookings tells the apps built on it, without importing them (DESIGN.md section 1: partners imports bookings).

Signals (sent after the change is saved, inside its transaction; receivers
that start work elsewhere use ``transaction.on_commit``):

* ``assignment_requested(booking_id)``: a cash booking was confirmed or an
  online booking was paid; it needs a partner.
* ``booking_rescheduled(booking_id, old_start)``: the slot moved; a partner
  already on it is asked again or replaced.
* ``booking_cancelled(booking_id, by)``: the booking will not happen.
* ``booking_rated(booking_id, rating)``: the customer rated a completed job.

Readers: a function ``(user, booking) -> bool`` registered by an app that
knows who else may read a booking (the partner assigned to it); the booking
WebSocket and partner views use :func:`may_read`.

Partner source: how booking outputs show their partner without importing
partners: ``with_partner(queryset)`` adds a prefetch (one more query per list,
whatever its length) and ``partner_of(booking)`` reads it.

Slot filters: a function ``(day, candidates, request) -> kept`` registered by
an app that knows who can take a slot (the partners engine), applied to the
slots checkout offers and accepts. ``request`` is a :class:`SlotRequest`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time

from django.dispatch import Signal

assignment_requested = Signal()
booking_rescheduled = Signal()
booking_cancelled = Signal()
booking_rated = Signal()


@dataclass(frozen=True)
class SlotRequest:
    """What a slot must fit: the services' categories and tiers, the length, and where (when known)."""

    category_ids: frozenset[int]
    tiers: frozenset[str]
    duration_minutes: int
    lat: float | None = None
    lng: float | None = None
    pincode: str = ""
    exclude_booking_id: str | None = None
    extra: dict = field(default_factory=dict)


SlotFilter = Callable[[date, list[time], SlotRequest], list[time]]
_slot_filters: list[SlotFilter] = []


def register_slot_filter(function: SlotFilter) -> None:
    if function not in _slot_filters:
        _slot_filters.append(function)


def filter_slots(day: date, candidates: list[time], request: SlotRequest | None) -> list[time]:
    if request is None:
        return candidates
    for function in _slot_filters:
        candidates = function(day, candidates, request)
    return candidates


Reader = Callable[[object, object], bool]
_readers: list[Reader] = []


def register_reader(function: Reader) -> None:
    if function not in _readers:
        _readers.append(function)


def may_read(user, booking) -> bool:
    """The customer who booked, staff holding ``bookings.view_booking``, or whoever a registered reader allows."""
    if booking.user_id == user.pk or user.has_perm("bookings.view_booking"):
        return True
    return any(function(user, booking) for function in _readers)


@dataclass
class PartnerSource:
    prefetch: Callable  # (QuerySet[Booking]) -> QuerySet[Booking]
    summary: Callable  # (Booking) -> dict | None


_partner_source: list[PartnerSource] = []


def register_partner_source(source: PartnerSource) -> None:
    _partner_source[:] = [source]


def with_partner(queryset):
    return _partner_source[0].prefetch(queryset) if _partner_source else queryset


def partner_of(booking) -> dict | None:
    return _partner_source[0].summary(booking) if _partner_source else None


# Who works a booking (the partner who accepted it), for reminders; filled in by the partners app.
_assigned_users: list = []


def register_assigned_users(finder) -> None:
    _assigned_users[:] = [finder]


def assigned_users(booking) -> list:
    return list(_assigned_users[0](booking)) if _assigned_users else []
