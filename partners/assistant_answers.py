"""The chat assistant's answers (``partners.assistant`` matches the intent and checks who asks).

Each answer takes the :class:`Asker` and returns a :class:`Reply`: the text the person reads (booking numbers,
services, dates in the platform's time zone, statuses) and the same facts as data. Customers' answers read
through ``bookings.selectors.bookings_of`` and ``bookings.signature_selectors.signatures_for``; partners'
through ``partners.selectors.partner_jobs`` and ``earnings_of``/``earnings_totals``; disputes from the
``Dispute`` rows of the person (as customer, or as the partner on the job). At most :data:`LIMIT` rows each, so
the queries of an answer do not grow with the person's history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch
from django.utils import timezone

from accounts.models import User
from bookings import policy
from bookings.models import (
    Booking,
    BookingService,
    BookingSignature,
    BookingStatus,
    Dispute,
    DisputeStatus,
    SignatureStatus,
)
from bookings.models.disputes import ACTIVE_DISPUTE_STATUSES
from bookings.selectors import bookings_of
from bookings.signature_selectors import signatures_for
from partners import selectors
from partners.models import KNOWN_TO_PARTNER, AssignmentStatus, Partner, PartnerAssignment

CUSTOMER, PARTNER, STAFF = "customer", "partner", "staff"
LIMIT = 5
UPCOMING = (BookingStatus.PENDING, BookingStatus.PARTNER_ASSIGNED, BookingStatus.CONFIRMED, BookingStatus.IN_PROGRESS)
WORKING = (AssignmentStatus.ACCEPTED, AssignmentStatus.IN_TRANSIT, AssignmentStatus.ARRIVED)


@dataclass(frozen=True)
class Asker:
    user: User
    role: str  # as asked: customer, vendor, ops_manager...
    kind: str  # CUSTOMER, PARTNER or STAFF: which answers
    partner: Partner | None = None

    @property
    def partner_id(self) -> Any:
        assert self.partner is not None  # asker_for sets it for every PARTNER
        return self.partner.pk


@dataclass(frozen=True)
class Reply:
    text: str
    data: dict[str, Any]


def _when(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _iso(moment: datetime) -> str:
    """As the API writes times: ISO 8601 in the platform's time zone."""
    return timezone.localtime(moment).isoformat()


def _services(booking: Booking) -> list[str]:
    return [item.name for item in booking.items.all()]


def booking_row(booking: Booking) -> dict[str, Any]:
    return {
        "id": str(booking.pk),
        "booking_number": booking.booking_number,
        "services": _services(booking),
        "status": booking.status,
        "status_label": BookingStatus(booking.status).label,
        "scheduled_start": _iso(booking.scheduled_start),
    }


def job_row(job: PartnerAssignment) -> dict[str, Any]:
    return {
        **booking_row(job.booking),
        "job_status": job.status,
        "job_status_label": AssignmentStatus(job.status).label,
    }


def _line(row: dict[str, Any], status: str) -> str:
    services = ", ".join(row["services"]) or "Booking"
    when = _when(datetime.fromisoformat(row["scheduled_start"]))
    return f"• {services} - {status}\n  Scheduled for: {when}\n  Booking: {row['booking_number']}"


def _bookings_reply(title: str, empty: str, rows: list[Booking]) -> Reply:
    data = [booking_row(b) for b in rows]
    if not data:
        return Reply(empty, {"bookings": []})
    return Reply(title + "\n\n" + "\n\n".join(_line(r, r["status_label"]) for r in data), {"bookings": data})


def _jobs_reply(title: str, empty: str, rows: list[PartnerAssignment]) -> Reply:
    data = [job_row(j) for j in rows]
    if not data:
        return Reply(empty, {"jobs": []})
    return Reply(title + "\n\n" + "\n\n".join(_line(r, r["job_status_label"]) for r in data), {"jobs": data})


# --- bookings and jobs ------------------------------------------------------------------------


def customer_bookings(asker: Asker) -> Reply:
    rows = list(bookings_of(asker.user)[:LIMIT])
    return _bookings_reply("Here are your recent bookings:", "You have no bookings yet.", rows)


def customer_next(asker: Asker) -> Reply:
    rows = list(
        bookings_of(asker.user)
        .filter(status__in=UPCOMING, scheduled_start__gte=timezone.now())
        .order_by("scheduled_start")[:1]
    )
    return _bookings_reply("Your next booking:", "You have no upcoming booking.", rows)


def customer_today(asker: Asker) -> Reply:
    today = timezone.localdate()
    rows = list(bookings_of(asker.user, start_date=today, end_date=today).order_by("scheduled_start")[:LIMIT])
    return _bookings_reply("Your bookings today:", "You have no booking today.", rows)


def customer_cancel_help(asker: Asker) -> Reply:
    rows = list(
        bookings_of(asker.user)
        .filter(status__in=policy.OPEN, scheduled_start__gte=timezone.now())
        .order_by("scheduled_start")[:LIMIT]
    )
    data = [{**booking_row(b), "free_cancellation_until": _iso(policy.deadline_of(b))} for b in rows]
    text = (
        "To cancel, open the booking and choose Cancel. Cancelling is free until the time shown; "
        "after it a fee may be kept, and an appointment can no longer be cancelled by you."
    )
    if data:
        lines = [
            f"• {', '.join(r['services']) or 'Booking'} on {_when(datetime.fromisoformat(r['scheduled_start']))}"
            f" ({r['booking_number']}): free until {_when(datetime.fromisoformat(r['free_cancellation_until']))}"
            for r in data
        ]
        text += "\n\nBookings you can still cancel:\n" + "\n".join(lines)
    else:
        text += "\n\nYou have no booking that can still be cancelled."
    return Reply(text, {"bookings": data})


def _jobs(asker: Asker) -> Any:
    return selectors.partner_jobs(asker.partner_id, taken_only=True)


def partner_jobs(asker: Asker) -> Reply:
    return _jobs_reply("Here are your recent jobs:", "You have no jobs yet.", list(_jobs(asker)[:LIMIT]))


def partner_pending(asker: Asker) -> Reply:
    rows = _jobs(asker).filter(status__in=KNOWN_TO_PARTNER).order_by("booking__scheduled_start")
    total = rows.count()
    title = f"You have {total} pending job{'s' if total != 1 else ''}:"
    if total > LIMIT:
        title += f" (the first {LIMIT})"
    return _jobs_reply(title, "You have no pending jobs.", list(rows[:LIMIT]))


def partner_today(asker: Asker) -> Reply:
    rows = selectors.partner_jobs(asker.partner_id, day=timezone.localdate(), taken_only=True)
    rows = rows.order_by("booking__scheduled_start")[:LIMIT]
    return _jobs_reply("Your jobs today:", "You have no jobs today.", list(rows))


def partner_next(asker: Asker) -> Reply:
    rows = _jobs(asker).filter(status__in=WORKING, booking__scheduled_start__gte=timezone.now())
    return _jobs_reply(
        "Your next job:", "You have no upcoming job.", list(rows.order_by("booking__scheduled_start")[:1])
    )


def partner_cancel_help(asker: Asker) -> Reply:
    text = (
        "To turn down a job offer, reject it in the app before it expires; it goes to another partner. "
        "A job you accepted can no longer be rejected: ask support to reassign it."
    )
    return Reply(text, {})


def partner_earnings(asker: Asker) -> Reply:
    totals = selectors.earnings_totals(selectors.earnings_of(asker.partner_id))
    text = (
        f"Your earnings: ₹{totals['total_earnings']} in total; ₹{totals['pending']} still to be paid, "
        f"₹{totals['paid']} paid out, ₹{totals['on_hold']} on hold (a sign-off or dispute pending)."
    )
    return Reply(text, {"earnings": {name: float(value) for name, value in totals.items()}})


def staff_today(asker: Asker) -> Reply:
    counts = dict(
        Booking.objects.filter(booking_date=timezone.localdate())
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    total = sum(counts.values())
    parts = ", ".join(f"{n} {BookingStatus(s).label.lower()}" for s, n in sorted(counts.items()))
    return Reply(f"{total} bookings today{': ' + parts if parts else ''}.", {"bookings_by_status": counts})


# --- sign-offs --------------------------------------------------------------------------------


def _signature_rows(rows: Any) -> list[dict[str, Any]]:
    rows = rows.prefetch_related(Prefetch("booking__items", queryset=BookingService.objects.order_by("created_at")))
    return [
        {
            "id": str(s.pk),
            "booking_id": str(s.booking_id),
            "booking_number": s.booking.booking_number,
            "services": _services(s.booking),
            "requested_at": _iso(s.requested_at),
            "expires_at": _iso(s.expires_at),
        }
        for s in rows[:LIMIT]
    ]


def _signatures_reply(data: list[dict[str, Any]], title: str, empty: str) -> Reply:
    if not data:
        return Reply(empty, {"signatures": []})
    lines = [
        f"• {', '.join(r['services']) or 'Booking'} ({r['booking_number']})\n"
        f"  Sign before: {_when(datetime.fromisoformat(r['expires_at']))}"
        for r in data
    ]
    return Reply(title + "\n\n" + "\n\n".join(lines), {"signatures": data})


def _pending(rows: Any) -> Any:
    return rows.filter(status=SignatureStatus.PENDING, expires_at__gt=timezone.now()).order_by("expires_at")


def customer_signatures(asker: Asker) -> Reply:
    data = _signature_rows(_pending(signatures_for(asker.user).filter(booking__user=asker.user)))
    title = f"{len(data)} completed service{'s' if len(data) != 1 else ''} waiting for your sign-off:"
    return _signatures_reply(data, title, "No service is waiting for your sign-off.")


def partner_signatures(asker: Asker) -> Reply:
    data = _signature_rows(_pending(BookingSignature.objects.select_related("booking").filter(requested_by=asker.user)))
    title = f"{len(data)} sign-off{'s' if len(data) != 1 else ''} you asked for, not signed yet:"
    return _signatures_reply(data, title, "No sign-off you asked for is waiting.")


# --- disputes ---------------------------------------------------------------------------------


def _disputes_reply(rows: Any, empty: str) -> Reply:
    data = [
        {
            "id": str(d.pk),
            "booking_number": d.booking.booking_number,
            "title": d.title,
            "dispute_type": d.dispute_type,
            "status": d.status,
            "status_label": DisputeStatus(d.status).label,
            "created_at": _iso(d.created_at),
            "resolution_type": d.resolution_type,
        }
        for d in rows.select_related("booking").order_by("-created_at")[:LIMIT]
    ]
    if not data:
        return Reply(empty, {"disputes": []})
    lines = [f"• {r['title']} ({r['booking_number']}) - {r['status_label']}" for r in data]
    return Reply("Your disputes:\n\n" + "\n".join(lines), {"disputes": data})


def customer_disputes(asker: Asker) -> Reply:
    return _disputes_reply(Dispute.objects.filter(customer=asker.user), "You have no disputes.")


def partner_disputes(asker: Asker) -> Reply:
    return _disputes_reply(Dispute.objects.filter(vendor_id=asker.partner_id), "No dispute concerns your jobs.")


def staff_disputes(asker: Asker) -> Reply:
    found = dict(
        Dispute.objects.filter(status__in=ACTIVE_DISPUTE_STATUSES)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    counts = {str(s): found.get(s, 0) for s in ACTIVE_DISPUTE_STATUSES}
    parts = ", ".join(f"{n} {DisputeStatus(s).label.lower()}" for s, n in counts.items())
    return Reply(f"{sum(counts.values())} active disputes: {parts}.", {"disputes_by_status": counts})


# --- context ----------------------------------------------------------------------------------


def _activity(kind: str, row: dict[str, Any], status: str) -> dict[str, Any]:
    return {
        "type": kind,
        "id": row["id"],
        "booking_number": row["booking_number"],
        "service": ", ".join(row["services"]),
        "status": status,
        "date": row["scheduled_start"],
    }


def recent_activities(asker: Asker) -> list[dict[str, Any]]:
    """The person's latest bookings (customer) or jobs (partner), or the newest active disputes (staff who read
    bookings); at most :data:`LIMIT`."""
    if asker.kind == CUSTOMER:
        return [
            _activity("booking", booking_row(b), BookingStatus(b.status).label) for b in bookings_of(asker.user)[:LIMIT]
        ]
    if asker.kind == PARTNER:
        return [_activity("job", job_row(j), AssignmentStatus(j.status).label) for j in _jobs(asker)[:LIMIT]]
    if not asker.user.has_perm("bookings.view_booking"):
        return []
    rows = Dispute.objects.filter(status__in=ACTIVE_DISPUTE_STATUSES).select_related("booking").order_by("-created_at")
    return [
        {
            "type": "dispute",
            "id": str(d.pk),
            "booking_number": d.booking.booking_number,
            "service": d.title,
            "status": DisputeStatus(d.status).label,
            "date": _iso(d.created_at),
        }
        for d in rows[:LIMIT]
    ]
