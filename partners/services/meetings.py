"""Meeting links of online appointments (seed 003 "Video Conferencing", rules V1-V3): who, which, when.

Rules:

* V1: only an appointment (a booking with ``requested_partner``) whose
  ``session_type`` is ``online`` has a link; any other booking is ``422
  VALIDATION_ERROR`` (field ``appointment_id``, reason ``not_online``) on the
  video endpoints. A dispatched booking is not an appointment: ``404``.
* V2: the link comes from ``partners.meetings.meeting_provider()`` (offline by
  default). An online appointment gets its link when it is created
  (:func:`appointment_announce`, called at the end of ``appointment_create``);
  the offline provider makes it inside the booking's transaction. A remote
  provider (Google Calendar) is a network call, so it is made after the booking
  commits, outside the provider's row lock (``STYLE.md``: no network calls in
  long locks), and the booked notice goes out once the link is there; a Google
  failure is logged and the notice goes without a link (staff can generate one).
* V3: the link is in the booked and confirmed notices and in the reminder
  (``bookings.notify``).
* A link may be made, replaced or removed while the appointment is live
  (``pending_payment``, ``pending``, ``confirmed``); after that ``422
  INVALID_BOOKING_STATUS``. Generating again replaces the link (the old calendar
  event is deleted). A link set by hand (``PUT``) must be an ``https`` URL and is
  recorded with provider ``manual`` and no event.
* Who: the patient, the appointment's provider and staff with
  ``bookings.view_booking`` read a link; staff with ``bookings.add_booking``
  generate one; staff with ``bookings.change_booking`` replace, delete and list
  links. A centre manager (``StaffCentre``) acts only on appointments at the
  centres they run: the booking's centre, or, for an online appointment booked
  without a centre, its provider's primary centre (reading). Anyone else gets
  ``404``, as for an appointment that does not exist.
* A calendar event follows its appointment (:func:`event_follow`, after commit): moved with a reschedule,
  deleted when the appointment is cancelled or its hold expires.
* Staff changes are audited (``generate_meeting_link``, ``set_meeting_link``,
  ``delete_meeting_link``).

The reads the API needs (one visible appointment, the list of links) are here too, beside the rules they share.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from uuid import UUID

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from bookings import notify as booking_notify
from bookings.errors import BookingErrorCode
from bookings.models import Booking, BookingStatus, SessionType
from core import audit
from core.errors import DomainError, ErrorCode
from core.types import Id, is_uuid
from partners.meetings import MANUAL, MeetingLink, MeetingProvider, meeting_provider, provider_named
from partners.models import StaffCentre

logger = logging.getLogger(__name__)

LIVE = (BookingStatus.PENDING_PAYMENT, BookingStatus.PENDING, BookingStatus.CONFIRMED)
UNSCOPED_ROLES = (Role.SUPER_ADMIN, Role.ADMIN, Role.OPS_MANAGER)


# --- reads -------------------------------------------------------------------------------------


def _not_found() -> DomainError:
    return DomainError("Appointment not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="appointment_id")


def centre_scope(user: User) -> list[UUID] | None:
    """The centres a centre manager runs; ``None`` for everyone else (not scoped by centre)."""
    if user.is_superuser or not user.has_role(Role.CENTRE_MANAGER) or user.has_role(*UNSCOPED_ROLES):
        return None
    return list(StaffCentre.objects.filter(user=user).values_list("centre_id", flat=True))


def _in_scope(booking: Booking, centres: list[UUID] | None) -> bool:
    if centres is None:
        return True
    centre_id = booking.centre_id
    if centre_id is None and booking.requested_partner is not None:
        centre_id = booking.requested_partner.primary_centre_id
    return centre_id in centres


def appointment_for(user: User, booking_id: Id, *, perm: str) -> Booking:
    """The appointment ``booking_id`` as ``user`` may act on it: the patient and the provider read it, staff
    with ``perm`` (scoped for a centre manager). Anyone else, and a booking that is not an appointment: 404."""
    if not is_uuid(str(booking_id)):
        raise _not_found()
    booking = (
        Booking.objects.select_related("requested_partner__user")
        .filter(pk=booking_id, requested_partner__isnull=False)
        .first()
    )
    if booking is None:
        raise _not_found()
    reading = perm == "bookings.view_booking"
    assert booking.requested_partner is not None
    if reading and user.pk in (booking.user_id, booking.requested_partner.user_id):
        return booking
    if user.has_perm(perm) and _in_scope(booking, centre_scope(user)):
        return booking
    raise _not_found()


def online_only(booking: Booking) -> None:
    if booking.session_type != SessionType.ONLINE:
        raise DomainError(
            "Only an online appointment has a meeting link.",
            code=ErrorCode.VALIDATION_ERROR,
            field="appointment_id",
            reason="not_online",
            context={"session_type": booking.session_type},
        )


def meeting_links(
    *, user: User, start_date: date | None = None, end_date: date | None = None, provider: str = ""
) -> QuerySet[Booking]:
    """Appointments with a link, by appointment date (the provider's local ``booking_date``), newest first.

    ``start_date``/``endDate`` bound the appointment's date (both included), not the link's creation: staff ask
    "the video sessions of March". One query for the page (no relation is rendered) and one count.
    """
    rows = Booking.objects.filter(requested_partner__isnull=False).exclude(meeting_link="")
    if start_date:
        rows = rows.filter(booking_date__gte=start_date)
    if end_date:
        rows = rows.filter(booking_date__lte=end_date)
    if provider:
        rows = rows.filter(meeting_provider=provider)
    centres = centre_scope(user)
    if centres is not None:
        rows = rows.filter(
            Q(centre__in=centres) | Q(centre__isnull=True, requested_partner__primary_centre__in=centres)
        )
    return rows.only(
        "id",
        "booking_number",
        "scheduled_start",
        "meeting_link",
        "meeting_provider",
        "meeting_event_id",
        "meeting_created_at",
    ).order_by("-scheduled_start", "id")


# --- writes ------------------------------------------------------------------------------------


def summary_of(booking: Booking) -> str:
    provider = booking.requested_partner
    name = (provider.business_name or provider.user.full_name) if provider is not None else ""
    return f"Consultation with {name}" if name else f"Appointment {booking.booking_number}"


def _attach(booking: Booking, link: MeetingLink) -> None:
    booking.meeting_link = link.url
    booking.meeting_event_id = link.event_id
    booking.meeting_provider = link.provider
    booking.meeting_created_at = timezone.now()
    booking.save(
        update_fields=["meeting_link", "meeting_event_id", "meeting_provider", "meeting_created_at", "updated_at"]
    )


def _drop_event(booking: Booking) -> None:
    """Delete the calendar event of the booking's current link, if a provider made one (best effort)."""
    maker = provider_named(booking.meeting_provider)
    if maker is None or not booking.meeting_event_id:
        return
    try:
        maker.delete(booking, event_id=booking.meeting_event_id)
    except Exception:  # the event is the provider's copy: a failure must not keep the link from changing
        logger.exception("could not delete meeting event %s of booking %s", booking.meeting_event_id, booking.pk)


def appointment_announce(booking: Booking) -> None:
    """A new appointment: its meeting link when online (V2), then the customer's booked notice (inside the
    creating transaction; a remote provider's link and the notice come after commit)."""
    if booking.session_type != SessionType.ONLINE:
        booking_notify.appointment_booked(booking)
        return
    maker = meeting_provider()
    if not maker.remote:
        _attach(booking, _link_for(booking, maker))
        booking_notify.appointment_booked(booking)
        return
    booking_id = booking.pk
    transaction.on_commit(lambda: _remote_link_then_notice(booking_id))


def _link_for(booking: Booking, maker: MeetingProvider) -> MeetingLink:
    return maker.create(booking, summary=summary_of(booking), start=booking.scheduled_start, end=booking.scheduled_end)


def _remote_link_then_notice(booking_id: UUID) -> None:
    booking = Booking.objects.select_related("requested_partner__user", "user").get(pk=booking_id)
    link = None
    try:
        link = _link_for(booking, meeting_provider())
    except Exception:
        logger.exception("could not create the meeting link of booking %s", booking_id)
    with transaction.atomic():
        if link is not None:
            _attach(booking, link)
        booking_notify.appointment_booked(booking)


def _live(booking: Booking) -> None:
    if booking.status not in LIVE:
        raise DomainError(
            "This appointment is no longer live.",
            code=BookingErrorCode.INVALID_BOOKING_STATUS,
            field="appointment_id",
            context={"status": booking.status},
        )


def meeting_generate(
    *,
    booking_id: Id,
    actor: User,
    summary: str = "",
    start: datetime | None = None,
    end: datetime | None = None,
) -> Booking:
    """Make (or replace) the link of a live online appointment; ``start``/``end`` are the calendar event's
    times (the appointment's by default), ``summary`` its title."""
    booking = appointment_for(actor, booking_id, perm="bookings.add_booking")
    online_only(booking)
    _live(booking)
    start = start or booking.scheduled_start
    end = end or (booking.scheduled_end if start == booking.scheduled_start else None)
    if end is None or end <= start:
        raise DomainError("endTime must be after startTime.", code=ErrorCode.VALIDATION_ERROR, field="end_time")
    link = meeting_provider().create(booking, summary=summary or summary_of(booking), start=start, end=end)
    with transaction.atomic():
        locked = (
            Booking.objects.select_for_update(of=("self",)).select_related("requested_partner__user").get(pk=booking.pk)
        )
        _live(locked)
        _drop_event(locked)
        _attach(locked, link)
        audit.record(
            action="generate_meeting_link",
            resource_type="booking",
            resource_id=locked.pk,
            changes={"meeting_link": link.url, "meeting_provider": link.provider},
            actor=actor,
        )
    return locked


def meeting_set(*, booking_id: Id, actor: User, url: str) -> Booking:
    """Staff put a link by hand (another tool's meeting): provider ``manual``, no event."""
    booking = appointment_for(actor, booking_id, perm="bookings.change_booking")
    online_only(booking)
    with transaction.atomic():
        locked = (
            Booking.objects.select_for_update(of=("self",)).select_related("requested_partner__user").get(pk=booking.pk)
        )
        _live(locked)
        before = locked.meeting_link
        _drop_event(locked)
        _attach(locked, MeetingLink(url=url, event_id="", provider=MANUAL))
        audit.record(
            action="set_meeting_link",
            resource_type="booking",
            resource_id=locked.pk,
            changes={"meeting_link": {"old": before, "new": url}},
            actor=actor,
        )
    return locked


def meeting_delete(*, booking_id: Id, actor: User) -> Booking:
    """Remove the link (and its calendar event); removing a link that is not there changes nothing."""
    booking = appointment_for(actor, booking_id, perm="bookings.change_booking")
    online_only(booking)
    with transaction.atomic():
        locked = (
            Booking.objects.select_for_update(of=("self",)).select_related("requested_partner__user").get(pk=booking.pk)
        )
        if not locked.meeting_link:
            return locked
        before = locked.meeting_link
        _drop_event(locked)
        locked.meeting_link, locked.meeting_event_id, locked.meeting_provider = "", "", ""
        locked.meeting_created_at = None
        locked.save(
            update_fields=["meeting_link", "meeting_event_id", "meeting_provider", "meeting_created_at", "updated_at"]
        )
        audit.record(
            action="delete_meeting_link",
            resource_type="booking",
            resource_id=locked.pk,
            changes={"meeting_link": {"old": before, "new": ""}},
            actor=actor,
        )
    return locked


def event_follow_on_commit(booking_id: Id) -> None:
    """After the surrounding change commits, bring the appointment's calendar event in line (moved or gone)."""
    transaction.on_commit(lambda: event_follow(booking_id))


def event_follow(booking_id: Id) -> None:
    """A moved live appointment moves its calendar event; a closed one deletes it (the link stays on record).
    Only a provider that made an event (Google Calendar) has anything to do; best effort, logged on failure."""
    booking = Booking.objects.select_related("requested_partner__user").filter(pk=booking_id).first()
    maker = provider_named(booking.meeting_provider) if booking is not None else None
    if booking is None or maker is None or not booking.meeting_event_id:
        return
    try:
        if booking.status in LIVE:
            maker.update(
                booking,
                event_id=booking.meeting_event_id,
                summary=summary_of(booking),
                start=booking.scheduled_start,
                end=booking.scheduled_end,
            )
        else:
            maker.delete(booking, event_id=booking.meeting_event_id)
    except Exception:  # the event is the provider's copy of our record: never undo the change for it
        logger.exception("could not bring meeting event %s of booking %s in line", booking.meeting_event_id, booking_id)
