"""Seed 002 ``/admin-dashboard/notifications``: business alerts (GET) and notification jobs (POST)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from bookings.models import Booking
from core.models import AuditLog
from notifications.models import Delivery, Notification
from partners.models import AssignmentStatus, Dispatch, DispatchStatus, PartnerAssignment
from tests.adminpanel.helpers import staff
from tests.partners import helpers as h

pytestmark = pytest.mark.django_db

URL = "/api/v1/admin-dashboard/notifications"


def _completed(partner, *, rating: int | None = None) -> None:
    booking = h.booking(start=h.next_weekday_at(days_ahead=-3))
    Booking.objects.filter(pk=booking.pk).update(status="completed", customer_rating=rating)
    PartnerAssignment.objects.create(
        booking=booking,
        partner=partner,
        status=AssignmentStatus.COMPLETED,
        busy_from=booking.scheduled_start,
        busy_until=booking.scheduled_end,
        accepted_at=booking.scheduled_start - timedelta(hours=1),
        partner_earning="700.00",
        commission_percentage="30.00",
    )


def _accepted(partner) -> None:
    booking = h.booking(start=h.next_weekday_at(days_ahead=2))
    PartnerAssignment.objects.create(
        booking=booking,
        partner=partner,
        status=AssignmentStatus.ACCEPTED,
        busy_from=booking.scheduled_start,
        busy_until=booking.scheduled_end,
        accepted_at=timezone.now(),
        partner_earning="700.00",
        commission_percentage="30.00",
    )


def test_send_bonus_alerts_tells_each_partner_their_points_and_tier(celery_eager, django_capture_on_commit_callbacks):
    _, client = staff(Role.ADMIN)
    busy = h.partner(rating="4.50", rating_count=2)
    steady = h.partner(rating="4.80", rating_count=3)
    idle, unverified = h.partner(), h.partner(verified=False)
    _completed(busy, rating=5)
    _completed(busy, rating=4)
    _completed(steady)
    _accepted(steady)
    _completed(unverified)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"action": "send_bonus_alerts"}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    task_id = body["data"]["task_id"]
    assert body["message"] == f"Bonus alerts task started. Task ID: {task_id}"
    alerts = {n.user_id: n for n in Notification.objects.filter(event_type="bonus_alert")}
    assert set(alerts) == {busy.user_id, steady.user_id}
    # busy: 2 jobs (20) and one five-star (5); rated 4.5, 2 of 2 accepted jobs completed (100 %): gold
    assert (alerts[busy.user_id].data["bonus_points"], alerts[busy.user_id].data["tier"]) == (25, "gold")
    assert "25 bonus points from 2 completed jobs (gold tier)" in alerts[busy.user_id].message
    # steady: rated 4.8, but 1 of 2 accepted jobs completed (50 %, under 75 %): bronze, 10 points
    assert (alerts[steady.user_id].data["bonus_points"], alerts[steady.user_id].data["tier"]) == (10, "bronze")
    assert not Notification.objects.filter(user__in=[idle.user, unverified.user]).exists()
    assert AuditLog.objects.get(action="send_bonus_alerts").resource_id == task_id


def test_send_reminders_runs_the_reminder_scan_now(celery_eager, django_capture_on_commit_callbacks):
    _, client = staff(Role.ADMIN)
    soon = h.booking(start=timezone.now() + timedelta(minutes=90))
    Booking.objects.filter(pk=soon.pk).update(status="confirmed")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"action": "send_reminders"}, format="json")

    assert response.status_code == 200, response.content
    assert Notification.objects.filter(event_type="appointment_reminder", user=soon.user).exists()


@pytest.mark.parametrize(
    ("body", "role", "status"),
    [
        ({"action": "send_everyone_money"}, Role.ADMIN, 422),
        ({}, Role.ADMIN, 400),
        ({"action": "send_bonus_alerts"}, Role.SUPPORT, 403),
        ({"action": "send_bonus_alerts"}, Role.OPS_MANAGER, 403),
    ],
)
def test_unknown_actions_and_other_roles_are_refused(body, role, status):
    _, client = staff(role)

    response = client.post(URL, body, format="json")

    assert response.status_code == status, response.content
    assert response.json()["success"] is False
    if status in (400, 422):
        assert response.json()["error"]["details"]["field"] == "action"
    assert not AuditLog.objects.filter(resource_type="notification").exists()


def test_business_alerts_count_bookings_waiting_for_a_partner_and_failed_messages(clock_held):
    # the clock held: the failed delivery written today is still today's when counted
    _, client = staff(Role.ADMIN)
    urgent = h.booking(start=timezone.now() + timedelta(hours=1))
    later = h.booking(start=h.next_weekday_at(days_ahead=3))
    handled = h.booking(start=timezone.now() + timedelta(hours=1))
    for booking in (urgent, later):
        Dispatch.objects.create(booking=booking, status=DispatchStatus.MANUAL)
    Dispatch.objects.create(booking=handled, status=DispatchStatus.ASSIGNED)
    Delivery.objects.create(event_type="promotion", channel="sms", destination="+91", body="x", status="failed")
    Delivery.objects.create(event_type="promotion", channel="sms", destination="+91", body="y", status="sent")

    alerts = client.get(URL).json()["data"]["business_alerts"]

    assert alerts == {
        "active_alerts": 3,
        "critical_alerts": 1,
        "bookings_needing_partner": 2,
        "failed_deliveries_today": 1,
    }
