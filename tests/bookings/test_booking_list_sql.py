"""GET /bookings in one hand-written statement on PostgreSQL (bookings.list_rows, issue #21's list throughput).

The answer must be the one the ORM path gives (bookings.selectors.bookings_page, still used on SQLite) and the
documented serializer's (BookingOutput), byte for byte, for bookings in every status and payment state, with and
without services, a partner on the job (held, offered, accepted, on the way, done), a chosen provider and a deposit.
"""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.utils.encoders import JSONEncoder

from bookings import hooks, list_rows
from bookings.models import BookingPaymentStatus, BookingSource, BookingStatus
from bookings.selectors import booking_of
from bookings.serializers import BookingOutput
from partners.models import AssignmentStatus
from tests.conftest import client_for, make_user
from tests.factories import BookingFactory, PartnerAssignmentFactory, PartnerFactory, ServiceFactory, next_weekday_at

pytestmark = pytest.mark.django_db

PAYMENT_STATES = list(BookingPaymentStatus.values)


def _world(customer) -> list:
    """Bookings in every status (each payment state in turn) and the partner, provider and money variants."""
    services = [
        ServiceFactory(),
        ServiceFactory(service_key="HAIR", product_cost=Decimal("99.99"), duration_minutes=45),
        ServiceFactory(service_key="NAIL", product_cost=Decimal("1234.50"), duration_minutes=30),
    ]
    made = [
        BookingFactory(
            user=customer,
            status=status,
            payment_status=PAYMENT_STATES[i % len(PAYMENT_STATES)],
            services=services[: 1 + i % 3],
            start=next_weekday_at(8 + i % 10, days_ahead=2 + i % 4),
            pincode=f"70000{i % 3}",
        )
        for i, status in enumerate(BookingStatus.values)
    ]
    provider = PartnerFactory()
    made.append(  # an appointment with a deposit paid, a promo, notes, a meeting link, surge and a breakdown
        BookingFactory(
            user=customer,
            status=BookingStatus.CONFIRMED,
            payment_status=BookingPaymentStatus.DEPOSIT_PAID,
            requested_partner=provider,
            deposit_amount=Decimal("99.99"),
            promo_code="SAVE10",
            discount=Decimal("12.34"),
            customer_notes="gate 2",
            vendor_notes="bring towels",
            meeting_link="https://meet.example/abc",
            surge_multiplier=Decimal("1.25"),
            dynamic_price_breakdown={"demand": "high", "factors": [1.1, {"rain": True}]},
            source=BookingSource.TELEGRAM,
            start=next_weekday_at(11, days_ahead=1),
        )
    )
    made.append(  # an appointment paid in full with a deposit, past its cancel notice (cannot cancel)
        BookingFactory(
            user=customer,
            status=BookingStatus.CONFIRMED,
            payment_status=BookingPaymentStatus.PAID,
            requested_partner=provider,
            deposit_amount=Decimal("100.00"),
            start=timezone.now() + timedelta(hours=1),
        )
    )
    old = BookingFactory(user=customer, start=next_weekday_at(12, days_ahead=5))  # past the free window
    type(old).objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    made.append(old)
    made.append(BookingFactory(user=customer, services=[], start=next_weekday_at(13, days_ahead=5)))  # no services
    for i, status in enumerate(
        [AssignmentStatus.HELD, AssignmentStatus.ASSIGNED, AssignmentStatus.ACCEPTED, "in_transit", "completed"]
    ):
        booking = BookingFactory(
            user=customer, status=BookingStatus.CONFIRMED, start=next_weekday_at(9 + 2 * i, days_ahead=6)
        )
        PartnerAssignmentFactory(
            booking=booking,
            status=status,
            estimated_arrival=timezone.now() + timedelta(minutes=7 * i, microseconds=123450 * i),
        )
        made.append(booking)
    cancelled = BookingFactory(user=customer, start=next_weekday_at(19, days_ahead=6))  # a cancelled offer only
    PartnerAssignmentFactory(booking=cancelled, status=AssignmentStatus.CANCELLED)
    made.append(cancelled)
    BookingFactory()  # another customer's, never listed
    return made


def _hold_clock(monkeypatch) -> None:
    """Django's clock held once the world is made (not before: rows written in one instant would tie on
    ``created_at``, which orders a booking's services)."""
    moment = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: moment)


def _both(client, path: str, monkeypatch) -> tuple[bytes, bytes]:
    fast = client.get(path)
    with monkeypatch.context() as patch:
        patch.setattr(list_rows, "available", lambda: False)
        slow = client.get(path)
    assert fast.status_code == slow.status_code == 200, (fast.content, slow.content)
    return fast.content, slow.content


def test_every_row_is_the_orm_paths_and_the_serializers_byte_for_byte(monkeypatch):
    customer = make_user()
    made = _world(customer)
    client = client_for(customer)
    _hold_clock(monkeypatch)

    fast, slow = _both(client, "/api/v1/bookings?limit=100", monkeypatch)

    assert fast == slow
    rows = json.loads(fast)["data"]["bookings"]
    assert len(rows) == len(made)
    for row in rows:
        documented = BookingOutput(booking_of(customer, row["id"])).data
        assert row == json.loads(json.dumps(documented, cls=JSONEncoder))
    shown = {row["id"]: row for row in rows}
    partners = [shown[str(b.pk)]["partner"] for b in made[-6:]]
    assert partners[0] is None  # held: not a partner on the job yet
    assert partners[1]["assignment_status"] == "assigned"
    assert partners[1]["phone"] is None  # offered: the phone is shared once the partner accepts
    assert [p["assignment_status"] for p in partners[2:5]] == ["accepted", "in_transit", "completed"]
    assert all(p["phone"] for p in partners[2:5])
    assert partners[5] is None  # only a cancelled offer
    assert {row["payment_status"] for row in rows} == set(PAYMENT_STATES)
    assert {row["status"] for row in rows} == set(BookingStatus.values)
    assert {row["can_cancel"] for row in rows} == {True, False}
    assert [] in [row["services"] for row in rows]


@pytest.mark.parametrize(
    "query",
    [
        "limit=3",
        "limit=3&page=2",
        "limit=3&page=99",
        "status=confirmed&limit=2&page=2",
        "status=cancelled",
        "pincode=700001",
        "pincode=700009",
        "scheduled_date={day}",
        "start_date={day}&end_date={later}",
        "startDate={day}&limit=4&page=2",
        "page=99&pincode=700002",
    ],
)
def test_pages_and_filters_answer_as_the_orm_path(query, monkeypatch):
    customer = make_user()
    _world(customer)
    client = client_for(customer)
    _hold_clock(monkeypatch)
    day = next_weekday_at(days_ahead=3).date()
    path = "/api/v1/bookings?" + query.format(day=day, later=day + timedelta(days=2))

    fast, slow = _both(client, path, monkeypatch)

    assert fast == slow
    assert json.loads(fast)["data"]["pagination"]["total"] > 0 or "700009" in query


def test_a_bad_filter_is_refused_as_before(monkeypatch):
    client = client_for(make_user())

    for path in ("/api/v1/bookings?status=nope", "/api/v1/bookings?start_date=2026-12-02&end_date=2026-12-01"):
        fast = client.get(path)
        with monkeypatch.context() as patch:
            patch.setattr(list_rows, "available", lambda: False)
            slow = client.get(path)
        assert fast.status_code == slow.status_code
        assert fast.status_code in (400, 422)
        assert {**fast.json()["error"], "metadata": None} == {**slow.json()["error"], "metadata": None}


def test_without_a_partners_app_the_list_shows_no_partner():
    customer = make_user()
    PartnerAssignmentFactory(booking=BookingFactory(user=customer), accepted=True)
    client = client_for(customer)
    registered = hooks.partners()
    hooks.unregister()
    try:
        rows = client.get("/api/v1/bookings").json()["data"]["bookings"]
    finally:
        hooks.register(registered)

    assert [row["partner"] for row in rows] == [None]


def test_the_page_services_partners_and_total_are_one_statement(django_assert_num_queries):
    customer = make_user()
    for i in range(3):
        booking = BookingFactory(user=customer, services=[ServiceFactory(), ServiceFactory()])
        if i:
            PartnerAssignmentFactory(booking=booking, accepted=True)
    with django_assert_num_queries(1):
        page, total = list_rows.customer_page(customer.pk, offset=0, limit=20)
    with django_assert_num_queries(2):  # past the end: the page is empty, then the count
        past, past_total = list_rows.customer_page(customer.pk, offset=20, limit=20)

    assert (len(page), total, past, past_total) == (3, 3, [], 3)
    assert sorted(len(row.service_values) for row in page) == [2, 2, 2]
    assert sum(row.listed_partner is not None for row in page) == 2
