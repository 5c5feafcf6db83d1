"""The customer's bookings list on PostgreSQL in one hand-written statement (issue #21's list throughput).

``GET /bookings`` read a page through the ORM in three statements (the page with its total, the services, the
live partner), and building and compiling them was most of a request's cost. Here one statement answers the
page, each booking's services (``json_agg``), its live partner (the partners port's ``LATERAL`` subquery,
``hooks.partner_sql``) and the total (``COUNT(*) OVER ()``); a second one counts only for a page past the end.
The rows are :class:`ListedBooking` objects read by the same ``serializers.booking_row`` as every other
booking list, so the answer is the one the ORM path gives (``tests/bookings/test_booking_list_sql.py``
compares them, and the documented serializer, in every status and payment state).

Other databases (SQLite in development) use :func:`bookings.selectors.bookings_page`: :func:`available` says
which.
"""

# ruff: noqa: S608 - the statements are put together from fixed text only; every value is a parameter

from __future__ import annotations

import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection

from bookings import hooks
from bookings.models import Booking, BookingService


class ListedBooking(NamedTuple):
    """A booking as the list reads it: the attributes ``serializers.booking_row`` and ``bookings.policy`` use (a
    tuple: made and read at C speed, where a model instance costs its ``__init__``)."""

    id: Any
    booking_number: str
    status: str
    booking_date: date
    booking_time: time
    scheduled_start: datetime
    scheduled_end: datetime
    payment_method: str
    payment_status: str
    total_price: Decimal
    discount: Decimal
    tax: Decimal
    grand_total: Decimal
    promo_code: str
    customer_notes: str
    vendor_notes: str
    source: str
    created_at: datetime
    requested_partner_id: Any
    deposit_amount: Decimal | None
    meeting_link: str
    surge_multiplier: Decimal
    address_snapshot: Any  # these three from the row's JSON column
    dynamic_price_breakdown: Any
    service_values: list[tuple]  # read by serializers._services
    listed_partner: dict | None  # read by serializers._partner

    @property
    def pk(self) -> Any:
        return self.id

    @property
    def is_appointment(self) -> bool:
        return self.requested_partner_id is not None  # as Booking.is_appointment


COLUMNS = ListedBooking._fields[:-4]  # read as they are; the last four come from one JSON array per row
ORDER = "b.booking_date DESC, b.booking_time DESC, b.created_at DESC, b.id DESC"  # bookings_of's, then the id


def available() -> bool:
    """Whether the list can be read here in one statement (PostgreSQL: ``json_agg``, ``LATERAL``)."""
    return connection.vendor == "postgresql"


def customer_page(
    user_id: Any,
    *,
    status: str | None = None,
    start_date: date | None = None,
    end_date: date | None = None,
    pincode: str | None = None,
    offset: int,
    limit: int,
) -> tuple[list[ListedBooking], int]:
    """One page of the customer's bookings, newest first, and the total: ``bookings.selectors.bookings_of`` with
    the same filters (``status`` already checked) and ``bookings_page``, in one statement."""
    where, params = ["b.user_id = %s"], [user_id]
    for sql, value in (
        ("b.status = %s", status),
        ("b.booking_date >= %s", start_date),
        ("b.booking_date <= %s", end_date),
        ("b.address_snapshot -> 'pincode' = %s::jsonb", json.dumps(pincode) if pincode else None),
    ):
        if value:
            where.append(sql)
            params.append(value)
    port = hooks.partners()
    booking, service = Booking._meta.db_table, BookingService._meta.db_table
    statement = (
        f"WITH page AS (SELECT {', '.join(f'b.{name}' for name in COLUMNS)}, b.address_snapshot,"
        f" b.dynamic_price_breakdown, COUNT(*) OVER () AS total_rows FROM {booking} b WHERE {' AND '.join(where)}"
        f" ORDER BY {ORDER} OFFSET %s LIMIT %s)"
        f" SELECT {', '.join(f'b.{name}' for name in COLUMNS)}, b.total_rows,"
        " json_build_array(b.address_snapshot, b.dynamic_price_breakdown, COALESCE((SELECT json_agg(json_build_array("
        "s.service_id, s.name, s.quantity, s.unit_price, s.duration_minutes) ORDER BY s.created_at, s.id)"
        f" FROM {service} s WHERE s.booking_id = b.id), '[]'))::text, partner.*"
        f" FROM page b LEFT JOIN LATERAL ({port.partner_sql('b.id')}) partner ON TRUE ORDER BY {ORDER}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, offset, limit])
        rows = cursor.fetchall()
        if not rows:
            if not offset:
                return [], 0
            cursor.execute(f"SELECT COUNT(*) FROM {booking} b WHERE {' AND '.join(where)}", params)
            return [], cursor.fetchone()[0]
    width, loads, partner_of = len(COLUMNS), json.loads, port.partner_of_row
    page = []
    for row in rows:
        address, breakdown, services = loads(row[width + 1])
        partner = partner_of(row[width + 2 :])
        page.append(ListedBooking._make((*row[:width], address, breakdown, [tuple(s) for s in services], partner)))
    return page, int(rows[0][width])
