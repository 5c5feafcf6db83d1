"""Query counts of the back office's lists and reports do not grow with the data (asserted at two sizes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from core import audit
from notifications.models import Delivery, Notification, WebhookEndpoint
from partners.models import PartnerAssignment
from tests.adminpanel.helpers import paid_booking, query_counts, staff
from tests.conftest import make_user
from tests.partners import helpers as partners

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
RANGE = f"date_from={TODAY - timedelta(days=30)}&date_to={TODAY + timedelta(days=30)}"

# The query counts for a signed-in super admin: one query reads the user (a superuser's permissions need
# none; the rate limit is counted in Redis), then each list's count, page and prefetches, or each
# report's aggregates. Users: count, page (totals are two correlated subqueries in it), groups.
ENDPOINTS = {
    "/api/v1/admin/users?limit=100": 4,
    "/api/v1/admin/bookings?limit=100": 5,
    "/api/v1/admin/audit-logs?limit=100": 3,
    "/api/v1/admin/staff?limit=100": 4,
    "/api/v1/admin/dashboard": 10,
    "/api/v1/admin/analytics/dashboard": 4,
    f"/api/v1/admin/analytics/revenue?{RANGE}": 3,
    f"/api/v1/admin/analytics/partner-performance?{RANGE}": 4,
    f"/api/v1/admin/analytics/service-popularity?{RANGE}": 2,
    f"/api/v1/admin/analytics/top-partners?{RANGE}": 4,
    "/api/v1/admin/analytics/bookings-by-source": 2,
    "/api/v1/admin/analytics/pincode-demand": 4,
    "/api/v1/admin-dashboard/notifications": 7,
    "/api/v1/admin/webhooks?limit=100": 3,
    "/api/v1/notifications/history?limit=100": 3,
}


def _grow(size: int) -> None:
    """``size`` customers, each with a paid booking done by one of two new partners, audit entries, webhook
    endpoints and deliveries."""
    workers = [partners.partner(pincodes=["700000", "700001"]) for _ in range(2)]
    for n in range(size):
        customer = make_user(Role.CUSTOMER)
        booking = paid_booking(customer, pincode=f"7000{n % 5:02d}", status="completed")
        PartnerAssignment.objects.create(
            booking=booking,
            partner=workers[n % 2],
            status="completed",
            busy_from=booking.scheduled_start,
            busy_until=booking.scheduled_end,
            accepted_at=timezone.now(),
            partner_earning=700,
            commission_percentage=70,
        )
        audit.record(action="test", resource_type="booking", resource_id=booking.pk, actor=None)
        endpoint = WebhookEndpoint.objects.create(url=f"https://hooks{n}.example.com/in", secret_encrypted="x")
        Delivery.objects.create(
            endpoint=endpoint, event_type="booking.created", channel="webhook", destination=endpoint.url, body="{}"
        )
        notice = Notification.objects.create(
            user=customer, event_type="booking_created", title="t", message="m", data={"booking_id": str(booking.pk)}
        )
        Delivery.objects.create(
            notification=notice, user=customer, event_type="booking_created", channel="sms", destination="+91", body="m"
        )


def test_back_office_query_counts_are_fixed_whatever_the_size():
    _, client = staff(Role.SUPER_ADMIN)
    _grow(2)
    small = query_counts(client, ENDPOINTS)
    _grow(12)
    large = query_counts(client, ENDPOINTS)

    assert small == large
    assert large == ENDPOINTS, str(list(large.values()))
