"""Query counts of the back office's lists and reports do not grow with the data (asserted at two sizes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Address
from accounts.roles import Role
from bookings.models import BookingEvent, ContactSubmission, PromoCode
from core import audit, system_settings
from notifications.models import Delivery, Notification, WebhookEndpoint
from partners.models import PartnerAssignment
from tests.adminpanel.helpers import paid_booking, query_counts, staff
from tests.conftest import make_user
from tests.factories import PartnerAssignmentFactory, PartnerFactory
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
    "/api/v1/admin/promo-codes?limit=100": 3,
    "/api/v1/admin/contact-submissions?limit=100": 3,
}


def _grow(size: int) -> None:
    """``size`` customers, each with a paid booking done by one of two new partners, audit entries, webhook
    endpoints and deliveries, promo codes and contact submissions."""
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
        PromoCode.objects.create(code=f"SAVE{PromoCode.objects.count()}", discount_type="percentage", discount_value=10)
        ContactSubmission.objects.create(name=f"Asha {n}", email=f"asha{n}@example.com", message="Hello")


def test_back_office_query_counts_are_fixed_whatever_the_size():
    _, client = staff(Role.SUPER_ADMIN)
    _grow(2)
    system_settings.all_values()  # the runtime settings are cached across requests (can_cancel reads the policy's)
    small = query_counts(client, ENDPOINTS)
    _grow(12)
    large = query_counts(client, ENDPOINTS)

    assert small == large
    assert large == ENDPOINTS, str(list(large.values()))


SERVICE_KEYS = ("FACIAL", "WAXING", "HAIR", "NAIL", "MASSAGE")
# A booking: the signed-in user, the booking with its customer, the partner's assignment, the services, the
# timeline, its actors, the customer's groups, the payments. A user: the signed-in user, the user with their
# totals, groups, addresses, the cancelled count, the recent bookings, their services, their assignments.
DETAIL_QUERIES = {"booking": 8, "user": 8}


def _customer_with(size: int):
    """A customer with ``size`` addresses and ``size`` paid bookings, each of ``size`` services, done by its own
    partner, with ``size`` timeline entries by ``size`` different staff members; returns (customer, first booking)."""
    customer = make_user(Role.CUSTOMER)
    services = [partners.service(key) for key in SERVICE_KEYS[:size]]
    actors = [staff(Role.OPS_MANAGER)[0] for _ in range(size)]
    for n in range(size):
        Address.objects.create(
            user=customer, name=f"Place {n}", address_line1="1 Park St", city="Kolkata", state="WB", pincode="700091"
        )
    bookings = []
    for n in range(size):
        booking = paid_booking(customer, services=services, start=partners.next_weekday_at(8, days_ahead=2 + n))
        PartnerAssignmentFactory(booking=booking, partner=PartnerFactory(), accepted=True)
        for actor in actors:
            BookingEvent.objects.create(booking=booking, action="note", actor=actor, note="called")
        bookings.append(booking)
    return customer, bookings[0]


def test_booking_and_user_details_cost_the_same_whatever_their_size():
    """Detail pages read their relations (services, timeline actors, partner, payments; bookings, addresses)
    in a fixed number of queries: one of everything against five of everything."""
    _, client = staff(Role.SUPER_ADMIN)
    small_customer, small_booking = _customer_with(1)
    large_customer, large_booking = _customer_with(5)

    def details(customer, booking) -> list[int]:
        paths = [f"/api/v1/admin/bookings/{booking.pk}", f"/api/v1/admin/users/{customer.pk}"]
        return list(query_counts(client, paths).values())

    small = details(small_customer, small_booking)
    large = details(large_customer, large_booking)

    assert small == large
    assert large == [DETAIL_QUERIES["booking"], DETAIL_QUERIES["user"]]
    shown = client.get(f"/api/v1/admin/bookings/{large_booking.pk}").json()["data"]
    assert len(shown["services"]) == 5
    assert len([row for row in shown["timeline"] if row["action"] == "note"]) == 5
    assert shown["partner"]
    person = client.get(f"/api/v1/admin/users/{large_customer.pk}").json()["data"]
    assert (len(person["bookings"]), len(person["addresses"])) == (5, 5)
