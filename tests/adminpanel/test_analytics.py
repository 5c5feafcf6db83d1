"""Analytics: revenue by day/week/month, partners, services, sources, pincodes; bad ranges refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from bookings.models import BookingStatus
from partners.models import PartnerAssignment
from payments.models import Payment
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import paid_booking, staff
from tests.partners import helpers as partners

pytestmark = pytest.mark.django_db

BASE = "/api/v1/admin/analytics"


@pytest.fixture
def finance():
    return staff(Role.FINANCE)[1]


def test_revenue_by_day_week_and_month_counts_money_received_less_refunds(finance):
    paid_booking(total="1000.00", tax="0.00", paid_on=date(2026, 3, 2))  # Monday
    paid_booking(total="500.00", tax="0.00", paid_on=date(2026, 3, 2))
    refunded = paid_booking(total="400.00", tax="0.00", paid_on=date(2026, 3, 10))
    Payment.objects.filter(payable_id=str(refunded.pk)).update(amount_refunded=100, status="partially_refunded")
    paid_booking(total="999.00", tax="0.00", paid_on=date(2026, 4, 1))  # outside the range
    Payment.objects.create(  # failed payments are not revenue
        payable_type="bookings.booking",
        payable_id="x",
        user=refunded.user,
        amount=50,
        status="failed",
        gateway="cash",
        receipt="r-failed",
    )

    day = finance.get(f"{BASE}/revenue?date_from=2026-03-01&date_to=2026-03-31").json()["data"]
    week = finance.get(f"{BASE}/revenue?date_from=2026-03-01&date_to=2026-03-31&group_by=week").json()["data"]
    month = finance.get(f"{BASE}/revenue?date_from=2026-03-01&date_to=2026-03-31&period=month").json()["data"]

    assert day["total_revenue"] == 1800.0
    assert day["total_bookings"] == 3
    assert day["average_order_value"] == 600.0
    assert day["breakdown"] == [
        {"date": "2026-03-02", "revenue": 1500.0, "bookings": 2},
        {"date": "2026-03-10", "revenue": 300.0, "bookings": 1},
    ]
    assert week["breakdown"] == [
        {"date": "2026-03-02", "revenue": 1500.0, "bookings": 2},
        {"date": "2026-03-09", "revenue": 300.0, "bookings": 1},
    ]
    assert month["breakdown"] == [{"date": "2026-03-01", "revenue": 1800.0, "bookings": 3}]


@pytest.mark.parametrize(
    ("query", "field", "reason"),
    [
        ("date_to=2026-03-31", "date_from", "required"),
        ("date_from=2026-03-01", "date_to", "required"),
        ("", "date_from", "required"),
        ("date_from=2026-03-31&date_to=2026-03-01", "date_to", "inverted_range"),
        ("date_from=2020-01-01&date_to=2026-03-01", "date_to", "range_too_long"),
        ("date_from=2026-03-01&date_to=2026-03-31&group_by=hour", "group_by", "unknown_value"),
    ],
)
def test_revenue_refuses_missing_or_inverted_ranges_and_unknown_group_by(finance, query, field, reason):
    response = finance.get(f"{BASE}/revenue?{query}")

    assert assert_error(response, 422, "VALIDATION_ERROR", field)["details"]["reason"] == reason


@pytest.mark.parametrize("path", ["partner-performance", "service-popularity"])
@pytest.mark.parametrize(
    ("query", "field", "reason"),
    [
        ("", "date_from", "required"),
        ("date_from=2026-03-02", "date_to", "required"),
        ("date_from=2026-03-02&date_to=2026-03-01", "date_to", "inverted_range"),
    ],
)
def test_range_reports_need_a_range(finance, path, query, field, reason):
    response = finance.get(f"{BASE}/{path}?{query}")

    assert assert_error(response, 422, "VALIDATION_ERROR", field)["details"]["reason"] == reason


def _job(partner, booking, status: str, rating: int | None = None):
    PartnerAssignment.objects.create(
        booking=booking,
        partner=partner,
        status=status,
        busy_from=booking.scheduled_start,
        busy_until=booking.scheduled_end,
        accepted_at=timezone.now(),
        partner_earning=700,
        commission_percentage=70,
    )
    if rating:
        type(booking).objects.filter(pk=booking.pk).update(customer_rating=rating)


def test_partner_performance_and_top_partners(finance):
    star, other = partners.partner(), partners.partner()
    start = partners.next_weekday_at(10)
    for hour, status, rating in ((10, "completed", 5), (12, "completed", 4), (14, "cancelled", None)):
        _job(star, paid_booking(start=start.replace(hour=hour)), status, rating)
    _job(other, paid_booking(start=start.replace(hour=16)), "completed", 3)
    day = start.date().isoformat()

    rows = finance.get(f"{BASE}/partner-performance?date_from={day}&date_to={day}").json()["data"]["partners"]
    only = finance.get(f"{BASE}/partner-performance?date_from={day}&date_to={day}&partner_id={other.pk}").json()
    top = finance.get(f"{BASE}/top-partners?limit=1&date_from={day}&date_to={day}").json()["data"]["partners"]

    first = rows[0]
    assert first["partner_id"] == str(star.pk)
    assert (first["total_bookings"], first["completed_bookings"], first["cancelled_bookings"]) == (3, 2, 1)
    assert first["average_rating"] == 4.5
    assert first["cancellation_rate"] == 33.33
    assert first["total_revenue"] == 2360.0
    assert [row["partner_id"] for row in only["data"]["partners"]] == [str(other.pk)]
    assert [row["partner_id"] for row in top] == [str(star.pk)]


def test_service_popularity(finance):
    facial, waxing = partners.service("FACIAL"), partners.service("WAXING", price="500.00")
    start = partners.next_weekday_at(10)
    paid_booking(services=[facial, waxing], start=start)
    paid_booking(services=[facial], start=start.replace(hour=12))
    cancelled = paid_booking(services=[waxing], start=start.replace(hour=14), status=BookingStatus.CANCELLED)
    day = start.date().isoformat()

    rows = finance.get(f"{BASE}/service-popularity?date_from={day}&date_to={day}").json()["data"]["services"]

    # the cancelled booking is real and holds waxing, so waxing's single booking shows it was left out
    assert cancelled.status == BookingStatus.CANCELLED
    assert cancelled.booking_date.isoformat() == day
    assert [item.service_id for item in cancelled.items.all()] == [waxing.pk]
    assert [(r["service_id"], r["total_bookings"], r["total_revenue"]) for r in rows] == [
        (str(facial.pk), 2, 2000.0),
        (str(waxing.pk), 1, 500.0),
    ]


def test_bookings_by_source(finance):
    for source in ("app", "app", "web", "front_desk"):
        paid_booking(source=source)

    rows = finance.get(f"{BASE}/bookings-by-source").json()["data"]["sources"]

    assert rows[0] == {"source": "app", "label": "App", "count": 2, "percentage": 50.0}
    assert {r["source"]: r["count"] for r in rows} == {"app": 2, "web": 1, "front_desk": 1, "telegram": 0, "admin": 0}


def test_pincode_demand_compares_bookings_with_partners(finance):
    partners.partner(pincodes=["700091"])
    for _ in range(3):
        paid_booking(pincode="700091", start=partners.next_weekday_at(10, days_ahead=-1 + 2))
    paid_booking(pincode="700001")

    data = finance.get("/api/v1/admin-dashboard/pincode-scaling/data?days_back=30").json()["data"]

    rows = {row["pincode"]: row for row in data["pincodes"]}
    assert rows["700091"]["total_bookings"] == 3
    assert rows["700091"]["available_vendors"] == 1
    assert rows["700091"]["demand_intensity"] == 3.0
    assert rows["700091"]["zone_status"] == "optimal"
    assert rows["700001"]["zone_status"] == "no_coverage"
    assert data["summary"]["total_pincodes"] == 2


def test_metrics_and_dashboard(finance, clock_held):
    # the clock held: the booking and payment written today are still today's when counted
    today = timezone.localdate()
    paid_booking(start=partners.next_weekday_at(10, days_ahead=0))
    # booked for the day after tomorrow and paid yesterday: in the totals, not in today's numbers
    paid_booking(total="590.00", tax="90.00", start=partners.next_weekday_at(10), paid_on=today - timedelta(days=1))

    metrics = finance.get(f"{BASE}/dashboard").json()["data"]
    dashboard = finance.get("/api/v1/admin/dashboard").json()["data"]

    assert metrics["total_customers"] == 2
    assert metrics["bookings_today"] == 1
    assert dashboard["stats"]["total_bookings"] == 2
    assert dashboard["stats"]["confirmed_bookings"] == 2
    assert dashboard["stats"]["total_revenue"] == 1770.0
    assert dashboard["stats"]["today_revenue"] == 1180.0
    assert sorted(row["grand_total"] for row in dashboard["recent_bookings"]) == [590.0, 1180.0]
