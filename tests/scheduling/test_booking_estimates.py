"""SC3 (issue #20, seed 002): once checkout holds a partner's time, the booking keeps its scheduling estimates."""

from __future__ import annotations

import pytest
from django.utils import timezone

from bookings.models import Booking
from partners import travel
from partners.models import PartnerAvailability
from tests.conftest import make_user
from tests.partners import helpers as h
from tests.partners.test_checkout_dispatch import confirm, home_of, prepare

pytestmark = pytest.mark.django_db


def book(slot: str) -> Booking:
    user = make_user()
    address = home_of(user)
    response = confirm(user, prepare(user, address, h.service()), address, slot)
    assert response.status_code == 201, response.json()
    return Booking.objects.get(pk=response.json()["data"]["booking"]["id"])


def test_the_hold_stores_duration_buffers_and_travel():
    partner = h.partner()  # waits at NEAR, no base pincode: travel counts from there
    PartnerAvailability.objects.filter(partner=partner).update(preferred_buffer_minutes=20)
    first = book("10:00 AM")
    where = travel.centroid(h.PINCODE)
    assert where is not None
    from_base = travel.trip_minutes(travel.distance_km((float(h.NEAR[0]), float(h.NEAR[1])), where), 10)
    assert (
        first.estimated_duration_minutes,
        first.buffer_before_minutes,
        first.buffer_after_minutes,
        first.travel_time_to_minutes,
    ) == (60, 20, 20, from_base)
    assert from_base > 0
    second = book("12:00 PM")  # after the first job, at the same pincode: no travel
    assert (second.estimated_duration_minutes, second.buffer_before_minutes, second.travel_time_to_minutes) == (
        60,
        20,
        0,
    )


def test_an_unknown_place_leaves_travel_empty():
    partner = h.partner(at=None, pincodes=(h.PINCODE,))  # no location and no base pincode
    PartnerAvailability.objects.filter(partner=partner).update(preferred_buffer_minutes=5)
    booking = book("10:00 AM")
    assert (booking.buffer_before_minutes, booking.travel_time_to_minutes) == (5, None)


def test_the_one_statement_reads_what_the_orm_queries_read():
    """``booking_estimates`` reads the weekday's hours and the last job before the booking in one statement on
    PostgreSQL; the ORM's two queries (SQLite's) answer the same in every case that decides the estimates."""
    from datetime import timedelta

    from partners import day_plan
    from tests.factories import PartnerAssignmentFactory

    def both(partner, booking):
        local = timezone.localtime(booking.scheduled_start)
        day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        args = (partner, local.isoweekday(), day_start, booking.scheduled_start)
        (orm_hours, orm_previous), (hours, previous) = day_plan._before(*args), day_plan._before_on_postgresql(*args)
        fields = lambda row: row and (row.preferred_buffer_minutes, row.primary_pincode)  # noqa: E731
        assert (fields(hours), previous) == (fields(orm_hours), orm_previous)
        return fields(hours), previous

    partner = h.partner()
    later = h.booking(start=h.next_weekday_at(16))
    assert both(partner, later)[1] is None  # no job before it yet
    PartnerAvailability.objects.filter(partner=partner).update(preferred_buffer_minutes=25, primary_pincode="700091")
    assert both(partner, later) == ((25, "700091"), None)
    morning = h.booking(start=h.next_weekday_at(9), pincode="700001")
    PartnerAssignmentFactory(accepted=True, partner=partner, booking=morning)
    assert both(partner, later) == ((25, "700091"), "700001")  # the job before it that day
    noon = h.booking(start=h.next_weekday_at(12), pincode="700016")
    PartnerAssignmentFactory(accepted=True, partner=partner, booking=noon)
    assert both(partner, later)[1] == "700016"  # the last one before it
    evening = h.booking(start=later.scheduled_start + timedelta(hours=2), pincode="700020")
    PartnerAssignmentFactory(accepted=True, partner=partner, booking=evening)
    assert both(partner, later)[1] == "700016"  # one after it does not count
    Booking.objects.filter(pk=noon.pk).update(address_snapshot={})
    assert both(partner, later)[1] == ""  # a job with no pincode: travel from an unknown place
    PartnerAvailability.objects.filter(partner=partner).delete()
    assert both(partner, later) == (None, "")  # no hours that weekday
    cancelled = h.booking(start=h.next_weekday_at(13), pincode="700029")
    PartnerAssignmentFactory(partner=partner, booking=cancelled, status="cancelled")
    assert both(partner, later)[1] == ""  # a cancelled job does not count


def test_the_previous_job_is_read_from_the_partners_own_jobs():
    """The last job before the booking is found by the partner's jobs' index and each one's booking by its key,
    whatever the statistics say. Planned freely, PostgreSQL walked that day's bookings of every partner by start
    time when its statistics had not yet seen the day (as in the confirm benchmark), and planned the statement
    again on every run because its cached plan looked dearer (issue #21)."""
    import copy
    import uuid
    from datetime import timedelta

    from django.db import connection

    from partners import day_plan
    from tests.factories import PartnerAssignmentFactory

    partner = h.partner()
    template = h.booking(start=h.next_weekday_at(9) - timedelta(days=60))
    earlier = []
    for i in range(3000):  # two months before: what the statistics know
        row = copy.copy(template)
        row.pk, row.booking_number = uuid.uuid4(), f"BK-T-{i:06d}"
        row.scheduled_start = template.scheduled_start - timedelta(hours=i % 1400)
        row.scheduled_end = row.scheduled_start + timedelta(hours=1)
        earlier.append(row)
    Booking.objects.bulk_create(earlier)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE bookings_booking")
    for hour in range(8, 16):  # the day itself, after the statistics: other partners' jobs
        for _ in range(4):
            PartnerAssignmentFactory(
                accepted=True, partner=h.partner(), booking=h.booking(start=h.next_weekday_at(hour))
            )
    later = h.booking(start=h.next_weekday_at(17))
    local = timezone.localtime(later.scheduled_start)
    params = {
        "partner": partner.pk,
        "weekday": local.isoweekday(),
        "day_start": local.replace(hour=0, minute=0, second=0, microsecond=0),
        "start": later.scheduled_start,
    }
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + day_plan._BEFORE, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    bookings = [line for line in plan.splitlines() if " on bookings_booking " in line]
    assert bookings, plan
    assert all("bookings_booking_pkey" in line for line in bookings), plan
