"""Seed 004 ``availability:updated``: a partner's open slots, live to the partner and to subscribed clients."""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.utils import timezone

from accounts.roles import Role
from accounts.services.tokens import tokens_issue
from config.asgi import application
from partners.models import PartnerAssignment
from partners.services.dispatch import dispatch_booking
from partners.slots import open_slots
from tests.conftest import client_for, make_user
from tests.partners import helpers

EVENT = "availability:updated"


@pytest.fixture
async def thread_connections():
    yield
    await sync_to_async(connections.close_all)()


async def socket_of(user) -> WebsocketCommunicator:
    token = (await sync_to_async(tokens_issue)(user=user))["access_token"]
    communicator = WebsocketCommunicator(application, f"/ws/notifications/{user.pk}/?token={token}")
    assert (await communicator.connect(timeout=5))[0]
    return communicator


async def frames_until(communicator, kind: str, limit: int = 6) -> dict:
    for _ in range(limit):
        frame = await communicator.receive_json_from(timeout=5)
        if frame["type"] == kind:
            return frame
    raise AssertionError(f"no {kind} frame")


# --- the slots themselves ------------------------------------------------------------------------


@pytest.mark.django_db
def test_open_slots_are_the_hours_less_the_jobs_and_their_travel_buffer(settings):
    settings.SLOT_MINUTES, settings.PARTNER_TRAVEL_BUFFER_MINUTES = 30, 30
    partner = helpers.partner(start=helpers.time(9), end=helpers.time(13))
    start = helpers.next_weekday_at(11)
    day = start.date()
    assert open_slots(partner, day) == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00", "12:30"]

    dispatch_booking(helpers.booking(start=start).pk)  # offered: the hour's job and travel after it held

    assignment = PartnerAssignment.objects.get(partner=partner)
    assert (assignment.busy_from, assignment.busy_until) == (start, start + timedelta(minutes=90))
    # 10:30 cannot end 30 minutes of travel before 11:00; 11:00-12:30 is held
    assert open_slots(partner, day) == ["09:00", "09:30", "10:00", "12:30"]
    off = helpers.partner(verified=False)
    assert open_slots(off, day) == []


# --- live ----------------------------------------------------------------------------------------


async def follow(communicator, partner) -> None:
    await communicator.send_json_to({"type": "subscribe", "topic": "availability", "specialist_id": str(partner.pk)})
    assert await communicator.receive_json_from(timeout=5) == {
        "type": "subscribed",
        "topic": "availability",
        "specialist_id": str(partner.pk),
    }


async def set_hours(partner, day_of_week: int, start: str, end: str) -> None:
    client = await sync_to_async(client_for)(partner.user)
    response = await sync_to_async(client.post)(
        "/api/v1/vendor-availability",
        {"day_of_week": day_of_week, "start_time": start, "end_time": end},
        format="json",
    )
    assert response.status_code == 201, response.content


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("thread_connections")
async def test_a_subscribed_customer_sees_a_partner_change_their_hours(celery_eager):
    partner, other = await sync_to_async(helpers.partner)(), await sync_to_async(helpers.partner)()
    customer = await sync_to_async(make_user)(Role.CUSTOMER)
    communicator = await socket_of(customer)
    await follow(communicator, partner)
    await follow(communicator, other)
    # the day after tomorrow: none of its slots has begun, at any hour; if midnight falls during
    # the test it is tomorrow, still the next date on its weekday
    day = timezone.localdate() + timedelta(days=2)

    await set_hours(partner, day.isoweekday(), "14:00", "16:00")
    frame = await frames_until(communicator, EVENT)

    assert frame["data"]["specialist_id"] == str(partner.pk)
    assert frame["data"]["date"] == day.isoformat()
    assert frame["data"]["available_slots"] == await sync_to_async(open_slots)(partner, day)
    assert frame["data"]["available_slots"] == ["14:00", "14:30", "15:00", "15:30"]

    await communicator.send_json_to({"type": "unsubscribe", "topic": "availability", "specialist_id": str(partner.pk)})
    assert (await communicator.receive_json_from(timeout=5))["type"] == "unsubscribed"
    await set_hours(partner, day.isoweekday(), "10:00", "12:00")
    await set_hours(other, day.isoweekday(), "10:00", "12:00")
    # both changes were published in that order, over one channel layer into this socket's one
    # queue: the first frame is the partner still followed, so nothing of the other came before it
    frame = await communicator.receive_json_from(timeout=5)
    assert (frame["type"], frame["data"]["specialist_id"]) == (EVENT, str(other.pk))
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("thread_connections")
async def test_a_partner_offered_a_job_sees_the_slot_go_from_their_day(celery_eager):
    partner = await sync_to_async(helpers.partner)()
    booking = await sync_to_async(helpers.booking)()
    communicator = await socket_of(partner.user)

    await sync_to_async(dispatch_booking)(booking.pk)
    frame = await frames_until(communicator, EVENT)

    start = booking.scheduled_start.astimezone(helpers.timezone.get_current_timezone())
    assert frame["data"]["date"] == start.date().isoformat()
    assert f"{start:%H:%M}" not in frame["data"]["available_slots"]
    assert f"{start - timedelta(hours=2):%H:%M}" in frame["data"]["available_slots"]
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("thread_connections")
@pytest.mark.parametrize(
    ("message", "code"),
    [
        ({"type": "subscribe", "topic": "weather", "specialist_id": "x"}, "VALIDATION_ERROR"),
        ({"type": "subscribe", "topic": "availability", "specialist_id": "not-a-uuid"}, "VALIDATION_ERROR"),
        ({"type": "subscribe", "topic": "availability"}, "VALIDATION_ERROR"),
        ({"type": "subscribe", "topic": ["availability"], "specialist_id": "x"}, "VALIDATION_ERROR"),
        (
            {"type": "subscribe", "topic": "availability", "specialist_id": "11111111-1111-1111-1111-111111111111"},
            "NOT_FOUND",
        ),
    ],
)
async def test_bad_subscriptions_get_an_error_frame_and_the_connection_stays(message, code):
    customer = await sync_to_async(make_user)(Role.CUSTOMER)
    communicator = await socket_of(customer)

    await communicator.send_json_to(message)
    error = await communicator.receive_json_from(timeout=5)
    await communicator.send_json_to({"type": "ping"})

    assert error["type"] == "error"
    assert error["error"]["code"] == code
    assert (await communicator.receive_json_from(timeout=5))["type"] == "pong"
    await communicator.disconnect()
