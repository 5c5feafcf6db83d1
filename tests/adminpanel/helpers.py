"""Back-office test data: staff of each role, bookings paid in cash or online, on given days."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from django.utils import timezone

from accounts.roles import Role
from bookings.models import Booking, BookingStatus
from payments.models import Payment
from tests.conftest import client_for, make_user
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
    """A booking with a captured payment (cash gateway: refunds are paid out at once)."""
    created = partners.booking(
        customer, total=total, tax=tax, paid=True, method="online", services=services, pincode=pincode, start=start
    )
    Booking.objects.filter(pk=created.pk).update(status=status, source=source)
    moment = datetime.combine(paid_on, time(12), tzinfo=timezone.get_current_timezone()) if paid_on else timezone.now()
    _n["n"] += 1
    Payment.objects.create(
        payable_type="bookings.booking",
        payable_id=str(created.pk),
        user=created.user,
        amount=Decimal(total),
        status="success",
        gateway="cash",
        receipt=f"rcpt-test-{_n['n']}",
        captured_at=moment,
    )
    created.refresh_from_db()
    return created
