"""What bookings needs from the app that provides partners, as one typed port (DESIGN.md section 1).

``partners`` imports ``bookings``, never the reverse; so bookings declares
:class:`PartnerPort`, the one interface it talks to, and the partners app
registers its implementation in ``PartnersConfig.ready()``
(``partners.port.BookingPartners``), in the shape of ``payments.registry``.
"Go to implementation" on any method below leads to the partners side.

Events (called inside the booking's transaction, after the change is saved;
an implementation that starts work elsewhere does it on commit):

* :meth:`PartnerPort.hold_capacity`: checkout confirm wrote a booking; keep a
  partner's time for it now, or answer ``False`` (nobody can take it: confirm
  rolls back and answers 409 ``SLOT_UNAVAILABLE``). ``plan`` is what
  :meth:`PartnerPort.hold_plan` answered before the transaction (who to try first).
* :meth:`PartnerPort.assignment_requested`: a cash booking was confirmed or
  an online booking was paid; it needs a partner.
* :meth:`PartnerPort.booking_rescheduled`: the slot moved; a partner already
  on it is asked again or replaced.
* :meth:`PartnerPort.booking_cancelled`: the booking will not happen.
* :meth:`PartnerPort.appointment_move`: an appointment moves on its provider's agenda (the partners side
  checks the provider's free slots and moves the held time; not inside a booking transaction).
* :meth:`PartnerPort.review_changed`: a review of a partner was written, edited, hidden, restored or deleted
  (the partner's rating total, count and average move by the difference, in one ``UPDATE``).
* :meth:`PartnerPort.appointment_book`: seed 004's ``POST /bookings``: a customer books a chosen
  specialist's service at an instant (the partners side checks the slot, the price and the length and
  writes the booking with its provider's held time; not inside a booking transaction).

Questions: who else may read a booking (the partner on it), how booking
outputs show their partner (``with_partner`` adds one prefetch to a list
query, ``partner_of`` reads it), who works a booking (for reminders), and
which slots a partner can take (``filter_slots``, applied to the slots
checkout offers and accepts), and dynamic pricing's multiplier for a cart at
a pincode on a day (``surge_quote``, asked by checkout prepare).

Without a registered port (bookings on its own, as in some tests) nothing
reacts, nobody else reads, no booking shows a partner and every slot stands.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

# What hold_capacity sets on the booking it is given (seed 002 SC3: the length, the partner's buffers, the trip to
# it) without writing them: checkout confirm stores them with the booking's number, in one UPDATE.
HOLD_ESTIMATES = (
    "estimated_duration_minutes",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "travel_time_to_minutes",
)


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


class PartnerPort(ABC):
    """Everything bookings asks of the partners side."""

    @abstractmethod
    def hold_plan(self, *, request: SlotRequest, start: datetime, end: datetime) -> list[Any]:
        """Who to try first for a hold of ``start``-``end``, best first (a read, before the confirm transaction)."""

    @abstractmethod
    def hold_capacity(self, *, booking: Any, plan: list[Any] | None = None, events: list[Any] | None = None) -> bool:
        """Hold the best eligible partner's time for the new booking (issue #23); ``False`` when nobody is free.
        Sets :data:`HOLD_ESTIMATES` on ``booking`` (the caller stores them). ``events``: the booking's timeline
        rows the caller writes next; the hold adds its own there instead of an ``INSERT`` of its own."""

    @abstractmethod
    def assignment_requested(self, *, booking_id: Any) -> None:
        """The booking needs a partner (cash confirmed, or online paid)."""

    @abstractmethod
    def booking_rescheduled(self, *, booking_id: Any, old_start: datetime) -> None:
        """The booking moved to another slot."""

    @abstractmethod
    def appointment_move(self, *, booking_id: Any, start: datetime, actor: Any, reason: str) -> None:
        """Move an appointment (a chosen provider) to ``start`` on its provider's agenda, or refuse (409)."""

    @abstractmethod
    def appointment_book(
        self,
        *,
        customer: Any,
        provider_id: Any,
        service_id: Any,
        start: datetime,
        duration_minutes: int | None,
        notes: str,
        total_amount: Decimal | None = None,
    ) -> Any:
        """Book ``provider_id``'s service at ``start`` for ``customer`` (an online hold); returns the Booking.

        409 ``BOOKING_CONFLICT`` when the time is not free, 422 on another length (field ``duration``) or a
        client ``total_amount`` that is not the service's price (``INVALID_PAYMENT_AMOUNT``)."""

    @abstractmethod
    def booking_cancelled(self, *, booking_id: Any, by: str) -> None:
        """The booking will not happen (``by``: customer, partner, system or admin)."""

    @abstractmethod
    def review_changed(self, *, partner_id: Any, old_rating: int | None, new_rating: int | None) -> None:
        """A review of ``partner_id`` changed: ``old_rating`` None = a new review, ``new_rating`` None = gone."""

    @abstractmethod
    def earning_hold(self, *, booking_id: Any, reason: str) -> None:
        """Hold the partner's earning on the booking (``reason``: ``signature_pending``, later ``dispute``): payouts
        skip it. An earning already in a payout or paid is left alone."""

    @abstractmethod
    def earning_release(self, *, booking_id: Any, reason: str) -> None:
        """Lift the hold ``reason`` put on the booking's earning (payable again when it was the one holding it)."""

    @abstractmethod
    def earning_share_refund(self, *, booking_id: Any, refund_amount: Any, grand_total: Any, memo: str) -> dict:
        """A dispute refunded ``refund_amount`` of a completed booking: reduce the partner's earning by their part
        (``partners.services.earning_disputes``); the answer says how the refund was shared."""

    @abstractmethod
    def worker_of(self, booking: Any) -> tuple[Any, Any] | None:
        """``(partner id, partner's user)`` of who accepted or completed the booking's job, ``None`` if nobody."""

    @abstractmethod
    def may_read(self, user: Any, booking: Any) -> bool:
        """Whether ``user`` (not the customer, not staff) may read the booking: its partner."""

    @abstractmethod
    def with_partner(self, queryset: QuerySet) -> QuerySet:
        """The bookings with what :meth:`partner_of` reads, prefetched (a fixed number of queries per list)."""

    @abstractmethod
    def partner_of(self, booking: Any) -> dict | None:
        """How a booking output shows its partner (``None`` while it has none)."""

    @abstractmethod
    def partner_sql(self, booking_id: str) -> str:
        """For a list read in one hand-written statement (``bookings.list_rows``): a subquery to join ``LATERAL``
        answering at most one row, the columns :meth:`partner_of_row` reads for the booking whose id is the SQL
        ``booking_id`` (with no live partner: no row, so the joined columns are ``NULL``)."""

    @abstractmethod
    def partner_of_row(self, values: tuple) -> dict | None:
        """:meth:`partner_of` from the columns of :meth:`partner_sql`."""

    @abstractmethod
    def assigned_users(self, booking: Any) -> list:
        """The people working the booking (for reminders)."""

    @abstractmethod
    def filter_slots(self, day: date, candidates: list[time], request: SlotRequest) -> list[time]:
        """The candidate slots that some partner can take for ``request``."""

    @abstractmethod
    def surge_quote(self, *, service_ids: list[str], pincode: str, day: date) -> tuple[Decimal, dict]:
        """Dynamic pricing's multiplier for these services at ``pincode`` on ``day`` (checkout prepare) and what
        it was made of (demand level, factors); ``(1.00, {})`` when dynamic pricing is off."""


class NoPartners(PartnerPort):
    """The port when no app provides partners: nothing reacts and every slot stands."""

    def hold_plan(self, *, request: SlotRequest, start: datetime, end: datetime) -> list[Any]:
        return []

    def hold_capacity(self, *, booking: Any, plan: list[Any] | None = None, events: list[Any] | None = None) -> bool:
        return True  # no partners to hold: every slot stands

    def assignment_requested(self, *, booking_id: Any) -> None:
        return None

    def booking_rescheduled(self, *, booking_id: Any, old_start: datetime) -> None:
        return None

    def booking_cancelled(self, *, booking_id: Any, by: str) -> None:
        return None

    def appointment_move(self, *, booking_id: Any, start: datetime, actor: Any, reason: str) -> None:
        raise NotImplementedError("Appointments need the app that provides partners.")

    def appointment_book(
        self,
        *,
        customer: Any,
        provider_id: Any,
        service_id: Any,
        start: datetime,
        duration_minutes: int | None,
        notes: str,
        total_amount: Decimal | None = None,
    ) -> Any:
        raise NotImplementedError("Appointments need the app that provides partners.")

    def review_changed(self, *, partner_id: Any, old_rating: int | None, new_rating: int | None) -> None:
        return None

    def earning_hold(self, *, booking_id: Any, reason: str) -> None:
        return None

    def earning_release(self, *, booking_id: Any, reason: str) -> None:
        return None

    def earning_share_refund(self, *, booking_id: Any, refund_amount: Any, grand_total: Any, memo: str) -> dict:
        return {"outcome": "no_earning"}

    def worker_of(self, booking: Any) -> tuple[Any, Any] | None:
        return None

    def may_read(self, user: Any, booking: Any) -> bool:
        return False

    def with_partner(self, queryset: QuerySet) -> QuerySet:
        return queryset

    def partner_of(self, booking: Any) -> dict | None:
        return None

    def partner_sql(self, booking_id: str) -> str:
        return "SELECT NULL WHERE FALSE"

    def partner_of_row(self, values: tuple) -> dict | None:
        return None

    def assigned_users(self, booking: Any) -> list:
        return []

    def filter_slots(self, day: date, candidates: list[time], request: SlotRequest) -> list[time]:
        return candidates

    def surge_quote(self, *, service_ids: list[str], pincode: str, day: date) -> tuple[Decimal, dict]:
        return Decimal("1.00"), {}


_port: PartnerPort = NoPartners()


def register(port: PartnerPort) -> None:
    global _port
    _port = port


def unregister() -> None:
    register(NoPartners())


def partners() -> PartnerPort:
    """The registered partners side (``NoPartners`` when none is)."""
    return _port


# Shorthands for the questions, used by views, selectors and serializers.


def may_read(user, booking) -> bool:
    """The customer who booked, staff holding ``bookings.view_booking`` whose roles reach the booking
    (``bookings.staff_scope``: a clinic role only its appointments), or whoever the partners side allows."""
    from bookings.staff_scope import staff_reaches  # lazily: it imports models, hooks may load first

    if booking.user_id == user.pk:
        return True
    if user.has_perm("bookings.view_booking") and staff_reaches(user, booking.pk):
        return True
    return _port.may_read(user, booking)


def with_partner(queryset: QuerySet) -> QuerySet:
    return _port.with_partner(queryset)


def partner_of(booking) -> dict | None:
    return _port.partner_of(booking)


def assigned_users(booking) -> list:
    return list(_port.assigned_users(booking))


def filter_slots(day: date, candidates: list[time], request: SlotRequest | None) -> list[time]:
    return candidates if request is None else _port.filter_slots(day, candidates, request)
