"""What the scheduling tests share: a partner's day, jobs put where and when a test needs them, the endpoints."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from partners.models import AssignmentStatus, Partner, PartnerAvailability
from tests.conftest import client_for, make_user
from tests.factories import BookingFactory, PartnerAssignmentFactory, next_weekday_at
from tests.partners import helpers as h


def the_day() -> date:
    return next_weekday_at(days_ahead=2).date()


def at(clock: str, day: date | None = None) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return datetime.combine(day or the_day(), time(hour, minute), tzinfo=timezone.get_current_timezone())


def vendor(*, buffer: int = 0, base: str = "", **fields) -> Partner:
    partner = h.partner(**fields)
    PartnerAvailability.objects.filter(partner=partner).update(preferred_buffer_minutes=buffer, primary_pincode=base)
    return partner


def job(partner: Partner, clock: str, pincode: str, *, status: str = AssignmentStatus.ACCEPTED, day=None):
    """A 60-minute job of ``partner`` at ``clock`` on the test day, at ``pincode`` (busy until it ends: the global
    travel buffer is not what these tests are about)."""
    booking = BookingFactory(start=at(clock, day), pincode=pincode)
    return PartnerAssignmentFactory(booking=booking, partner=partner, status=status, busy_until=booking.scheduled_end)


def anyone():
    return client_for(make_user())


def slots(client, partner, service, pincode: str, day=None):
    response = client.get(
        "/api/v1/smart-scheduling",
        {
            "vendor_id": str(partner.pk),
            "service_id": str(service.pk),
            "customer_pincode": pincode,
            "preferred_date": (day or the_day()).isoformat(),
        },
    )
    assert response.status_code == 200, response.json()
    return response.json()["data"]


def free_at(data) -> set[str]:
    """The local HH:MM of the free slots of a smart-scheduling answer."""
    return {
        timezone.localtime(datetime.fromisoformat(s["start_time"])).strftime("%H:%M")
        for s in data["available_slots"]
        if s["is_available"]
    }


def slot_at(data, clock: str) -> dict:
    for row in data["available_slots"]:
        if timezone.localtime(datetime.fromisoformat(row["start_time"])).strftime("%H:%M") == clock:
            return row
    raise AssertionError(f"no slot at {clock}")
