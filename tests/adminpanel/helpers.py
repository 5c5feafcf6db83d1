"""Back-office test data: staff of each role, bookings paid in cash or online, on given days."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from bookings.models import Booking, BookingStatus
from payments.models import PaymentGatewayName
from tests.conftest import client_for, make_user
from tests.factories import BookingFactory, PaymentFactory
from tests.partners import helpers as partners

_n = {"n": 0}


def staff(role: Role, **fields):
    _n["n"] += 1
    fields.setdefault("email", f"{role.value}{_n['n']}@example.com")
    fields.setdefault("full_name", f"{role.label} {_n['n']}")
    person = make_user(role, **fields)
    return person, client_for(person)


def paid_booking(
    customer=None,
    *,
    total: str = "1180.00",
    tax: str = "180.00",
    paid_on=None,
    status: str = BookingStatus.CONFIRMED,
    source: str = "app",
    services=None,
    pincode: str = partners.PINCODE,
    start=None,
) -> Booking:
    """A paid online booking (``BookingFactory(online=True, paid=True)``) with its captured payment on the cash gateway
    (``PaymentFactory(captured=True)``: refunds are paid out at once), captured at noon on ``paid_on`` or now."""
    given = {"user": customer, "services": services or None, "start": start}
    created = BookingFactory(
        **{name: value for name, value in given.items() if value is not None},
        online=True,
        paid=True,
        total=total,
        tax=Decimal(tax),
        pincode=pincode,
        status=status,
        source=source,
    )
    moment = datetime.combine(paid_on, time(12), tzinfo=timezone.get_current_timezone()) if paid_on else timezone.now()
    PaymentFactory(booking=created, captured=True, captured_at=moment, gateway=PaymentGatewayName.CASH)
    created.refresh_from_db()
    return created


def query_counts(client, paths) -> dict[str, int]:
    """How many queries each GET of ``paths`` takes (each must answer 200), for query-count tests at two sizes."""
    counts = {}
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.content)
        counts[path] = len(queries)
    return counts
